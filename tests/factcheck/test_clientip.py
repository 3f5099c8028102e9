"""factcheck.clientip: one rule for who the client is (lockouts, /healthz, the API)."""
import pytest
from django.test import RequestFactory

from factcheck.clientip import behind_proxy, client_ip


def request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize("proxies,remote,forwarded,expected", [
    (0, "198.51.100.7", None, "198.51.100.7"),
    (0, "198.51.100.7", "203.0.113.1", "198.51.100.7"),  # not behind a proxy: ignored
    (1, "10.0.0.2", "203.0.113.1", "203.0.113.1"),
    (1, "10.0.0.2", "192.0.2.66, 203.0.113.1", "203.0.113.1"),  # forged left entry
    (2, "10.0.0.3", "192.0.2.66, 203.0.113.1, 10.0.0.2", "203.0.113.1"),
    (2, "10.0.0.3", "203.0.113.1", "203.0.113.1"),  # fewer entries than proxies
    (1, "10.0.0.2", None, "10.0.0.2"),  # no header: the peer
    (1, "10.0.0.2", "not-an-ip", "10.0.0.2"),  # junk: the peer, never the junk
    (1, "10.0.0.2", " 2001:db8::1 ", "2001:db8::1"),
    (0, "", None, None),
])
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.NUM_PROXIES = proxies
    assert client_ip(request(remote, forwarded)) == expected


def test_behind_proxy(settings):
    settings.NUM_PROXIES = 0
    assert not behind_proxy()
    settings.NUM_PROXIES = 1
    assert behind_proxy()
