"""Every kind of response carries the Content-Security-Policy (django-csp, settings.py).

tests/pages/test_csp_browser.py proves in Chromium that the pages work under it.
"""
import re

import pytest

from tests.data.desk import make_user

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in header.split(";"))


def assert_strict(response, url):
    directives = policy(response)
    for name, value in STRICT.items():
        assert directives.get(name) == value, (url, name, directives)
    script = directives["script-src"].split()
    assert script[0] == "'self'" and all(
        source.startswith("'nonce-") for source in script[1:]
    ), (url, script)
    for name in ("style-src", "style-src-elem"):
        assert "unsafe" not in directives[name], (url, name, directives)


@pytest.fixture
def superuser_client(client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


PUBLIC = [
    ("/checks/", 200), ("/checks/ukraine-supports-terrorism-in-africa/", 200),
    ("/methodology/", 200), ("/feeds/checks.atom", 200), ("/sitemap.xml", 200),
    ("/checks/no-such-claim/", 404), ("/checks/?q=%00", 400), ("/healthz", 200),
    ("/admin/login/", 200), ("/admin/", 302), ("/archive/snapshots/1/text/", 301),
    ("/archive/999/", 404), ("/.well-known/evidence-pack-keys.json", 200),
    ("/api/v1/", 200), ("/api/v1/claims/?q=%00", 400), ("/api/v1/nowhere", 404),
    ("/api/v1/docs/", 200), ("/api/v1/schema/", 200),
]


@pytest.mark.parametrize("url,status", PUBLIC)
def test_every_page_type_has_the_policy(client, published_seed_claim, url, status):
    response = client.get(url)
    assert response.status_code == status, url
    assert_strict(response, url)


@pytest.mark.parametrize("url", [
    "/admin/", "/admin/claims/claim/", "/admin/claims/claim/add/",
    "/admin/claims/claim/{pk}/change/", "/admin/evidence/source/",
    "/admin/autocomplete/?app_label=claims&model_name=claim&field_name=claimants&term=a",
])
def test_admin_pages_have_the_policy(superuser_client, published_seed_claim, url):
    response = superuser_client.get(url.format(pk=published_seed_claim.pk))
    assert response.status_code in (200, 302), url
    assert_strict(response, url)


def test_forbidden_and_locked_out_pages_have_the_policy(client, published_seed_claim):
    client.force_login(make_user("roleless", is_staff=True))
    response = client.get("/admin/claims/claim/")
    assert response.status_code == 403
    assert_strict(response, "403")
    client.logout()
    make_user("stella", is_staff=True)
    for _ in range(11):
        response = client.post("/admin/login/", {"username": "stella", "password": "no"})
    assert response.status_code == 429
    assert_strict(response, "429")


def test_inline_scripts_carry_the_responses_nonce(client, db):
    response = client.get("/api/v1/docs/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    inline = [(tag, attributes) for tag, attributes in
              re.findall(r"<(script|style)(\s[^>]*)?>(?!\s*</)", html)
              if "src=" not in attributes]
    assert {tag for tag, _ in inline} == {"script", "style"}, "Swagger UI's page has both"
    for tag, attributes in inline:
        assert f'nonce="{nonce}"' in attributes, (tag, attributes)
    # A new nonce on every response.
    assert nonce not in client.get("/api/v1/docs/")["Content-Security-Policy"]


def test_only_redoc_may_inject_styles(client, db):
    directives = policy(client.get("/api/v1/redoc/"))
    assert "'unsafe-inline'" in directives["style-src-elem"]
    assert "unsafe" not in directives["script-src"]
    assert "'unsafe-inline'" not in policy(client.get("/api/v1/docs/"))["style-src-elem"]
