import json
import socket


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
