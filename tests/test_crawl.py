"""The crawl: every URL the project serves, opened with GET as every role.

The URLs come from Django's resolver, not from a list kept by hand: each route (a
ModelAdmin's changelist, add, change, history, historical record and delete pages, its
custom views, every public page, every API route) is filled with a real object of the
seed case, or the test fails naming the route it cannot fill. A new admin, a new custom
view or a new API resource is therefore crawled, or noticed, the day it is added.

Each role must get what its permissions promise (200, a redirect to sign in, 403, 404 or
405 for a POST-only view), and nobody may ever get a 5xx.
"""
import re
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from claims import roles, workflow
from claims.models import Claim, Publication, Rating, Review, Verdict
from evidence import archiving, packs, signing
from evidence.models import Evidence, Snapshot, Source, SourceChange
from tests.data.desk import PASSWORD, SEED_CLAIM, make_user, staff, token_for
from tests.discovery import admin_autocompletes
from tests.httpserver import LocalHTTPServer, Reply

ANONYMOUS, SUPERUSER, NO_ROLE = "anonymous", "superuser", "staff without a role"
ROLES = [ANONYMOUS, SUPERUSER, roles.FACT_CHECKER, roles.EDITOR, roles.REVIEWER, NO_ROLE]


# --- the routes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the names it is reversed by."""

    name: str | None  # namespaced, e.g. "admin:claims_claim_change"
    pattern: str  # the full pattern, for messages
    params: tuple[str, ...]
    callback: object


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, pattern, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern))
            names = tuple(a or b for a, b in params)
            yield Route(name, pattern, names, entry.callback)


def all_routes():
    return list(_walk(get_resolver().url_patterns))


# --- the data: the seed case, published, with a capture, a change and a correction -----


@pytest.fixture
def http_server():
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture
def site(seeded, fact_checker, editor, reviewer, http_server, settings, tmp_path):
    """Every kind of row the routes show, made through the services and the workflow."""
    settings.FETCH_ALLOWLIST = [http_server.host_port]
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    http_server.route("/letter", Reply.html(
        "<html><head><title>Letter</title></head><body><article><p>The juntas wrote to "
        "the Security Council about Ukraine and the rebels.</p></article></body></html>"
    ))
    claim = Claim.objects.get(slug=SEED_CLAIM)
    source = Source.objects.create(url=http_server.url("/letter"))
    Evidence.objects.create(claim=claim, source=source, stance="context", summary="Letter")
    archiving.archive_source(source.pk, fetch_id=uuid.uuid4())
    snapshot = Snapshot.objects.get(source=source)
    SourceChange.objects.create(source=source, previous=snapshot, current=snapshot)
    # A capture nothing published cites: the desk's alone.
    # Each publication's evidence pack, signed with a key made for the crawl.
    settings.EVIDENCE_PACK_SIGNING_KEY_FILE = tmp_path / "keys" / "evidence-pack.pem"
    signing.create_key()
    http_server.route("/uncited", Reply.html("<html><body><p>Uncited.</p></body></html>"))
    uncited = Source.objects.create(url=http_server.url("/uncited"))
    archiving.archive_source(uncited.pk, fetch_id=uuid.uuid4())

    workflow.transition_claim(claim=claim, to_state=Claim.State.IN_REVIEW, by=fact_checker)
    verdict = workflow.current_verdict(claim)
    workflow.add_review(verdict=verdict, by=reviewer, kind=Review.Kind.COMMENT,
                        body="Cite the letter itself.")
    workflow.transition_claim(claim=claim, to_state=Claim.State.PUBLISHED, by=editor)
    workflow.save_verdict(
        claim=claim, by=fact_checker, rating=Rating.objects.get(slug="false"),
        headline=verdict.headline, summary="A corrected summary.", analysis=verdict.analysis,
        correction_note="The summary named the wrong ministry.",
    )
    # The correction, published by an editor who did not write it: a second publication.
    workflow.transition_claim(claim=claim, to_state=Claim.State.IN_REVIEW, by=fact_checker)
    workflow.transition_claim(claim=claim, to_state=Claim.State.PUBLISHED, by=editor)
    for publication in Publication.objects.filter(claim=claim):
        assert packs.build_pack(publication.pk) == packs.PackOutcome.BUILT
    token_for(editor)
    # A wrong password and a right one: the sign-in logs (django-axes) have rows to open.
    staff(editor)
    for username, password in [("mallory", "guess"), (editor.username, PASSWORD)]:
        Client().post("/admin/login/", {"username": username, "password": password})
    # Its failure log is off by default (AXES_ENABLE_ACCESS_FAILURE_LOG): a row by hand.
    AccessFailureLog.objects.create(username="mallory", ip_address="127.0.0.1",
                                    user_agent="crawl", path_info="/admin/login/")
    draft = Claim.objects.exclude(pk=claim.pk).order_by("pk").first()
    return {"claim": Claim.objects.get(pk=claim.pk), "draft": draft,
            "uncited": Snapshot.objects.get(source=uncited)}


def _one(model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"The crawl has no {model.__name__} to open: add one to `site`."
    return obj


def _admin_model(route):
    """The model a ModelAdmin route belongs to, from its path (admin/app/model/...)."""
    for model in admin.site._registry:
        if route.pattern.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


# The API's resources, by router basename: a new resource fails the crawl until it is here.
API_MODELS = {
    "claim": Claim, "claimant": "claims.Claimant", "appearance": "claims.Appearance",
    "response": "claims.Response", "verdict": Verdict, "correction": "claims.Correction",
    "review": Review, "source": Source, "snapshot": Snapshot, "evidence": Evidence,
    "publication": "claims.Publication",
}


# Catch-all routes have no name: a path each answers.
UNNAMED = {
    "api/v1/^": "/api/v1/no-such-resource/",  # the API's JSON 404 for any unknown path
    "admin/(?P<url>": "/admin/no-such-page/",  # the admin's 404 (after sign-in)
}


def catch_all(route):
    """The path a catch-all route answers, or None: a route with no name whose pattern is
    one of UNNAMED's beginnings."""
    if route.name:
        return None
    return next((path for start, path in UNNAMED.items() if route.pattern.startswith(start)),
                None)


def _model(ref):
    from django.apps import apps

    return apps.get_model(ref) if isinstance(ref, str) else ref


def urls_for(route, site):
    """The concrete URLs that exercise `route`; raises LookupError if it cannot be filled."""
    claim = site["claim"]
    if catch_all(route):
        return [catch_all(route)]
    name = route.name or ""
    model = _admin_model(route)
    if name.endswith("_simple_history") and model is not None:
        # simple-history's historical-record page takes positional groups.
        obj = _one(model)
        record = obj.history.order_by("history_id").first() if hasattr(obj, "history") else None
        return [reverse(name, args=[obj.pk, record.history_id if record else 1])]
    kwargs = {}
    for param in route.params:
        if (param == "object_id" and model is not None) or (
            param == "id" and model is get_user_model()  # auth's password page
        ):
            kwargs[param] = str(_one(model).pk)
        elif param == "app_label":
            kwargs[param] = "claims"
        elif param == "content_type_id":  # admin's "view on site"
            kwargs[param] = ContentType.objects.get_for_model(Claim).pk
            kwargs["object_id"] = str(claim.pk)
        elif param == "slug" and (name.startswith("checks:") or name == "evidence-pack"):
            kwargs[param] = claim.slug
        elif param == "number" and (name.startswith("checks:") or name == "evidence-pack"):
            kwargs[param] = 1  # the first of the claim's two publications
        elif param == "pk" and name.startswith("evidence:"):
            kwargs[param] = _one(Snapshot).pk  # the capture the published check cites
        elif param == "pk" and name.startswith("api:"):
            basename = name.removeprefix("api:").rsplit("-", 1)[0]
            if basename not in API_MODELS:
                raise LookupError(route.pattern)
            ref = claim if basename == "claim" else _one(_model(API_MODELS[basename]))
            kwargs[param] = ref.pk
        elif param in kwargs:
            continue
        else:
            raise LookupError(route.pattern)
    if route.name:
        url = reverse(name, kwargs=kwargs)
        if name == "admin:app_list":  # one page per app the admin shows
            labels = sorted({m._meta.app_label for m in admin.site._registry})
            return [reverse(name, kwargs={"app_label": label}) for label in labels]
        if name == "admin:autocomplete":
            return [f"{url}?{query}" for query in autocomplete_queries()]
        if name.endswith("_changelist") and model is not None:
            return [url] + [f"{url}{query}" for query in changelist_queries(model)]
        if name == "checks:list":
            return [url] + [f"{url}{query}" for query in checks_queries()]
        if name == "api:claim-detail":  # a claim readers must not see, too
            return [url, reverse(name, kwargs={"pk": site["draft"].pk})]
        if name in ("evidence:capture", "evidence:capture-warc"):  # and one nothing cites
            return [url, reverse(name, kwargs={"pk": site["uncited"].pk})]
        if name in ("checks:detail", "checks:versions", "checks:version", "evidence-pack"):
            return [url, url.replace(f"/{claim.slug}/", f"/{site['draft'].slug}/")]
        return [url]
    # Unnamed (the admin's old-style <object_id>/ redirect): fill the pattern itself.
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route.pattern)
    return ["/" + path]


def autocomplete_queries():
    """One query per autocomplete field of every ModelAdmin and inline (what the widgets
    ask), each with a search term."""
    return [urlencode({"app_label": app_label, "model_name": model_name,
                       "field_name": field, "term": "Ukr"})
            for app_label, model_name, field in admin_autocompletes()]


def changelist_queries(model):
    """The changelist with each choice of each list filter applied (the links the filter
    sidebar shows to a superuser), and with a search when the admin searches."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.filter(is_superuser=True).first()
    changelist = model_admin.get_changelist_instance(request)
    queries = []
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            if "query_string" in choice:  # a link
                if choice["query_string"] not in ("?", ""):
                    queries.append(choice["query_string"])
            else:  # a typed filter: a name, and an id as a claimant's page links it
                queries += [f"?{spec.parameter_name}=Mali", f"?{spec.parameter_name}=1"]
    if model_admin.search_fields:
        queries.append("?q=Ukraine")
    return list(dict.fromkeys(queries))


def checks_queries():
    """The readers' list with each of its filters and its search."""
    return ["?q=Ukraine", "?rating=false", "?tag=sahel", "?claimant=mali", "?page=2"]


# --- who gets what ---------------------------------------------------------------------

# API resources readers may read (published claims and what readers see of them); the
# others are the desk's and answer 401 to anonymous clients.
PUBLIC_API = {"claim", "verdict", "correction", "claimreview", "publication"}
# Views that only take POST: a GET is 405 for everyone who gets that far.
POST_ONLY = {
    "admin:logout", "admin:claims_claim_move", "admin:claims_claim_verdict",
    "admin:claims_claim_review", "api:claim-transition", "api:source-archive",
}
# The desk's own admin views: an empty POST is refused with a message on the claim page
# (302) for those who may see the claim, and with a 403 for the others.
DESK_VIEWS = {"admin:claims_claim_move", "admin:claims_claim_verdict",
              "admin:claims_claim_review"}
ALWAYS_OPEN = {
    "checks:list", "checks:detail", "checks:versions", "checks:version", "verdict-feed",
    "sitemap", "methodology", "healthz", "evidence-pack", "evidence-pack-key",
    "evidence-pack-keys",
    "api:root", "api:schema", "api:docs", "api:redoc", "api:claimreview-feed",
}
ADMIN_ACTIONS = {  # ModelAdmin route suffix -> the permission it needs
    "changelist": "view", "change": "view", "history": "view", "simple_history": "view",
    "add": "add", "delete": "delete", "password_change": "change",
}


def _may(user, model, action):
    """The role's own permission, and the ModelAdmin's policy for everyone (a superuser
    refused an action means the admin never offers it, e.g. adding a snapshot by hand)."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.filter(is_superuser=True).first()
    opts = model._meta
    if action == "view":
        offered = model_admin.has_view_or_change_permission(request)
        held = user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}")
    else:
        offered = getattr(model_admin, f"has_{action}_permission")(request)
        held = user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
    return offered and held


def expected(route, url, user, site):
    """The status `user` (None: anonymous) must get for `url`."""
    name = route.name or route.pattern
    signed_in = user is not None
    if name in ALWAYS_OPEN:
        hidden = url.startswith("/checks/") and f"/{site['draft'].slug}/" in url
        return 404 if hidden else 200
    if name in POST_ONLY and (signed_in or name.startswith("api:")):
        return 405
    if route.pattern.startswith("api/"):
        if catch_all(route):
            return 404
        basename = name.removeprefix("api:").rsplit("-", 1)[0]
        model = _model(API_MODELS[basename])
        opts = model._meta
        role_reads = signed_in and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        if basename in PUBLIC_API:
            if role_reads:
                return 200
            # Everyone else reads what readers read: the draft claim is not there.
            return 404 if url.rstrip("/").endswith(f"/{site['draft'].pk}") else 200
        return 200 if role_reads else (403 if signed_in else 401)
    if name.startswith("evidence:moved-"):
        return 301
    if name.startswith("evidence:"):
        if url.startswith(f"/archive/{site['uncited'].pk}/"):
            return 200 if signed_in and user.has_perm("evidence.view_snapshot") else 404
        return 200
    # The admin.
    if not signed_in:
        return 200 if name == "admin:login" else 302
    model = _admin_model(route)
    if name == "admin:login" or name == "admin:view_on_site":
        return 302
    if name in ("admin:index", "admin:password_change", "admin:password_change_done",
                "admin:jsi18n"):
        return 200
    if name == "admin:app_list":  # an app the user may see nothing of does not exist
        return 200 if user.has_module_perms(url.strip("/").rsplit("/", 1)[-1]) else 404
    if catch_all(route):
        return 404
    if name == "admin:autocomplete":
        target = _autocomplete_target(url)
        return 200 if _may(user, target, "view") else 403
    if model is not None and route.name is None:  # the old <object_id>/ address redirects
        return 302
    action = name.removeprefix(f"admin:{model._meta.app_label}_{model._meta.model_name}_")
    if model is Claim and action == "delete" and f"/{site['claim'].pk}/" in url:
        return 403  # a published claim is never deleted, whoever asks
    return 200 if _may(user, model, ADMIN_ACTIONS[action]) else 403


def _autocomplete_target(url):
    from django.apps import apps

    query = dict(parse_qsl(urlsplit(url).query))
    owner = apps.get_model(query["app_label"], query["model_name"])
    return owner._meta.get_field(query["field_name"]).remote_field.model


# --- the crawl -------------------------------------------------------------------------


def role_users(fact_checker, editor, reviewer):
    users = {ANONYMOUS: None, roles.FACT_CHECKER: fact_checker, roles.EDITOR: editor,
             roles.REVIEWER: reviewer}
    users[SUPERUSER] = make_user("sue", is_staff=True, is_superuser=True)
    users[NO_ROLE] = make_user("norah", is_staff=True)
    for user in (fact_checker, editor, reviewer):
        staff(user)
    return users


def crawl_plan(site):
    """(route, url) for every route; fails naming the routes it cannot fill."""
    plan, unfilled = [], []
    for route in all_routes():
        try:
            plan += [(route, url) for url in urls_for(route, site)]
        except LookupError as error:
            unfilled.append(f"{route.pattern} ({error!r})")
    assert not unfilled, (
        "Routes the crawl cannot fill (teach urls_for() about them):\n" + "\n".join(unfilled)
    )
    return plan


def test_the_crawl_reaches_every_kind_of_page(site, fact_checker, editor, reviewer):
    """A guard against a crawl that silently shrinks."""
    role_users(fact_checker, editor, reviewer)
    plan = crawl_plan(site)
    assert len(plan) > 250
    crawled = " ".join(url for _, url in plan)
    for part in ["/add/", "/change/", "/history/", "/delete/", "/move/", "/verdict/",
                 "/review/", "/autocomplete/?", "/admin/claims/claim/?", "/checks/?",
                 "/api/v1/claims/", "/archive/snapshots/", "/warc/", "/evidence.wacz",
                 "/.well-known/", "/admin/axes/"]:
        assert part in crawled, part


# One test per role, so that `make test` spreads them over its processes.
@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_the_role_without_a_server_error(
    client, site, role, fact_checker, editor, reviewer
):
    user = role_users(fact_checker, editor, reviewer)[role]
    plan = crawl_plan(site)
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False  # a 500 is recorded, not raised
    wrong = []
    for route, url in plan:
        response = client.get(url)
        want = expected(route, url, user, site)
        got = response.status_code
        if got >= 500 or got != want:
            wrong.append(f"{url}: {got}, expected {want}")
        if route.name in DESK_VIEWS:
            posted = client.post(url).status_code
            want = 302 if user is None or _may(user, Claim, "view") else 403
            if posted != want:
                wrong.append(f"POST {url}: {posted}, expected {want}")
        elif (got == 302 and user is None and route.name != "admin:logout"
              and not response["Location"].startswith("/admin/login/")):
            wrong.append(f"{url}: sent to {response['Location']}")
    print(f"{role}: {len(plan)} URLs crawled")
    assert not wrong, f"{role}, {len(wrong)} of {len(plan)} URLs:\n" + "\n".join(wrong)
