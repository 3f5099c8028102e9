from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "evidence"

urlpatterns = [
    path("<int:pk>/", views.capture, name="capture"),
    path("<int:pk>/warc/", views.capture_warc, name="capture-warc"),
    # Where the desk's archived copies used to live (bookmarks, links in old notes).
    path("snapshots/<int:pk>/text/",
         RedirectView.as_view(pattern_name="evidence:capture", permanent=True),
         name="moved-capture"),
    path("snapshots/<int:pk>/warc/",
         RedirectView.as_view(pattern_name="evidence:capture-warc", permanent=True),
         name="moved-capture-warc"),
]
