"""Page-version stamps for the public pages' conditional GETs (ETag and Last-Modified):
one cheap query says whether a verdict page, the listing or the feed would change.

A page shows one publication, which never changes (claims.publishing): its stamp is the
publication's id and the digests stored with it, so revalidating a page reads one row by
the claim's slug and renders nothing. Not to be confused with factcheck.edit_versions,
which guards the desk's edits against stale forms. Which publications count is the rule
of claims.models.current_publication_q.
"""
from django.db.models import Count, Max

from .models import Publication, Rating


def verdict_page_version(slug):
    """What the public pages of claim `slug` depend on: a dict of stamps (the current
    publication's id, number and digests) with `last_modified`, when it was published.
    None if nothing on `slug` is published."""
    row = (
        Publication.objects.current().filter(claim__slug=slug)
        .values("pk", "number", "content_sha256", "claim_review_sha256", "published_at")
        .first()
    )
    if row is None:
        return None
    row["last_modified"] = row.pop("published_at")
    return row


def published_listing_version():
    """What the listing and the feed depend on, in two queries: a dict of stamps that
    changes whenever they would, with `last_modified`, the newest publication's time (None
    while nothing is published).

    Publications never change, so the newest one and how many there are cover every card;
    the rating scale (names and colours) covers the rating filter. Renaming a claimant or
    a tag, which the filters show by their current names and which keeps no timestamp,
    shows once anything else changes.
    """
    stamps = Publication.objects.current().aggregate(
        publications=Count("pk"), newest=Max("pk"), last_modified=Max("published_at"),
    )
    stamps["ratings"] = list(Rating.objects.order_by("pk").values_list(
        "pk", "name", "slug", "colour", "value", "is_active"
    ))
    return stamps
