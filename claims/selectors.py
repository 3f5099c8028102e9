"""Reads that need care: above all, what anonymous readers may see."""
import functools
import logging
import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import OperationalError, connection, transaction
from django.db.models import Count, F, FloatField, Func, Max, OuterRef, Prefetch, Q, Subquery, Value
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
    Tag,
    Verdict,
)

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


def recorded_by_publication(queryset):
    """Appearances, responses or evidence (`queryset`) as readers may see them.

    On a claim reopened for research, only what was recorded by its last publication:
    what the desk adds while the claim is back in research is work in progress until the
    verdict is published again.
    """
    return queryset.filter(
        Q(claim__state=Claim.State.PUBLISHED)
        | Q(claim__verdicts__is_current=True,
            claim__verdicts__last_published_at__gte=F("created_at"))
    )


def appearances_for_review():
    """Appearances as ClaimReview shows them: those readers may see, oldest first."""
    return recorded_by_publication(
        Appearance.objects.select_related("claimant", "source__latest_snapshot")
    ).order_by("said_on", "pk")


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
    published = Q(published_as__is_current=True, published_as__published_at__isnull=False)
    in_published = {
        "claims__verdicts__is_current": True, "claims__verdicts__published_at__isnull": False,
    }
    return {
        "ratings": Rating.objects.filter(is_active=True).annotate(
            count=Count("published_as", filter=published)
        ),
        "claimants": Claimant.objects.filter(**in_published)
        .annotate(count=Count("claims", distinct=True)).order_by("name"),
        "tags": Tag.objects.filter(**in_published)
        .annotate(count=Count("claims", distinct=True)).order_by("name"),
    }


def public_verdict_page(slug):
    """The published verdict on the claim `slug` with all its public page shows, in a fixed
    number of queries whatever the number of appearances, responses or evidence.

    A claim reopened for research keeps serving what was last published: the verdict as it
    stood then (from its history) and only the corrections made by then, so work in
    progress never shows. Raises Verdict.DoesNotExist if nothing on `slug` is published.
    """
    verdict = (
        published_verdicts()
        .filter(claim__slug=slug)
        .prefetch_related(
            Prefetch(
                "claim__appearances",
                queryset=recorded_by_publication(Appearance.objects.select_related(
                    "claimant__organisation", "source__latest_snapshot"
                )).order_by("said_on", "pk"),
            ),
            Prefetch(
                "claim__responses",
                queryset=recorded_by_publication(Response.objects.select_related(
                    "claimant__organisation", "source__latest_snapshot"
                )).order_by("said_on", "pk"),
            ),
            Prefetch(
                "claim__evidence",
                queryset=recorded_by_publication(Evidence.objects.select_related(
                    "source__latest_snapshot", "snapshot"
                )).order_by("stance", "pk"),
            ),
            "claim__claimants",
            "claim__tags",
            Prefetch("corrections", queryset=Correction.objects.select_related("previous_rating")),
        )
        .get()
    )
    corrections = list(verdict.corrections.all())
    if verdict.claim.state != Claim.State.PUBLISHED:
        corrections = [c for c in corrections if c.created_at <= verdict.last_published_at]
    [verdict] = as_last_published([verdict])
    verdict.public_corrections = corrections
    return verdict


def as_last_published(verdicts):
    """`verdicts` (published, with `claim` loaded) as readers may see them, in one query.

    A verdict whose claim was reopened is replaced by the version that was last published
    (its rating, headline, summary, analysis, author and approver then), so the desk's
    work in progress never shows. Other verdicts are returned as they are, in order.
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
            # Only the corrections readers have seen, that is, made by the last publication.
            version._prefetched_objects_cache = {"corrections": [
                c for c in prefetched["corrections"]
                if c.created_at <= verdict.last_published_at
            ]}
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
    published = published_claims().values("pk")
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


def _newest(queryset, field):
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _count(queryset):
    # COUNT as a plain function, not an aggregate, so the subquery has no GROUP BY and
    # answers 0 (not NULL) when there are no rows.
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


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
    related = Verdict.objects.filter(PUBLISHED_VERDICT).filter(
        Q(claim__relations__to_claim=claim) | Q(claim__related_from__from_claim=claim)
    )
    relations = ClaimRelation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim))
    return (
        Verdict.objects.filter(PUBLISHED_VERDICT, claim__slug=slug)
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


def published_listing_version():
    """What the listing and the feed depend on, in two queries: a dict of stamps that
    changes whenever they would, with `last_modified`, the newest time (None while nothing
    is published).

    It covers every published verdict and its claim, the claimants and tags they show,
    and the rating scale (names and colours). Renaming a tag, which keeps no timestamp,
    shows once anything else changes.
    """
    stamps = Verdict.objects.filter(PUBLISHED_VERDICT).aggregate(
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
# Trigram similarity (0..1) from which two wordings are worth a second look. 0.4 keeps
# rephrasings ("supports terrorism in/across Africa" scores about 0.7) and drops claims that
# merely share a few names; it also keeps the index scan short (bench/admin_changelist.py:
# 0.3 costs twice as much on 200,000 claims).
SIMILARITY_THRESHOLD = 0.4
# The look-alike panel must never hold up the claim page: past this, it gives up.
SIMILARITY_TIMEOUT_MS = 500

logger = logging.getLogger(__name__)


class SimilarityTimeout(Exception):
    """Ranking look-alikes took too long (a corpus where every claim shares most words)."""


def similar_claims(*, claim, limit=5):
    """Other claims worded like `claim`, most similar first, each with a `similarity`.

    On PostgreSQL this is trigram similarity on the claim text, served by the GIN index
    `claim_text_trgm`; elsewhere (SQLite) it is the share of words in common. Claims
    already marked as duplicates are left out: the desk should find their originals.
    Raises SimilarityTimeout when PostgreSQL needs more than SIMILARITY_TIMEOUT_MS.
    """
    others = Claim.objects.exclude(pk=claim.pk).exclude(state=Claim.State.DUPLICATE)
    if connection.vendor != "postgresql":
        return _similar_by_words(claim, others, limit)
    query = (
        others.filter(text__trigram_similar=claim.text)
        .annotate(similarity=TrigramSimilarity("text", claim.text))
        .order_by("-similarity", "-pk")[:limit]
    )
    try:
        # `%` is what the index serves, at the threshold set here. Both settings are
        # local to this savepoint: rolled back with it, or reset below.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            previous_timeout = cursor.fetchone()[0]
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true), "
                "set_config('statement_timeout', %s, true)",
                [str(SIMILARITY_THRESHOLD), f"{SIMILARITY_TIMEOUT_MS}ms"],
            )
            found = list(query)
            cursor.execute("SELECT set_config('statement_timeout', %s, true)",
                           [previous_timeout])
            return found
    except OperationalError as error:
        if getattr(error, "sqlstate", None) != "57014" and "statement timeout" not in str(
            error
        ):
            raise
        logger.warning("Look-alikes of claim %s took over %s ms", claim.pk,
                       SIMILARITY_TIMEOUT_MS)
        raise SimilarityTimeout(
            "Too many claims share this wording to rank them quickly; search the queue "
            "for its key words instead."
        ) from None


def _words(text):
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}


def _similar_by_words(claim, others, limit):
    words = _words(claim.text)
    if not words:
        return []
    # Narrow down with the longest words (the rarest, usually), then rank in Python.
    rare = sorted(words, key=len, reverse=True)[:5]
    query = Q()
    for word in rare:
        query |= Q(text__icontains=word)
    ranked = []
    for other in others.filter(query).only("pk", "text", "slug", "state")[:500]:
        theirs = _words(other.text)
        other.similarity = len(words & theirs) / len(words | theirs) if theirs else 0.0
        if other.similarity >= SIMILARITY_THRESHOLD:
            ranked.append(other)
    ranked.sort(key=lambda c: (-c.similarity, -c.pk))
    return ranked[:limit]
