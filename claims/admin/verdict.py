"""Verdicts, with their audit history, and the notes of their published revisions."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims import workflow
from claims.forms import VerdictAdminForm
from claims.models import Claim, Correction, Verdict
from factcheck.history_admin import GuardedHistoryAdmin
from factcheck.read_only_admin import ReadOnlyAdmin

VERDICT_WORKFLOW_FIELDS = (
    "status", "is_current", "author", "approver", "submitted_at", "published_at",
    "last_published_at",
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
                           "correction_note", "change_kind", "version"]}),
        ("Workflow", {"fields": ["status", "is_current", "author", "approver",
                                 "submitted_at", "published_at", "last_published_at"]}),
        ("What readers are shown", {"fields": ["current_publication_link"]}),
    ]
    readonly_fields = ["claim_link", "current_publication_link", *VERDICT_WORKFLOW_FIELDS]
    # A revert restores the wording; the note of the revision it starts is written for
    # that revision, never taken from an older one (which may have been published already).
    revert_protected_fields = (*VERDICT_WORKFLOW_FIELDS, "correction_note", "change_kind")

    @admin.display(description="current publication")
    def current_publication_link(self, obj):
        publication = Claim.objects.filter(pk=obj.claim_id).values_list(
            "current_publication", "current_publication__number").first()
        if not publication or publication[0] is None:
            return "Not published: readers see nothing of this claim."
        return format_html('<a href="{}">Version {}</a> (what readers see; it never changes)',
                           reverse("admin:claims_publication_change", args=[publication[0]]),
                           publication[1])

    @admin.display(description="claim")
    def claim_link(self, obj):
        return format_html('<a href="{}">#{} {}</a>',
                           reverse("admin:claims_claim_change", args=[obj.claim_id]),
                           obj.claim_id, obj.claim)

    def get_fieldsets(self, request, obj=None):
        # `obj` may be an old version whose claim has been deleted since.
        if obj is not None and Claim.objects.published().filter(pk=obj.claim_id).exists():
            return self.fieldsets
        # Only a change to a claim readers see is a revision, published with a note.
        first, *rest = self.fieldsets
        fields = [f for f in first[1]["fields"] if f not in ("correction_note", "change_kind")]
        return [(first[0], {"fields": fields}), *rest]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        match = request.resolver_match
        if match and match.url_name == f"{self.opts.app_label}_{self.opts.model_name}" \
                "_simple_history":
            # The revert page: the revision's note and kind are shown as they are now and
            # kept (revert_protected_fields), not offered from the old version.
            return [*fields, "correction_note", "change_kind"]
        return fields

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
            analysis=data.get("analysis", ""),
            # None (left as it is) when the form does not show them: no revision, or a
            # revert (which never restores them).
            correction_note=data.get("correction_note"), change_kind=data.get("change_kind"),
            read_version=data.get("version"),
        )
        # What the service saved, for the message and the log (not the form's copy).
        obj.refresh_from_db()


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """The public notes of published revisions, written by the workflow when an editor
    publishes a revision (claims.workflow); here they are only read. Nobody deletes one,
    superusers included: a correction is the public record that a published verdict
    changed. A note without a publication was drafted under the old rules and never
    published."""

    list_display = ["__str__", "kind", "publication_link", "note", "previous_rating",
                    "new_rating", "created_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["verdict", "publication", "previous_rating", "new_rating",
                           "created_by"]
    fields = ["verdict", "publication_link", "kind", "note", "previous_rating", "new_rating",
              "previous_summary", "created_at", "created_by"]
    readonly_fields = ["publication_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(
            "publication__content", "publication__claim_review", "publication__search_text")

    @admin.display(description="publication", ordering="publication__number")
    def publication_link(self, obj):
        if obj.publication_id is None:
            return "never published"
        return format_html('<a href="{}">version {}</a>',
                           reverse("admin:claims_publication_change", args=[obj.publication_id]),
                           obj.publication.number)
