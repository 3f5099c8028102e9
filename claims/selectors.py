"""Reads that need care: above all, what anonymous readers may see."""
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
