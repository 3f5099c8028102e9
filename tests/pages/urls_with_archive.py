"""The project's URLs plus a stand-in for the archive views (URL name
evidence:snapshot-text), to prove verdict pages link to archived copies when they exist."""
from django.http import HttpResponse
from django.urls import include, path

from factcheck.urls import urlpatterns as project_urlpatterns

archive_patterns = (
    [path("snapshots/<int:pk>/text/", lambda request, pk: HttpResponse(),
          name="snapshot-text")],
    "evidence",
)

urlpatterns = [*project_urlpatterns, path("archive/", include(archive_patterns))]
