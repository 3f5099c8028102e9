"""Text fields trim whitespace as JSON Schema understands it (JavaScript's \\s), so that
"blank" means the same to the server as to the schema's patterns (api.schema
TEXT_PATTERN, NOT_BLANK_TEXT_PATTERN), and NUL is refused by both."""
import pytest

from claims.models import Claimant

from .test_errors import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client_for, fact_checker, seeded):
    return client_for(fact_checker)


def create(writer, name, **extra):
    return writer.post("/api/v1/claimants/", {"name": name, "slug": f"c-{len(name)}-{ord(name[0])}",
                                              "kind": "person", **extra}, format="json")


def test_surrounding_whitespace_is_trimmed(writer):
    assert create(writer, "\u3000 Fiona\t\n").json()["name"] == "Fiona"
    assert create(writer, "Rosa", aliases=[" R. "]).json()["aliases"] == ["R."]


@pytest.mark.parametrize("blank", [" ", "\f", "\u00a0", "\u2003", "\u3000", "\ufeff"])
def test_whitespace_only_is_blank(writer, blank):
    before = Claimant.objects.count()
    assert "name" in assert_problem(create(writer, blank), 400)["errors"]
    assert "aliases" in assert_problem(create(writer, "Ok", aliases=[blank]), 400)["errors"]
    assert Claimant.objects.count() == before


def test_control_characters_python_would_strip_are_not_whitespace(writer):
    # str.strip() takes \x1e; JSON Schema's \s does not: the schema calls it text.
    response = create(writer, "\x1e")
    assert response.status_code == 201, response.content


def test_the_schema_says_what_text_the_server_takes(writer):
    """Each value the published pattern refuses, the server refuses (400), and each it
    allows, the server stores: the contract a schema-driven client generates from."""
    import re

    schema = writer.get("/api/v1/schema/?format=json").json()
    name = schema["components"]["schemas"]["ClaimantRequest"]["properties"]["name"]
    pattern = re.compile(name["pattern"])
    # (Python's \s is wider than JavaScript's, test_control_characters_... covers the
    # difference; these values mean the same under both.)
    for value, allowed in [("Fiona", True), ("a\x00b", False),
                           ("\x00", False), ("\u3000 ", False)]:
        assert bool(pattern.search(value)) is allowed, value
        response = create(writer, value)
        assert response.status_code == (201 if allowed else 400), (value, response.content)
