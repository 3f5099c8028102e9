"""The admin and the API write nothing themselves: every write is one call to a service
(claims.services, claims.workflow, evidence.services), which does the whole job.

Two checks. The code of the admin and the API (api/, the apps' api/ packages, their
admin modules) is parsed and searched for the calls that write rows; each is reported as
file:line. And the admin classes and API viewsets are inspected for write hooks they
would inherit from Django or DRF (ModelAdmin.save_model is `obj.save()`; DRF's
perform_destroy is `instance.delete()`), which no search of our code could see.
"""
import ast
import inspect
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from rest_framework import viewsets

ROOT = Path(__file__).resolve().parents[2]

# Where the admin and the API live: the admin with its forms and widgets, and the admins'
# base class, which saves a revert.
SCANNED = [
    "claims/admin/**/*.py", "claims/forms.py", "claims/widgets.py", "evidence/admin*.py",
    "factcheck/history_admin.py", "factcheck/read_only_admin.py",
    "claims/api/**/*.py", "evidence/api/**/*.py", "api/**/*.py",
]

# Methods that write whatever they are called on: a model's save() and delete(), a
# manager's or queryset's create(), delete() and friends, a form's or formset's save().
WRITE_METHODS = {
    "save", "delete", "create", "bulk_create", "bulk_update", "get_or_create",
    "update_or_create", "save_m2m", "save_new", "save_existing", "save_new_objects",
    "save_existing_objects",
}
# Related managers' writes: `obj.<relation>.add(...)`, where <relation> names one of the
# apps' relations (`claim.tags.set(...)`). On any other receiver these names are common
# and harmless (`seen.add(x)`), so they count only after a relation's name.
RELATED_MANAGER_WRITES = {"add", "remove", "set", "clear"}
# The Django and DRF hooks whose default writes: calling them through super() saves.
WRITING_HOOKS = {
    "save_model", "delete_model", "delete_queryset", "save_formset", "perform_create",
    "perform_update", "perform_destroy",
}

# (file, line's code, stripped): why that write may stay where it is. Keep it tiny.
ALLOWED = {
    ("factcheck/history_admin.py",
     "mine.filter(history_id__gt=before).update("): (
        "labels the audit record the revert's service call just wrote (its change reason);"
        " a note on the history, not a row the desk edits"),
}


def relation_names():
    """The names by which the apps' models reach their related rows (fields and reverse
    accessors), for recognising related-manager writes."""
    from django.apps import apps

    names = set()
    for config in (apps.get_app_config("claims"), apps.get_app_config("evidence")):
        for model in config.get_models():
            for field in model._meta.get_fields():
                if field.is_relation:
                    names.add(field.get_accessor_name() if field.auto_created
                              else field.name)
    names.discard(None)
    return names


def _is_super_call(node):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "super")


def writes_in(source, relations):
    """(line, what) of every write in `source` (Python code)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, node.func.value
        if method in WRITE_METHODS:
            found.append((node.lineno, f".{method}()"))
        # QuerySet.update takes keyword arguments only; dict.update (the admin's contexts,
        # the API's error lists) is given a mapping, or is called on a dict's item (the
        # schema's parameters).
        elif (method == "update" and node.keywords and not node.args
              and not isinstance(receiver, ast.Subscript)):
            found.append((node.lineno, ".update(field=...)"))
        elif (method in RELATED_MANAGER_WRITES and isinstance(receiver, ast.Attribute)
              and receiver.attr in relations):
            found.append((node.lineno, f".{receiver.attr}.{method}()"))
        elif method in WRITING_HOOKS and _is_super_call(receiver):
            found.append((node.lineno, f"super().{method}()"))
    return found


def scanned_files():
    files = {path for pattern in SCANNED for path in ROOT.glob(pattern)}
    return sorted(path for path in files if "migrations" not in path.parts)


def test_the_admin_and_the_api_call_services_for_every_write():
    relations = relation_names()
    offences, allowed_seen = [], set()
    for path in scanned_files():
        name = path.relative_to(ROOT).as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, what in writes_in(path.read_text(encoding="utf-8"), relations):
            code = lines[line - 1].strip()
            key = next((k for k in ALLOWED if k[0] == name and code.startswith(k[1])), None)
            if key:
                allowed_seen.add(key)
            else:
                offences.append(f"{name}:{line}: {what}  {code}")
    assert not offences, "Writes outside the services (call one instead):\n" + "\n".join(
        offences)
    # An exception that no longer matches anything must go, not linger as a loophole.
    assert allowed_seen == set(ALLOWED), set(ALLOWED) - allowed_seen


def test_the_scan_covers_the_admin_and_the_api():
    names = {p.relative_to(ROOT).as_posix() for p in scanned_files()}
    assert {"evidence/admin.py", "claims/api/views.py", "evidence/api/views.py",
            "claims/admin/__init__.py", "claims/admin/claim.py", "claims/forms.py",
            "factcheck/history_admin.py"} <= names
    assert any(n.startswith("api/") for n in names)


@pytest.mark.parametrize("code", [
    "claim.save()",
    "form.save(commit=False)",
    "formset.save()",
    "form.save_m2m()",
    "instance.delete()",
    "Claim.objects.filter(pk=1).delete()",
    "Claim.objects.create(text='x')",
    "Evidence.objects.update_or_create(claim=c, source=s)",
    "Tag.objects.get_or_create(slug='x')",
    "Claim.objects.bulk_create(rows)",
    "Claim.objects.filter(pk=1).update(state='new')",
    "claim.tags.set(tags)",
    "claim.claimants.add(person)",
    "claimant.claims.remove(claim)",
    "verdict.reviews.clear()",
    "super().save_model(request, obj, form, change)",
    "super().perform_destroy(instance)",
])
def test_the_scan_finds_each_kind_of_write(code):
    assert writes_in(code, relation_names()), code


@pytest.mark.parametrize("code", [
    "extra.update(self.desk_context(request, claim))",
    "errors.update({name: message})",
    "parameter['schema'].update(minimum=1, maximum=100)",
    "seen.add(claim.pk)",
    "self.message_user(request, 'Saved.', messages.SUCCESS)",
    "services.update_claim(claim, by=user, text='x')",
    "evidence_services.delete_evidence(evidence)",
    "super().save_related(request, form, formsets, change)",
])
def test_the_scan_leaves_alone_what_does_not_write(code):
    assert writes_in(code, relation_names()) == [], code


# --- what the admin and the API would inherit ----------------------------------------------

# (admin class name, hook): why Django's default may run. Empty: corrections and source
# changes, the two records only the system writes, refuse deletion to everyone.
INHERITED_ALLOWED = {}


def _ours(cls, hook):
    """Whether `cls` gets `hook` from one of the apps' classes (not from Django, DRF or
    django-simple-history, whose hooks save and delete the row themselves)."""
    owner = next(c for c in cls.__mro__ if hook in vars(c))
    return owner.__module__.split(".")[0] in ("claims", "evidence") or owner.__module__ in (
        "factcheck.history_admin",)


def _desk_admins():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in ("claims", "evidence"):
            yield model_admin


def test_no_admin_inherits_a_save_or_delete_it_could_run(db):
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(username="root", is_superuser=True, is_staff=True,
                                    is_active=True)
    inherited, allowed_seen = [], set()
    for model_admin in _desk_admins():
        hooks = []
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        ):
            hooks.append("save_model")
        if model_admin.has_delete_permission(request):
            hooks += ["delete_model", "delete_queryset"]
        for hook in hooks:
            name = type(model_admin).__name__
            if _ours(type(model_admin), hook):
                continue
            if (name, hook) in INHERITED_ALLOWED:
                allowed_seen.add((name, hook))
            else:
                inherited.append(f"{name}.{hook}")
    assert not inherited, f"These admins would save or delete with Django's default: {inherited}"
    assert allowed_seen == set(INHERITED_ALLOWED), set(INHERITED_ALLOWED) - allowed_seen


def _api_viewsets():
    from claims.api import views as claims_views
    from evidence.api import views as evidence_views

    for module in (claims_views, evidence_views):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, viewsets.GenericViewSet) and cls.__module__ == module.__name__:
                yield cls


def test_every_api_write_hook_is_the_resources_own():
    inherited = []
    for cls in _api_viewsets():
        for action, hook in (("create", "perform_create"), ("update", "perform_update"),
                             ("destroy", "perform_destroy")):
            if hasattr(cls, action) and not _ours(cls, hook):
                inherited.append(f"{cls.__name__}.{hook}")
    assert not inherited, f"These API writes are not the resource's own: {inherited}"


@pytest.mark.parametrize("model_path", ["claims.Correction", "evidence.SourceChange"])
def test_nobody_deletes_a_record_only_the_system_writes(db, model_path):
    from django.apps import apps

    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(username="root", is_superuser=True, is_staff=True,
                                    is_active=True)
    model_admin = admin.site._registry[apps.get_model(model_path)]
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_add_permission(request)
