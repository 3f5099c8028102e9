"""Safe concurrent edits: ETag on details, If-Match required (428), stale tags refused
(412), and the check is atomic: two editors racing never both win."""
import threading

import pytest
from django.db import connection

from claims.models import Claim, Claimant

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(seeded):
    return Claim.objects.get(slug="ukraine-supports-terrorism-in-africa")


def test_detail_carries_an_etag_that_changes_with_the_object(client_for, fact_checker, claim):
    client = client_for(fact_checker)
    url = f"/api/v1/claims/{claim.pk}/"
    first = client.get(url)["ETag"]
    assert first.startswith('"') and client.get(url)["ETag"] == first
    claim.text = "Changed elsewhere"
    claim.save()
    assert client.get(url)["ETag"] != first


def test_update_without_if_match_is_428(client_for, fact_checker, claim):
    response = client_for(fact_checker).patch(
        f"/api/v1/claims/{claim.pk}/", {"text": "New"}, format="json")
    assert response.status_code == 428
    assert response.json()["title"] == "Precondition required"
    claim.refresh_from_db()
    assert claim.text != "New"


def test_stale_if_match_is_412_and_changes_nothing(client_for, fact_checker, editor, claim):
    url = f"/api/v1/claims/{claim.pk}/"
    mine, theirs = client_for(fact_checker), client_for(editor)
    tag = mine.get(url)["ETag"]
    assert theirs.patch(url, {"internal_note": "theirs"}, format="json",
                        HTTP_IF_MATCH=theirs.get(url)["ETag"]).status_code == 200
    response = mine.patch(url, {"internal_note": "mine"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    claim.refresh_from_db()
    assert claim.internal_note == "theirs"


def test_successful_update_returns_the_new_etag(client_for, fact_checker, claim):
    client = client_for(fact_checker)
    url = f"/api/v1/claims/{claim.pk}/"
    response = client.patch(url, {"priority": 4}, format="json",
                            HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200 and response.json()["priority"] == 4
    assert response["ETag"] == client.get(url)["ETag"]
    again = client.patch(url, {"priority": 3}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert again.status_code == 200


def test_put_needs_if_match_too(client_for, fact_checker, seeded):
    claimant = Claimant.objects.first()
    client = client_for(fact_checker)
    url = f"/api/v1/claimants/{claimant.pk}/"
    body = {"name": "Renamed", "slug": claimant.slug, "kind": claimant.kind}
    assert client.put(url, body, format="json").status_code == 428
    response = client.put(url, body, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200 and response.json()["name"] == "Renamed"


@pytest.mark.django_db(transaction=True)
def test_two_editors_racing_with_the_same_etag_never_both_win(fact_checker, editor, client_for):
    from claims.seeding import load_seeds

    load_seeds()
    claim = Claim.objects.get(slug="ukraine-supports-terrorism-in-africa")
    url = f"/api/v1/claims/{claim.pk}/"
    clients = {"fiona": client_for(fact_checker), "edith": client_for(editor)}
    tag = clients["fiona"].get(url)["ETag"]
    barrier = threading.Barrier(2)
    results = {}

    def edit(name):
        try:
            barrier.wait()
            results[name] = clients[name].patch(
                url, {"internal_note": f"by {name}"}, format="json", HTTP_IF_MATCH=tag
            ).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [200, 412]
    winner = next(name for name, code in results.items() if code == 200)
    claim.refresh_from_db()
    assert claim.internal_note == f"by {winner}"
