"""Settings are read from the environment, safely: each case runs in a fresh interpreter."""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'engine': "
    "s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'broker': s.CELERY_BROKER_URL, 'allow': s.FETCH_ALLOWLIST, "
    "'archives': s.STORAGES['archives']['BACKEND'], 'ssl': s.SECURE_SSL_REDIRECT}))"
)
BASE_ENV = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "VAR_DIR": tempfile.mkdtemp(prefix="factcheck-settings-")}


def load(**env):
    result = subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, env={**BASE_ENV, **env},
        capture_output=True, text=True, timeout=60,
    )
    return result


def test_environment_is_parsed():
    result = load(
        SECRET_KEY="x" * 60, DEBUG="false", ALLOWED_HOSTS="a.example,b.example",
        DATABASE_URL="postgres://u:p@db.internal:5433/fc", REDIS_URL="redis://r:6379/2",
        FETCH_ALLOWLIST="127.0.0.1:8001,localhost:9000", HTTPS_ONLY="true",
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got == {
        "debug": False, "hosts": ["a.example", "b.example"],
        "engine": "django.db.backends.postgresql", "name": "fc",
        "broker": "redis://r:6379/2", "allow": ["127.0.0.1:8001", "localhost:9000"],
        "archives": "django.core.files.storage.FileSystemStorage", "ssl": True,
    }


def test_debug_is_off_and_secret_key_required_by_default():
    result = load()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_local_run_falls_back_to_sqlite_and_filesystem_broker():
    result = load(DEBUG="true")
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["debug"] is True
    assert got["engine"] == "django.db.backends.sqlite3"
    assert got["name"].endswith("factcheck.sqlite3")
    assert got["broker"] == "filesystem://"


def test_s3_archive_storage_by_configuration():
    result = load(SECRET_KEY="x" * 60, ARCHIVE_STORAGE="s3", ARCHIVE_S3_BUCKET="archives")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["archives"] == "storages.backends.s3.S3Storage"


def test_production_settings_pass_the_deploy_check():
    env = {
        **BASE_ENV, "SECRET_KEY": "k3y-" + "Zq8!vR2#pL9@wX5$" * 4, "DEBUG": "false",
        "ALLOWED_HOSTS": "factcheck.example.org", "HTTPS_ONLY": "true",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck"
        ),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def env_example():
    """The values .env.example suggests, as docker-compose would read them."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


@pytest.mark.parametrize("key", [
    env_example()["SECRET_KEY"],
    "change-me", "CHANGEME-please-0123456789-0123456789-0123456789-0123456789",
    "replace-me-with-something-long-and-random-0123456789-0123456789",
    "django-insecure-" + "a" * 50,
    "local-development-only-not-a-secret",
    "secret",
])
def test_placeholder_secret_keys_are_refused_outside_debug(key):
    result = load(SECRET_KEY=key, DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is a placeholder" in result.stderr
    # A local DEBUG run may use anything.
    assert load(SECRET_KEY=key, DEBUG="true").returncode == 0


def test_env_example_does_not_pass_the_deploy_check_until_filled_in():
    env = {**BASE_ENV, **env_example(), "DEBUG": "false"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is a placeholder" in result.stderr


def test_lockout_and_proxy_settings_come_from_the_environment():
    code = ("import json, django; from django.conf import settings as s; django.setup(); "
            "print(json.dumps([s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), "
            "s.NUM_PROXIES]))")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**BASE_ENV, "SECRET_KEY": "x" * 60, "AXES_FAILURE_LIMIT": "5",
             "AXES_COOLOFF_MINUTES": "15", "NUM_PROXIES": "2"},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [5, 900.0, 2]
