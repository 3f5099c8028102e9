from django.urls import path

from . import pages

app_name = "checks"

urlpatterns = [
    path("", pages.verdict_list, name="list"),
    path("<slug:slug>/", pages.verdict_detail, name="detail"),
    path("<slug:slug>/versions/", pages.verdict_versions, name="versions"),
    path("<slug:slug>/versions/<int:number>/", pages.verdict_version, name="version"),
]
