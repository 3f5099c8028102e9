"""The two rules the admin and the API once applied differently, now one service each
(claims.services): whichever desk the write comes through,

- renaming a claimant, or changing their aliases, changes what full-text search finds
  their claims under (the claims' search text);
- an appearance recorded for a claimant (new, or given another claimant) makes that
  claimant one of the claim's claimants.
"""
import json

import pytest

from claims import services
from claims.models import Appearance, Claim, Claimant

from .desks import (
    API,
    admin_client,
    admin_save,
    admin_url,
    api_client,
    api_patch,
    api_post,
)

pytestmark = pytest.mark.django_db

DESKS = ["api", "admin"]


@pytest.fixture
def claimant(fact_checker):
    return services.create_claimant(by=fact_checker, name="Oldname Qxvbe", slug="oldname",
                                    kind=Claimant.Kind.PERSON, aliases=["Oldalias Kjhq"])


@pytest.fixture
def credited(claimant, fact_checker):
    """A claim the claimant is credited with, though nobody has found where they said it."""
    return services.create_claim(by=fact_checker, text="The river rose by ten metres.",
                                 slug="river-rose", claimants=[claimant])


@pytest.fixture
def made(claimant, fact_checker):
    """A claim the claimant made: it has an appearance of theirs."""
    claim = services.create_claim(by=fact_checker, text="The bridge was closed all week.",
                                  slug="bridge-closed")
    services.add_appearance(claim=claim, claimant=claimant, by=fact_checker, medium="tv",
                            quote="closed all week")
    return claim


@pytest.fixture
def newcomer(fact_checker):
    return services.create_claimant(by=fact_checker, name="Newcomer Plqmz", slug="newcomer",
                                    kind=Claimant.Kind.PERSON)


def found(user, words):
    """The ids of the claims the API's full-text search (?q=) finds for `words`."""
    response = api_client(user).get(f"{API}/claims/", {"q": words})
    assert response.status_code == 200, response.content
    return {c["id"] for c in response.json()["results"]}


def edit_claimant(desk, user, claimant, **changes):
    if desk == "api":
        api_patch(api_client(user), f"{API}/claimants/{claimant.pk}/", changes)
    else:
        if "aliases" in changes:  # the admin's field for a JSON list takes JSON
            changes["aliases"] = json.dumps(changes["aliases"])
        admin_save(admin_client(user), admin_url(Claimant, claimant.pk), fields=changes)


@pytest.mark.parametrize("desk", DESKS)
def test_a_renamed_claimants_claims_are_found_under_the_new_name_only(
    desk, fact_checker, claimant, credited, made
):
    assert found(fact_checker, "Qxvbe") == {credited.pk, made.pk}

    edit_claimant(desk, fact_checker, claimant, name="Newname Zyxwq")

    assert found(fact_checker, "Zyxwq") == {credited.pk, made.pk}
    assert found(fact_checker, "Qxvbe") == set()
    for claim in Claim.objects.filter(pk__in=[credited.pk, made.pk]):
        assert "Newname Zyxwq" in claim.search_text and "Oldname" not in claim.search_text


@pytest.mark.parametrize("desk", DESKS)
def test_a_claimants_new_aliases_find_their_claims_and_the_old_ones_no_longer_do(
    desk, fact_checker, claimant, credited
):
    assert found(fact_checker, "Kjhq") == {credited.pk}

    edit_claimant(desk, fact_checker, claimant, aliases=["Newalias Wvtsr"])

    assert found(fact_checker, "Wvtsr") == {credited.pk}
    assert found(fact_checker, "Kjhq") == set()


@pytest.mark.parametrize("desk", DESKS)
def test_a_new_appearance_makes_its_claimant_one_of_the_claims_claimants(
    desk, fact_checker, credited, newcomer
):
    if desk == "api":
        api_post(api_client(fact_checker), f"{API}/appearances/", {
            "claim": credited.pk, "claimant": newcomer.pk, "medium": "radio",
            "quote": "it rose ten metres"})
    else:
        admin_save(admin_client(fact_checker), admin_url(Claim, credited.pk), new_rows={
            "appearances": [{"claimant": newcomer.pk, "medium": "radio",
                             "quote": "it rose ten metres"}]})

    assert Appearance.objects.filter(claim=credited, claimant=newcomer).exists()
    assert newcomer in Claim.objects.get(pk=credited.pk).claimants.all()
    assert found(fact_checker, "Plqmz") == {credited.pk}


@pytest.mark.parametrize("desk", DESKS)
def test_an_appearance_given_another_claimant_makes_them_one_of_the_claims_claimants(
    desk, fact_checker, claimant, made, newcomer
):
    appearance = made.appearances.get()
    if desk == "api":
        api_patch(api_client(fact_checker), f"{API}/appearances/{appearance.pk}/",
                  {"claimant": newcomer.pk})
    else:
        admin_save(admin_client(fact_checker), admin_url(Claim, made.pk),
                   rows={"appearances": {0: {"claimant": newcomer.pk}}})

    appearance.refresh_from_db()
    assert appearance.claimant == newcomer
    claimants = set(Claim.objects.get(pk=made.pk).claimants.all())
    # The claimant of the appearance before stays credited (services.delete_appearance).
    assert claimants == {claimant, newcomer}
    assert made.pk in found(fact_checker, "Plqmz")


def test_a_claim_added_with_an_appearance_credits_its_claimant(fact_checker, newcomer):
    """The add page: the claim is created by its service first, then each row by its own,
    under the new claim."""
    admin_save(admin_client(fact_checker), admin_url(Claim), fields={
        "text": "The ferry carried nine hundred passengers.", "slug": "ferry-nine-hundred",
    }, new_rows={"appearances": [{"claimant": newcomer.pk, "medium": "tv"}]})

    claim = Claim.objects.get(slug="ferry-nine-hundred")
    assert claim.created_by == fact_checker and claim.state == Claim.State.NEW
    assert list(claim.claimants.all()) == [newcomer]
    assert found(fact_checker, "Plqmz") == {claim.pk}
