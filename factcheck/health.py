"""/healthz: is the database answering, and is the task broker reachable?"""
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BROKER_TIMEOUT = 2.0


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the reason is reported
        return {"status": "down", "vendor": connection.vendor, "error": _reason(exc)}
    return {"status": "up", "vendor": connection.vendor}


def broker_status():
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".healthz"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            return {"status": "down", "transport": "filesystem", "error": _reason(exc)}
        return {"status": "up", "transport": "filesystem"}
    client = redis.Redis.from_url(
        url, socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"status": "down", "transport": "redis", "error": _reason(exc)}
    finally:
        client.close()
    return {"status": "up", "transport": "redis"}


def _reason(exc):
    # The first line is enough to act on and never carries a password from a URL.
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".strip()


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_status(), "broker": broker_status()}
    down = [name for name, check in checks.items() if check["status"] != "up"]
    body = {"status": "down" if down else "ok", "down": down, **checks}
    return JsonResponse(body, status=503 if down else 200)
