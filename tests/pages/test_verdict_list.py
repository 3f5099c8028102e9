"""/checks/: the published verdicts, searchable, filterable and paginated."""
import re

import pytest

from claims import workflow
from claims.models import Claim, Claimant, Tag
from claims.pages import PAGE_SIZE
from tests.data.desk import draft, make_claim

pytestmark = pytest.mark.django_db


def titles(response):
    return re.findall(r'<h2 class="card__title" id="claim-\d+"><a href="([^"]+)"',
                      response.content.decode())


def test_lists_published_verdicts_newest_first(client, published_seed_claim, make_published):
    newer = make_published("newer-claim", rating="true")
    response = client.get("/checks/")
    assert response.status_code == 200
    assert titles(response) == [newer.get_absolute_url(), published_seed_claim.get_absolute_url()]
    assert "2 fact checks." in response.content.decode()


def test_unpublished_claims_are_never_listed_searched_or_counted(
    client, published_seed_claim, fact_checker, sahel
):
    # The seed's other claims are unpublished; add a drafted one with its own words.
    hidden = make_claim("hidden-draft", fact_checker=fact_checker, text="Zebras vote in Mali",
                        tags=[sahel])
    draft(hidden, fact_checker=fact_checker, summary="Unpublished zebra summary")
    workflow.transition_claim(claim=hidden, to_state=Claim.State.IN_REVIEW, by=fact_checker)
    for url in ["/checks/", "/checks/?q=zebra", "/checks/?tag=sahel",
                "/checks/?claimant=claimant-hidden-draft", "/checks/?rating=false"]:
        html = client.get(url).content.decode()
        assert "Zebras" not in html and "zebra summary" not in html
        assert "Tuareg rebels in Mali the information" not in html  # claim 2, unpublished
        assert "Claimant of hidden-draft" not in html  # never offered as a filter
    assert "0 fact checks found." in client.get("/checks/?q=zebra").content.decode()
    html = client.get("/checks/").content.decode()
    # Facet counts count published verdicts only: the seed claim is the one Sahel claim.
    assert ">Sahel (1)</option>" in html
    assert ">Unsupported (1)</option>" in html and ">False (0)</option>" in html
    assert "Euromaidan Press (" not in html  # claimant of unpublished claims only


def test_search_and_filters(client, published_seed_claim, make_published):
    wagner = Tag.objects.get(slug="wagner-group")
    tagged = make_published("tagged-claim", text="Penguins fly over Bamako", tags=[wagner],
                            rating="true")
    other = make_published("other-claim", text="Bananas are blue", rating="false")
    seed_url = published_seed_claim.get_absolute_url()
    assert titles(client.get("/checks/?q=penguins")) == [tagged.get_absolute_url()]
    # Search covers quotes and claimants' names, not only the claim text.
    assert titles(client.get("/checks/?q=take+responsibility")) == [seed_url]
    assert titles(client.get("/checks/?q=Government+of+Niger")) == [seed_url]
    assert titles(client.get("/checks/?rating=false")) == [other.get_absolute_url()]
    assert titles(client.get("/checks/?rating=unsupported")) == [seed_url]
    assert titles(client.get("/checks/?tag=wagner-group")) == [
        tagged.get_absolute_url(), seed_url,
    ]
    assert titles(client.get("/checks/?claimant=government-of-mali")) == [seed_url]
    assert titles(client.get("/checks/?tag=wagner-group&rating=true")) == [
        tagged.get_absolute_url()
    ]
    assert titles(client.get("/checks/?tag=no-such-tag")) == []
    html = client.get("/checks/?tag=wagner-group").content.decode()
    assert '<option value="wagner-group" selected>' in html
    assert 'name="robots" content="noindex, follow"' in html


def test_paginates_and_keeps_filters(client, seeded, make_published, settings):
    settings.SITE_URL = "https://checks.example"
    claimant = Claimant.objects.create(name="Prolific", slug="prolific", kind="person")
    for n in range(PAGE_SIZE + 2):
        make_published(f"bulk-{n:02d}", claimant=claimant)
    first = client.get("/checks/?claimant=prolific")
    assert len(titles(first)) == PAGE_SIZE
    html = first.content.decode()
    assert f"{PAGE_SIZE + 2} fact checks found." in html
    assert 'href="?claimant=prolific&amp;page=2"' in html
    second = client.get("/checks/?claimant=prolific&page=2")
    assert len(titles(second)) == 2
    assert set(titles(first)).isdisjoint(titles(second))
    assert len(titles(client.get("/checks/?page=999"))) == 2  # past the end: the last page
    assert 'rel="canonical" href="https://checks.example/checks/?page=2"' in (
        client.get("/checks/?page=2").content.decode()
    )


@pytest.mark.parametrize("size", [3, 12])
def test_list_query_count_does_not_grow(client, seeded, make_published, size,
                                        django_assert_max_num_queries):
    tags = list(Tag.objects.all())
    for n in range(size):
        make_published(f"sized-{n}", tags=tags, appearances=2, evidence=1)
    # 2 to validate; count, page, tags, claimants; 3 for the filters' counts.
    with django_assert_max_num_queries(9):
        response = client.get("/checks/")
    assert len(titles(response)) == size
