"""/healthz: is the database answering, and is the task broker reachable?

Anyone may ask whether the site is up; only the operators learn why not. The details
(database vendor, broker transport, error messages) go to signed-in staff and to callers
on this machine (a container's own healthcheck, an operator's curl), never to the public,
to whom they would describe our stack. Behind a reverse proxy (NUM_PROXIES > 0) every
connection comes from the proxy, often over loopback, so loopback proves nothing there
and only staff see details.
"""
import ipaddress
from pathlib import Path

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .clientip import behind_proxy, client_ip

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


def _from_this_machine(request):
    if behind_proxy():
        return False
    address = client_ip(request)
    return address is not None and ipaddress.ip_address(address).is_loopback


def _staff(request):
    # Without a session cookie there is nobody to look up; with one, the lookup needs the
    # database, which may be the very thing that is down: then the caller is the public.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    try:
        return request.user.is_active and request.user.is_staff
    except DatabaseError:
        return False


def may_see_details(request):
    return _from_this_machine(request) or _staff(request)


@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_status(), "broker": broker_status()}
    down = [name for name, check in checks.items() if check["status"] != "up"]
    body = {"status": "down" if down else "ok"}
    if may_see_details(request):
        body.update({"down": down, **checks})
    return JsonResponse(body, status=503 if down else 200)
