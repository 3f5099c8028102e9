"""Settings for the test suite: the production settings, fed test-run defaults.

Tests run against the real PostgreSQL and Redis. Set DATABASE_URL or REDIS_URL to point
the suite elsewhere (pytest-django prefixes the database name with test_).
"""
import os

TEST_REDIS = "redis://127.0.0.1:6379/15"

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/factcheck")
os.environ.setdefault("REDIS_URL", TEST_REDIS)
# Under pytest-xdist each worker process has its own PostgreSQL database (pytest-django
# suffixes it) and, here, its own Redis database: a Celery worker one of them starts never
# takes the other's tasks, and cache keys never meet. (The workers inherit the default
# from the controlling process, which read this file first.)
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
if _xdist_worker.startswith("gw") and os.environ["REDIS_URL"] == TEST_REDIS:
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:6379/{15 - int(_xdist_worker[2:]) % 8}"
os.environ.setdefault("DEBUG", "false")

from .settings import *  # noqa: E402,F403

# Hashing passwords slowly buys nothing in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Manifest storage needs collectstatic; tests serve static files from the finders.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
