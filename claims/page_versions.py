"""Page-version stamps for the public pages' conditional GETs (ETag and Last-Modified):
one cheap query says whether a verdict page, the listing or the feed would change.

Not to be confused with factcheck.edit_versions, which guards the desk's edits against
stale forms. Which verdicts count is the rule of claims.models.published_q.
"""
import functools

from django.db import connection
from django.db.models import Count, F, Func, Max, OuterRef, Q, Subquery
from django.utils.dateparse import parse_datetime

from evidence.models import Evidence, Source

from .models import (
    Appearance,
    Claim,
    Claimant,
    ClaimRelation,
    Correction,
    Rating,
    Response,
    Verdict,
)

VERSION_TIMES = (
    "updated_at", "last_published_at", "claim_updated", "corrections_newest",
    "appearances_newest", "responses_newest", "evidence_newest", "sources_newest",
    "claimants_newest", "related_newest", "related_claim_newest",
)
_SLUG_PLACEHOLDER = "\x00slug\x00"


def verdict_page_version(slug):
    """What the public page of claim `slug` depends on, in one query: a dict of stamps
    (times, counts, rating) that changes whenever the page would, with `last_modified`,
    the newest of the times. None if nothing on `slug` is published.

    Counts catch deletions, which leave no newer timestamp behind. This runs on every
    request, revalidations included, so the SQL is compiled once per process (building it
    through the ORM costs several times what PostgreSQL takes to answer it).
    """
    sql, params = _version_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug if p == _SLUG_PLACEHOLDER else p for p in params])
        # Every selected column is aliased with its values() name.
        names = [column[0] for column in cursor.description]
        values = cursor.fetchone()
    if values is None:
        return None
    row = dict(zip(names, values, strict=True))
    for name in VERSION_TIMES:
        if isinstance(row[name], str):  # SQLite answers text
            row[name] = parse_datetime(row[name])
    row["last_modified"] = max(row[name] for name in VERSION_TIMES if row[name] is not None)
    return row


def published_listing_version():
    """What the listing and the feed depend on, in two queries: a dict of stamps that
    changes whenever they would, with `last_modified`, the newest time (None while nothing
    is published).

    It covers every published verdict and its claim, the claimants and tags they show,
    and the rating scale (names and colours). Renaming a tag, which keeps no timestamp,
    shows once anything else changes.
    """
    stamps = Verdict.objects.published().aggregate(
        verdicts=Count("pk", distinct=True),
        verdicts_newest=Max("updated_at"),
        claims_newest=Max("claim__updated_at"),
        claimants_newest=Max("claim__claimants__updated_at"),
        # Not distinct on purpose: over the claimants x tags join these sums change
        # whenever any published claim gains or loses a claimant or a tag.
        claimant_links=Count("claim__claimants"),
        tag_links=Count("claim__tags"),
    )
    stamps["ratings"] = list(Rating.objects.order_by("pk").values_list(
        "pk", "name", "slug", "colour", "value", "is_active"
    ))
    times = [stamps["verdicts_newest"], stamps["claims_newest"], stamps["claimants_newest"]]
    stamps["last_modified"] = max((t for t in times if t is not None), default=None)
    return stamps


def _newest(queryset, field):
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _count(queryset):
    # COUNT as a plain function, not an aggregate, so the subquery has no GROUP BY and
    # answers 0 (not NULL) when there are no rows.
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


@functools.cache
def _version_sql():
    return _version_queryset(_SLUG_PLACEHOLDER).query.sql_with_params()


def _version_queryset(slug):
    claim = OuterRef("claim")
    sources = Source.objects.filter(
        Q(evidence__claim=claim) | Q(appearances__claim=claim) | Q(responses__claim=claim)
    )
    claimants = Claimant.objects.filter(
        Q(claims=claim) | Q(appearances__claim=claim) | Q(responses__claim=claim)
    )
    related = Verdict.objects.published().filter(
        Q(claim__relations__to_claim=claim) | Q(claim__related_from__from_claim=claim)
    )
    relations = ClaimRelation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
    return (
        Verdict.objects.published().filter(claim__slug=slug)
        .annotate(
            claim_updated=F("claim__updated_at"),
            corrections_newest=_newest(Correction.objects.filter(verdict=OuterRef("pk")),
                                       "created_at"),
            corrections_count=_count(Correction.objects.filter(verdict=OuterRef("pk"))),
            appearances_newest=_newest(Appearance.objects.filter(claim=claim), "updated_at"),
            appearances_count=_count(Appearance.objects.filter(claim=claim)),
            responses_newest=_newest(Response.objects.filter(claim=claim), "updated_at"),
            responses_count=_count(Response.objects.filter(claim=claim)),
            evidence_newest=_newest(Evidence.objects.filter(claim=claim), "updated_at"),
            evidence_count=_count(Evidence.objects.filter(claim=claim)),
            sources_newest=_newest(sources, "updated_at"),
            claimants_newest=_newest(claimants, "updated_at"),
            claimants_count=_count(Claim.claimants.through.objects.filter(claim=claim)),
            tags=_count(Claim.tags.through.objects.filter(claim=claim)),
            relations_count=_count(relations),
            related_newest=_newest(related, "updated_at"),
            related_claim_newest=_newest(related, "claim__updated_at"),
            related_count=_count(related),
            scale_worst=Subquery(Rating.objects.filter(is_active=True).order_by("value")
                                 .values("value")[:1]),
            scale_best=Subquery(Rating.objects.filter(is_active=True).order_by("-value")
                                .values("value")[:1]),
        )
        .values(
            "pk", "updated_at", "last_published_at", "claim_updated", "claim__state",
            "claim__evidence_status", "rating__name", "rating__colour", "rating__value",
            "corrections_newest", "corrections_count", "appearances_newest",
            "appearances_count", "responses_newest", "responses_count", "evidence_newest",
            "evidence_count", "sources_newest", "claimants_newest", "claimants_count", "tags",
            "relations_count", "related_newest", "related_claim_newest", "related_count",
            "scale_worst", "scale_best",
        )
        .order_by("pk")[:1]
    )
