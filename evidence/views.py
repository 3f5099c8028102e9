"""Archived copies of sources, for users whose role may read them: the extracted text and
the WARC."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render

from .archiving import open_snapshot_warc, read_snapshot_text
from .models import Snapshot

VIEW_SNAPSHOT = "evidence.view_snapshot"


def can_read_archives(user):
    """The one rule for who may open archived copies, here and in the API: the Django
    permission to view snapshots, which every desk role holds (claims/roles.py). Being
    signed in, or staff, is not enough: an account without a role reads nothing."""
    return user.is_authenticated and user.has_perm(VIEW_SNAPSHOT)


def archive_readers_only(view):
    """Anonymous visitors are sent to sign in; signed-in users without the permission get
    a 403 (signing in again would not help them)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_archives(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


@archive_readers_only
def snapshot_text(request, pk):
    """The text extracted from one capture, escaped, with where and when it was taken."""
    snapshot = get_object_or_404(Snapshot.objects.select_related("source"), pk=pk)
    return render(request, "evidence/snapshot_text.html", {
        "snapshot": snapshot, "source": snapshot.source, "text": read_snapshot_text(snapshot),
    })


@archive_readers_only
def snapshot_warc(request, pk):
    """The capture's WARC file, as a download."""
    snapshot = get_object_or_404(Snapshot, pk=pk)
    return FileResponse(
        open_snapshot_warc(snapshot), as_attachment=True,
        filename=f"snapshot-{snapshot.pk}-{snapshot.fetched_at:%Y%m%dT%H%M%SZ}.warc.gz",
        content_type="application/warc",
    )
