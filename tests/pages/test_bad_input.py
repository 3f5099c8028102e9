"""Hostile or merely odd input on every list filter, public and admin: never a 5xx.

The filters are discovered from the code (claims.pages.FILTERS and the form /checks/
renders; each registered ModelAdmin's changelist filter specs and autocomplete fields), so
a filter added later is covered without touching this file, and a test fails if the
public form grows a field the discovery does not know about.

Text holding NUL is refused as a whole request (400, factcheck/middleware.py): PostgreSQL
cannot store or compare it. Anything else may be ignored, match nothing, or be refused
with a 4xx, but never crash.
"""
import inspect
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory

from claims.pages import FILTERS
from tests.discovery import admin_autocompletes

pytestmark = pytest.mark.django_db

NUL = "%00"
# Raw, already percent-encoded query values: what a browser, a crawler or a fuzzer sends.
# One of each kind of trouble (a slow suite is a suite nobody runs).
BAD_VALUES = {
    "over-long": "x" * 5000,
    "huge number": "9" * 40,
    "huge negative": "-" + "9" * 40,
    "exponent": "1e309",
    "superscript digit": quote("²"),  # str.isdigit() is True, int() refuses it
    "arabic-indic digits": quote("١٢٣"),  # str.isdigit() is True, int() reads 123
    "rtl override": quote("\u202eevil\u202c"),
    "combining marks": quote("e" + "\u0301" * 50),
    "emoji": quote("🏳️‍🌈😀"),
    "like wildcards": quote("%_\\'"),
    "invalid utf-8": "%ff%fe%ed%a0%80",
    "empty": "",
}
# Parameters every page may be sent, whatever its filters.
PUBLIC_EXTRA = ("page",)
# Django's own changelist parameters: tried on one changelist, not on each.
ADMIN_GENERIC = ("o", "p", "all", "e", "_to_field")
GENERIC_ON = "/admin/claims/claim/"


def _assert_no_server_error(response, url):
    assert response.status_code < 500, f"{response.status_code} on {url[:200]}"


# --- public: /checks/ ----------------------------------------------------------------


PUBLIC_PARAMS = (*FILTERS, *PUBLIC_EXTRA)


def test_the_public_form_has_no_filter_this_file_does_not_try(client, published_seed_claim):
    html = client.get("/checks/").content.decode()
    form = re.search(r'<form class="search".*?</form>', html, re.S).group(0)
    names = set(re.findall(r'\bname="([^"]+)"', form))
    assert names, "the search form was not found"
    assert names <= set(PUBLIC_PARAMS), f"untested filters: {names - set(PUBLIC_PARAMS)}"


@pytest.mark.parametrize("param", PUBLIC_PARAMS)
def test_nul_in_a_public_filter_is_400(client, published_seed_claim, param):
    for query in (f"{param}={NUL}", f"{param}=a{NUL}b", f"{NUL}{param}=x"):
        response = client.get(f"/checks/?{query}")
        assert response.status_code == 400, query
        assert b"Bad Request" in response.content


@pytest.mark.parametrize("param", PUBLIC_PARAMS)
def test_bad_values_on_public_filters_are_never_a_server_error(
    client, published_seed_claim, param
):
    for name, value in BAD_VALUES.items():
        url = f"/checks/?{param}={value}"
        response = client.get(url)
        _assert_no_server_error(response, f"{name}: {url}")
        if param in FILTERS:
            assert response.status_code == 200, f"{name}: {url}"


def test_every_filter_bad_at_once(client, published_seed_claim):
    for value in BAD_VALUES.values():
        url = "/checks/?" + "&".join(f"{p}={value}" for p in PUBLIC_PARAMS)
        _assert_no_server_error(client.get(url), url)


@pytest.mark.parametrize("url", [
    "/sitemap.xml?p={}", "/feeds/checks.atom?q={}", "/methodology/?x={}",
    "/checks/ukraine-supports-terrorism-in-africa/?x={}",
])
def test_other_public_pages_shrug_off_bad_query_strings(client, published_seed_claim, url):
    for value in BAD_VALUES.values():
        _assert_no_server_error(client.get(url.format(value)), url)
    assert client.get(url.format(NUL)).status_code == 400


# --- admin: every registered changelist's filters and every autocomplete --------------


def _ours(model_admin):
    # Admins this project writes; Django's, DRF's and axes' (users, tokens, login
    # attempts) are theirs to test.
    path = Path(inspect.getfile(type(model_admin))).resolve()
    return path.is_relative_to(settings.BASE_DIR) and "site-packages" not in path.parts


def _changelists():
    """{url: model admin} for each changelist this project defines."""
    return {
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/": model_admin
        for model, model_admin in admin.site._registry.items() if _ours(model_admin)
    }


def _changelist_params(url):
    """The parameters the changelist at `url` reads: its filters' own parameters, the
    field names behind them, its search box, and (on one changelist) Django's own. Filter
    specs query the database, so this runs inside a test, not at collection."""
    from django.contrib.auth import get_user_model

    model_admin = _changelists()[url]
    request = RequestFactory().get(url)
    request.user = get_user_model()(username="probe", is_superuser=True, is_staff=True)
    params = set(ADMIN_GENERIC) if url == GENERIC_ON else set()
    if model_admin.get_search_fields(request):
        params.add("q")
    for spec in model_admin.get_changelist_instance(request).filter_specs:
        params.update(spec.expected_parameters())
    for entry in model_admin.get_list_filter(request):
        field = entry[0] if isinstance(entry, tuple) else entry
        if isinstance(field, str):
            params.add(field)  # ?state=... as well as ?state__exact=...
    return sorted(params)


def test_discovery_finds_the_queue_filters(db):
    assert {"/admin/claims/claim/", "/admin/evidence/source/"} <= set(_changelists())
    claim_params = _changelist_params("/admin/claims/claim/")
    for expected in ("state", "state__exact", "claimant", "rating", "assignee", "tags", "q"):
        assert expected in claim_params
    assert ("claims", "claim", "claimants") in admin_autocompletes()


@pytest.fixture
def admin_client_seeded(admin_client, published_seed_claim):
    return admin_client


@pytest.mark.parametrize("url", sorted(_changelists()))
def test_nul_in_an_admin_filter_is_400(admin_client_seeded, url):
    for param in _changelist_params(url):
        response = admin_client_seeded.get(f"{url}?{param}={NUL}")
        assert response.status_code == 400, f"{url}?{param}=%00"
        assert b"Bad Request" in response.content


@pytest.mark.parametrize("url", sorted(_changelists()))
def test_bad_values_on_admin_filters_are_never_a_server_error(admin_client_seeded, url):
    for param in _changelist_params(url):
        for name, value in BAD_VALUES.items():
            full = f"{url}?{param}={value}"
            _assert_no_server_error(admin_client_seeded.get(full), f"{name}: {full}")


def _autocomplete_url(app_label, model_name, field_name):
    return (f"/admin/autocomplete/?app_label={app_label}&model_name={model_name}"
            f"&field_name={field_name}")


@pytest.mark.parametrize("app_label,model_name,field_name", admin_autocompletes())
def test_admin_autocomplete_shrugs_off_bad_terms(
    admin_client_seeded, app_label, model_name, field_name
):
    base = _autocomplete_url(app_label, model_name, field_name)
    assert admin_client_seeded.get(f"{base}&term=a{NUL}").status_code == 400
    for name, value in BAD_VALUES.items():
        full = f"{base}&term={value}"
        _assert_no_server_error(admin_client_seeded.get(full), f"{name}: {full}")


@pytest.mark.parametrize("param", ["app_label", "model_name", "field_name", "page"])
def test_admin_autocomplete_shrugs_off_bad_parameters(admin_client_seeded, param):
    base = _autocomplete_url("claims", "claim", "claimants") + "&term=a&page=1"
    for value in (NUL, *BAD_VALUES.values()):
        full = re.sub(rf"\b{param}=[^&]*", f"{param}={value}", base)
        response = admin_client_seeded.get(full)
        _assert_no_server_error(response, full)
        if value == NUL:
            assert response.status_code == 400, full


def test_nul_in_a_posted_admin_form_is_400(admin_client_seeded):
    response = admin_client_seeded.post("/admin/claims/tag/add/", {"name": "a\x00b", "slug": "ab"})
    assert response.status_code == 400
    response = admin_client_seeded.post("/admin/claims/tag/add/", {"na\x00me": "x"})
    assert response.status_code == 400


def test_nul_in_the_api_query_string_stays_problem_json(client, db):
    response = client.get(f"/api/v1/claims/?q={NUL}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 400 and body["title"] and body["detail"]
