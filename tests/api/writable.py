"""Every write the API takes, found from its viewsets and serializers, with a valid body to
start from: tests that bend one field at a time (tests/api/test_large_inputs.py,
tests/api/test_bad_input.py) cover a new resource or field as soon as it exists.

A resource added without an entry in VALID_BODIES makes those tests fail, saying so.
"""
from dataclasses import dataclass

import pytest
from django.db import connection
from rest_framework import serializers

from api.views import serializer_for
from claims.models import Appearance, Claim, Claimant, Response, Verdict
from evidence.models import Evidence, Source

from .discovery import viewsets

COUNTED_MODELS = (Claim, Claimant, Appearance, Response, Verdict, Evidence, Source)


@dataclass
class Write:
    """One write operation: `method` on `url` with `body` (valid), checked by `serializer`."""

    resource: str
    action: str  # create | partial_update | transition
    method: str
    url: str
    body: dict
    serializer: type

    @property
    def label(self):
        return f"{self.method.upper()} {self.resource} ({self.action})"

    def fields(self):
        """{name: field} of what the serializer lets a client write."""
        return {name: field for name, field in self.serializer().fields.items()
                if not field.read_only}


def world():
    """Rows to write against (the `desk` fixture must have run): a claim without a verdict,
    the draft verdict of the desk's other claim, and one of everything else."""
    fresh = Claim.objects.filter(verdicts__isnull=True).order_by("pk").first()
    claimant = Claimant.objects.order_by("pk").first()
    source = Source.objects.create(url="https://example.org/world",
                                   canonical_url="https://example.org/world")
    return {
        "claim": fresh,
        "claimant": claimant,
        "verdict": Verdict.objects.get(is_current=True, published_at__isnull=True),
        "appearance": Appearance.objects.order_by("pk").first(),
        "response": Response.objects.order_by("pk").first(),
        "source": source,
        "evidence": Evidence.objects.create(claim=fresh, source=source, stance="context"),
    }


# resource -> (valid create body, valid one-field update body) given world().
VALID_BODIES = {
    "claims": (lambda w: {"text": "A fresh claim", "language": "en", "priority": 2,
                          "claimants": [w["claimant"].pk], "tags": [], "internal_note": ""},
               lambda w: {"internal_note": "edited"}),
    "claimants": (lambda w: {"name": "Someone", "slug": "someone-new", "kind": "person",
                             "description": "", "aliases": ["S"], "same_as": []},
                  lambda w: {"description": "edited"}),
    "appearances": (lambda w: {"claim": w["claim"].pk, "claimant": w["claimant"].pk,
                               "quote": "Said so", "said_on": "2024-08-05", "medium": "tv",
                               "venue": "A studio"},
                    lambda w: {"venue": "edited"}),
    "responses": (lambda w: {"claim": w["claim"].pk, "claimant": w["claimant"].pk,
                             "kind": "denies", "quote": "No", "summary": "Denied",
                             "said_on": "2024-08-06"},
                  lambda w: {"summary": "edited"}),
    "verdicts": (lambda w: {"claim": w["claim"].pk, "headline": "H", "summary": "S",
                            "analysis": "A"},
                 lambda w: {"analysis": "edited"}),
    "reviews": (lambda w: {"verdict": w["verdict"].pk, "kind": "comment", "body": "Looks fine"},
                None),
    "evidence": (lambda w: {"claim": w["claim"].pk, "url": "https://example.org/cited",
                            "stance": "supports", "summary": "Says so"},
                 lambda w: {"summary": "edited"}),
    "sources": (None, lambda w: {"title": "edited"}),
}
# The object each resource's update targets.
UPDATE_TARGET = {"claims": "claim", "claimants": "claimant", "appearances": "appearance",
                 "responses": "response", "verdicts": "verdict", "evidence": "evidence",
                 "sources": "source"}


def writes(w):
    """Every write operation of the API, each with a valid body."""
    found = []
    for prefix, viewset in viewsets():
        classes = getattr(viewset, "serializer_classes", {})
        create, update = VALID_BODIES.get(prefix, (None, None))
        if hasattr(viewset, "create"):
            if create is None:
                pytest.fail(f"tests/api/writable.py: add a valid create body for {prefix}")
            found.append(Write(prefix, "create", "post", f"/api/v1/{prefix}/", create(w),
                               serializer_for(classes, "create")))
        if hasattr(viewset, "partial_update"):
            if update is None:
                pytest.fail(f"tests/api/writable.py: add a valid update body for {prefix}")
            target = w[UPDATE_TARGET[prefix]]
            found.append(Write(prefix, "partial_update", "patch",
                               f"/api/v1/{prefix}/{target.pk}/", update(w),
                               serializer_for(classes, "partial_update")))
    from claims.api.serializers import TransitionSerializer

    found.append(Write("claims", "transition", "post",
                       f"/api/v1/claims/{w['claim'].pk}/transition/", {"to": "triaged"},
                       TransitionSerializer))
    return found


def is_text(field):
    return isinstance(field, serializers.CharField) and not isinstance(
        field, serializers.ChoiceField)


def is_text_list(field):
    # A claimant's aliases and sameAs links: JSON lists of strings.
    return isinstance(field, serializers.ListField) and is_text(field.child)


def row_counts():
    """{model name: rows} of COUNTED_MODELS, in one query."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in COUNTED_MODELS]
    # Table names from our own models, never from input.
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchone()
    return {model.__name__: n for model, n in zip(COUNTED_MODELS, counts, strict=True)}


def send(client, write, body):
    """`write` with `body`, with the If-Match an update needs."""
    headers = {}
    if write.method == "patch":
        headers["HTTP_IF_MATCH"] = client.get(write.url)["ETag"]
    return getattr(client, write.method)(write.url, body, format="json", **headers)
