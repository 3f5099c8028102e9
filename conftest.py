"""Stop at once, with the command to fix it, when PostgreSQL or Redis is down."""
import socket
from urllib.parse import urlsplit

import pytest

HOW_TO_START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" '
    "--appendonly no",
}


def _reachable(url, default_port):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def pytest_configure(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    down = []
    if database["ENGINE"] != "django.db.backends.postgresql":
        down.append(("PostgreSQL", "DATABASE_URL must name a PostgreSQL database"))
    elif not _reachable(f"//{database['HOST']}:{database['PORT'] or 5432}", 5432):
        down.append(("PostgreSQL", f"{database['HOST']}:{database['PORT'] or 5432}"))
    if not settings.REDIS_URL or not _reachable(settings.REDIS_URL, 6379):
        down.append(("Redis", settings.REDIS_URL or "REDIS_URL is not set"))
    if down:
        lines = [f"{name} is not reachable ({where}). Start it with:\n    {HOW_TO_START[name]}"
                 for name, where in down]
        pytest.exit("The test suite needs the real services.\n" + "\n".join(lines), returncode=3)
