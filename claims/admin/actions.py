"""The claim queue's bulk actions: assign, set priority, move, mark as duplicate.

Each acts on the selected claims one by one through claims.workflow, and reports each claim
the workflow refused.
"""
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from claims import workflow
from claims.forms import DuplicateOfForm
from claims.models import Claim

State = Claim.State


def _each(modeladmin, request, queryset, verb, service):
    """Run `service(claim)` on each selected claim; report successes and each refusal.

    Each claim is one transaction in the service, so a refused claim is left untouched
    and never stops the others.
    """
    done, refused = 0, []
    for claim in queryset:
        try:
            service(claim)
        except workflow.WorkflowError as error:
            refused.append((claim, error))
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"{verb}: {done} claim(s).", messages.SUCCESS)
    for claim, error in refused:
        modeladmin.message_user(
            request, f"#{claim.pk} “{claim}” was not changed: {error.message}", messages.ERROR
        )


@admin.action(description="Assign to me", permissions=["change"])
def assign_to_me(modeladmin, request, queryset):
    _each(modeladmin, request, queryset, "Assigned to you", lambda claim: workflow.assign_claim(
        claim=claim, assignee=request.user, by=request.user
    ))


def priority_action(priority):
    """The bulk action that sets each selected claim's priority to `priority`."""

    def action(modeladmin, request, queryset):
        _each(modeladmin, request, queryset, f"Priority set to {priority.label}",
              lambda claim: workflow.set_priority(claim=claim, priority=priority, by=request.user))

    action.__name__ = f"set_priority_{priority.name.lower()}"
    return admin.action(description=f"Set priority: {priority.label}",
                        permissions=["change"])(action)


def move_action(to_state):
    """The bulk action that moves each selected claim to `to_state`."""

    def action(modeladmin, request, queryset):
        _each(modeladmin, request, queryset, f"Moved to {to_state.label}",
              lambda claim: workflow.transition_claim(claim=claim, to_state=to_state,
                                                      by=request.user))

    action.__name__ = f"move_to_{to_state.value}"
    return admin.action(description=f"Move to: {to_state.label}",
                        permissions=["transition"])(action)


@admin.action(description="Mark as duplicate of…", permissions=["transition"])
def mark_as_duplicate(modeladmin, request, queryset):
    """Ask for the original on an intermediate page, then mark each selected claim."""
    form = DuplicateOfForm(
        request.POST if "apply" in request.POST else None, admin_site=modeladmin.admin_site
    )
    if form.is_valid():
        original = form.cleaned_data["original"]
        _each(modeladmin, request, queryset, f"Marked as duplicates of #{original.pk}",
              lambda claim: workflow.transition_claim(
                  claim=claim, to_state=State.DUPLICATE, by=request.user, duplicate_of=original
              ))
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Mark as duplicate",
        "opts": modeladmin.model._meta,
        "claims": queryset,
        "form": form,
        "media": modeladmin.media + form.media,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/claims/claim/mark_duplicate.html", context)
