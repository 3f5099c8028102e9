"""Writes on claims, claimants, appearances and responses that are not workflow moves.

One function per write, doing the whole job in one transaction: the row, then what derives
from it (a claim's claimants and search text). The admin and the API both call these, so
neither can skip a rule the other applies.
"""
from django.db import transaction
from django.db.models import Q

from .models import Claim, Claimant, Response

# PostgreSQL refuses a tsvector whose distinct words add up to more than 1 MiB ("string is
# too long for tsvector"), and the GIN index on to_tsvector('simple', search_text)
# (migration 0003) builds one on every save: past that, the claim cannot be saved at all.
# The words can add up to more bytes than the text they come from: a URL is indexed whole,
# as its host and as its path; a hyphenated word whole and in parts; a few letters grow
# when lower-cased. Measured on PostgreSQL 15, the worst text we could build (URLs with
# hyphenated paths) gives 1.9 bytes of distinct words per byte of text, so a quarter of the
# limit leaves a margin of two (tests/api/test_search_text.py builds that text).
# A quarter MiB is still hundreds of times what the desk ever writes about one claim.
SEARCH_TEXT_MAX_BYTES = 256 * 1024


def bounded(text, max_bytes=SEARCH_TEXT_MAX_BYTES):
    """`text` cut to at most `max_bytes` bytes of UTF-8, at a character boundary."""
    encoded = text.encode()
    if len(encoded) <= max_bytes:
        return text
    # A cut through a multi-byte character leaves its first bytes: drop them.
    return encoded[:max_bytes].decode(errors="ignore")


def refresh_search_text(claim):
    """Rebuild the words full-text search looks at: the claim, its quotes, its claimants
    (names, then aliases), at most SEARCH_TEXT_MAX_BYTES of them; returns the text.

    Aliases come last: a claimant with thousands of aliases is what would fill the budget,
    and it is then their aliases that are cut, not the claim's own words.
    """
    appearances = list(claim.appearances.select_related("claimant"))
    claimants = list(claim.claimants.all())
    parts = [claim.text]
    parts += [a.quote for a in appearances if a.quote]
    parts += [c.name for c in claimants]
    parts += [a.claimant.name for a in appearances]
    parts += [alias for c in claimants for alias in c.aliases if isinstance(alias, str)]
    text = bounded("\n".join(dict.fromkeys(p.strip() for p in parts if p and p.strip())))
    if text != claim.search_text:
        Claim.objects.filter(pk=claim.pk).update(search_text=text)
        claim.search_text = text
    return text


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


def _apply(instance, changes, by):
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.updated_by = by
    instance.save()
    return instance


# ---------------------------------------------------------------- claims


@transaction.atomic
def create_claim(*, by=None, tags=(), claimants=(), **fields):
    """A new claim with its tags and claimants, its search text built."""
    claim = Claim.objects.create(created_by=by, updated_by=by, **fields)
    claim.tags.set(tags)
    claim.claimants.set(claimants)
    refresh_claimants(claim)
    return claim


@transaction.atomic
def update_claim(claim, *, by=None, tags=None, claimants=None, **changes):
    """Edit `claim`'s own fields (and tags or claimants when given). Everyone with an
    appearance of the claim stays one of its claimants, as in the admin; the search text
    follows."""
    _apply(claim, changes, by)
    if tags is not None:
        claim.tags.set(tags)
    if claimants is not None:
        claim.claimants.set(claimants)
    refresh_claimants(claim)
    return claim


# ---------------------------------------------------------------- claimants


@transaction.atomic
def create_claimant(*, by=None, **fields):
    return Claimant.objects.create(created_by=by, updated_by=by, **fields)


@transaction.atomic
def update_claimant(claimant, *, by=None, **changes):
    """Edit `claimant`; when their name or aliases change, the search text of every claim
    they made or are credited with follows."""
    before = (claimant.name, list(claimant.aliases))
    _apply(claimant, changes, by)
    if (claimant.name, list(claimant.aliases)) != before:
        refresh_search_text_of_claimant(claimant)
    return claimant


# ---------------------------------------------------------------- appearances and responses


@transaction.atomic
def add_appearance(*, claim, claimant, by=None, **fields):
    """Record where and when `claimant` made the claim; the claimant joins its claimants."""
    appearance = claim.appearances.create(
        claimant=claimant, created_by=by, updated_by=by, **fields
    )
    claim.claimants.add(claimant)
    refresh_search_text(claim)
    return appearance


@transaction.atomic
def update_appearance(appearance, *, by=None, **changes):
    """Edit an appearance (it stays with its claim). A new claimant joins the claim's
    claimants, as in the admin; the quote and names in the search text follow."""
    changes.pop("claim", None)
    _apply(appearance, changes, by)
    refresh_claimants(appearance.claim)
    return appearance


@transaction.atomic
def delete_appearance(appearance):
    """Remove an appearance; its quote leaves the claim's search text. The claimant stays
    credited with the claim (remove them from the claim to undo that)."""
    claim = appearance.claim
    appearance.delete()
    refresh_search_text(claim)


@transaction.atomic
def add_response(*, claim, claimant, by=None, **fields):
    """Record what `claimant` said about the claim (a denial, a confirmation...)."""
    return Response.objects.create(
        claim=claim, claimant=claimant, created_by=by, updated_by=by, **fields)


@transaction.atomic
def update_response(response, *, by=None, **changes):
    """Edit a response (it stays with its claim)."""
    changes.pop("claim", None)
    return _apply(response, changes, by)
