"""Hostile input everywhere the API takes input: every filter of every list, every writable
field of every write, and bodies that are not what any write expects.

The values: NUL bytes, strings up to the body limit, deeply nested JSON, odd Unicode (an
RTL override, piles of combining marks, emoji sequences, lone surrogates spelled as JSON
escapes, invalid UTF-8 in the query string), malformed dates and offsets, huge, negative
and non-finite numbers, values of every other JSON type.

Whatever the input: never a 5xx; a refusal is a problem+json 4xx that says what is wrong;
a refused write leaves every table as it was (and the object's version unchanged). The
routes, filters and fields are discovered from the code (tests/api/discovery.py,
tests/api/writable.py), so new ones are covered without touching this file. It takes
about two minutes (marked slow).
"""
import collections
import json
from urllib.parse import quote

import pytest
from django.db import transaction

from api.concurrency import etag_for

from .discovery import list_filtersets, viewsets
from .test_errors import PROBLEM_KEYS
from .writable import UPDATE_TARGET, row_counts, world, writes

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NEAR_BODY_LIMIT = 900_000  # characters: with the rest of the body, under 1 MiB

# Inputs tried, by kind: tests/api/conftest.py prints them at the end of the run.
TRIED = collections.Counter()

# Field values, as JSON text: most from Python values, some only JSON can spell.
FIELD_VALUES = {
    "nul": json.dumps("a\x00b"),
    "nul in a list": json.dumps(["a\x00b"]),
    # Up to the body limit (tests/api/test_large_inputs.py tries more long values).
    "over-long": json.dumps("€" * (NEAR_BODY_LIMIT // 3), ensure_ascii=False),
    "deeply nested": "[" * 1000 + "]" * 1000,
    "nested past the limit": "[" * 40 + "]" * 40,
    "lone surrogate": '"a\\ud800b"',
    "surrogate in a list": '["\\udfff"]',
    "rtl override": json.dumps("\u202egnp.exe", ensure_ascii=False),
    "combining marks": json.dumps("e" + "\u0301" * 200, ensure_ascii=False),
    "emoji": json.dumps("👩‍👩‍👧‍👦🏳️‍🌈😀", ensure_ascii=False),
    "zero-width and BOM": json.dumps("\u200b\u200d\ufeff", ensure_ascii=False),
    "empty": '""',
    "blank": '"   "',
    "malformed date": '"2024-02-30"',
    "year 0": '"0000-01-01"',
    "offset past 15:59": '"2024-01-01T00:00:00+99:00"',
    "offset 20:00": '"2024-01-01T00:00:00+20:00"',
    "not a date": '"yesterday"',
    "huge integer (5000 digits)": "1" + "0" * 5000,
    "2^63": str(2**63),
    "minus 2^63 - 1": str(-(2**63) - 1),
    "negative": "-1",
    "zero": "0",
    "minus zero": "-0.0",
    "fraction": "1.5",
    "1e999 (infinite)": "1e999",
    "NaN": "NaN",
    "true": "true",
    "null": "null",
    "object": '{"a": 1}',
    "list of numbers": "[1, 2, 3]",
    "numeric string": '"12"',
}
# Values no field may take, whatever it is.
ALWAYS_REFUSED = {
    "nul", "nul in a list", "over-long", "deeply nested", "nested past the limit",
    "lone surrogate", "surrogate in a list", "huge integer (5000 digits)",
    "1e999 (infinite)", "NaN",
}

# Whole bodies that no write takes as they are.
BODIES = {
    "a list": "[]",
    "a number": "1",
    "a string": '"claim"',
    "null": "null",
    "deeply nested": "[" * 1000 + "]" * 1000,
    "deep objects": '{"a":' * 10_000 + "1" + "}" * 10_000,
    "truncated": '{"text": "x"',
    "trailing garbage": '{"text": "x"} x',
    "invalid UTF-8": b'{"text": "\xff\xfe"}',
    "UTF-8 BOM": '\ufeff{"text": "x"}',
    "empty": "",
    "lone surrogate key": '{"\\ud800": 1}',
    "huge number": '{"priority": ' + "9" * 5000 + "}",
}

# Query values, percent-encoded as sent.
QUERY_VALUES = {
    "nul": "a%00b",
    "over-long": "x" * 60_000,
    "rtl override": quote("\u202egnp.exe"),
    "combining marks": quote("e" + "\u0301" * 200),
    "emoji": quote("👩‍👩‍👧‍👦😀"),
    "surrogate as UTF-8 bytes": "%ED%A0%80",
    "invalid UTF-8": "%FF%FE",
    "empty": "",
    "malformed date": "2024-02-30",
    "offset past 15:59": quote("2024-01-01T00:00:00+99:00"),
    "offset 20:00": quote("2024-01-01T00:00:00+20:00"),
    "year 0": "0000-01-01T00:00:00Z",
    "huge": "9" * 30,
    "5000 digits": "9" * 5000,
    "1e999": "1e999",
    "negative": "-1",
    "fraction": "1.5",
    "NaN": "NaN",
    "hex": "0x1A",
    "padded": "%201%20",
    "websearch syntax": quote('"unclosed -or OR ( ) :* & | !'),
    "repeated": None,  # the parameter twice, with two different values
}
# Parameters every list takes besides its filters (pagination and ordering).
LIST_PARAMETERS = ["page", "page_size", "cursor", "ordering", "format", "no-such-filter"]


@pytest.fixture
def editor_client(client_for, editor, desk):
    return client_for(editor)


def problem_or_none(response):
    """What is wrong with `response` as an answer to bad input, or None if nothing is."""
    if response.status_code >= 500:
        return f"{response.status_code}: {response.content[:200]!r}"
    if response.status_code < 400:
        return None
    if response["Content-Type"] != "application/problem+json":
        return f"{response.status_code} as {response['Content-Type']}"
    body = response.json()
    if not set(body) >= PROBLEM_KEYS or body["status"] != response.status_code:
        return f"not a problem document: {body}"
    if not (body["detail"] or body.get("errors")):
        return "a problem that says nothing"
    return None


def raw_body(body, name, value_json):
    """`body` with `name` set to the JSON text `value_json`."""
    others = ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in body.items() if k != name)
    return "{" + (others + ", " if others else "") + f"{json.dumps(name)}: {value_json}" + "}"


def version(write, w):
    """The ETag of the object an update targets (None for other writes)."""
    if write.action != "partial_update":
        return None
    target = w[UPDATE_TARGET[write.resource]]
    return etag_for(type(target).objects.get(pk=target.pk))


def attempt(client, write, w, body, *, must_refuse):
    """Send `body` (JSON text) as `write`; what went wrong, or None. Whatever the API
    accepted is rolled back, so each attempt meets the same rows as the one before."""
    before, before_version = BEFORE[write.label]
    headers = {"HTTP_IF_MATCH": before_version} if before_version else {}
    with transaction.atomic():
        response = getattr(client, write.method)(
            write.url, body, content_type="application/json", **headers)
        wrong = problem_or_none(response)
        if not wrong and response.status_code >= 400 and (
                row_counts() != before or version(write, w) != before_version):
            wrong = "refused, but something was written"
        if not wrong and must_refuse and response.status_code < 400:
            wrong = f"accepted ({response.status_code})"
        transaction.set_rollback(True)
    return wrong


# The rows and version each write meets: the same before every attempt (see attempt).
BEFORE = {}


def each_write(w):
    for write in writes(w):
        BEFORE[write.label] = (row_counts(), version(write, w))
        yield write


def test_bad_values_in_every_writable_field(editor_client):
    w = world()
    failures = []
    for write in each_write(w):
        for name in write.fields():
            for label, value_json in FIELD_VALUES.items():
                TRIED["field values"] += 1
                wrong = attempt(editor_client, write, w, raw_body(write.body, name, value_json),
                                must_refuse=label in ALWAYS_REFUSED)
                if wrong:
                    failures.append((write.label, name, label, wrong))
    assert TRIED["field values"] >= 2000
    assert not failures, failures[:20]


def test_bodies_no_write_takes(editor_client):
    w = world()
    failures = []
    for write in each_write(w):
        for label, body in BODIES.items():
            TRIED["bodies"] += 1
            # None of these is a body any write takes. But a BOM before valid JSON may be,
            # and an empty body is a partial update that changes nothing.
            acceptable = label == "UTF-8 BOM" or (
                label == "empty" and write.action == "partial_update")
            wrong = attempt(editor_client, write, w, body, must_refuse=not acceptable)
            if wrong:
                failures.append((write.label, label, wrong))
        for content_type in ["text/plain", "application/xml", "application/json; charset=latin-1",
                             "multipart/form-data; boundary=x"]:
            TRIED["bodies"] += 1
            response = getattr(editor_client, write.method)(
                write.url, json.dumps(write.body), content_type=content_type,
                **({"HTTP_IF_MATCH": version(write, w)} if write.action == "partial_update"
                   else {}))
            wrong = problem_or_none(response)
            if wrong:
                failures.append((write.label, content_type, wrong))
    assert not failures, failures[:20]


def filtered_lists():
    """(list URL, parameter names, anonymous?) of every API list."""
    found = {}
    for url, filterset, anonymous in list_filtersets():
        found[(url, anonymous)] = [*filterset.base_filters, *LIST_PARAMETERS]
    for prefix, viewset in viewsets():
        if hasattr(viewset, "list"):
            found.setdefault((f"/api/v1/{prefix}/", False), LIST_PARAMETERS)
    found[("/api/v1/claimreview/", True)] = LIST_PARAMETERS
    return found


def test_bad_values_in_every_filter(editor_client, anon):
    failures = []
    lists = filtered_lists()
    assert len(lists) >= 12
    for (url, anonymous), names in lists.items():
        client = anon if anonymous else editor_client
        for name in names:
            for label, value in QUERY_VALUES.items():
                query = (f"{name}=1&{name}=x" if value is None else f"{name}={value}")
                TRIED["query values"] += 1
                response = client.get(url, QUERY_STRING=query)
                wrong = problem_or_none(response)
                if not wrong and label == "nul" and response.status_code < 400:
                    wrong = "NUL accepted"
                if wrong:
                    failures.append((url, "anonymous" if anonymous else "editor", name, label,
                                     wrong))
    assert TRIED["query values"] >= 1500
    assert not failures, failures[:20]
