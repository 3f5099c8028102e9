"""Small builders for claims in a given workflow state, shared by the claims tests."""
import itertools

from django.utils import timezone

from claims.models import Claim, Claimant, Rating, Verdict
from claims.services import refresh_search_text

_numbers = itertools.count(1)


def rating(slug="false"):
    value = {"false": -2, "misleading": -1, "true": 2}.get(slug, 0)
    return Rating.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "value": value}
    )[0]


def claimant(name="Government of Mali", **extra):
    slug = name.lower().replace(" ", "-")
    return Claimant.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": Claimant.Kind.GOVERNMENT, **extra}
    )[0]


def claim(text=None, state=Claim.State.NEW, **extra):
    """A claim as intake makes it: saved, with its search text built."""
    n = next(_numbers)
    made = Claim.objects.create(
        text=text or f"Claim number {n} about the Sahel", slug=f"claim-{n}", state=state, **extra
    )
    refresh_search_text(made)
    return made


def claim_with_verdict(*, state, author, approver=None, complete=True, published=False):
    """A claim in `state` whose current verdict is in the matching status."""
    c = claim(state=state)
    status = {
        Claim.State.RESEARCHING: Verdict.Status.DRAFT,
        Claim.State.IN_REVIEW: Verdict.Status.IN_REVIEW,
        Claim.State.PUBLISHED: Verdict.Status.PUBLISHED,
    }.get(state, Verdict.Status.DRAFT)
    now = timezone.now()
    Verdict.objects.create(
        claim=c, author=author, status=status,
        rating=rating() if complete else None,
        summary="No evidence was offered." if complete else "",
        approver=approver if published else None,
        published_at=now if published else None,
        last_published_at=now if published else None,
    )
    return c
