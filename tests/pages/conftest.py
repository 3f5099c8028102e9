"""Published claims for the page tests, made the way the desk makes them: through the
services and the workflow, never by setting publication fields."""
import pytest

from claims import workflow
from claims.models import Claim, Claimant, Rating, Tag
from claims.services import add_appearance
from evidence.services import attach_evidence

State = Claim.State
SEED_CLAIM = "ukraine-supports-terrorism-in-africa"


def publish(claim, *, fact_checker, editor):
    """Submit the claim's draft verdict for review and publish it as `editor`."""
    workflow.transition_claim(claim=claim, to_state=State.IN_REVIEW, by=fact_checker)
    return workflow.transition_claim(claim=claim, to_state=State.PUBLISHED, by=editor)


def make_claim(slug, *, fact_checker, text=None, claimant=None, tags=(), appearances=1,
               evidence=0):
    """A claim researched by `fact_checker`, with its appearances and evidence, up to the
    point where a verdict can be drafted."""
    claim = Claim.objects.create(slug=slug, text=text or f"Claim {slug} is made here.")
    claimant = claimant or Claimant.objects.get_or_create(
        slug=f"claimant-{slug}", defaults={"name": f"Claimant of {slug}", "kind": "person"}
    )[0]
    for n in range(appearances):
        add_appearance(claim=claim, claimant=claimant, by=fact_checker, quote=f"Quote {n}",
                       medium="tv", venue=f"Show {n}")
    for n in range(evidence):
        attach_evidence(claim=claim, url=f"https://example.org/{slug}/source-{n}",
                        stance="refutes" if n % 2 else "supports", summary=f"Item {n}",
                        by=fact_checker)
    claim.tags.set(tags)
    workflow.transition_claim(claim=claim, to_state=State.TRIAGED, by=fact_checker)
    workflow.transition_claim(claim=claim, to_state=State.RESEARCHING, by=fact_checker)
    return claim


def draft(claim, *, fact_checker, rating="false", **fields):
    fields.setdefault("summary", f"Summary of the verdict on {claim.slug}.")
    return workflow.save_verdict(
        claim=claim, by=fact_checker, rating=Rating.objects.get(slug=rating), **fields
    )


@pytest.fixture
def published_seed_claim(seeded, fact_checker, editor):
    """The seed case's claim 1, its seeded draft published by an editor."""
    claim = Claim.objects.get(slug=SEED_CLAIM)
    publish(claim, fact_checker=fact_checker, editor=editor)
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def make_published(seeded, fact_checker, editor):
    """Build and publish a claim: make_published(slug, appearances=.., evidence=.., ...)."""

    def make(slug, *, rating="false", verdict=None, **claim_fields):
        claim = make_claim(slug, fact_checker=fact_checker, **claim_fields)
        draft(claim, fact_checker=fact_checker, rating=rating, **(verdict or {}))
        return publish(claim, fact_checker=fact_checker, editor=editor)

    return make


@pytest.fixture
def sahel(seeded):
    return Tag.objects.get(slug="sahel")
