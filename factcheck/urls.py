from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from claims.feeds import verdict_feed
from claims.pages import methodology
from claims.sitemaps import SITEMAPS

from .health import healthz

admin.site.site_header = "Factcheck workbench"
admin.site.site_title = "Factcheck workbench"
admin.site.index_title = "Desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Public pages (claims/pages.py).
    path("checks/", include("claims.urls", namespace="checks")),
    path("feeds/checks.atom", verdict_feed, name="verdict-feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("methodology/", methodology, name="methodology"),
    path("api/v1/", include("api.urls")),
    # Archived copies of cited sources (evidence/views.py), for signed-in users.
    path("archive/", include("evidence.urls", namespace="evidence")),
]
