"""The evidence resources under /api/v1/ (included by api/urls.py, in its `api` namespace)."""
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("sources", views.SourceViewSet, basename="source")
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")
router.register("evidence", views.EvidenceViewSet, basename="evidence")

urlpatterns = router.urls
