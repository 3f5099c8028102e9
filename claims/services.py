"""Writes on claims and what belongs to them, other than workflow moves and verdicts
(claims.workflow) and evidence (evidence.services): claims, claimants, appearances,
responses, relations between claims, tags and ratings.

One function per write, doing the whole job in one transaction: the row, then what derives
from it (a claim's claimants and its search text). The admin and the API both call these
and nothing else to write, so neither can skip a rule the other applies.

Lock order, the same in claims.workflow and evidence.services: a write first locks the
claim it changes or whose parts it changes (`lock_claim`; several claims in id order, as
`lock_claims` does), then the claim's verdict, then the rest (the appearance, response,
relation or evidence row; a claimant after the claims that name them). Two writes that
took the same two locks in opposite orders could each wait for the other, which PostgreSQL
ends by failing one of them (a deadlock); with one order, the second simply waits.

Claims and verdicts are locked FOR NO KEY UPDATE, the lock PostgreSQL's own UPDATE takes
(we never change a primary key): it keeps other writers of the row out without holding up
rows that merely refer to it, such as a relation from another claim being added at the
same time.
"""
from django.db import transaction
from django.db.models import Q

from factcheck.edit_versions import ensure_unchanged
from factcheck.rules import RuleBroken

from . import revisions
from .models import Appearance, Claim, Claimant, ClaimRelation, Rating, Response, Tag

# A claim's fields that its publications show: changing one starts a revision
# (claims.revisions). Its other fields (internal note, priority, assignee) are the desk's.
PUBLISHED_CLAIM_FIELDS = ("text", "language")

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


# ---------------------------------------------------------------- locks


def lock_claim(claim, read_version=None):
    """The claim (an instance or its id), read again and locked until the transaction
    ends: the first lock of every write on a claim or on anything that belongs to it.

    With `read_version` (factcheck.edit_versions.version_of of the claim as the editor
    read it), raises StaleEdit if the claim was saved since. Must run inside a transaction.
    """
    pk = getattr(claim, "pk", claim)
    locked = Claim.objects.select_for_update(no_key=True).get(pk=pk)
    return locked if read_version is None else ensure_unchanged(locked, read_version)


def lock_claim_of(row):
    """Lock the claim `row` (an appearance, response, verdict, evidence...) belongs to:
    what every write on the row locks first."""
    return lock_claim(row.claim_id)


def lock_claims(claim_ids):
    """The claims with these ids, locked in id order (so that two writes locking some of
    the same claims never wait for each other in a circle); returns them in that order."""
    return list(
        Claim.objects.select_for_update(no_key=True).filter(pk__in=set(claim_ids)).order_by("pk")
    )


def claims_naming(claimant):
    """The claims whose search text holds `claimant`'s name: those they are credited with
    or made (have an appearance of)."""
    return Claim.objects.filter(
        Q(claimants=claimant) | Q(appearances__claimant=claimant)
    ).distinct()


def lock_claims_naming(claimant):
    """Lock the claims naming `claimant` (claims_naming), in id order: a change to the
    claimant's name rewrites their search text, so they come first in the lock order."""
    return lock_claims(claims_naming(claimant).values_list("pk", flat=True))


# ---------------------------------------------------------------- what derives from a claim


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
    count = 0
    for claim in claims_naming(claimant).prefetch_related("claimants"):
        refresh_search_text(claim)
        count += 1
    return count


def _apply(instance, changes, by):
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.updated_by = by
    instance.save()
    return instance


def _cited(changes):
    """`changes` with a pasted `source_url` turned into its Source (created and queued for
    archiving if new): an appearance or a response may cite a page not archived yet."""
    url = changes.pop("source_url", "")
    if url:
        # Imported here: evidence.services takes its claim locks from this module.
        from evidence.services import source_for_url

        changes["source"] = source_for_url(url)
    return changes


# ---------------------------------------------------------------- claims


@transaction.atomic
def create_claim(*, by=None, tags=(), claimants=(), **fields):
    """A new claim with its tags and claimants, its search text built."""
    claim = Claim.objects.create(created_by=by, updated_by=by, **fields)
    claim.tags.set(tags)
    claim.claimants.set(claimants)
    refresh_claimants(claim)
    revisions.edited(claim, by)
    return claim


class AddressFixed(RuleBroken):
    """A published claim's address (its slug) is what readers, search engines and the
    ClaimReview of every publication point at: it never changes."""

    rule = "published_address"


@transaction.atomic
def update_claim(claim, *, by=None, tags=None, claimants=None, **changes):
    """Edit `claim`'s own fields (and tags or claimants when given); returns the claim as
    saved. Everyone with an appearance of the claim stays one of its claimants; the search
    text follows. Raises AddressFixed for a new slug on a claim readers have been shown."""
    claim = lock_claim(claim)
    if "slug" in changes and changes["slug"] != claim.slug and claim.current_publication_id:
        raise AddressFixed(
            "This claim has been published at its address: its slug cannot change, or "
            "every link to it, and its ClaimReview, would break."
        )
    before = _shown_of(claim)
    _apply(claim, changes, by)
    if tags is not None:
        claim.tags.set(tags)
    if claimants is not None:
        claim.claimants.set(claimants)
    refresh_claimants(claim)
    if _shown_of(claim) != before:
        revisions.edited(claim, by)
    return claim


def _shown_of(claim):
    """What publications show of the claim's own fields and links."""
    return (
        [getattr(claim, name) for name in PUBLISHED_CLAIM_FIELDS],
        set(claim.tags.values_list("pk", flat=True)),
        set(claim.claimants.values_list("pk", flat=True)),
    )


class PublishedForGood(RuleBroken):
    """What readers were shown stays on record: a published claim is never deleted."""

    rule = "published_for_good"


@transaction.atomic
def delete_claim(claim):
    """Delete `claim` with everything recorded about it (appearances, responses,
    evidence, relations, verdicts and their reviews and corrections). Raises
    PublishedForGood once it has been published: readers, search engines and partners
    hold its address and its versions, so it is corrected, never removed."""
    claim = lock_claim(claim)
    if claim.current_publication_id:
        raise PublishedForGood(
            "This claim has been published: it stays on record. Publish a correction "
            "instead of deleting it."
        )
    claim.delete()


# ---------------------------------------------------------------- claimants


@transaction.atomic
def create_claimant(*, by=None, **fields):
    """A new claimant (nobody's claim names them yet)."""
    return Claimant.objects.create(created_by=by, updated_by=by, **fields)


@transaction.atomic
def update_claimant(claimant, *, by=None, **changes):
    """Edit `claimant`; returns them as saved. When their name or aliases change, the
    search text of every claim they made or are credited with follows."""
    lock_claims_naming(claimant)
    # FOR UPDATE, not NO KEY: while it is held nobody can name the claimant on another
    # claim (that insert waits), so no claim escapes the refresh below with the old name.
    claimant = Claimant.objects.select_for_update().get(pk=claimant.pk)
    before = (claimant.name, list(claimant.aliases))
    _apply(claimant, changes, by)
    if (claimant.name, list(claimant.aliases)) != before:
        refresh_search_text_of_claimant(claimant)
    return claimant


@transaction.atomic
def delete_claimant(claimant):
    """Delete `claimant`; the claims that credited them no longer name them in their
    search text. Raises ProtectedError while an appearance or a response is theirs."""
    claims = lock_claims_naming(claimant)
    Claimant.objects.select_for_update().get(pk=claimant.pk).delete()
    for claim in claims:
        refresh_search_text(claim)


# ---------------------------------------------------------------- appearances


@transaction.atomic
def add_appearance(*, claim, claimant, by=None, **fields):
    """Record where and when `claimant` made the claim (`source_url` cites a page by its
    URL); the claimant joins the claim's claimants, and the search text follows."""
    claim = lock_claim(claim)
    appearance = Appearance.objects.create(
        claim=claim, claimant=claimant, created_by=by, updated_by=by, **_cited(fields)
    )
    refresh_claimants(claim)
    revisions.edited(claim, by)
    return appearance


@transaction.atomic
def update_appearance(appearance, *, by=None, **changes):
    """Edit an appearance (it stays with its claim; `source_url` cites a page by its URL);
    returns it as saved. A new claimant joins the claim's claimants; the quote and names in
    the search text follow."""
    changes.pop("claim", None)
    claim = lock_claim(appearance.claim_id)
    appearance = Appearance.objects.select_for_update(no_key=True).get(pk=appearance.pk)
    _apply(appearance, _cited(changes), by)
    refresh_claimants(claim)
    revisions.edited(claim, by)
    return appearance


@transaction.atomic
def delete_appearance(appearance, *, by=None):
    """Remove an appearance; its quote leaves the claim's search text. The claimant stays
    credited with the claim (remove them from the claim to undo that)."""
    claim = lock_claim(appearance.claim_id)
    appearance.delete()
    refresh_search_text(claim)
    revisions.edited(claim, by)


# ---------------------------------------------------------------- responses


@transaction.atomic
def add_response(*, claim, claimant, by=None, **fields):
    """Record what `claimant` said about the claim (a denial, a confirmation...);
    `source_url` cites a page by its URL."""
    claim = lock_claim(claim)
    response = Response.objects.create(
        claim=claim, claimant=claimant, created_by=by, updated_by=by, **_cited(fields))
    revisions.edited(claim, by)
    return response


@transaction.atomic
def update_response(response, *, by=None, **changes):
    """Edit a response (it stays with its claim; `source_url` cites a page by its URL);
    returns it as saved."""
    changes.pop("claim", None)
    claim = lock_claim(response.claim_id)
    response = Response.objects.select_for_update(no_key=True).get(pk=response.pk)
    _apply(response, _cited(changes), by)
    revisions.edited(claim, by)
    return response


@transaction.atomic
def delete_response(response, *, by=None):
    """Remove a response from its claim."""
    claim = lock_claim(response.claim_id)
    response.delete()
    revisions.edited(claim, by)


# ---------------------------------------------------------------- relations between claims


@transaction.atomic
def add_relation(*, from_claim, to_claim, kind, by=None, note=""):
    """Record that `from_claim` <kind> `to_claim` (rests on it, contradicts it...).

    Only `from_claim` is locked: the relation merely refers to `to_claim`, which someone
    may be editing at the same time. (A duplicate is marked by the workflow, which also
    moves the claim to "duplicate"; a relation of that kind added here only links them.)
    """
    from_claim = lock_claim(from_claim)
    relation = ClaimRelation.objects.create(
        from_claim=from_claim, to_claim=to_claim, kind=kind, note=note,
        created_by=by, updated_by=by,
    )
    revisions.edited(from_claim, by)
    return relation


@transaction.atomic
def update_relation(relation, *, by=None, **changes):
    """Edit a relation (it stays with the claim it starts from); returns it as saved."""
    changes.pop("from_claim", None)
    claim = lock_claim(relation.from_claim_id)
    relation = ClaimRelation.objects.select_for_update(no_key=True).get(pk=relation.pk)
    _apply(relation, changes, by)
    revisions.edited(claim, by)
    return relation


@transaction.atomic
def delete_relation(relation, *, by=None):
    """Remove a relation between two claims."""
    claim = lock_claim(relation.from_claim_id)
    relation.delete()
    revisions.edited(claim, by)


# ---------------------------------------------------------------- tags and ratings


def _update_locked(row, changes):
    """`row` read again under a lock, `changes` applied and saved; returns it as saved."""
    row = type(row).objects.select_for_update().get(pk=row.pk)
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    return row


@transaction.atomic
def create_tag(**fields):
    return Tag.objects.create(**fields)


@transaction.atomic
def update_tag(tag, **changes):
    """Rename a tag (claims keep it); returns it as saved."""
    return _update_locked(tag, changes)


@transaction.atomic
def delete_tag(tag):
    """Delete a tag; the claims that had it lose it."""
    tag.delete()


@transaction.atomic
def create_rating(**fields):
    """A new step of the rating scale."""
    return Rating.objects.create(**fields)


@transaction.atomic
def update_rating(rating, **changes):
    """Edit a step of the rating scale (retire it with is_active=False); returns it as
    saved. Publications keep showing the rating as it was when they were published.
    Raises AddressFixed for a new slug on a rating publications use: their pages link to
    its explanation by it, and readers' saved filters use it."""
    if "slug" in changes and changes["slug"] != rating.slug and rating.publications.exists():
        raise AddressFixed(
            "Publications use this rating: its slug (in the links of their pages to the "
            "methodology, and in readers' filters) cannot change. Its name can."
        )
    return _update_locked(rating, changes)


@transaction.atomic
def delete_rating(rating):
    """Delete a step of the rating scale. Raises ProtectedError while a verdict or a
    correction uses it: retire it (update_rating(is_active=False)) instead."""
    rating.delete()
