"""Large values in every text field of every write the API takes: over the field's limit is
a 400 naming the field (never a database error), with nothing written; at the limit, the
write goes through. Bodies stay within API_MAX_BODY_BYTES, so it is the field that says no."""
import pytest
from django.conf import settings

from .test_errors import PROBLEM_KEYS
from .writable import is_text, is_text_list, row_counts, send, world, writes

pytestmark = pytest.mark.django_db

NEAR_BODY_LIMIT = 900_000  # characters: with the rest of the body, under 1 MiB


def oversized_values():
    yield "x" * NEAR_BODY_LIMIT
    yield "€" * (NEAR_BODY_LIMIT // 3)  # three bytes each in UTF-8
    yield "word " * (NEAR_BODY_LIMIT // 5)  # many words: what search indexes choke on


def oversized_lists():
    yield ["x" * NEAR_BODY_LIMIT]
    yield ["x"] * (NEAR_BODY_LIMIT // 5)
    yield [f"https://example.org/{'a' * NEAR_BODY_LIMIT}"]


def value_at_limit(name, field):
    n = field.max_length
    if name == "url" or "url" in type(field).__name__.lower():
        return "https://example.org/" + "a" * (n - len("https://example.org/"))
    return "s" * n


@pytest.fixture
def editor_client(client_for, editor, desk):
    return client_for(editor)


def test_oversized_text_is_a_clear_400_and_writes_nothing(editor_client):
    assert settings.API_MAX_BODY_BYTES >= 1024 * 1024
    w = world()
    tried, failures = 0, []
    for write in writes(w):
        for name, field in write.fields().items():
            if is_text(field):
                values = oversized_values()
            elif is_text_list(field):
                values = oversized_lists()
            else:
                continue
            for value in values:
                before = row_counts()
                response = send(editor_client, write, {**write.body, name: value})
                tried += 1
                body = response.json() if response.status_code < 500 else {}
                if (response.status_code != 400
                        or response["Content-Type"] != "application/problem+json"
                        or not set(body) >= PROBLEM_KEYS or name not in body.get("errors", {})):
                    failures.append((write.label, name, response.status_code,
                                     response.content[:200]))
                if row_counts() != before:
                    failures.append((write.label, name, "rows changed"))
    print(f"{tried} oversized values tried")
    assert tried >= 40
    assert not failures, failures


def test_text_at_its_limit_is_accepted(editor_client):
    w = world()
    tried, failures = 0, []
    for write in writes(w):
        for name, field in write.fields().items():
            if not is_text(field):
                continue
            assert field.max_length, f"{write.label}: {name} has no maximum length"
            response = send(editor_client, write, {**write.body, name: value_at_limit(
                name, field)})
            tried += 1
            if response.status_code >= 300:
                failures.append((write.label, name, response.status_code,
                                 response.content[:300]))
            elif write.action == "create" and write.resource in ("verdicts", "claimants",
                                                                 "claims", "evidence"):
                # Unique rows (one current verdict, slugs, cited URLs): make room again.
                w = _after_create(write, w)
    assert tried >= 20
    assert not failures, failures


def _after_create(write, w):
    from claims.models import Claim, Claimant, Verdict
    from evidence.models import Evidence

    if write.resource == "verdicts":
        Verdict.objects.filter(claim=w["claim"]).delete()
    elif write.resource == "claimants":
        Claimant.objects.filter(slug=write.body["slug"]).delete()
        Claimant.objects.filter(slug__startswith="sss").delete()
    elif write.resource == "claims":
        Claim.objects.filter(slug__startswith="sss").delete()
    elif write.resource == "evidence":
        Evidence.objects.filter(claim=w["claim"]).exclude(pk=w["evidence"].pk).delete()
    return w


def test_long_claimant_lists_at_their_limits_are_accepted(editor_client):
    from api import limits

    w = world()
    [create] = [x for x in writes(w) if x.resource == "claimants" and x.action == "create"]
    response = send(editor_client, create, {
        **create.body,
        "aliases": ["a" * limits.ALIAS_LENGTH] * limits.MAX_ALIASES,
        "same_as": [f"https://example.org/{i}" for i in range(limits.MAX_SAME_AS)],
    })
    assert response.status_code == 201, response.content[:300]
    for name, value in [("aliases", ["a"] * (limits.MAX_ALIASES + 1)),
                        ("aliases", ["a" * (limits.ALIAS_LENGTH + 1)]),
                        ("same_as", ["https://example.org/"] * (limits.MAX_SAME_AS + 1))]:
        response = send(editor_client, create, {**create.body, "slug": "other", name: value})
        assert response.status_code == 400 and name in response.json()["errors"]
