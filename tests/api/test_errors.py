"""One JSON error shape everywhere (problem+json), never HTML, never a 500 on bad input;
and throttling per user and per anonymous IP."""
import pytest
from django.test import override_settings
from rest_framework.settings import api_settings

from claims.models import Claim, Claimant
from evidence.models import Evidence

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS and body["status"] == status
    return body


@pytest.fixture
def writer(client_for, fact_checker, seeded):
    return client_for(fact_checker)


def test_malformed_json(writer):
    response = writer.post("/api/v1/claims/", "{not json", content_type="application/json")
    assert "JSON parse error" in assert_problem(response, 400)["detail"]


def test_wrong_types_are_field_errors(writer):
    response = writer.post("/api/v1/claims/", {"text": ["a"], "priority": "very",
                                                "claimants": "x"}, format="json")
    errors = assert_problem(response, 400)["errors"]
    assert set(errors) == {"text", "priority", "claimants"}


def test_unknown_and_read_only_fields_are_rejected(writer):
    response = writer.post("/api/v1/claims/", {"text": "A claim", "colour": "red",
                                                "state": "published"}, format="json")
    errors = assert_problem(response, 400)["errors"]
    assert set(errors) == {"colour", "state"}
    assert not Claim.objects.filter(text="A claim").exists()


def test_body_that_is_not_an_object(writer):
    assert_problem(writer.post("/api/v1/claims/", [1, 2], format="json"), 400)


def test_nul_characters_are_refused(writer):
    body = assert_problem(writer.post("/api/v1/claims/", {"text": "a\x00b"}, format="json"), 400)
    assert "text" in body["errors"]
    assert_problem(writer.get("/api/v1/claims/?q=a%00b"), 400)


@override_settings(API_MAX_BODY_BYTES=1000)
def test_oversized_body_is_413(writer):
    response = writer.post("/api/v1/claims/", {"text": "x" * 2000}, format="json")
    assert_problem(response, 413)


def test_unsupported_media_type(writer):
    response = writer.post("/api/v1/claims/", "text=x", content_type="text/plain")
    assert_problem(response, 415)


@pytest.mark.parametrize("url", ["ftp://example.org/file", "not a url", "http://", ""])
def test_invalid_evidence_urls(writer, url):
    claim = Claim.objects.first()
    before = Evidence.objects.count()
    response = writer.post("/api/v1/evidence/", {"claim": claim.pk, "url": url,
                                                  "stance": "supports"}, format="json")
    assert "url" in assert_problem(response, 400)["errors"]
    assert Evidence.objects.count() == before


def test_invalid_filters_and_cursor(writer):
    assert "state" in assert_problem(writer.get("/api/v1/claims/?state=bogus"), 400)["errors"]
    assert_problem(writer.get("/api/v1/claims/?updated_since=yesterday"), 400)
    assert_problem(writer.get("/api/v1/claims/?cursor=garbage"), 404)
    assert_problem(writer.get("/api/v1/claimants/?page=999"), 404)


def test_not_found_and_wrong_method_are_json(writer, anon):
    assert_problem(writer.get("/api/v1/claims/999999/"), 404)
    assert_problem(writer.get("/api/v1/claims/abc/"), 404)
    assert_problem(anon.get("/api/v1/no-such-thing/"), 404)
    assert_problem(writer.delete("/api/v1/corrections/1/"), 405)


def test_unauthenticated_token_clients_are_told_how(anon):
    response = anon.get("/api/v1/reviews/")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Token")
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert assert_problem(anon.get("/api/v1/claims/"), 401)["detail"] == "Invalid token."


def test_users_without_a_role_are_403_on_the_desks_resources(client_for, nobody, seeded):
    assert_problem(client_for(nobody).get("/api/v1/claimants/"), 403)


def test_users_without_a_role_read_what_readers_read(client_for, nobody, seeded):
    """Signing in without a role gives no more than anonymous reading, and no less: the
    seed case has no published claim, so the public list is empty, drafts included."""
    response = client_for(nobody).get("/api/v1/claims/")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_duplicate_slug_is_a_field_error(writer):
    claimant = Claimant.objects.first()
    response = writer.post("/api/v1/claimants/", {"name": "X", "slug": claimant.slug,
                                                   "kind": "person"}, format="json")
    assert "slug" in assert_problem(response, 400)["errors"]


def _rates(anon, user):
    return {"REST_FRAMEWORK": {**_current_rest_framework(),
                               "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}}


def _current_rest_framework():
    from django.conf import settings

    return settings.REST_FRAMEWORK


def test_anonymous_clients_are_throttled_per_ip(anon, seeded):
    with override_settings(**_rates("3/minute", "1000/minute")):
        assert api_settings.DEFAULT_THROTTLE_RATES["anon"] == "3/minute"
        for _ in range(3):
            assert anon.get("/api/v1/claims/").status_code == 200
        response = anon.get("/api/v1/claims/")
        assert_problem(response, 429)
        assert int(response["Retry-After"]) > 0
        other_ip = anon.get("/api/v1/claims/", REMOTE_ADDR="10.0.0.9")
        assert other_ip.status_code == 200


def test_users_are_throttled_per_user(client_for, fact_checker, editor, seeded):
    with override_settings(**_rates("1000/minute", "2/minute")):
        fiona = client_for(fact_checker)
        assert fiona.get("/api/v1/claims/").status_code == 200
        assert fiona.get("/api/v1/claims/").status_code == 200
        assert_problem(fiona.get("/api/v1/claims/"), 429)
        assert client_for(editor).get("/api/v1/claims/").status_code == 200


@pytest.mark.parametrize("method,url,body", [
    ("get", "/api/v1/claims/99999999999999999999/", None),
    ("post", "/api/v1/claims/", {"text": "x", "claimants": [99999999999999999999]}),
    ("post", "/api/v1/claims/", {"text": "x", "tags": [{"a": 1}]}),
    ("post", "/api/v1/claims/", {"text": "x", "language": "x" * 50}),
    ("post", "/api/v1/claimants/", {"name": "x", "slug": "x", "kind": "person",
                                    "aliases": "not a list"}),
    ("post", "/api/v1/appearances/", {"claim": 1, "claimant": 1, "said_on": "2024-02-30"}),
])
def test_out_of_range_and_odd_values_are_client_errors(writer, method, url, body):
    response = getattr(writer, method)(url, body, format="json")
    assert_problem(response, 404 if method == "get" else 400)


def test_non_finite_numbers_are_refused(writer):
    assert_problem(writer.post("/api/v1/claims/", '{"text": "x", "priority": NaN}',
                               content_type="application/json"), 400)
    assert_problem(writer.post("/api/v1/claims/", '{"text": "x", "priority": 1e400}',
                               content_type="application/json"), 400)
