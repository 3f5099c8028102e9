from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("snapshots/<int:pk>/text/", views.snapshot_text, name="snapshot-text"),
    path("snapshots/<int:pk>/warc/", views.snapshot_warc, name="snapshot-warc"),
]
