"""Reads that need care: what readers see of published verdicts (the verdict page, the
listing's search and facets, related claims, verdicts as last published) and what
ClaimReview shows.

Which rows readers may see is not decided here: it is the rule of claims.models
(published_q and recorded_by_publication_q, with the answer to "what do anonymous readers
see?" above them), reached through Verdict.objects.published() and its siblings. Full-text
and look-alike search live in claims.search, the public pages' version stamps in
claims.page_versions.
"""
from django.db.models import Count, Prefetch, Q

from evidence.models import Evidence

from .models import (
    Appearance,
    Claim,
    Claimant,
    ClaimRelation,
    Correction,
    Rating,
    Response,
    Tag,
    Verdict,
    published_q,
    recorded_by_publication_q,
)


def published_verdicts():
    """The verdicts readers see, newest first, with what a listing shows."""
    return (
        Verdict.objects.published()
        .select_related("claim", "rating", "author", "approver")
        .order_by("-published_at", "-pk")
    )


def appearances_for_review():
    """Appearances as ClaimReview shows them: those readers may see, oldest first."""
    return (
        Appearance.objects.filter(recorded_by_publication_q())
        .select_related("claimant", "source__latest_snapshot")
        .order_by("said_on", "pk")
    )


def claim_for_review(queryset=None):
    """Claims with everything a ClaimReview or a verdict page needs, in a fixed number of
    queries."""
    return (queryset if queryset is not None else Claim.objects.all()).prefetch_related(
        Prefetch("appearances", queryset=appearances_for_review()),
    )


# --- The public pages: what readers see of a published verdict -------------------------


def search_published_verdicts(*, q="", rating="", claimant="", tag=""):
    """Published verdicts matching the reader's search and filters, newest first.

    `q` matches the claim's words (its text, quotes and claimants' names), the headline
    and the summary; `rating`, `claimant` and `tag` are slugs. Unknown slugs match nothing.
    """
    verdicts = published_verdicts().prefetch_related("claim__tags", "claim__claimants")
    if q:
        verdicts = verdicts.filter(
            Q(claim__search_text__icontains=q) | Q(claim__text__icontains=q)
            | Q(published_headline__icontains=q) | Q(published_summary__icontains=q)
        )
    if rating:
        verdicts = verdicts.filter(published_rating__slug=rating)
    if claimant:
        verdicts = verdicts.filter(claim__claimants__slug=claimant)
    if tag:
        verdicts = verdicts.filter(claim__tags__slug=tag)
    return verdicts


def published_facets():
    """The ratings, claimants and tags readers can filter by, each with how many published
    verdicts it has. Unpublished claims are never counted."""
    return {
        "ratings": Rating.objects.filter(is_active=True).annotate(
            count=Count("published_as", filter=published_q("published_as"))
        ),
        "claimants": Claimant.objects.in_published()
        .annotate(count=Count("claims", distinct=True)).order_by("name"),
        "tags": Tag.objects.in_published()
        .annotate(count=Count("claims", distinct=True)).order_by("name"),
    }


def published_verdict_page(slug):
    """The published verdict on the claim `slug` with all its public page shows, in a fixed
    number of queries whatever the number of appearances, responses or evidence.

    A claim reopened for research keeps serving what was last published: the verdict as it
    stood then (from its history) and only the corrections made by then, so work in
    progress never shows. Raises Verdict.DoesNotExist if nothing on `slug` is published.
    """
    recorded = recorded_by_publication_q()
    verdict = (
        published_verdicts()
        .filter(claim__slug=slug)
        .prefetch_related(
            Prefetch(
                "claim__appearances",
                queryset=Appearance.objects.filter(recorded).select_related(
                    "claimant__organisation", "source__latest_snapshot"
                ).order_by("said_on", "pk"),
            ),
            Prefetch(
                "claim__responses",
                queryset=Response.objects.filter(recorded).select_related(
                    "claimant__organisation", "source__latest_snapshot"
                ).order_by("said_on", "pk"),
            ),
            Prefetch(
                "claim__evidence",
                queryset=Evidence.objects.filter(recorded).select_related(
                    "source__latest_snapshot", "snapshot"
                ).order_by("stance", "pk"),
            ),
            "claim__claimants",
            "claim__tags",
            Prefetch("corrections", queryset=published_corrections()),
        )
        .get()
    )
    [verdict] = as_last_published([verdict])
    verdict.public_corrections = list(verdict.corrections.all())
    return verdict


def published_corrections():
    """The corrections readers see (Correction.objects.published()), oldest first, with
    the rating each replaced: what a verdict readers see lists."""
    return Correction.objects.published().select_related("previous_rating").order_by(
        "created_at", "pk")


def as_last_published(verdicts):
    """`verdicts` (published, with `claim` loaded) as readers may see them, in one query.

    A verdict whose claim was reopened is replaced by the version that was last published
    (its rating, headline, summary, analysis, author and approver then), so the desk's
    work in progress never shows; it keeps the corrections prefetched on the verdict
    (published_corrections() prefetches only those readers may see). Other verdicts are
    returned as they are, in order.
    """
    verdicts = list(verdicts)
    reopened = [v for v in verdicts if v.claim.state != Claim.State.PUBLISHED]
    if not reopened:
        return verdicts
    # The publishing save is the first history record carrying the verdict's current
    # last_published_at; every later record is work in progress.
    match = Q()
    for verdict in reopened:
        match |= Q(id=verdict.pk, last_published_at=verdict.last_published_at)
    published = {}
    for record in (
        Verdict.history.filter(match).select_related("rating", "author", "approver")
        .order_by("history_date")
    ):
        published.setdefault(record.id, record)
    shown = []
    for verdict in verdicts:
        record = published.get(verdict.pk) if verdict in reopened else None
        if record is None:
            shown.append(verdict)
            continue
        version = record.instance
        version.claim, version.rating = verdict.claim, record.rating
        version.author, version.approver = record.author, record.approver
        prefetched = getattr(verdict, "_prefetched_objects_cache", {})
        if "corrections" in prefetched:
            version._prefetched_objects_cache = {"corrections": prefetched["corrections"]}
        shown.append(version)
    return shown


def show_last_published(claims):
    """Give each claim's prefetched `published_verdicts` as readers may see them
    (as_last_published), in one query at most. Returns `claims`."""
    verdicts = []
    for claim in claims:
        for verdict in claim.published_verdicts:
            verdict.claim = claim
            verdicts.append(verdict)
    shown = iter(as_last_published(verdicts))
    for claim in claims:
        claim.published_verdicts = [next(shown) for _ in claim.published_verdicts]
    return claims


def published_related_claims(claim):
    """[(relation wording, other claim)] for the relations of `claim` with other published
    claims. Relations to unpublished claims are left out, so those are never named."""
    published = Claim.objects.published().values("pk")
    relations = ClaimRelation.objects.filter(
        Q(from_claim=claim, to_claim__in=published) | Q(to_claim=claim, from_claim__in=published)
    ).select_related("from_claim", "to_claim").order_by("kind", "pk")
    related = []
    for relation in relations:
        if relation.from_claim_id == claim.pk:
            related.append((f"This claim {relation.get_kind_display()}", relation.to_claim))
        else:
            related.append((INVERSE_RELATION[relation.kind], relation.from_claim))
    return related


INVERSE_RELATION = {
    ClaimRelation.Kind.DUPLICATE_OF: "Repeated as",
    ClaimRelation.Kind.RESTS_ON: "This claim is the basis of",
    ClaimRelation.Kind.CONTRADICTS: "This claim is contradicted by",
}
