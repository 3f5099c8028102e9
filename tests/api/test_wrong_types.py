"""Values of the wrong JSON type are 400s naming the field: DRF alone would take {} as an
empty list of claimants, "2" as priority 2 and 5 as the text "5"."""
import pytest

from claims.models import Claim, Claimant

from .test_errors import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client_for, fact_checker, seeded):
    return client_for(fact_checker)


@pytest.mark.parametrize("field,value", [
    ("claimants", {}), ("claimants", {"1": 1}), ("tags", {}), ("claimants", ["1"]),
    ("claimants", [True]), ("claimants", [None]), ("tags", [1]), ("priority", "2"),
    ("priority", True), ("priority", 2.5), ("text", 5), ("text", True), ("text", {"a": 1}),
    ("assignee", "1"), ("assignee", True), ("language", ["en"]), ("slug", 12),
])
def test_wrong_types_on_claims(writer, field, value):
    before = Claim.objects.count()
    body = {"text": "A claim of the right shape", field: value}
    errors = assert_problem(writer.post("/api/v1/claims/", body, format="json"), 400)["errors"]
    assert set(errors) == {field}
    assert Claim.objects.count() == before


def test_empty_object_for_claimants_does_not_clear_them(writer):
    claim = Claim.objects.filter(claimants__isnull=False).first()
    etag = writer.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    response = writer.patch(f"/api/v1/claims/{claim.pk}/", {"claimants": {}}, format="json",
                            HTTP_IF_MATCH=etag)
    assert "claimants" in assert_problem(response, 400)["errors"]
    assert claim.claimants.exists()


@pytest.mark.parametrize("url,body,field", [
    ("/api/v1/claimants/", {"name": "N", "slug": "n-1", "kind": "person", "organisation": "1"},
     "organisation"),
    ("/api/v1/claimants/", {"name": 7, "slug": "n-2", "kind": "person"}, "name"),
    ("/api/v1/appearances/", {"claim": "1", "claimant": 1}, "claim"),
    ("/api/v1/appearances/", {"claim": 1, "claimant": 1, "said_on": 20240101}, "said_on"),
    ("/api/v1/evidence/", {"claim": 1, "url": ["https://example.org/"], "stance": "supports"},
     "url"),
    ("/api/v1/reviews/", {"verdict": [1], "kind": "comment"}, "verdict"),
])
def test_wrong_types_elsewhere(client_for, editor, seeded, url, body, field):
    # An editor: the one role that writes every one of these resources.
    response = client_for(editor).post(url, body, format="json")
    assert field in assert_problem(response, 400)["errors"]


def test_right_types_still_work(writer):
    claimant = Claimant.objects.first()
    response = writer.post("/api/v1/claims/", {
        "text": "Typed claim", "priority": 3, "claimants": [claimant.pk], "tags": [],
        "assignee": None, "language": "en"}, format="json")
    assert response.status_code == 201, response.content
