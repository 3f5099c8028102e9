"""Verdict pages revalidate cheaply (ETag, Last-Modified, 304) and change when a new
publication does, never when the desk merely edits; their query count never grows."""
import pytest

from claims import workflow
from claims.models import Claimant, Rating
from claims.services import add_appearance, add_response
from tests.data.desk import SEED_CLAIM, draft, make_claim, publish

pytestmark = pytest.mark.django_db
URL = f"/checks/{SEED_CLAIM}/"


def revalidate(client, first):
    return client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])


def test_revalidation_answers_304(client, published_seed_claim):
    first = client.get(URL)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = revalidate(client, first)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_published_correction_invalidates_the_page(client, published_seed_claim, editor,
                                                    fact_checker, other_editor):
    first = client.get(URL)
    workflow.save_verdict(
        claim=published_seed_claim, by=editor, rating=Rating.objects.get(slug="false"),
        summary="Corrected summary.", correction_note="We found the letter's annex.",
        headline="New headline",
    )
    # Drafted, not published: readers' copy is unchanged, so is its validator.
    assert revalidate(client, first).status_code == 304
    publish(published_seed_claim, fact_checker=fact_checker, editor=other_editor)
    response = revalidate(client, first)
    assert response.status_code == 200
    assert "We found the letter&#x27;s annex." in response.content.decode()
    assert response["ETag"] != first["ETag"]


def test_the_desks_changes_leave_the_page_as_published(client, published_seed_claim,
                                                       fact_checker):
    first = client.get(URL)
    workflow.set_priority(claim=published_seed_claim, priority=1, by=fact_checker)
    workflow.transition_claim(claim=published_seed_claim, to_state="researching",
                              by=fact_checker)
    assert revalidate(client, first).status_code == 304
    assert client.get(URL).content == first.content


def test_an_appearance_shows_once_its_revision_is_published(client, published_seed_claim,
                                                            fact_checker, other_editor):
    first = client.get(URL)
    claimant = Claimant.objects.get(slug="government-of-niger")
    add_appearance(claim=published_seed_claim, claimant=claimant, by=fact_checker,
                   quote="A new quote")
    assert revalidate(client, first).status_code == 304
    publish(published_seed_claim, fact_checker=fact_checker, editor=other_editor)
    second = revalidate(client, first)
    assert second.status_code == 200 and "A new quote" in second.content.decode()


def test_unpublished_page_is_404_even_with_validators(client, seeded):
    assert client.get(URL, HTTP_IF_NONE_MATCH='"anything"').status_code == 404


@pytest.mark.parametrize("size", [2, 15])
def test_query_count_is_fixed_whatever_the_size(client, seeded, fact_checker, editor, size,
                                                django_assert_max_num_queries):
    claim = make_claim(f"sized-{size}", fact_checker=fact_checker, appearances=size,
                       evidence=size)
    for n in range(size):
        add_response(claim=claim, claimant=Claimant.objects.get(slug="government-of-mali"),
                     by=fact_checker, kind="denies", quote=f"No {n}")
    draft(claim, fact_checker=fact_checker)
    claim = publish(claim, fact_checker=fact_checker, editor=editor)
    # The page's version (and the captures made since publication), then the publication.
    with django_assert_max_num_queries(3):
        response = client.get(claim.get_absolute_url())
    html = response.content.decode()
    assert html.count('class="record"') == 2 * size  # appearances and evidence
    assert html.count('class="record record--denies"') == size
    with django_assert_max_num_queries(2):
        assert client.get(claim.get_absolute_url(),
                          HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.parametrize("url", ["/checks/", "/feeds/checks.atom"])
def test_listing_and_feed_revalidate_and_change_with_publication(
    client, published_seed_claim, make_published, url, django_assert_max_num_queries
):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    with django_assert_max_num_queries(2):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    make_published("fresh-claim", text="A freshly published claim")
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and "freshly published" in second.content.decode()
    # A claimant renamed shows on the listing, so it changes the listing's version.
    claimant = Claimant.objects.get(slug="claimant-fresh-claim")
    claimant.name = "Renamed claimant"
    claimant.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 200
    Rating.objects.filter(slug="false").update(colour="#aa0000")
    third = client.get(url)
    Rating.objects.filter(slug="false").update(colour="#b3261e")
    assert third["ETag"] != client.get(url)["ETag"]
