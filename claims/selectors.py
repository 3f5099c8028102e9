"""Reads that need care: above all, what anonymous readers may see."""
import re

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Prefetch, Q

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


# Trigram similarity (0..1) from which two wordings are worth a second look. Lower than
# pg_trgm's default of 0.3: rephrased claims ("Kyiv backs terrorists in Africa") share
# fewer trigrams than typos do.
SIMILARITY_THRESHOLD = 0.2


def similar_claims(*, claim, limit=5):
    """Other claims worded like `claim`, most similar first, each with a `similarity`.

    On PostgreSQL this is trigram similarity on the claim text, served by the GIN index
    `claim_text_trgm`; elsewhere (SQLite) it is the share of words in common. Claims
    already marked as duplicates are left out: the desk should find their originals.
    """
    others = Claim.objects.exclude(pk=claim.pk).exclude(state=Claim.State.DUPLICATE)
    if connection.vendor == "postgresql":
        # `%` is what the index serves, at the threshold set here, local to the transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                           [str(SIMILARITY_THRESHOLD)])
            return list(
                others.filter(text__trigram_similar=claim.text)
                .annotate(similarity=TrigramSimilarity("text", claim.text))
                .order_by("-similarity", "-pk")[:limit]
            )
    return _similar_by_words(claim, others, limit)


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
