"""The two desks a write comes through, as their users drive them: the REST API with a
token, and the admin's forms posted by a signed-in browser (each form read with a GET
first, so the post carries everything the page holds, as a browser's would)."""
import datetime
import json

from django import forms
from django.test import Client
from rest_framework.test import APIClient

from tests.data.desk import staff, token_for

API = "/api/v1"


def api_client(user):
    """An API client sending `user`'s token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def admin_client(user):
    """A browser signed in to the admin as `user` (made staff)."""
    client = Client()
    client.force_login(staff(user))
    return client


def api_patch(client, url, body):
    """PATCH `body` to `url` with the If-Match of what a GET just read; the answer."""
    response = client.patch(url, body, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200, response.content
    return response.json()


def api_post(client, url, body):
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def api_delete(client, url):
    response = client.delete(url)
    assert response.status_code == 204, response.content


def _posted_value(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value)
    return "on" if value is True else str(value)


def _form_data(form):
    """What a browser posts for `form` as shown: an unticked box and an empty multiple
    select send nothing."""
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        shown = bound.value()
        multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        if (multiple or isinstance(shown, bool)) and not shown:
            continue
        data[bound.html_name] = _posted_value(shown)
    return data


def admin_save(client, url, *, fields=None, rows=None, new_rows=None, deleted=None):
    """Open the admin change (or add) form at `url`, then post it as the page shows it
    with `fields` changed; on the page's inlines (by prefix: "appearances", "evidence"...),
    `rows` changes rows ({prefix: {index: {field: value}}}), `new_rows` adds rows
    ({prefix: [{field: value}]}) and `deleted` marks rows deleted ({prefix: [index]}).
    Asserts the admin accepted it (a redirect) and returns the response."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = _form_data(page.context["adminform"].form)
    data.update({k: _posted_value(v) for k, v in (fields or {}).items()})
    for inline in page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        prefix = formset.prefix
        data.update(_form_data(formset.management_form))
        for row in formset.forms:
            data.update(_form_data(row))
        for index, changes in (rows or {}).get(prefix, {}).items():
            data.update({f"{prefix}-{index}-{k}": _posted_value(v) for k, v in changes.items()})
        for index in (deleted or {}).get(prefix, []):
            data[f"{prefix}-{index}-DELETE"] = "on"
        added = (new_rows or {}).get(prefix, [])
        start = len(formset.forms)
        for offset, row in enumerate(added):
            data.update({f"{prefix}-{start + offset}-{k}": _posted_value(v)
                         for k, v in row.items()})
        data[f"{prefix}-TOTAL_FORMS"] = str(start + len(added))
    data["_save"] = "Save"
    response = client.post(url, data)
    if response.status_code != 302:
        form = response.context["adminform"].form
        errors = [form.errors] + [
            [f.errors for f in inline.formset.forms] + [inline.formset.non_form_errors()]
            for inline in response.context.get("inline_admin_formsets", [])
        ]
        raise AssertionError(f"The admin refused the form: {errors}")
    return response


def admin_url(model, pk=None):
    """The admin's change page of row `pk` of `model`, or its add page."""
    opts = model._meta
    base = f"/admin/{opts.app_label}/{opts.model_name}/"
    return f"{base}{pk}/change/" if pk is not None else f"{base}add/"
