"""Schemathesis against the API's own OpenAPI contract (/api/v1/schema/), with every check:
no server errors, every status, header, content type and body as documented, invalid input
refused, valid input accepted, authentication enforced where it is declared.

Run twice over every operation: anonymously and with an editor's token. Bounded and
reproducible: a few Hypothesis examples per operation (derandomized, fixed seed), plus, with
the token, Schemathesis' deterministic coverage cases (boundaries, each kind of invalid
value, missing headers, undeclared methods). Throttling is lifted for the run, so it can
never make it flaky. It takes about two minutes: -m "not slow" (or "not schemathesis")
leaves it out.

Schema-valid requests are pointed at rows that exist (RealRows): an id, a claim to attach
to, the ETag to send back. Without that, nearly every valid write would only ever meet
"no such claim", and the checks would never see a successful answer's body and headers.
"""
import collections
import functools
import itertools

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from api.concurrency import etag_for
from claims import roles
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Publication,
    Rating,
    Response,
    Review,
    Tag,
    Verdict,
)
from claims.seeding import load_seeds
from evidence.models import Evidence, Snapshot, Source
from factcheck.wsgi import application
from tests.data.desk import build_desk, make_user, token_for

pytestmark = [pytest.mark.schemathesis, pytest.mark.slow]

EXAMPLES_PER_OPERATION = 5
STATUSES_REJECTING_INPUT = ["400", "401", "403", "404", "405", "406", "409", "412", "413",
                            "415", "422", "428", "429", "5xx"]
CHECKS = {
    "enabled": True,
    # 412 and 413 refuse input too (a stale If-Match, a body over the limit).
    "negative_data_rejection": {"expected-statuses": STATUSES_REJECTING_INPUT},
    # A valid request can still carry a tag that is not the object's current one.
    "positive_data_acceptance": {"expected-statuses": [
        "2xx", "3xx", "401", "403", "404", "409", "412", "429", "5xx"]},
    # 428 Precondition Required is exactly "a required If-Match is missing".
    "missing_required_header": {"expected-statuses": [
        "400", "401", "403", "406", "415", "422", "428"]},
}
EDITOR_CONFIG = SchemathesisConfig.from_dict({"seed": 20261130, "checks": CHECKS})
# The coverage phase (each boundary, each kind of wrong value, each undeclared method:
# ~2,700 cases) runs once, with the editor's token: the API validates input the same way
# for everyone. Anonymously, what differs by audience is checked by the examples and the
# fuzzing: 401s, public shapes, optional credentials.
ANONYMOUS_CONFIG = SchemathesisConfig.from_dict({
    "seed": 20261130, "checks": CHECKS, "phases": {"coverage": {"enabled": False}}})

# JSON Schema's "uri" is any scheme; the API's URL fields take web addresses (Django's
# URLValidator: http or https, a real host name).
schemathesis.openapi.format("uri", st.from_regex(
    r"\Ahttps?://[a-z]{1,12}\.(org|com|net|ua|ml)(/[a-z0-9-]{1,12}){0,3}/?\Z"))

SCHEMA_URL = "/api/v1/schema/?format=json"
editor_schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application, config=EDITOR_CONFIG)
anonymous_schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application,
                                                  config=ANONYMOUS_CONFIG)

# Cases run, by audience and phase (and coverage scenario): tests/api/conftest.py prints
# them at the end of the run.
CASES = collections.Counter()


@pytest.fixture(scope="module")
def api_data(django_db_setup, django_db_blocker):
    """The seed case and the desk (tests.data.desk.build_desk), made once for the module inside a
    transaction that is rolled back at its end; each test runs in a savepoint of it.

    Django's WSGI handler closes the database connection around each request (it is not
    the test client): that would end the transaction, so it does not during these tests.
    Throttling is lifted, so it can never make the run flaky.
    """
    rest = settings.REST_FRAMEWORK
    unthrottled = dict.fromkeys(rest["DEFAULT_THROTTLE_RATES"], "1000000/minute")
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        with (django_db_blocker.unblock(), transaction.atomic(),
              override_settings(REST_FRAMEWORK={**rest, "DEFAULT_THROTTLE_RATES": unthrottled})):
            load_seeds()
            users = {role: make_user(name, role) for name, role in [
                ("fiona", roles.FACT_CHECKER), ("edith", roles.EDITOR),
                ("rosa", roles.REVIEWER)]}
            build_desk(users[roles.FACT_CHECKER], users[roles.EDITOR], users[roles.REVIEWER])
            yield {"editor_token": token_for(users[roles.EDITOR])}
            transaction.set_rollback(True)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def data(api_data, db):
    return api_data


MODELS = {
    "claims": Claim, "claimants": Claimant, "appearances": Appearance,
    "responses": Response, "verdicts": Verdict, "corrections": Correction,
    "reviews": Review, "evidence": Evidence, "sources": Source, "snapshots": Snapshot,
    "publications": Publication,
}
_serial = itertools.count()


class RealRows:
    """Points a schema-valid case at rows that exist: its path id, the objects its body
    refers to, a slug nobody has, and the ETag an update must send back. One per test
    (one operation): the rows are looked up once."""

    def __init__(self, anonymous):
        self.anonymous = anonymous
        self.audience = "anonymous" if anonymous else "editor"

    def apply(self, case):
        meta = case.meta
        CASES[f"{self.audience} {meta.phase.name.value}"] += 1
        scenario = getattr(meta.phase.data, "scenario", None)
        if scenario is not None:
            CASES[f"scenario {scenario}"] += 1
        if not meta.generation.mode.is_positive:
            return
        resource = case.path.split("/")[3]
        target = None
        if resource in MODELS and "id" in (case.path_parameters or {}):
            target = self.row(MODELS[resource])
            if target is not None:
                case.path_parameters["id"] = str(target.pk)
        if isinstance(case.body, dict):
            self.refer(case.body, resource)
        if target is not None and case.headers and "If-Match" in case.headers:
            case.headers["If-Match"] = etag_for(type(target).objects.get(pk=target.pk))

    @functools.cache  # noqa: B019 - one instance per test
    def row(self, model):
        queryset = model.objects.order_by("pk")
        if self.anonymous and model is Claim:
            queryset = queryset.filter(state="published")
        if self.anonymous and model is Verdict:
            queryset = queryset.filter(published_at__isnull=False)
        return queryset.first()

    @functools.cached_property
    def refs(self):
        from django.contrib.auth import get_user_model

        first = lambda model: model.objects.order_by("pk").first()  # noqa: E731
        return {
            "claim": first(Claim).pk,
            "unjudged_claim": Claim.objects.filter(verdicts__isnull=True).order_by("pk")
            .first().pk,
            "claimant": first(Claimant).pk,
            "organisation": Claimant.objects.order_by("-pk").first().pk,
            "verdict": Verdict.objects.filter(is_current=True).order_by("-pk").first().pk,
            "source": first(Source).pk,
            "duplicate_of": Claim.objects.order_by("-pk").first().pk,
            "rating": Rating.objects.filter(is_active=True).order_by("pk").first().slug,
            "tag": first(Tag).slug,
            "assignee": get_user_model().objects.order_by("pk").first().pk,
        }

    def refer(self, body, resource):
        refs = self.refs
        for name in ("claim", "claimant", "organisation", "verdict", "source", "duplicate_of",
                     "rating", "assignee"):
            if body.get(name) is not None:
                body[name] = refs[name]
        if resource == "verdicts" and "claim" in body:
            body["claim"] = refs["unjudged_claim"]
        if body.get("claimants"):
            body["claimants"] = [refs["claimant"]]
        if body.get("tags"):
            body["tags"] = [refs["tag"]]
        if "slug" in body:
            body["slug"] = f"fuzzed-{next(_serial)}"


@pytest.fixture
def anonymous_rows(data):
    return RealRows(anonymous=True)


@pytest.fixture
def editor_rows(data):
    return RealRows(anonymous=False)


SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck))


@anonymous_schema.parametrize()
@SETTINGS
def test_anonymous(case, anonymous_rows):
    anonymous_rows.apply(case)
    case.call_and_validate()


@editor_schema.parametrize()
@SETTINGS
def test_editor(case, data, editor_rows):
    editor_rows.apply(case)
    case.call_and_validate(headers={"Authorization": f"Token {data['editor_token']}"})
