"""Date and date-time filters of every API list, and the claim list's cursor: a value
PostgreSQL cannot take (an offset past ±15:59, a date pushed out of range by its offset) is
a 400 problem, never a 500 "time zone displacement out of range"."""
import base64
from urllib.parse import urlencode

import django_filters
import pytest

from api.filters import UtcIsoDateTimeField

from .discovery import filters_of, list_filtersets
from .test_errors import assert_problem

pytestmark = pytest.mark.django_db

DATE_FILTERS = (django_filters.DateFilter, django_filters.DateTimeFilter,
                django_filters.DateFromToRangeFilter, django_filters.DateTimeFromToRangeFilter,
                django_filters.IsoDateTimeFromToRangeFilter)

INVALID = [
    "2024-01-01T00:00:00+99:00", "2024-01-01T00:00:00+16:00", "2024-01-01T00:00:00-16:00",
    "2024-01-01T00:00:00+20:00", "2024-01-01T00:00:00-23:59", "2024-01-01T00:00:00+24:00",
    "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2024-01-01T00:00:00+99",
    "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-01-01T25:00:00Z", "yesterday",
    "99999-01-01T00:00:00Z", "2024-01-01T00:00:00+15:60", "-2024-01-01T00:00:00Z",
]
VALID = ["2024-01-01T00:00:00+15:59", "2024-01-01T00:00:00-15:59", "2024-01-01T00:00:00Z",
         "2024-01-01", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
         "2024-01-01T00:00:00.123456+05:30"]

DATE_FILTERED = [
    (url, name, anonymous)
    for url, filterset, anonymous in list_filtersets()
    for name in filters_of(filterset, *DATE_FILTERS)
]


def test_every_date_filter_is_found_and_safe():
    assert ("/api/v1/claims/", "updated_since", False) in DATE_FILTERED
    assert ("/api/v1/verdicts/", "updated_since", False) in DATE_FILTERED
    for url, filterset, _anonymous in list_filtersets():
        for name, flt in filters_of(filterset, *DATE_FILTERS).items():
            assert issubclass(flt.field_class, UtcIsoDateTimeField), (url, name)


@pytest.fixture
def clients(anon, client_for, fact_checker, seeded):
    return {False: client_for(fact_checker), True: anon}


@pytest.mark.parametrize("url,name,anonymous", DATE_FILTERED)
def test_out_of_range_dates_are_400(clients, url, name, anonymous):
    client = clients[anonymous]
    for value in INVALID:
        body = assert_problem(client.get(url, {name: value}), 400)
        assert name in body["errors"], value
    for value in VALID:
        response = client.get(url, {name: value})
        assert response.status_code == 200, (value, response.content[:300])


def test_the_offset_message_says_what_is_allowed(clients):
    body = assert_problem(
        clients[False].get("/api/v1/claims/", {"updated_since": "2024-01-01T00:00:00+20:00"}),
        400)
    assert "-15:59 and +15:59" in body["errors"]["updated_since"][0]


def _cursor(position, **extra):
    tokens = {"p": position, **extra}
    return base64.b64encode(urlencode(tokens).encode()).decode()


@pytest.mark.parametrize("params", [
    {}, {"ordering": "priority"}, {"ordering": "-created_at"}, {"q": "Ukraine"},
])
@pytest.mark.parametrize("position", [
    "2024-01-01T00:00:00+20:00", "2024-01-01 00:00:00+99:00", "0001-01-01T00:00:00+05:00",
    "x", "", "nan", "inf", "1e999", "9" * 30, "-1", "\u202e", "2024-02-30",
])
def test_forged_cursor_positions_are_invalid_cursors(clients, params, position):
    response = clients[False].get("/api/v1/claims/", {**params, "cursor": _cursor(position)})
    assert response.status_code in (200, 404), (position, response.content[:300])
    if response.status_code == 404:
        assert_problem(response, 404)


def test_a_real_cursor_still_pages(clients):
    first = clients[False].get("/api/v1/claims/", {"page_size": 2}).json()
    assert first["next"]
    second = clients[False].get(first["next"])
    assert second.status_code == 200
    ids = {c["id"] for c in first["results"]} & {c["id"] for c in second.json()["results"]}
    assert not ids
