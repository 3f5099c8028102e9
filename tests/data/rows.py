"""Fast rows for tests that read: plain ORM creates, bulk_create for long lists.

Nothing here is ever published (see tests/data/__init__.py): a test that needs a published
claim gets it from `tests.data.desk`, which publishes through the workflow.
"""
import itertools

from django.utils import timezone

from claims.models import Appearance, Claim, Claimant, Rating, Tag, Verdict
from claims.services import refresh_search_text
from evidence.models import Evidence, Source

# Numbers the claims made here and by `desk.published_claim`, so their slugs never collide.
serial = itertools.count(1)

# The verdict status that goes with each state a row may be made in.
_VERDICT_STATUS = {
    Claim.State.RESEARCHING: Verdict.Status.DRAFT,
    Claim.State.IN_REVIEW: Verdict.Status.IN_REVIEW,
}


def rating(slug="false"):
    """The rating `slug`: the seeded one when the seeds are loaded, else a new row."""
    value = {"false": -2, "misleading": -1, "true": 2}.get(slug, 0)
    return Rating.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "value": value}
    )[0]


def claimant(name="Government of Mali", **extra):
    """The government claimant `name` (made once, found after)."""
    slug = name.lower().replace(" ", "-")
    return Claimant.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": Claimant.Kind.GOVERNMENT, **extra}
    )[0]


def claim(text=None, state=Claim.State.NEW, **extra):
    """A claim as intake makes it: saved, with its search text built, in `state` (any state
    but published). Raises ValueError for the published state."""
    if state == Claim.State.PUBLISHED:
        raise ValueError("Rows are never published: use tests.data.desk.published_claim.")
    n = next(serial)
    made = Claim.objects.create(
        text=text or f"Claim number {n} about the Sahel", slug=f"claim-{n}", state=state, **extra
    )
    refresh_search_text(made)
    return made


def claim_with_verdict(*, state, author, complete=True):
    """A claim in `state` (researching or in review: not published) whose current verdict,
    by `author`, is in the matching status; `complete` gives it a rating and a summary."""
    c = claim(state=state)
    Verdict.objects.create(
        claim=c, author=author, status=_VERDICT_STATUS.get(state, Verdict.Status.DRAFT),
        rating=rating() if complete else None,
        summary="No evidence was offered." if complete else "",
    )
    return c


def queue(n, *, assignee=None, author=None):
    """`n` claims, in bulk, each with two claimants, a tag, an appearance and (with an
    `author`) a rated draft verdict: the admin queue's rows, cheaply."""
    rated, _ = Rating.objects.get_or_create(slug="false", defaults={"name": "False", "value": 1})
    tag, _ = Tag.objects.get_or_create(slug="sahel", defaults={"name": "Sahel"})
    mali = Claimant.objects.get_or_create(slug="mali", defaults={"name": "Government of Mali",
                                                                 "kind": "government"})[0]
    niger = Claimant.objects.get_or_create(slug="niger", defaults={"name": "Government of Niger",
                                                                   "kind": "government"})[0]
    start = Claim.objects.count()
    claims = Claim.objects.bulk_create([
        Claim(text=f"Queue claim {start + i} on the Sahel", slug=f"queue-{start + i}",
              search_text=f"Queue claim {start + i} on the Sahel\nGovernment of Mali",
              assignee=assignee, priority=1 + i % 4)
        for i in range(n)
    ])
    Through = Claim.claimants.through
    Through.objects.bulk_create(
        [Through(claim=c, claimant=p) for c in claims for p in (mali, niger)]
    )
    Claim.tags.through.objects.bulk_create([Claim.tags.through(claim=c, tag=tag) for c in claims])
    Appearance.objects.bulk_create(
        [Appearance(claim=c, claimant=mali, quote=f"Quote {c.pk}") for c in claims]
    )
    if author is not None:
        Verdict.objects.bulk_create(
            [Verdict(claim=c, author=author, rating=rated, summary="S") for c in claims]
        )
    return claims


def rows_on_page(claim, n):
    """Give `claim` n appearances, n responses and n evidence rows, with their sources, in
    bulk: the admin claim page's rows."""
    now = timezone.now()
    sources = Source.objects.bulk_create([
        Source(url=f"https://example.org/{claim.pk}/{i}",
               canonical_url=f"https://example.org/{claim.pk}/{i}", created_at=now)
        for i in range(n)
    ])
    people = Claimant.objects.bulk_create([
        Claimant(name=f"Person {claim.pk}-{i}", slug=f"person-{claim.pk}-{i}", kind="person")
        for i in range(n)
    ])
    Appearance.objects.bulk_create([
        Appearance(claim=claim, claimant=p, source=s, quote="Said it")
        for p, s in zip(people, sources, strict=True)
    ])
    claim.responses.model.objects.bulk_create([
        claim.responses.model(claim=claim, claimant=p, source=s, kind="denies", quote="No")
        for p, s in zip(people, sources, strict=True)
    ])
    Evidence.objects.bulk_create(
        [Evidence(claim=claim, source=s, stance="refutes") for s in sources]
    )
