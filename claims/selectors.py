"""Reads that need care: above all, what anonymous readers may see."""
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import FloatField, Func, Prefetch, Q, Value

from .models import Appearance, Claim, Verdict

PUBLISHED_VERDICT = Q(is_current=True, published_at__isnull=False)


def published_claims():
    """Claims with a published current verdict: the only claims readers ever see.

    A claim reopened for research keeps its published verdict, so it stays listed.
    """
    return Claim.objects.filter(
        verdicts__is_current=True, verdicts__published_at__isnull=False
    ).distinct()


def published_verdicts():
    """Current, published verdicts, newest first, with what a listing shows."""
    return (
        Verdict.objects.filter(PUBLISHED_VERDICT)
        .select_related("claim", "rating", "author", "approver")
        .order_by("-published_at", "-pk")
    )


def published_verdict_for(claim):
    return claim.verdicts.filter(PUBLISHED_VERDICT).select_related("rating").first()


def appearances_for_review():
    return Appearance.objects.select_related("claimant", "source__latest_snapshot").order_by(
        "said_on", "pk"
    )


def claim_for_review(queryset=None):
    """Claims with everything a ClaimReview or a verdict page needs, in a fixed number of
    queries."""
    return (queryset if queryset is not None else Claim.objects.all()).prefetch_related(
        Prefetch("appearances", queryset=appearances_for_review()),
    )


class _SimpleTsVector(Func):
    """to_tsvector('simple', search_text), spelled exactly as the GIN index of migration
    0003 is, so PostgreSQL uses it (Django's SearchVector adds a COALESCE that it cannot)."""

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


def search_claims(queryset, text):
    """Claims of `queryset` matching the words of `text`, annotated with a `rank`.

    On PostgreSQL: full-text search (websearch syntax: "quoted phrases", -excluded,
    or) over search_text, ranked by ts_rank. Elsewhere: a case-insensitive substring
    match, every claim ranked 0.
    """
    text = text.replace("\x00", "").strip()
    if not text:
        return queryset
    if connection.vendor != "postgresql":
        return queryset.filter(search_text__icontains=text).annotate(
            rank=Value(0.0, output_field=FloatField())
        )
    query = SearchQuery(text, config="simple", search_type="websearch")
    vector = _SimpleTsVector("search_text")
    return queryset.alias(search_vector=vector).filter(search_vector=query).annotate(
        rank=SearchRank(vector, query)
    )
