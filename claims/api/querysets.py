"""The querysets the API serializers expect, each loading its page in a fixed number of
queries (select_related for single objects, Prefetch for lists): `desk_*` for the desk's
serializers (every row), `reader_*` for readers' (Public*) serializers, which read
publications only, as the rule of claims.models (current_publication_q, behind
Claim.objects.published() and its siblings) lets them."""
import copy

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimRelation,
    Correction,
    Publication,
    Response,
    Review,
    Verdict,
)
from claims.selectors import archive_and_links, with_archive_and_links
from evidence.models import Evidence

_SOURCE = ("source__latest_snapshot",)


def _publication_count():
    """How many publications the verdict's claim has had (0 before the first)."""
    count = (Publication.objects.filter(claim=OuterRef("claim_id")).order_by()
             .values("claim").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def _verdicts(queryset, *, detail):
    queryset = queryset.select_related("rating")
    if detail:
        queryset = queryset.select_related("author", "approver").annotate(
            publication_count=_publication_count(),
        ).prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
            Prefetch("corrections", queryset=Correction.objects.select_related(
                "previous_rating", "new_rating")),
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
            "contributors",
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


# What a publication's readers' view reads of it (its content holds the rest).
_PUBLICATION_FIELDS = ("id", "claim_id", "verdict_id", "number", "kind", "published_at",
                       "first_published_at", "rating_id", "content", "content_sha256")


def reader_claims():
    """The claims readers see, each with the publication the Public*Claim serializers
    read (its content holds everything they show)."""
    return Claim.objects.published().select_related("current_publication").only(
        "id", *(f"current_publication__{name}" for name in _PUBLICATION_FIELDS))


def reader_verdicts():
    """The verdicts readers see: one per published claim, its latest publication (what
    PublicVerdictSerializer reads), newest first by first publication."""
    return Publication.objects.current().only(*_PUBLICATION_FIELDS).order_by(
        "-first_published_at", "-pk")


def reader_corrections():
    """The corrections readers see (Correction.objects.published()), oldest first, each
    annotated with the ratings readers were shown before (`shown_previous_rating`) and
    after it (`shown_new_rating`), as their publications' contents hold them."""
    before = Publication.objects.filter(
        claim=OuterRef("publication__claim"), number=OuterRef("publication__number") - 1,
    ).values("content__rating")[:1]
    return Correction.objects.published().select_related("previous_rating").annotate(
        shown_new_rating=F("publication__content__rating"),
        shown_previous_rating=Subquery(before),
    ).order_by("created_at", "pk")


def with_public_corrections(publications):
    """`publications` (a list), each given `public_corrections`: those of its claim
    readers see (reader_corrections()), in one query. Returns the list."""
    publications = list(publications)
    by_claim = {}
    if publications:
        corrections = reader_corrections().filter(
            publication__claim__in=[p.claim_id for p in publications])
        for correction in corrections.annotate(claim_id=F("publication__claim_id")):
            by_claim.setdefault(correction.claim_id, []).append(correction)
    for publication in publications:
        publication.public_corrections = by_claim.get(publication.claim_id, [])
    return publications


def as_shown(publications):
    """`publications` (a list), each with its `content` replaced by a copy completed as its
    page completes it (claims.selectors.with_archive_and_links): the archive's captures of
    sources not archived when it was published, and its related claims as readers see them
    now (only those published, by their current published wording). Two queries at most
    for the whole list. The copies are never saved (a publication is never changed).
    Returns the list."""
    publications = list(publications)
    captures, related = archive_and_links({
        "awaiting_capture": sorted({source for publication in publications
                                    for source in publication.content.get("awaiting_capture",
                                                                          ())}),
        "related": [relation for publication in publications
                    for relation in publication.content.get("related", ())],
    })
    # As the content spells every other date: ISO 8601 text.
    captures = {source: {"pk": capture["pk"], "fetched_at": capture["fetched_at"].isoformat()}
                for source, capture in captures.items()}
    for publication in publications:
        shown = with_archive_and_links(copy.deepcopy(publication.content), captures, related)
        # Bookkeeping of the completion above, not something readers are shown.
        shown.pop("awaiting_capture", None)
        publication.content = shown
    return publications


def reader_publications():
    """Every publication of the claims readers see (all of each claim's versions, not only
    the latest), newest first."""
    return desk_publications().filter(claim__in=Claim.objects.published())


def desk_publications():
    """Every publication, newest first."""
    return Publication.objects.order_by("-published_at", "-pk")


def desk_verdicts():
    """Every verdict, with what VerdictSerializer shows."""
    return _verdicts(Verdict.objects.select_related("claim"), detail=True).order_by(
        "-updated_at", "-pk")
