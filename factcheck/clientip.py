"""Who is asking: the client's IP address, the same way everywhere.

Login lockouts (django-axes), /healthz and the API's throttles (DRF, through its
NUM_PROXIES setting) must agree on who the client is, or one of them can be fooled by a
forged X-Forwarded-For. The rule is DRF's: with NUM_PROXIES = 0 the client is the
connection's peer (REMOTE_ADDR) and X-Forwarded-For is ignored; behind N proxies it is
the address the N-th proxy from us saw, i.e. the N-th entry from the right of
X-Forwarded-For (the entries left of it are whatever the client sent).
"""
import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request):
    """The client's IP address as a string, or None when there is no usable one."""
    remote_addr = _valid(request.META.get("REMOTE_ADDR", ""))
    num_proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not num_proxies or not forwarded:
        return remote_addr
    addresses = [part.strip() for part in forwarded.split(",")]
    # A malformed entry (a misconfigured proxy, or a client's own junk when there are fewer
    # entries than proxies) falls back to the peer: never trust what cannot be parsed.
    return _valid(addresses[-min(num_proxies, len(addresses))]) or remote_addr


def behind_proxy():
    """True when requests arrive through reverse proxies: then every connection's peer is
    a proxy, often on loopback, so a loopback REMOTE_ADDR proves nothing."""
    return settings.NUM_PROXIES > 0
