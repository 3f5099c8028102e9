"""Token auth for scripts: `manage.py issue_token USERNAME` prints one, `--revoke` ends it;
browsers use the session."""
import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def issue(*args):
    out = io.StringIO()
    call_command("issue_token", *args, stdout=out)
    return out.getvalue().strip()


def test_issued_token_authenticates_until_revoked(fact_checker, seeded):
    key = issue("fiona")
    assert len(key) == 40 and issue("fiona") == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/reviews/").status_code == 200
    assert "Revoked" in issue("fiona", "--revoke")
    assert client.get("/api/v1/reviews/").status_code == 401
    assert issue("fiona") != key


def test_unknown_or_inactive_users(fact_checker):
    with pytest.raises(CommandError, match="no user"):
        issue("ghost")
    fact_checker.is_active = False
    fact_checker.save()
    with pytest.raises(CommandError, match="inactive"):
        issue("fiona")


def test_browser_sessions_work_and_need_csrf(fact_checker, seeded):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(fact_checker)
    assert client.get("/api/v1/reviews/").status_code == 200
    refused = client.post("/api/v1/claims/", {"text": "x"}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
