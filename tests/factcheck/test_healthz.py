import json
import socket

import pytest

from tests.data.desk import make_user


def test_healthz_reports_database_and_broker_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok" and body["down"] == []
    assert body["database"] == {"status": "up", "vendor": "postgresql"}
    assert body["broker"] == {"status": "up", "transport": "redis"}


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_names_the_broker_when_it_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["down"] == ["broker"]
    assert body["broker"]["status"] == "down" and "Connection" in body["broker"]["error"]
    assert body["database"]["status"] == "up"


def test_healthz_names_the_database_when_it_is_down(db, client, monkeypatch):
    from django.db import OperationalError

    class RefusingConnection:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("connection refused")

    # Only the health check's view of the database goes down; the test's own stays up.
    monkeypatch.setattr("factcheck.health.connection", RefusingConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["down"] == ["database"]
    assert body["database"]["error"] == "OperationalError: connection refused"


def test_healthz_never_cached_and_get_only(client, db):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
    assert client.post("/healthz").status_code == 405


# --- who learns what: the public gets up or down, operators get the details -------------

PUBLIC = {"REMOTE_ADDR": "203.0.113.9"}


def test_the_public_learns_only_up_or_down(client, db):
    response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


def test_the_public_learns_only_that_it_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "down"}


def test_the_public_learns_nothing_when_the_database_is_down(db, client, monkeypatch):
    from django.db import OperationalError

    class RefusingConnection:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("connection refused to db.internal:5432")

    monkeypatch.setattr("factcheck.health.connection", RefusingConnection())
    response = client.get("/healthz", **PUBLIC)
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "down"}


def test_signed_in_staff_see_the_details_from_anywhere(client, db):
    client.force_login(make_user("ops", is_staff=True))
    body = json.loads(client.get("/healthz", **PUBLIC).content)
    assert body["database"] == {"status": "up", "vendor": "postgresql"}
    assert body["broker"] == {"status": "up", "transport": "redis"}


def test_signed_in_non_staff_are_the_public(client, db):
    client.force_login(make_user("reader"))
    assert json.loads(client.get("/healthz", **PUBLIC).content) == {"status": "ok"}


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.53", "::1"])
def test_callers_on_this_machine_see_the_details(client, db, settings, address):
    settings.NUM_PROXIES = 0
    body = json.loads(client.get("/healthz", REMOTE_ADDR=address).content)
    assert body["database"]["vendor"] == "postgresql"


def test_behind_a_proxy_loopback_proves_nothing(client, db, settings):
    # The proxy connects over loopback for everyone: the public must not see details.
    settings.NUM_PROXIES = 1
    response = client.get("/healthz", REMOTE_ADDR="127.0.0.1",
                          HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert json.loads(response.content) == {"status": "ok"}
    response = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert json.loads(response.content) == {"status": "ok"}
