"""Settings are read from the environment, safely: each case runs in a fresh interpreter."""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

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
