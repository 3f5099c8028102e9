"""Request bodies the JSON parser must refuse with a 400 problem, never a 500: nesting deep
enough to exhaust Python's recursion limit, and nesting no request of ours ever needs."""
import pytest

from claims.models import Claim, Claimant

from .test_errors import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client_for, fact_checker, seeded):
    return client_for(fact_checker)


@pytest.mark.parametrize("body", [
    "[" * 1000,
    "[" * 100_000,
    '{"a":' * 50_000,
    "[" * 1000 + "]" * 1000,
    '{"text": "x", "tags": ' + "[" * 5000 + "]" * 5000 + "}",
])
@pytest.mark.parametrize("url", ["/api/v1/claims/", "/api/v1/claimants/"])
def test_deeply_nested_json_is_a_400(writer, url, body):
    before = Claim.objects.count(), Claimant.objects.count()
    response = writer.post(url, body, content_type="application/json")
    detail = assert_problem(response, 400)["detail"]
    assert "nested" in detail or "JSON parse error" in detail
    assert (Claim.objects.count(), Claimant.objects.count()) == before


def test_nesting_past_the_limit_is_refused_even_when_python_could_parse_it(writer):
    body = '{"text": "x", "tags": ' + "[" * 40 + "]" * 40 + "}"
    assert "nested" in assert_problem(
        writer.post("/api/v1/claims/", body, content_type="application/json"), 400)["detail"]


def test_ordinary_nesting_is_parsed(writer):
    claimant = Claimant.objects.first()
    response = writer.post("/api/v1/claims/", {"text": "Nested fine", "claimants": [claimant.pk]},
                           format="json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("body", [
    '{"text": "a\\ud800b"}',
    '{"\\udfff": 1}',
    '{"text": "x", "tags": ["\\ud83d"]}',
])
def test_lone_surrogates_are_a_400(writer, body):
    # Half a UTF-16 pair: no UTF-8 text (PostgreSQL, our answers) can hold it.
    response = writer.post("/api/v1/claims/", body, content_type="application/json")
    assert "surrogate" in assert_problem(response, 400)["detail"]


def test_paired_surrogates_are_one_character(writer):
    response = writer.post("/api/v1/claims/", '{"text": "Smile \\ud83d\\ude00"}',
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["text"] == "Smile 😀"
