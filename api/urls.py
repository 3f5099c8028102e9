"""/api/v1/: the root, each app's resources, the OpenAPI contract and its docs, and JSON 404s.

Each app's API URL module registers its resources on a `router` (the root lists them) and
may name other entry points in `root_links` (see api.root.ApiRoot). Every URL name lives
in the `api` namespace (`api:claim-list`, `api:schema`).
"""
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .errors import not_found
from .root import ApiRoot

app_name = "api"
urlpatterns = [
    path("", ApiRoot.as_view(), name="root"),
    path("", include("claims.api.urls")),
    path("", include("evidence.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Anything else, whatever the method: a JSON 404. [\s\S], not ".": a path may hold a
    # newline (%0A), and a (?s) flag would break reverse() for the whole urlconf.
    re_path(r"^[\s\S]*$", not_found),
]
