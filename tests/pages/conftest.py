"""Fixtures for the page tests: published claims made through tests.data.desk, which
publishes through the workflow, never by setting publication fields."""
import pytest

from claims.models import Tag
from tests.data.desk import draft, make_claim, publish


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
