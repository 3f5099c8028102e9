"""Fixtures for API tests: clients authenticated with real tokens, and a desk with one
published claim carrying everything that must stay internal."""
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from rest_framework.test import APIClient

from tests.data.desk import build_desk, make_user, token_for


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
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client

    return make


@pytest.fixture
def nobody(db):
    """A signed-in user with no role."""
    return make_user("nora")


@pytest.fixture
def desk(seeded, fact_checker, editor, reviewer):
    """The seed case with its first claim published, assigned, noted and reviewed, and
    another claim with a draft verdict (tests.data.desk.build_desk). Returns a dict of the
    interesting objects."""
    return build_desk(fact_checker, editor, reviewer)

