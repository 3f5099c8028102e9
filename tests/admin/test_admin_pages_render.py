"""Every admin page, opened by every role: never a server error, and each role gets exactly
what its permissions allow (200), a refusal (403), or the login page (302).

The pages are found from the admin site itself (every registered ModelAdmin, its extra
URLs and its autocompletes), so a new admin is walked without changing this test.
"""
import uuid

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from simple_history.admin import SimpleHistoryAdmin

from claims import roles
from claims.models import Correction, Verdict
from evidence.models import Snapshot, Source, SourceChange
from tests.conftest import make_user

# Admins that never offer some actions, whatever the role: what the archiver writes,
# what the workflow writes. Everything else follows the role's model permissions.
NEVER = {
    Snapshot: {"add", "change", "delete"},
    SourceChange: {"add", "change"},
    Correction: {"add", "change"},
    Verdict: {"add", "delete"},  # drafted on the claim page, kept with its claim
}
STANDARD_VIEWS = {"changelist", "add", "history", "delete", "change", "simple_history"}
OURS = {"claims", "evidence"}
ROLES = ["superuser", roles.FACT_CHECKER, roles.EDITOR, roles.REVIEWER, "no group", "anonymous"]


def user_for(role):
    if role == "anonymous":
        return None
    if role == "superuser":
        return get_user_model().objects.create_superuser("root", password="x" * 20)
    return make_user(f"user-{role}", None if role == "no group" else role, is_staff=True)


def snapshot(source, n):
    return Snapshot.objects.create(
        source=source, fetch_id=uuid.uuid4(), fetched_at=timezone.now(), http_status=200,
        final_url=source.url, payload_sha256=f"{n:064d}", warc_path=f"x/{n}.warc.gz",
    )


def ensure_one_of_each(by):
    """The seed case holds most models; add what the desk only gets from the archiver and
    from corrections."""
    source = Source.objects.order_by("pk").first()
    if not SourceChange.objects.exists():
        SourceChange.objects.create(source=source, previous=snapshot(source, 1),
                                    current=snapshot(source, 2))
    if not Correction.objects.exists():
        Correction.objects.create(verdict=Verdict.objects.first(), note="Fixed", created_by=by)
    if by is not None:
        Token.objects.get_or_create(user=by)
    for model in admin.site._registry:
        if model._meta.app_label in OURS:
            assert model.objects.exists(), f"nothing to open for {model.__name__}"


def extra_views(model_admin):
    """The admin's own URLs (get_urls extras), each with the arguments it takes."""
    prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        if pattern.name.removeprefix(prefix) in STANDARD_VIEWS:
            continue
        yield pattern.name, list(pattern.pattern.converters)


def autocompletes(model_admin):
    """(model, field) of every autocomplete the admin's pages show, inlines included."""
    for owner in [model_admin, *(inline(model_admin.model, admin.site)
                                 for inline in model_admin.inlines)]:
        for name in owner.autocomplete_fields:
            yield owner.model, owner.model._meta.get_field(name)


def pages(user):
    """(url, method, expected status) of every admin page."""
    request = RequestFactory().get("/")
    request.user = user

    def can(model, action):
        if model._meta.app_label not in OURS:
            # Other apps' admins (auth, tokens, sign-in logs) keep their own rules.
            return getattr(admin.site._registry[model], f"has_{action}_permission")(request)
        return action not in NEVER.get(model, ()) and user.has_perm(
            f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        )

    def allowed(ok):
        return 200 if ok else 403

    yield reverse("admin:index"), "get", 200
    for app_label in {m._meta.app_label for m in admin.site._registry}:
        # An app the user may see nothing of does not exist, for them.
        yield reverse("admin:app_list", args=[app_label]), "get", (
            200 if user.has_module_perms(app_label) else 404)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        info = f"admin:{opts.app_label}_{opts.model_name}"
        sees = can(model, "view") or can(model, "change")
        yield reverse(f"{info}_changelist"), "get", allowed(sees)
        yield reverse(f"{info}_add"), "get", allowed(can(model, "add"))
        obj = model.objects.order_by("pk").first()
        if obj is None:  # another app's log with nothing in it yet
            continue
        yield reverse(f"{info}_change", args=[obj.pk]), "get", allowed(sees)
        yield reverse(f"{info}_history", args=[obj.pk]), "get", allowed(sees)
        yield reverse(f"{info}_delete", args=[obj.pk]), "get", allowed(can(model, "delete"))
        if isinstance(model_admin, SimpleHistoryAdmin):
            record = obj.history.first()
            # Read-only for those who may only see it; a revert form for the others.
            yield reverse(f"{info}_simple_history", args=[obj.pk, record.history_id]), \
                "get", allowed(sees)
        for name, params in extra_views(model_admin):
            url = reverse(f"admin:{name}", kwargs=dict.fromkeys(params, obj.pk))
            if opts.app_label not in OURS:  # e.g. a user's password: a form to change
                yield url, "get", allowed(can(model, "change"))
                continue
            yield url, "get", 405  # the desk's own views change things: POST only
            # An empty POST is refused with a message on the page it came from.
            yield url, "post", 302 if sees else 403
        for source_model, field in autocompletes(model_admin):
            remote = field.related_model
            query = (f"?app_label={source_model._meta.app_label}"
                     f"&model_name={source_model._meta.model_name}&field_name={field.name}")
            yield reverse("admin:autocomplete") + query, "get", allowed(
                can(remote, "view") or can(remote, "change"))


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_each_role_as_its_permissions_say(client, seeded, role):
    user = user_for(role)
    ensure_one_of_each(user)
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False  # a 500 is one wrong answer among the others
    as_expected, wrong = 0, []
    # The walk itself needs a user to know what to expect; anonymous is always sent to
    # the login page.
    judge = user or get_user_model().objects.create_superuser("judge", password="x" * 20)
    for url, method, expected in pages(judge):
        if user is None:
            expected = 302
        response = getattr(client, method)(url)
        if response.status_code != expected:
            wrong.append(f"{method.upper()} {url}: {response.status_code}, not {expected}")
        elif expected == 302 and user is None:
            assert response["Location"].startswith(reverse("admin:login")), url
        as_expected += 1
    assert not wrong, "\n".join(wrong)
    assert as_expected > 60  # the walk found the pages


def test_the_walk_covers_each_kind_of_page(seeded):
    user = get_user_model().objects.create_superuser("walker", password="x" * 20)
    ensure_one_of_each(user)
    urls = [url for url, _, _ in pages(user)]
    for part in ["/add/", "/change/", "/history/", "/delete/", "/move/", "/verdict/",
                 "/review/", "/autocomplete/"]:
        assert any(part in url for url in urls), part
