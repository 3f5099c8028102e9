"""The claims resources under /api/v1/ (included by api/urls.py, in its `api` namespace)."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("claimants", views.ClaimantViewSet, basename="claimant")
router.register("appearances", views.AppearanceViewSet, basename="appearance")
router.register("responses", views.ResponseViewSet, basename="response")
router.register("verdicts", views.VerdictViewSet, basename="verdict")
router.register("corrections", views.CorrectionViewSet, basename="correction")
router.register("reviews", views.ReviewViewSet, basename="review")
router.register("publications", views.PublicationViewSet, basename="publication")

# Listed by the API root beside the resources: answer key -> URL name.
root_links = {"claimreview": "claimreview-feed"}

urlpatterns = [
    *router.urls,
    path("claimreview/", views.ClaimReviewFeed.as_view(), name="claimreview-feed"),
]
