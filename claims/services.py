"""Writes on claims that are not workflow moves."""
from django.db import transaction
from django.db.models import Q

from .models import Claim


def refresh_search_text(claim):
    """Rebuild the words full-text search looks at: the claim, its quotes, its claimants."""
    appearances = list(claim.appearances.select_related("claimant"))
    claimants = list(claim.claimants.all())
    parts = [claim.text]
    parts += [a.quote for a in appearances if a.quote]
    parts += [c.name for c in claimants]
    parts += [alias for c in claimants for alias in c.aliases]
    parts += [a.claimant.name for a in appearances]
    text = "\n".join(dict.fromkeys(p.strip() for p in parts if p and p.strip()))
    if text != claim.search_text:
        Claim.objects.filter(pk=claim.pk).update(search_text=text)
        claim.search_text = text
    return text


@transaction.atomic
def add_appearance(*, claim, claimant, by=None, **fields):
    """Record where and when `claimant` made the claim; the claimant joins its claimants."""
    appearance = claim.appearances.create(
        claimant=claimant, created_by=by, updated_by=by, **fields
    )
    claim.claimants.add(claimant)
    refresh_search_text(claim)
    return appearance


def refresh_claimants(claim):
    """Make everyone who made the claim (has an appearance of it) one of its claimants,
    then rebuild its search text; returns the search text.

    Claimants without an appearance stay: a claim may be attributed before anyone has
    found where it was said.
    """
    claimant_ids = set(claim.appearances.values_list("claimant_id", flat=True))
    if claimant_ids:
        claim.claimants.add(*claimant_ids)
    return refresh_search_text(claim)


def refresh_search_text_of_claimant(claimant):
    """Rebuild the search text of every claim `claimant` made or is credited with, after
    their name or aliases changed; returns how many claims were looked at."""
    claims = Claim.objects.filter(
        Q(claimants=claimant) | Q(appearances__claimant=claimant)
    ).distinct()
    count = 0
    for claim in claims.prefetch_related("claimants"):
        refresh_search_text(claim)
        count += 1
    return count
