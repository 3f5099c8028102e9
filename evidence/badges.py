"""How the admin shows evidence: a source's archive status, a claim's evidence status
(each a coloured badge) and links to snapshots."""
from django.urls import reverse
from django.utils.html import format_html

from claims.models import Claim
from factcheck.badges import badge

from .models import Source

SOURCE_COLOURS = {
    Source.Status.PENDING: "#2563eb",
    Source.Status.FETCHING: "#0891b2",
    Source.Status.ARCHIVED: "#15803d",
    Source.Status.FAILED: "#b45309",
    Source.Status.DEAD: "#111827",
}

EVIDENCE_COLOURS = {
    Claim.EvidenceStatus.NONE_OFFERED: "#6b7280",
    Claim.EvidenceStatus.PENDING_ARCHIVE: "#2563eb",
    Claim.EvidenceStatus.SUPPORTED: "#15803d",
    Claim.EvidenceStatus.REFUTED: "#b91c1c",
    Claim.EvidenceStatus.MIXED: "#b45309",
    Claim.EvidenceStatus.INCONCLUSIVE: "#7c3aed",
    Claim.EvidenceStatus.SOURCE_CHANGED: "#c2410c",
    Claim.EvidenceStatus.SOURCE_DEAD: "#111827",
}


def source_badge(source):
    """The source's archive status."""
    return badge(source.get_status_display(), SOURCE_COLOURS[source.status])


def evidence_status_badge(claim):
    """The claim's evidence status (compute_evidence_status in evidence.services)."""
    return badge(claim.get_evidence_status_display(), EVIDENCE_COLOURS[claim.evidence_status])


def snapshot_link(snapshot):
    """A link to a snapshot's admin page, named by when it was fetched and its HTTP status."""
    if snapshot is None:
        return "—"
    return format_html(
        '<a href="{}">{} (HTTP {})</a>',
        reverse("admin:evidence_snapshot_change", args=[snapshot.pk]),
        f"{snapshot.fetched_at:%Y-%m-%d %H:%M}", snapshot.http_status,
    )
