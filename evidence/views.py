"""Archived copies of cited sources: one page per capture, and its WARC file.

Readers (anyone, signed in or not) open the captures a publication cites
(`Snapshot.objects.public()`, the one rule); the desk's roles open every capture. Any other
capture answers 404 exactly like one that does not exist, so its number tells nobody that
it exists.

What a capture holds is someone else's page, untrusted: it is never served as HTML from
this origin. The page shows the text we extracted, escaped; the WARC is a download
(attachment, nosniff, a sandboxing CSP). Replaying the page as it looked belongs on a
separate origin (docs/archiving.md).
"""
import logging

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from claims.models import Claim, PublicationSource

from .archive_files import STORAGE_ERRORS, download
from .archiving import read_snapshot_text
from .models import Snapshot

logger = logging.getLogger(__name__)

VIEW_SNAPSHOT = "evidence.view_snapshot"
# A download of archived bytes must never run as a page of ours, even if a browser is
# talked into rendering it.
DOWNLOAD_CSP = "sandbox; default-src 'none'"


def can_read_archives(user):
    """The one rule for who may open every capture, here and in the API: the Django
    permission to view snapshots, which every desk role holds (claims/roles.py). Being
    signed in, or staff, is not enough: an account without a role reads what readers read."""
    return user.is_authenticated and user.has_perm(VIEW_SNAPSHOT)


def readable_captures(user):
    """The captures `user` may open: every one for the desk, the public ones for others."""
    snapshots = Snapshot.objects.select_related("source")
    return snapshots if can_read_archives(user) else snapshots.public()


def _capture(request, pk):
    """(the capture `pk` if the user may open it, whether readers may open it too)."""
    desk = can_read_archives(request.user)
    try:
        snapshot = readable_captures(request.user).get(pk=pk)
    except Snapshot.DoesNotExist:
        raise Http404("No archived copy here.") from None
    # Anyone else only got here because it is public: asking again is for the desk alone.
    return snapshot, not desk or Snapshot.objects.public().filter(pk=snapshot.pk).exists()


def citing_checks(snapshot):
    """The fact checks that cite `snapshot`, newest version each: [{slug, number, text}].

    Every publication is public (a published claim stays published), so these are links
    a reader may follow."""
    rows = (
        PublicationSource.objects.filter(
            Q(snapshot=snapshot) | Q(source=snapshot.source_id, snapshot__isnull=True)
        )
        .order_by("publication__claim_id", "-publication__number")
        .values_list("publication__claim__slug", "publication__number",
                     "publication__content__claim__text")
    )
    checks = {}
    for slug, number, text in rows:
        checks.setdefault(slug, {"slug": slug, "number": number, "text": text})
    return list(checks.values())


@require_safe
def capture(request, pk):
    """What was captured, when and how (every redirect, status, sizes, digests), the
    text extracted from it, the fact checks citing it and the WARC to download."""
    snapshot, public = _capture(request, pk)
    try:
        text, missing = read_snapshot_text(snapshot), False
    except STORAGE_ERRORS:
        # The archive storage lost the file (or cannot be reached): say so, and still show
        # what the database recorded about the capture.
        logger.exception("The text of capture %s cannot be read.", snapshot.pk)
        text, missing = "", True
    response = render(request, "evidence/capture.html", {
        "snapshot": snapshot, "source": snapshot.source, "public": public,
        "text": text, "text_missing": missing, "checks": citing_checks(snapshot),
        "hops": [*snapshot.redirects, {"url": snapshot.final_url, "status": snapshot.http_status}],
        # Where the desk finds a capture readers cannot open yet.
        "desk_claims": [] if public else list(
            Claim.objects.filter(evidence__source=snapshot.source_id).order_by("pk")
            .only("pk", "text").distinct()[:10]
        ),
    })
    if not public:  # a desk-only page is never kept by a shared cache
        patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
def capture_warc(request, pk):
    """The capture's WARC file, as received, for download (never rendered here)."""
    snapshot, public = _capture(request, pk)
    response = download(
        snapshot.warc_path, size=snapshot.warc_size, content_type="application/warc",
        filename=f"capture-{snapshot.pk}-{snapshot.fetched_at:%Y%m%dT%H%M%SZ}.warc.gz",
    )
    response["ETag"] = quote_etag(snapshot.warc_sha256 or snapshot.payload_sha256)
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["X-Content-Type-Options"] = "nosniff"
    # The file never changes (it is named by its digest); who may read it can widen, never
    # narrow, so a public copy may be cached anywhere and a desk-only one only privately.
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-cache"
    return response
