"""Text fields trim whitespace as JSON Schema understands it (JavaScript's \\s), so that
"blank" means the same to the server as to the schema's `pattern: "\\S"`."""
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
