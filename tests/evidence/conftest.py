import pytest

from evidence.fetch import FetchPolicy
from tests.httpserver import LocalHTTPServer


@pytest.fixture
def http_server():
    """A `LocalHTTPServer` on 127.0.0.1 (not allowlisted by itself), stopped after the test."""
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture
def policy(http_server):
    """A fetch policy that lets the test reach `http_server` and nothing else private."""
    return FetchPolicy(allowlist=frozenset({http_server.host_port}), timeout=2.0)
