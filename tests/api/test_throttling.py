"""Throttles count in the shared cache (Redis), per client address that a client cannot
forge, and failed token sign-ins are throttled per address too."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory, override_settings
from rest_framework.request import Request

from api.throttling import AnonThrottle

from .test_errors import assert_problem

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def rates(**scopes):
    current = settings.REST_FRAMEWORK
    return override_settings(REST_FRAMEWORK={**current, "DEFAULT_THROTTLE_RATES": {
        **current["DEFAULT_THROTTLE_RATES"], **scopes}})


def anonymous_request(address):
    from django.contrib.auth.models import AnonymousUser

    request = Request(RequestFactory().get("/api/v1/claims/", REMOTE_ADDR=address))
    request.user = AnonymousUser()
    return request


def test_the_cache_is_redis_when_redis_is_configured():
    assert os.environ.get("REDIS_URL"), "the suite runs on the real Redis"
    assert isinstance(caches["default"], RedisCache)
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL


def test_two_processes_share_one_count():
    # Two throttles, each with its own connection to the cache, as two gunicorn workers.
    worker_a, worker_b = AnonThrottle(), AnonThrottle()
    worker_a.cache = caches.create_connection("default")
    worker_b.cache = caches.create_connection("default")
    assert worker_a.cache is not worker_b.cache
    request = anonymous_request("203.0.113.7")
    with rates(anon="4/minute"):
        allowed = [throttle.allow_request(request, None)
                   for throttle in (worker_a, worker_b, worker_a, worker_b, worker_a, worker_b)]
    assert allowed == [True] * 4 + [False] * 2


def test_a_real_second_process_counts_against_the_same_limit(anon):
    address = "203.0.113.8"
    script = (
        "import django; django.setup()\n"
        "from django.contrib.auth.models import AnonymousUser\n"
        "from django.test import RequestFactory\n"
        "from rest_framework.request import Request\n"
        "from api.throttling import AnonThrottle\n"
        f"r = Request(RequestFactory().get('/', REMOTE_ADDR='{address}'))\n"
        "r.user = AnonymousUser()\n"
        "print(sum(AnonThrottle().allow_request(r, None) for _ in range(3)))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "factcheck.test_settings",
           "API_THROTTLE_ANON": "5/minute",
           "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"]}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "3", done.stderr
    with rates(anon="5/minute"):
        codes = [anon.get("/api/v1/claims/", REMOTE_ADDR=address).status_code
                 for _ in range(3)]
    assert codes == [200, 200, 429]


def test_rotating_x_forwarded_for_does_not_evade_the_limit(anon, seeded):
    assert settings.NUM_PROXIES == 0
    with rates(anon="3/minute"):
        codes = [anon.get("/api/v1/claims/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
                 for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_behind_one_proxy_only_the_address_it_saw_counts(anon, seeded):
    with rates(anon="2/minute"), override_settings(NUM_PROXIES=1):
        # What the client put before the proxy's entry is ignored.
        codes = [anon.get("/api/v1/claims/",
                          HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 192.0.2.1").status_code
                 for i in range(3)]
        assert codes == [200, 200, 429]
        other = anon.get("/api/v1/claims/", HTTP_X_FORWARDED_FOR="10.9.9.1, 192.0.2.2")
        assert other.status_code == 200


def test_bad_tokens_are_throttled_per_address(anon, client_for, fact_checker, seeded):
    good = client_for(fact_checker)
    with rates(auth_failure="3/minute"):
        anon.credentials(HTTP_AUTHORIZATION="Token wrong-token")
        codes = [anon.get("/api/v1/claims/").status_code for _ in range(3)]
        assert codes == [401, 401, 401]
        response = anon.get("/api/v1/claims/", HTTP_AUTHORIZATION="Token another-guess")
        assert_problem(response, 429)
        assert int(response["Retry-After"]) > 0
        # Even a right token is not looked at from there until the window ends, so a
        # correct guess cannot be told apart...
        assert good.get("/api/v1/claims/").status_code == 429
        # ...but the same user elsewhere, and clients sending no token, are not affected.
        assert good.get("/api/v1/claims/", REMOTE_ADDR="192.0.2.99").status_code == 200
        anon.credentials()
        assert anon.get("/api/v1/claims/").status_code == 200


def test_good_tokens_do_not_count_as_failures(client_for, fact_checker, seeded):
    good = client_for(fact_checker)
    with rates(auth_failure="2/minute"):
        assert [good.get("/api/v1/claims/").status_code for _ in range(4)] == [200] * 4


def test_an_unreachable_cache_lets_requests_through(anon, seeded):
    unreachable = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=unreachable), rates(anon="1/minute"):
        codes = [anon.get("/api/v1/claims/").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
