"""Data for the admin tests: many claims with everything the queue shows, cheaply."""
from django.utils import timezone

from claims.models import Appearance, Claim, Claimant, Rating, Tag, Verdict
from evidence.models import Evidence, Source


def queue(n, *, assignee=None, author=None):
    """`n` claims, each with two claimants, a tag, an appearance and a rated verdict."""
    rating, _ = Rating.objects.get_or_create(slug="false", defaults={"name": "False", "value": 1})
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
            [Verdict(claim=c, author=author, rating=rating, summary="S") for c in claims]
        )
    return claims


def rows_on_page(claim, n):
    """Give `claim` n appearances, n responses and n evidence rows, with their sources."""
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
