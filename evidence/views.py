"""Archived copies of sources, for signed-in users: the extracted text and the WARC."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render

from .archiving import open_snapshot_warc, read_snapshot_text
from .models import Snapshot


@login_required
def snapshot_text(request, pk):
    """The text extracted from one capture, escaped, with where and when it was taken."""
    snapshot = get_object_or_404(Snapshot.objects.select_related("source"), pk=pk)
    return render(request, "evidence/snapshot_text.html", {
        "snapshot": snapshot, "source": snapshot.source, "text": read_snapshot_text(snapshot),
    })


@login_required
def snapshot_warc(request, pk):
    """The capture's WARC file, as a download."""
    snapshot = get_object_or_404(Snapshot, pk=pk)
    return FileResponse(
        open_snapshot_warc(snapshot), as_attachment=True,
        filename=f"snapshot-{snapshot.pk}-{snapshot.fetched_at:%Y%m%dT%H%M%SZ}.warc.gz",
        content_type="application/warc",
    )
