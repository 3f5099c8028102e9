"""Verdicts, with their audit history, and the corrections published verdicts carry."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims import workflow
from claims.forms import VerdictAdminForm
from claims.models import Correction, Verdict
from factcheck.history_admin import GuardedHistoryAdmin
from factcheck.read_only_admin import ReadOnlyAdmin

VERDICT_WORKFLOW_FIELDS = (
    "status", "is_current", "author", "approver", "submitted_at", "published_at",
    "last_published_at", "published_rating", "published_headline", "published_summary",
)


@admin.register(Verdict)
class VerdictAdmin(GuardedHistoryAdmin):
    """Verdicts with their audit history. They are drafted on their claim's page; here the
    desk reads them, sees each version and may restore an earlier wording. Every write
    goes through workflow.save_verdict; status, approver and publication are the
    workflow's alone."""

    form = VerdictAdminForm
    list_display = ["__str__", "claim_link", "status", "rating", "author", "approver",
                    "updated_at"]
    list_filter = ["status", "is_current"]
    list_select_related = ["claim", "rating", "author", "approver"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["claim_link", "rating", "headline", "summary", "analysis",
                           "correction_note", "version"]}),
        ("Workflow", {"fields": ["status", "is_current", "author", "approver",
                                 "submitted_at", "published_at", "last_published_at"]}),
        ("What readers were last shown", {"fields": ["published_rating",
                                                     "published_headline",
                                                     "published_summary"]}),
    ]
    readonly_fields = ["claim_link", *VERDICT_WORKFLOW_FIELDS]
    revert_protected_fields = VERDICT_WORKFLOW_FIELDS

    @admin.display(description="claim")
    def claim_link(self, obj):
        return format_html('<a href="{}">#{} {}</a>',
                           reverse("admin:claims_claim_change", args=[obj.claim_id]),
                           obj.claim_id, obj.claim)

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.fieldsets
        # Only a published verdict's changes are corrections.
        first, *rest = self.fieldsets
        fields = [f for f in first[1]["fields"] if f != "correction_note"]
        return [(first[0], {"fields": fields}), *rest]

    def has_add_permission(self, request):
        return False  # a verdict is drafted on its claim's page

    def has_delete_permission(self, request, obj=None):
        return False  # kept with its claim: published ones are part of the record

    def has_change_permission(self, request, obj=None):
        # save_verdict writes the claim's current verdict; earlier ones are the record.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_current)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        workflow.save_verdict(
            claim=obj.claim, by=request.user, rating=data.get("rating"),
            headline=data.get("headline", ""), summary=data.get("summary", ""),
            analysis=data.get("analysis", ""), correction_note=data.get("correction_note", ""),
            read_version=data.get("version"),
        )
        # What the service saved, for the message and the log (not the form's copy).
        obj.refresh_from_db()


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Corrections are written by save_verdict; here they are only read. Nobody deletes
    one, superusers included: a correction is the public record that a published verdict
    changed."""

    list_display = ["verdict", "note", "created_at", "created_by"]
    list_select_related = ["verdict", "verdict__rating", "created_by"]
