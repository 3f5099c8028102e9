"""/api/v1/: the resources, the OpenAPI contract and its docs, and JSON 404s."""
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import views
from .errors import not_found

router = SimpleRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("claimants", views.ClaimantViewSet, basename="claimant")
router.register("appearances", views.AppearanceViewSet, basename="appearance")
router.register("responses", views.ResponseViewSet, basename="response")
router.register("verdicts", views.VerdictViewSet, basename="verdict")
router.register("corrections", views.CorrectionViewSet, basename="correction")
router.register("reviews", views.ReviewViewSet, basename="review")

app_name = "api"
urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    *router.urls,
    path("", include("evidence.api.urls")),
    path("claimreview/", views.ClaimReviewFeed.as_view(), name="claimreview-feed"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Anything else, whatever the method: a JSON 404. [\s\S], not ".": a path may hold a
    # newline (%0A), and a (?s) flag would break reverse() for the whole urlconf.
    re_path(r"^[\s\S]*$", not_found),
]
