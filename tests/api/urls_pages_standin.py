"""The project's URLs plus a stand-in for the readers' verdict page (`checks:detail`),
which ClaimReview links to, for branches where the pages app is not merged yet."""
from django.http import HttpResponse
from django.urls import include, path

from factcheck.urls import urlpatterns as project_urlpatterns

checks_patterns = ([path("<slug:slug>/", lambda request, slug: HttpResponse(slug),
                         name="detail")], "checks")

urlpatterns = [*project_urlpatterns, path("checks/", include(checks_patterns))]
