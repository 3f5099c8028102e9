"""The web container's healthcheck passes with the settings .env.example suggests.

The settings are computed by factcheck/settings.py itself (in a fresh interpreter, from
.env.example's values as docker-compose passes them), then the healthcheck's exact request
(factcheck/healthcheck.py) is replayed against the app under those settings.
"""
import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import yaml

from factcheck.healthcheck import healthcheck_host, healthcheck_request

from .test_settings import BASE_ENV, ROOT, env_example

pytestmark = pytest.mark.django_db

SETTINGS_OF_INTEREST = [
    "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT",
    "NUM_PROXIES", "SECURE_HSTS_SECONDS",
]


@pytest.fixture(scope="module")
def env_example_settings():
    values = {**env_example(), "SECRET_KEY": "k3y-" + "Zq8!vR2#pL9@wX5$" * 4}  # filled in
    code = ("import json, django; from django.conf import settings as s; django.setup(); "
            f"print(json.dumps({{n: getattr(s, n) for n in {SETTINGS_OF_INTEREST!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**BASE_ENV, **values, "DEBUG": "false"})
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    if got["SECURE_PROXY_SSL_HEADER"]:
        got["SECURE_PROXY_SSL_HEADER"] = tuple(got["SECURE_PROXY_SSL_HEADER"])
    assert got["SECURE_SSL_REDIRECT"], ".env.example is meant to exercise HTTPS_ONLY"
    return values, got


def replay(client, request):
    """Send urllib `request` through Django's test client, from loopback as in the
    container."""
    parts = urlsplit(request.full_url)
    return client.get(parts.path, headers=dict(request.header_items()), REMOTE_ADDR=parts.hostname)


def test_the_healthcheck_passes_with_env_example_settings(client, settings, env_example_settings):
    values, computed = env_example_settings
    for name, value in computed.items():
        setattr(settings, name, value)
    response = replay(client, healthcheck_request(environ=values))
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["status"] == "ok"


def test_the_old_bare_request_failed_with_those_settings(client, settings, env_example_settings):
    values, computed = env_example_settings
    for name, value in computed.items():
        setattr(settings, name, value)
    # What the healthcheck used to send: Host 127.0.0.1:8000, plain http.
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.get("/healthz", HTTP_HOST=values["ALLOWED_HOSTS"]).status_code == 301


def test_the_healthcheck_passes_with_compose_defaults(client, settings):
    # No .env at all: ALLOWED_HOSTS defaults to localhost,127.0.0.1, HTTPS_ONLY off.
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    response = replay(client, healthcheck_request(environ={}))
    assert response.status_code == 200


@pytest.mark.parametrize("allowed,expected", [
    ("factcheck.example.org", "factcheck.example.org"),
    (" a.example , b.example", "a.example"),
    (".example.org", "example.org"),
    ("*", "localhost"),
    ("*,desk.example", "desk.example"),
    ("", "localhost"),
])
def test_healthcheck_host(allowed, expected):
    assert healthcheck_host(allowed) == expected


def test_compose_runs_this_healthcheck():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["web"]["healthcheck"]["test"] == [
        "CMD", "python", "factcheck/healthcheck.py"
    ]
    environment = compose["x-app"]["environment"]
    for name in ("ALLOWED_HOSTS", "HTTPS_ONLY", "NUM_PROXIES"):
        assert name in environment


def run_healthcheck(port, **env):
    return subprocess.run(
        [sys.executable, str(ROOT / "factcheck" / "healthcheck.py"), str(port)],
        capture_output=True, text=True, timeout=30, env={"PATH": os.environ["PATH"], **env},
    )


def test_the_healthcheck_command_against_a_running_app(live_server, settings,
                                                       env_example_settings):
    values, computed = env_example_settings
    for name, value in computed.items():
        setattr(settings, name, value)
    port = urlsplit(live_server.url).port
    result = run_healthcheck(port, ALLOWED_HOSTS=values["ALLOWED_HOSTS"])
    assert result.returncode == 0, result.stderr
    # The command compose used to run, against the same app: refused.
    old = subprocess.run(
        [sys.executable, "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen("
         f"'http://127.0.0.1:{port}/healthz', timeout=5).status != 200)"],
        capture_output=True, text=True, timeout=30,
    )
    assert old.returncode != 0


def test_the_healthcheck_command_fails_fast_when_nothing_answers():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_healthcheck(port)
    assert result.returncode == 1
    assert result.stderr.startswith("healthcheck:")
