"""Sources, their archived snapshots, and evidence, as the desk sees them.

Every write is one call to `evidence.services` per row: a source is created from a URL
by `source_for_url` (one canonical Source per page, queued for archiving) and corrected by
`update_source`; "fetch again" is `request_archive`; evidence is cited, edited and removed
by `attach_evidence`, `update_evidence` and `delete_evidence`, which pin it to the
capture it is read in and recompute its claim's evidence status.
"""
from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils.html import format_html_join

from factcheck.history_admin import GuardedHistoryAdmin, adopt, edited_values
from factcheck.read_only_admin import ReadOnlyAdmin

from . import services
from .badges import snapshot_link, source_badge
from .models import Evidence, Snapshot, Source, SourceChange
from .urls_canonical import InvalidURL, canonicalize_url


class SourceForm(forms.ModelForm):
    # Not a model field of the form: a new source is saved by source_for_url, and an
    # existing one's URL is read-only (a different page is a different source).
    url = forms.URLField(max_length=2000, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["title", "publisher"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            canonical = canonicalize_url(url)
        except InvalidURL as error:
            raise forms.ValidationError(str(error)) from None
        existing = Source.objects.filter(canonical_url=canonical).first()
        if existing:
            raise forms.ValidationError(
                f"This page is already in the archive as source #{existing.pk} "
                f"({existing.canonical_url})."
            )
        return url


class SnapshotInline(admin.TabularInline):
    model = Snapshot
    fields = ["fetched", "http_status", "final_url", "content_type", "payload_size",
              "truncated", "text_sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="fetched")
    def fetched(self, snapshot):
        return snapshot_link(snapshot)


@admin.action(description="Fetch again (queue a new archive)", permissions=["change"])
def fetch_again(modeladmin, request, queryset):
    count = 0
    for source in queryset:
        services.request_archive(source)
        count += 1
    modeladmin.message_user(
        request, f"{count} source(s) queued for archiving; their status updates when the "
        "archiver has fetched them.", messages.SUCCESS,
    )


@admin.register(Source)
class SourceAdmin(GuardedHistoryAdmin):
    """Sources by canonical URL with their archive state. History and revert cover what
    the desk says about a page (title, publisher); the URL is its identity and the
    archive state the archiver's."""

    form = SourceForm
    revert_protected_fields = ("url", "canonical_url")
    list_display = ["source", "publisher", "status_badge", "attempts", "last_checked_at",
                    "latest"]
    list_filter = ["status"]
    list_select_related = ["latest_snapshot"]
    search_fields = ["canonical_url", "title", "publisher"]
    show_full_result_count = False
    actions = [fetch_again]
    inlines = [SnapshotInline]
    readonly_fields = ["canonical_url", "status_badge", "attempts", "last_error",
                       "last_attempt_at", "archived_at", "last_checked_at", "changed_at",
                       "latest", "cited_by"]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []  # a source being added has no snapshots yet

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["url", "title", "publisher"]
        return ["url", "canonical_url", "title", "publisher", *self.readonly_fields[1:]]

    def get_readonly_fields(self, request, obj=None):
        # The URL is the source's identity: a different page is a different source.
        return ["url", *self.readonly_fields] if obj else []

    @admin.display(description="source", ordering="canonical_url")
    def source(self, obj):
        return str(obj)

    @admin.display(description="archive status", ordering="status")
    def status_badge(self, obj):
        return source_badge(obj)

    @admin.display(description="latest snapshot")
    def latest(self, obj):
        return snapshot_link(obj.latest_snapshot)

    @admin.display(description="cited by")
    def cited_by(self, obj):
        claims = {e.claim_id: e.claim for e in obj.evidence.select_related("claim")}
        claims.update({a.claim_id: a.claim for a in obj.appearances.select_related("claim")})
        return format_html_join(
            ", ", '<a href="{}">#{}</a>',
            ((reverse("admin:claims_claim_change", args=[pk]), pk) for pk in sorted(claims)),
        ) or "—"

    def save_model(self, request, obj, form, change):
        if change:
            services.update_source(obj, **edited_values(form))
            return
        adopt(obj, services.source_for_url(
            form.cleaned_data["url"], title=form.cleaned_data["title"],
            publisher=form.cleaned_data["publisher"],
        ))

    def delete_model(self, request, obj):
        services.delete_source(obj)

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, "The source is queued for archiving.", messages.INFO)
        return super().response_add(request, obj, post_url_continue)


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    """Snapshots are written by the archiver only; the desk reads them."""

    list_display = ["source", "fetched_at", "http_status", "final_url", "truncated"]
    list_select_related = ["source"]
    list_filter = ["http_status", "truncated"]
    search_fields = ["source__canonical_url", "final_url", "title"]
    show_full_result_count = False
    # The read-only page still builds a form; say which scheme its URL field assumes
    # (Django 6 changes the default and warns until told).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SourceChange)
class SourceChangeAdmin(ReadOnlyAdmin):
    """Changes the archiver detected between two captures; read only, for everyone: the
    trail of how a cited page changed is evidence too."""

    list_display = ["source", "detected_at", "previous_link", "current_link"]
    list_select_related = ["source", "previous", "current"]

    @admin.display(description="before")
    def previous_link(self, obj):
        return snapshot_link(obj.previous)

    @admin.display(description="after")
    def current_link(self, obj):
        return snapshot_link(obj.current)


@admin.register(Evidence)
class EvidenceAdmin(GuardedHistoryAdmin):
    list_display = ["claim", "stance", "source", "archive_status", "pinned"]
    list_select_related = ["claim", "source", "snapshot"]
    list_filter = ["stance", "source__status"]
    search_fields = ["claim__text", "source__canonical_url", "source__title"]
    autocomplete_fields = ["claim", "source"]
    fields = ["claim", "source", "stance", "summary", "snapshot"]
    readonly_fields = ["snapshot"]
    show_full_result_count = False

    @admin.display(description="archive")
    def archive_status(self, obj):
        return source_badge(obj.source)

    @admin.display(description="read in")
    def pinned(self, obj):
        return snapshot_link(obj.snapshot)

    def save_model(self, request, obj, form, change):
        values = edited_values(form)
        if change:
            services.update_evidence(obj, by=request.user, **values)
        else:
            adopt(obj, services.attach_evidence(by=request.user, **values))

    def delete_model(self, request, obj):
        services.delete_evidence(obj, by=request.user)
