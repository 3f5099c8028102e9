"""Fixtures for API tests: clients authenticated with real tokens, and a desk with one
published claim carrying everything that must stay internal."""
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import workflow
from claims.models import Claim, Review
from tests.conftest import make_user

# Markers planted in internal fields: none may ever reach an anonymous client.
SECRET_NOTE = "INTERNAL-NOTE-zq81"
SECRET_REVIEW = "REVIEW-BODY-zq82"
SECRET_DRAFT = "DRAFT-HEADLINE-zq83"


def pytest_terminal_summary(terminalreporter):
    """How many cases Schemathesis ran (tests/api/test_schemathesis.py) and how many bad
    inputs were tried (tests/api/test_bad_input.py), when they ran."""
    module = sys.modules.get("tests.api.test_schemathesis")
    if module is not None and module.CASES:
        counts = module.CASES
        terminalreporter.write_line(
            f"schemathesis: {sum(v for k, v in counts.items() if not k.startswith('scenario'))}"
            " cases: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    module = sys.modules.get("tests.api.test_bad_input")
    if module is not None and module.TRIED:
        terminalreporter.write_line(
            f"bad input: {sum(module.TRIED.values())} inputs tried: "
            + ", ".join(f"{k} {v}" for k, v in sorted(module.TRIED.items())))


@pytest.fixture(scope="session", autouse=True)
def _own_cache_keys():
    """This run's cache keys under a prefix of their own: other test runs may share the
    Redis database (and its throttle counts would otherwise be theirs too)."""
    config = {**settings.CACHES["default"], "KEY_PREFIX": f"tests-api-{uuid.uuid4().hex[:12]}"}
    with override_settings(CACHES={"default": config}):
        yield


def clear_cache():
    """Delete this run's cache keys. Never cache.clear() on Redis: that is FLUSHDB, which
    would also empty Celery's queues and other runs' keys in the same database."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)
        keys = list(client.scan_iter(match=backend.make_key("*"), count=1000))
        if keys:
            client.delete(*keys)
    else:
        backend.clear()


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache; each test starts from zero.
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def client_for(db):
    """client_for(user) -> an APIClient sending the user's API token."""

    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def nobody(db):
    """A signed-in user with no role."""
    return make_user("nora")


@pytest.fixture
def desk(seeded, fact_checker, editor, reviewer):
    """The seed case with its first claim published, assigned, noted and reviewed, and
    another claim with a draft verdict. Returns a dict of the interesting objects."""
    return build_desk(fact_checker, editor, reviewer)


def build_desk(fact_checker, editor, reviewer):
    """What the `desk` fixture sets up, on top of the loaded seeds."""
    published = Claim.objects.get(slug="ukraine-supports-terrorism-in-africa")
    workflow.transition_claim(claim=published, to_state="in_review", by=fact_checker)
    verdict = workflow.current_verdict(published)
    Review.objects.create(verdict=verdict, reviewer=reviewer, kind="comment",
                          body=SECRET_REVIEW)
    workflow.transition_claim(claim=published, to_state="published", by=editor)
    published.refresh_from_db()
    published.internal_note = SECRET_NOTE
    published.assignee = fact_checker
    published.save()

    draft = Claim.objects.get(slug="yusov-rebels-received-necessary-information")
    workflow.save_verdict(claim=draft, by=fact_checker, headline=SECRET_DRAFT,
                          summary="Draft summary")
    return {"published": published, "verdict": verdict, "draft": draft}
