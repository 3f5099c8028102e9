"""Addresses under /api/v1/ that match no endpoint answer a JSON 404, whatever the method:
never Django's CSRF page (HTML 403) for a write to an unknown path."""
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

UNKNOWN = ["/api/v1/no-such-thing/", "/api/v1/claims/abc/", "/api/v1/verdicts/%C2%84/",
           "/api/v1/claims/1/nope/", "/api/v1/claims", "/api/v1/reviews/%0A/",
           "/api/v1/claims/1%0A/"]
METHODS = ["get", "post", "put", "patch", "delete", "options"]


@pytest.mark.parametrize("path", UNKNOWN)
@pytest.mark.parametrize("method", METHODS)
def test_unknown_paths_are_json_404_for_every_method(path, method):
    # A browser-like client: the CSRF check is enforced, as it is for real requests.
    client = Client(enforce_csrf_checks=True)
    if method == "get":
        response = client.get(path)
    else:
        response = getattr(client, method)(path, data="{}", content_type="application/json")
    assert response.status_code == 404, response.content[:200]
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_head_of_unknown_path_is_404():
    response = Client(enforce_csrf_checks=True).head("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
