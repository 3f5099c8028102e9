"""Rate limits: per user, per anonymous client address, and on failed token sign-ins.

Counts live in the default cache, which is Redis whenever REDIS_URL is set
(factcheck/settings.py): every gunicorn worker and every web container counts together, so
a limit of 120 a minute is 120, not 120 per process. Each count is a fixed one-window
counter incremented atomically (Redis INCR), so concurrent requests never lose a hit.

The client's address is factcheck.clientip.client_ip's: REMOTE_ADDR unless NUM_PROXIES
proxies are declared, so a client cannot mint a fresh address per request with
X-Forwarded-For. Rates are read on every request, so a deployment (or a test) that
changes the settings is obeyed.
"""
import logging
import time

from django.core.cache import cache as default_cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from factcheck.clientip import client_ip

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """"120/minute" -> (120, 60), as DRF spells rates."""
    num, period = rate.split("/")
    return int(num), PERIODS[period[0]]


def client_address(request):
    """Whom anonymous limits count: the client's address (never a forged header)."""
    return client_ip(request) or "unknown"


class SharedRateThrottle(BaseThrottle):
    """At most the `scope` rate ("120/minute") of requests per `get_ident` in each window,
    counted in the shared cache."""

    scope = None
    # The default cache (a proxy: it follows settings.CACHES); a test may give an instance
    # a connection of its own, as another process would have.
    cache = default_cache

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        """Who is counted, or None for requests this throttle does not count."""
        raise NotImplementedError

    def limits(self):
        """(allowed requests, window in seconds), or None when the scope has no rate."""
        rate = self.get_rate()
        return parse_rate(rate) if rate else None

    def _key(self, ident, duration, now):
        return f"throttle:{self.scope}:{ident}:{int(now // duration)}"

    def _wait(self, duration, now):
        self.wait_seconds = duration - (now % duration)

    def count(self, request, *, add):
        """This window's count for the request's client (after adding `add`), or None when
        not counted. A cache that cannot be reached lets the request through: throttling
        is a guard, never the reason the API is down."""
        limits = self.limits()
        ident = self.get_ident(request) if limits else None
        if ident is None:
            return None
        _num, duration = limits
        now = time.time()
        self._wait(duration, now)
        key = self._key(ident, duration, now)
        try:
            if not add:
                return self.cache.get(key, 0)
            # add() creates the counter only if absent; incr() is atomic (INCR on Redis).
            self.cache.add(key, 0, timeout=duration + 1)
            try:
                return self.cache.incr(key, add)
            except ValueError:  # expired between the two calls: a new window began
                self.cache.add(key, 0, timeout=duration + 1)
                return self.cache.incr(key, add)
        except Exception:  # whatever a cache outage raises (redis.ConnectionError, ...)
            logger.warning("Throttle cache unavailable; not throttling", exc_info=True)
            return None

    def allow_request(self, request, view):
        self.wait_seconds = None
        count = self.count(request, add=1)
        return count is None or count <= self.limits()[0]

    def wait(self):
        return self.wait_seconds


class AnonThrottle(SharedRateThrottle):
    """Requests per anonymous client address, at the `anon` rate."""

    scope = "anon"

    def get_ident(self, request):
        if request.user and request.user.is_authenticated:
            return None
        return client_address(request)


class UserThrottle(SharedRateThrottle):
    """Requests per signed-in user, at the `user` rate."""

    scope = "user"

    def get_ident(self, request):
        if request.user and request.user.is_authenticated:
            return str(request.user.pk)
        return None


class AuthFailureThrottle(SharedRateThrottle):
    """Failed token sign-ins per client address, at the `auth_failure` rate. Used by
    api.authentication, not as a view throttle: it counts failures only."""

    scope = "auth_failure"

    def get_ident(self, request):
        return client_address(request)

    def exhausted(self, request):
        """True when the client has used up its failures for this window."""
        count = self.count(request, add=0)
        return count is not None and count >= self.limits()[0]

    def record_failure(self, request):
        self.count(request, add=1)
