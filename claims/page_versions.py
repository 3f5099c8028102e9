"""Page-version stamps for the public pages' conditional GETs (ETag and Last-Modified):
one cheap query says whether a verdict page, the listing or the feed would change.

A page shows one publication, which never changes (claims.publishing): its stamp is the
publication's id and the digests stored with it, so revalidating a page reads one row by
the claim's slug and renders nothing. Not to be confused with factcheck.edit_versions,
which guards the desk's edits against stale forms. Which publications count is the rule
of claims.models.current_publication_q.
"""
from django.db.models import Count, Max

from . import selectors
from .models import Publication, Rating


def verdict_page_version(slug):
    """What the public pages of claim `slug` depend on: a dict of stamps (the current
    publication's id, number and digests, and what the page completes it with:
    selectors.archive_and_links) with `last_modified`, when it was published. None if
    nothing on `slug` is published. One query (the publication, with its evidence pack),
    three when the publication cites sources not archived when it was published, or
    related claims."""
    row = (
        Publication.objects.current().filter(claim__slug=slug)
        .values("pk", "number", "content_sha256", "claim_review_sha256", "published_at",
                "content__awaiting_capture", "content__related", "evidence_pack__sha256",
                "evidence_pack__size")
        .first()
    )
    if row is None:
        return None
    captures, related = selectors.archive_and_links({
        "awaiting_capture": row.pop("content__awaiting_capture"),
        "related": row.pop("content__related"),
    })
    row["captures"] = sorted((source, c["pk"], c["fetched_at"]) for source, c in captures.items())
    row["related"] = sorted(related.items())
    # The evidence pack is built after publishing (and rebuilt when a capture lands).
    pack = (row.pop("evidence_pack__sha256"), row.pop("evidence_pack__size"))
    row["pack"] = pack if pack[0] else None
    row["last_modified"] = row.pop("published_at")
    return row


def published_listing_version():
    """What the listing and the feed depend on, in two queries: a dict of stamps that
    changes whenever they would, with `last_modified`, the newest publication's time (None
    while nothing is published).

    Publications never change, so the newest one and how many there are cover every card;
    the rating scale (names and colours) and the claimants' last change cover the filters.
    Renaming a tag, which the filters show by its current name and which keeps no
    timestamp, shows once anything else changes.
    """
    stamps = Publication.objects.current().aggregate(
        publications=Count("pk", distinct=True), newest=Max("pk"),
        last_modified=Max("published_at"),
        # The filters name claimants by their current names.
        claimants_newest=Max("claimants__updated_at"),
    )
    stamps["ratings"] = list(Rating.objects.order_by("pk").values_list(
        "pk", "name", "slug", "colour", "value", "is_active"
    ))
    return stamps
