"""Finding claims by their words: full-text search (the desk's queue and the desk's API
`?q=`) and look-alike search (the claim page's "similar claims" panel).

Readers never search here: what they search is what publications say
(Publication.search_text, through claims.selectors and the public API's filters).
"""
import logging
import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import OperationalError, connection, transaction
from django.db.models import FloatField, Func, Q, Value

from .models import Claim

# Trigram similarity (0..1) from which two wordings are worth a second look. 0.4 keeps
# rephrasings ("supports terrorism in/across Africa" scores about 0.7) and drops claims that
# merely share a few names; it also keeps the index scan short (bench/admin_changelist.py:
# 0.3 costs twice as much on 200,000 claims).
SIMILARITY_THRESHOLD = 0.4
# The look-alike panel must never hold up the claim page: past this, it gives up.
SIMILARITY_TIMEOUT_MS = 500

logger = logging.getLogger(__name__)


# --- Full-text search ----------------------------------------------------------------


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


# --- Look-alikes -----------------------------------------------------------------------


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
