"""Readers' search and filters see a reopened claim as last published: its in-progress
rating, headline and summary never show through a filter, a search or a count."""
import pytest

from claims import workflow
from claims.models import Rating
from tests.data import desk

SEED = desk.SEED_CLAIM


@pytest.fixture
def reopened(seeded, fact_checker, editor):
    claim = desk.published_seed_claim(fact_checker=fact_checker, editor=editor)
    desk.reopen(claim, by=fact_checker)
    workflow.save_verdict(
        claim=claim, by=fact_checker, rating=Rating.objects.get(slug="false"),
        headline="Zanzibarian headline", summary="Quixotic summary",
        correction_note="In progress",
    )
    return claim


def test_the_readers_list_filters_by_the_published_rating(client, reopened):
    assert SEED in client.get("/checks/?rating=unsupported").content.decode()
    assert SEED not in client.get("/checks/?rating=false").content.decode()


def test_facet_counts_follow_the_published_rating(client, reopened):
    from claims.selectors import published_facets

    counts = {r.slug: r.count for r in published_facets()["ratings"]}
    assert counts["unsupported"] == 1 and counts["false"] == 0


@pytest.mark.parametrize("word", ["Zanzibarian", "Quixotic"])
def test_search_does_not_find_work_in_progress(client, reopened, word):
    assert SEED not in client.get(f"/checks/?q={word}").content.decode()


@pytest.mark.parametrize("path", ["/api/v1/claims/?rating=false", "/api/v1/verdicts/?rating=false"])
def test_api_rating_filters_for_readers_use_the_published_rating(client, reopened, path):
    assert client.get(path).json()["results"] == []
    assert client.get(path.replace("false", "unsupported")).json()["results"] != []


def test_republishing_makes_the_new_rating_public(client, reopened, fact_checker, editor):
    desk.publish(reopened, fact_checker=fact_checker, editor=editor)
    assert SEED in client.get("/checks/?rating=false").content.decode()
    assert SEED in client.get("/checks/?q=Quixotic").content.decode()
