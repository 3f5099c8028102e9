"""Writes through the API apply the same rules as the admin, because both call one service
per write (claims/services.py): a claimant's new name or aliases reach the search text of
their claims; an appearance's new claimant joins the claim's claimants."""
import pytest

from claims import services
from claims.models import Appearance, Claim, Claimant

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client_for, fact_checker, seeded):
    return client_for(fact_checker)


def patch(client, url, body):
    response = client.patch(url, body, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200, response.content
    return response


def found(client, words):
    return {c["id"] for c in client.get("/api/v1/claims/", {"q": words}).json()["results"]}


def credited_claim(claimant):
    return Claim.objects.filter(claimants=claimant).first()


def test_renaming_a_claimant_refreshes_their_claims_search_text(writer):
    claimant = Claimant.objects.filter(claims__isnull=False).first()
    claim = credited_claim(claimant)
    patch(writer, f"/api/v1/claimants/{claimant.pk}/", {"name": "Zyxwvut Renamed"})
    claim.refresh_from_db()
    assert "Zyxwvut Renamed" in claim.search_text
    assert claim.pk in found(writer, "Zyxwvut")


def test_changing_aliases_refreshes_their_claims_search_text(writer):
    claimant = Claimant.objects.filter(claims__isnull=False).first()
    claim = credited_claim(claimant)
    patch(writer, f"/api/v1/claimants/{claimant.pk}/", {"aliases": ["Qwertzalias"]})
    claim.refresh_from_db()
    assert "Qwertzalias" in claim.search_text
    assert claim.pk in found(writer, "Qwertzalias")


def test_changing_an_appearances_claimant_adds_them_to_the_claim(writer):
    appearance = Appearance.objects.select_related("claim").first()
    newcomer = Claimant.objects.create(name="Newcomer Plqm", slug="newcomer-plqm",
                                       kind="person")
    patch(writer, f"/api/v1/appearances/{appearance.pk}/", {"claimant": newcomer.pk})
    claim = Claim.objects.get(pk=appearance.claim_id)
    assert newcomer in claim.claimants.all()
    assert "Newcomer Plqm" in claim.search_text


def test_claimants_with_an_appearance_stay_on_the_claim(writer):
    appearance = Appearance.objects.select_related("claim", "claimant").first()
    patch(writer, f"/api/v1/claims/{appearance.claim_id}/", {"claimants": []})
    assert appearance.claimant in Claim.objects.get(pk=appearance.claim_id).claimants.all()


def test_a_service_write_is_all_or_nothing(writer, monkeypatch):
    claimant = Claimant.objects.filter(claims__isnull=False).first()

    def broken(claimant):
        raise RuntimeError("search index down")

    monkeypatch.setattr(services, "refresh_search_text_of_claimant", broken)
    with pytest.raises(RuntimeError):
        services.update_claimant(claimant, name="Half Written")
    claimant.refresh_from_db()
    assert claimant.name != "Half Written"


def test_create_and_update_services_record_who(fact_checker, seeded):
    claimant = services.create_claimant(by=fact_checker, name="Who", slug="who",
                                        kind="person")
    claim = services.create_claim(by=fact_checker, text="Who said it", slug="who-said-it",
                                  claimants=[claimant])
    assert claim.created_by == fact_checker and claimant.updated_by == fact_checker
    assert "Who" in claim.search_text
    services.update_claim(claim, by=fact_checker, text="Who said it again")
    assert Claim.objects.get(pk=claim.pk).search_text.startswith("Who said it again")
