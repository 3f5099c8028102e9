from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from claims.feeds import verdict_feed
from claims.pages import methodology
from claims.sitemaps import SITEMAPS
from evidence import pack_views

from .health import healthz

admin.site.site_header = "Factcheck workbench"
admin.site.site_title = "Factcheck workbench"
admin.site.index_title = "Desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Evidence packs (evidence/pack_views.py): each publication's signed WACZ, and the
    # public keys that verify them.
    path("checks/<slug:slug>/versions/<int:number>/evidence.wacz",
         pack_views.publication_pack, name="evidence-pack"),
    path(".well-known/evidence-pack-key.pem", pack_views.signing_key,
         name="evidence-pack-key"),
    path(".well-known/evidence-pack-keys.json", pack_views.signing_keys,
         name="evidence-pack-keys"),
    # Public pages (claims/pages.py).
    path("checks/", include("claims.urls", namespace="checks")),
    path("feeds/checks.atom", verdict_feed, name="verdict-feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("methodology/", methodology, name="methodology"),
    path("api/v1/", include("api.urls")),
    # Archived copies of cited sources (evidence/views.py): the cited ones for readers,
    # every one for the desk.
    path("archive/", include("evidence.urls", namespace="evidence")),
]
