"""The querysets the API serializers expect, each loading its page in a fixed number of
queries (select_related for single objects, Prefetch for lists): `desk_*` for the desk's
serializers (every row), `reader_*` for readers' (Public*) serializers, which see only
what the rule of claims.models.published_q lets them."""
from django.db.models import Prefetch

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimRelation,
    Correction,
    Response,
    Review,
    Verdict,
    recorded_by_publication_q,
)
from claims.selectors import published_corrections
from evidence.models import Evidence

_SOURCE = ("source__latest_snapshot",)


def _verdicts(queryset, *, detail):
    queryset = queryset.select_related("rating")
    if detail:
        queryset = queryset.select_related("author", "approver").prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
            Prefetch("corrections", queryset=Correction.objects.select_related(
                "previous_rating")),
        )
    return queryset


def _claimants(detail):
    # Lists show a reference to each claimant: load only what it shows.
    queryset = Claimant.objects.all()
    return queryset if detail else queryset.only("id", "slug", "name", "kind", "same_as")


def desk_claims(*, detail=False):
    """All claims, with what ClaimListSerializer (or ClaimDetailSerializer) shows."""
    queryset = Claim.objects.defer("search_text").select_related("assignee").prefetch_related(
        "tags", Prefetch("claimants", queryset=_claimants(detail)),
        Prefetch(
            "verdicts", queryset=_verdicts(Verdict.objects.filter(is_current=True),
                                           detail=detail),
            to_attr="current_verdicts",
        ),
    )
    if detail:
        queryset = queryset.prefetch_related(
            Prefetch("appearances", queryset=Appearance.objects.select_related(
                "claimant", *_SOURCE)),
            Prefetch("responses", queryset=Response.objects.select_related(
                "claimant", *_SOURCE)),
            Prefetch("evidence", queryset=Evidence.objects.select_related(*_SOURCE, "snapshot")),
            Prefetch("relations", queryset=ClaimRelation.objects.select_related("to_claim")),
            Prefetch("related_from", queryset=ClaimRelation.objects.select_related(
                "from_claim")),
        )
    return queryset


def reader_claims(*, detail=False):
    """The claims readers see, with what the Public*Claim serializers show."""
    published = Verdict.objects.published().select_related("rating")
    if detail:
        published = published.prefetch_related(
            Prefetch("corrections", queryset=published_corrections()),
        )
    queryset = Claim.objects.published().defer("search_text").prefetch_related(
        "tags", Prefetch("claimants", queryset=_claimants(detail)),
        Prefetch("verdicts", queryset=published, to_attr="published_verdicts"),
    )
    if detail:
        queryset = queryset.prefetch_related(
            # What was recorded by the last publication (a reopened claim's new research
            # stays internal), and only links to claims readers can see.
            Prefetch("appearances", queryset=Appearance.objects.filter(
                recorded_by_publication_q()).select_related("claimant", "source")),
            Prefetch("responses", queryset=Response.objects.filter(
                recorded_by_publication_q()).select_related("claimant", "source")),
            Prefetch("evidence", queryset=Evidence.objects.filter(
                recorded_by_publication_q()).select_related("source")),
            Prefetch("relations", queryset=ClaimRelation.objects.filter(
                to_claim__in=Claim.objects.published().values("pk")).select_related(
                    "to_claim")),
        )
    return queryset


def desk_verdicts():
    """Every verdict, with what VerdictSerializer shows."""
    return _verdicts(Verdict.objects.select_related("claim"), detail=True).order_by(
        "-updated_at", "-pk")


def reader_verdicts():
    """The verdicts readers see, with what PublicVerdictSerializer shows."""
    return (
        Verdict.objects.published()
        .select_related("claim", "rating")
        .prefetch_related(Prefetch("corrections", queryset=published_corrections()))
        .order_by("-published_at", "-pk")
    )
