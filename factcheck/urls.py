from django.contrib import admin
from django.urls import include, path

from .health import healthz

admin.site.site_header = "Factcheck workbench"
admin.site.site_title = "Factcheck workbench"
admin.site.index_title = "Desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("claims.api.urls")),
]
