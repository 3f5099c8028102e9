"""The base of the desk's admins: history pages, and a save path through the services.

django-simple-history's own revert (`history_form_view`) checks only *view* permission,
saves outside a transaction, and saves the old row whole, so it rewrites whatever the
old version held: a claim's state, a verdict's approver or what was published. Here a
revert is a change like any other:

- it needs change permission on the object, exactly as the change page does; those who
  may only view it see the old version read-only;
- it is the admin's own change form, bound to the object *as it is now*, with the form's
  fields set to what the old version held: fields the form does not edit (the workflow's,
  read-only ones) keep their current value, and `revert_protected_fields` are never
  offered even if the form has them;
- it saves through the admin's save path (save_form, save_model, save_related), so the
  services behind a normal save run, inside one transaction (the forms lock the row they
  check the version of).

Every admin built on GuardedHistoryAdmin saves by calling one service per row in its
save_model (and save_formset, for inline rows), passing the values its form validated
(`edited_values`); the form itself never saves (tests/services/test_no_writes_outside.py
checks the admin's code for it).
"""
from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import ManyToManyField, Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model


def edited_values(form, *, exclude=()):
    """{field name: cleaned value} of the model fields `form` (a validated ModelForm)
    edits, many-to-many ones included, for a service to save; not its primary key, nor
    the fields named in `exclude` (an inline row's link to its parent)."""
    opts = form._meta.model._meta
    names = {f.name for f in opts.get_fields() if f.concrete and not f.primary_key}
    return {
        name: value for name, value in form.cleaned_data.items()
        if name in names and name in form.fields and name not in exclude
    }


def adopt(obj, saved):
    """Make `obj`, the admin's unsaved copy from the form, the row a service created:
    the admin goes on to save inline rows under it, log it and redirect to it."""
    obj.pk = saved.pk
    obj.refresh_from_db()
    obj._state.adding = False


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose revert obeys change permission and the workflow."""

    object_history_form_template = "admin/claims/history_version.html"
    # Fields a revert never restores, even when the admin's form edits them.
    revert_protected_fields = ()

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): save_model passed the many-to-many values to its service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_queryset(self, request, queryset):
        # The changelist's "delete selected": one delete_model (one service call) per row,
        # not Django's bulk queryset.delete(), which would skip what the service does.
        for obj in queryset:
            self.delete_model(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.current_app = self.admin_site.name
        object_id = unquote(object_id)
        record = self._historical_record(object_id, version_id)
        current = self.get_object(request, object_id)
        if not self.has_view_or_change_permission(request, current or record.instance):
            raise PermissionDenied
        # A deleted object is not brought back from here: it is shown read-only.
        may_revert = (
            current is not None
            and self.has_change_permission(request, current)
            and not getattr(settings, "SIMPLE_HISTORY_REVERT_DISABLED", False)
        )
        if request.method == "POST":
            if not may_revert:
                raise PermissionDenied
            with transaction.atomic(using=router.db_for_write(self.model)):
                return self._revert(request, current, record, extra_context)
        if may_revert:
            return self._render_version(request, self._revert_form(request, current, record),
                                        current, record, extra_context)
        return self._render_read_only(request, current, record, extra_context)

    # the old version

    def _historical_record(self, object_id, version_id):
        history = get_history_manager_for_model(self.model)
        try:
            return history.get(**{self.model._meta.pk.attname: object_id,
                                  "history_id": version_id})
        except (history.model.DoesNotExist, ValueError, ValidationError):
            raise Http404("No such version.") from None

    def _restorable_fields(self, form_class):
        """The form's model fields a revert may take from the old version.

        Many-to-many relations are left as they are now: the histories do not track them.
        """
        opts = self.model._meta
        names = []
        for name in form_class.base_fields:
            if name in self.revert_protected_fields:
                continue
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:  # a form-only field: the version read, a note
                continue
            if field.concrete and not isinstance(field, ManyToManyField):
                names.append(name)
        return names

    def _revert_form(self, request, current, record, data=None):
        fieldsets = self.get_fieldsets(request, current)
        form_class = self.get_form(request, current, change=True,
                                   fields=flatten_fieldsets(fieldsets))
        old = record.instance
        initial = {
            name: self.model._meta.get_field(name).value_from_object(old)
            for name in self._restorable_fields(form_class)
        }
        # Bound to the object as it is now: only the form's fields change, and the form's
        # own checks (such as "saved by someone else since you opened it") see the
        # current row.
        form = form_class(data, request.FILES if data is not None else None,
                          instance=current, initial=initial)
        for name in self.revert_protected_fields:
            form.fields.pop(name, None)
        return form

    # reverting

    def _revert(self, request, current, record, extra_context):
        form = self._revert_form(request, current, record, request.POST)
        if not form.is_valid():
            return self._render_version(request, form, current, record, extra_context)
        history = get_history_manager_for_model(self.model)
        mine = history.filter(**{self.model._meta.pk.attname: current.pk})
        before = mine.aggregate(last=Max("history_id"))["last"] or 0
        obj = self.save_form(request, form, change=True)
        self.save_model(request, obj, form, change=True)
        self.save_related(request, form, formsets=[], change=True)
        # The audit history says which version the change restored.
        stamp = timezone.localtime(record.history_date)
        mine.filter(history_id__gt=before).update(
            history_change_reason=f"Reverted to the version of {stamp:%Y-%m-%d %H:%M}"
        )
        self.log_change(request, obj, self.construct_change_message(request, form, []))
        return self.response_change(request, obj)

    # pages

    def _render_version(self, request, form, current, record, extra_context):
        fieldsets = self.get_fieldsets(request, current)
        admin_form = helpers.AdminForm(
            form, list(fieldsets), self.get_prepopulated_fields(request, current),
            self.get_readonly_fields(request, current), model_admin=self,
        )
        return self._render(request, admin_form, form, current, record, True, extra_context)

    def _render_read_only(self, request, current, record, extra_context):
        # As the change page shows an object to someone who may only view it: every field
        # read-only, here with the values of the old version.
        old = record.instance
        old._state.adding = False
        fieldsets = self.get_fieldsets(request, old)
        form_class = self.get_form(request, old, change=True,
                                   fields=flatten_fieldsets(fieldsets))
        form = form_class(instance=old)
        admin_form = helpers.AdminForm(
            form, list(fieldsets), {}, flatten_fieldsets(fieldsets), model_admin=self,
        )
        return self._render(request, admin_form, form, current or old, record, False,
                            {"deleted": current is None, **(extra_context or {})})

    def _render(self, request, admin_form, form, obj, record, may_revert, extra_context):
        opts = self.model._meta
        url_name = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}"
        verb = "Revert" if may_revert else "View"
        context = {
            **self.admin_site.each_context(request),
            "title": f"{verb} {obj}",
            "adminform": admin_form,
            "object_id": obj.pk,
            "original": obj,
            "version": record,
            "protected_fields": [
                str(opts.get_field(name).verbose_name) for name in self.revert_protected_fields
            ],
            "is_popup": False,
            "media": self.media + admin_form.media,
            "errors": helpers.AdminErrorList(form, []),
            "app_label": opts.app_label,
            "original_opts": opts,
            "changelist_url": reverse(f"{url_name}_changelist"),
            "change_url": reverse(f"{url_name}_change", args=[obj.pk]),
            "history_url": reverse(f"{url_name}_history", args=[obj.pk]),
            "change_history": False,
            "revert_disabled": not may_revert,
            "add": False,
            "change": True,
            "has_add_permission": self.has_add_permission(request),
            "has_view_permission": self.has_view_permission(request, obj),
            "has_change_permission": may_revert,
            "has_delete_permission": self.has_delete_permission(request, obj),
            "has_editable_inline_admin_formsets": False,
            "has_file_field": True,
            "has_absolute_url": False,
            "form_url": "",
            "opts": get_history_manager_for_model(self.model).model._meta,
            "content_type_id": self.content_type_model_cls.objects.get_for_model(self.model).id,
            "save_as": False,
            "save_on_top": self.save_on_top,
            "root_path": getattr(self.admin_site, "root_path", None),
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_form_template, context)
