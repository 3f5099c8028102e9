"""The desk's admin: the claim queue, the claim page and its workflow, claimants.

Every write goes through one service call per row written: `claims.services` (claims,
claimants, appearances, responses, relations, tags, ratings), `claims.workflow` (moves,
verdicts, reviews, assignment and priority) and `evidence.services` (evidence, sources).
The admin only parses forms and reports.
"""
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from claims import roles, search, services, workflow
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimRelation,
    Correction,
    Rating,
    Response,
    Review,
    Tag,
    Verdict,
)
from claims.widgets import (
    CappedCountPaginator,
    PreloadedAutocompleteSelect,
    preload_autocompletes,
)
from evidence import services as evidence_services
from evidence.badges import evidence_status_badge, snapshot_link, source_badge
from evidence.models import Evidence
from evidence.urls_canonical import InvalidURL, canonicalize_url
from factcheck.badges import badge
from factcheck.edit_versions import StaleEdit, version_of
from factcheck.history_admin import GuardedHistoryAdmin, adopt, edited_values

State = Claim.State

# The admin's "View site" link: the public list of published verdicts (there is no page
# at /).
admin.site.site_url = "/checks/"

# What each move is called on the claim page, in the desk's words.
MOVE_LABELS = {
    State.TRIAGED: "Mark triaged",
    State.RESEARCHING: "Start research",
    State.IN_REVIEW: "Submit for review",
    State.PUBLISHED: "Publish",
    State.REJECTED: "Reject (not check-worthy)",
    State.DUPLICATE: "Mark as duplicate",
    State.NEW: "Reconsider",
}
BACK_TO_RESEARCH = {State.IN_REVIEW: "Send back to research", State.PUBLISHED: "Reopen"}


def stamped(when, who):
    """“2024-08-05 10:00 by edith”; a claim being added has neither yet."""
    if when is None:
        return "—"
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M} by {who or '—'}"


def move_label(claim_state, to_state):
    if to_state == State.RESEARCHING and claim_state in BACK_TO_RESEARCH:
        return BACK_TO_RESEARCH[claim_state]
    return MOVE_LABELS[to_state]


# --- the queue's filters ------------------------------------------------------------------


def row_id(value):
    """`value` as a row id if it is written as one, else None. ASCII digits only:
    "²".isdigit() is true too, and int("²") raises."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        desk = (
            get_user_model().objects.filter(
                groups__name__in=[roles.FACT_CHECKER, roles.EDITOR], is_active=True
            ).distinct().order_by("username")
        )
        return [("mine", "Mine"), ("none", "Unassigned")] + [
            (str(u.pk), u.get_full_name() or u.username) for u in desk
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "mine":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if row_id(value) is not None:
            return queryset.filter(assignee_id=row_id(value))
        return queryset


class RatingFilter(admin.SimpleListFilter):
    title = "rating"
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        return [("none", "Not rated yet")] + [(str(r.pk), r.name) for r in Rating.objects.all()]

    def queryset(self, request, queryset):
        value = self.value()
        rated = Verdict.objects.filter(
            claim=OuterRef("pk"), is_current=True, rating__isnull=False
        )
        if value == "none":
            return queryset.filter(~Exists(rated))
        if row_id(value) is not None:
            return queryset.filter(Exists(rated.filter(rating_id=row_id(value))))
        return queryset


class ClaimantFilter(admin.SimpleListFilter):
    """Claims by one of their claimants, typed by name (or given by id from a claimant's
    page): a newsroom knows thousands of claimants, too many to list as links."""

    title = "claimant"
    parameter_name = "claimant"
    template = "admin/claims/claim/claimant_filter.html"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def choices(self, changelist):
        keep = {k: v for k, v in changelist.params.items() if k != self.parameter_name}
        yield {
            "value": self.value() or "",
            "hidden": sorted(keep.items()),
            "clear": changelist.get_query_string(remove=[self.parameter_name]),
        }

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        made_by = Claim.claimants.through.objects.filter(claim=OuterRef("pk"))
        if row_id(value) is not None:
            made_by = made_by.filter(claimant_id=row_id(value))
        else:
            made_by = made_by.filter(claimant__name__icontains=value)
        return queryset.filter(Exists(made_by))


# --- bulk actions ------------------------------------------------------------------------


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


def _priority_action(priority):
    def action(modeladmin, request, queryset):
        _each(modeladmin, request, queryset, f"Priority set to {priority.label}",
              lambda claim: workflow.set_priority(claim=claim, priority=priority, by=request.user))

    action.__name__ = f"set_priority_{priority.name.lower()}"
    return admin.action(description=f"Set priority: {priority.label}",
                        permissions=["change"])(action)


def _move_action(to_state):
    def action(modeladmin, request, queryset):
        _each(modeladmin, request, queryset, f"Moved to {to_state.label}",
              lambda claim: workflow.transition_claim(claim=claim, to_state=to_state,
                                                      by=request.user))

    action.__name__ = f"move_to_{to_state.value}"
    return admin.action(description=f"Move to: {to_state.label}",
                        permissions=["transition"])(action)


class DuplicateOfForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"] = forms.ModelChoiceField(
            queryset=Claim.objects.all(), label="The original claim",
            help_text="The selected claims will be marked as duplicates of this one.",
            widget=AutocompleteSelect(Claim._meta.get_field("duplicate_of"), admin_site),
        )


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


# --- the claim page's inlines --------------------------------------------------------------


class SourceURLForm(forms.ModelForm):
    """A row citing a Source, picked from the archive or given as a new URL."""

    source_url = forms.CharField(
        required=False, max_length=2000, label="or URL",
        help_text="Paste a link: it becomes a Source and is queued for archiving.",
        widget=forms.URLInput(attrs={"size": 30, "placeholder": "https://…"}),
    )
    autocompletes = ("source",)
    source_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].required = False
        preload_autocompletes(self, *self.autocompletes)

    def clean_source_url(self):
        url = self.cleaned_data["source_url"].strip()
        if url:
            try:
                canonicalize_url(url)
            except InvalidURL as error:
                raise forms.ValidationError(str(error)) from None
        return url

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("source_url"):
            self.add_error("source_url", "Pick a source or paste a URL, not both.")
        elif self.source_required and not cleaned.get("source") and not cleaned.get(
            "source_url"
        ) and not cleaned.get("DELETE"):
            self.add_error("source", "Pick a source or paste its URL.")
        return cleaned


class AppearanceForm(SourceURLForm):
    autocompletes = ("source", "claimant")

    class Meta:
        model = Appearance
        fields = ["claimant", "quote", "said_on", "medium", "venue", "source"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 2, "cols": 40})}


class ResponseForm(SourceURLForm):
    autocompletes = ("source", "claimant")

    class Meta:
        model = Response
        fields = ["claimant", "kind", "quote", "summary", "said_on", "source"]
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 2, "cols": 32}),
            "summary": forms.Textarea(attrs={"rows": 2, "cols": 32}),
        }


class EvidenceForm(SourceURLForm):
    source_required = True

    class Meta:
        model = Evidence
        fields = ["source", "stance", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self):
        cleaned = super().clean()
        url = cleaned.get("source_url")
        if url and self.instance.claim_id and Evidence.objects.filter(
            claim_id=self.instance.claim_id, source__canonical_url=canonicalize_url(url)
        ).exclude(pk=self.instance.pk).exists():
            self.add_error("source_url", "This source is already evidence on this claim.")
        return cleaned


class RelationForm(forms.ModelForm):
    class Meta:
        model = ClaimRelation
        fields = ["kind", "to_claim", "note"]
        widgets = {"note": forms.TextInput(attrs={"size": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        preload_autocompletes(self, "to_claim")


class PreloadedAutocompleteInline(admin.TabularInline):
    """An inline whose autocompletes label their values from the rows' own joins."""

    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AppearanceInline(PreloadedAutocompleteInline):
    model = Appearance
    form = AppearanceForm
    fields = ["claimant", "quote", "said_on", "medium", "venue", "source", "source_url"]
    autocomplete_fields = ["claimant", "source"]
    verbose_name = "appearance (who said it, where, when)"
    verbose_name_plural = "appearances (who said it, where, when)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claimant", "source")


class ResponseInline(PreloadedAutocompleteInline):
    model = Response
    form = ResponseForm
    fields = ["kind", "claimant", "quote", "summary", "said_on", "source", "source_url"]
    autocomplete_fields = ["claimant", "source"]
    verbose_name = "response (denial, confirmation…)"
    verbose_name_plural = "responses (denials first)"

    def get_queryset(self, request):
        # Denials first: they are what readers most need to see next to the claim.
        denials_first = Case(
            When(kind=Response.Kind.DENIES, then=Value(0)), default=Value(1),
            output_field=IntegerField(),
        )
        return (
            super().get_queryset(request).select_related("claimant", "source")
            .order_by(denials_first, "said_on", "pk")
        )


class EvidenceInline(PreloadedAutocompleteInline):
    model = Evidence
    form = EvidenceForm
    fields = ["source", "source_url", "stance", "summary", "archive_status", "latest_snapshot"]
    readonly_fields = ["archive_status", "latest_snapshot"]
    autocomplete_fields = ["source"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source__latest_snapshot")

    @admin.display(description="archive")
    def archive_status(self, evidence):
        return source_badge(evidence.source) if evidence.pk else "—"

    @admin.display(description="latest snapshot")
    def latest_snapshot(self, evidence):
        return snapshot_link(evidence.source.latest_snapshot if evidence.pk else None)


class RelationInline(PreloadedAutocompleteInline):
    model = ClaimRelation
    form = RelationForm
    fk_name = "from_claim"
    autocomplete_fields = ["to_claim"]
    verbose_name = "relation to another claim"
    verbose_name_plural = "relations to other claims"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_claim")


def _attach_evidence(claim, by, values):
    values["url"] = values.pop("source_url")
    return evidence_services.attach_evidence(claim=claim, by=by, **values)


# The services that write the claim page's inline rows, per model: add(claim, by, values),
# update(row, by, values) and delete(row); `values` are the row's validated fields.
ROW_SERVICES = {
    Appearance: (
        lambda claim, by, values: services.add_appearance(claim=claim, by=by, **values),
        lambda row, by, values: services.update_appearance(row, by=by, **values),
        services.delete_appearance,
    ),
    Response: (
        lambda claim, by, values: services.add_response(claim=claim, by=by, **values),
        lambda row, by, values: services.update_response(row, by=by, **values),
        services.delete_response,
    ),
    Evidence: (
        _attach_evidence,
        # Evidence records who cited it, not who edited it last.
        lambda row, by, values: evidence_services.update_evidence(row, **values),
        evidence_services.delete_evidence,
    ),
    ClaimRelation: (
        lambda claim, by, values: services.add_relation(from_claim=claim, by=by, **values),
        lambda row, by, values: services.update_relation(row, by=by, **values),
        services.delete_relation,
    ),
}


# --- the claim page's verdict panel -----------------------------------------------------------


class VerdictForm(forms.Form):
    rating = forms.ModelChoiceField(
        queryset=Rating.objects.filter(is_active=True), required=False
    )
    headline = forms.CharField(max_length=300, required=False,
                               widget=forms.TextInput(attrs={"size": 60}))
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    analysis = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown; sanitised when published.",
    )
    correction_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to change the rating or summary of a published verdict; "
        "readers will see it.",
    )
    # The verdict as this editor read it: a save over someone else's is refused.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_verdict(cls, verdict, data=None):
        initial = {}
        if verdict:
            initial = {"rating": verdict.rating_id, "headline": verdict.headline,
                       "summary": verdict.summary, "analysis": verdict.analysis,
                       "version": version_of(verdict)}
        form = cls(data, initial=initial, prefix="verdict")
        if not (verdict and verdict.is_published):
            del form.fields["correction_note"]
        return form


class ClaimForm(forms.ModelForm):
    """The claim page's form. It carries the version the editor opened, and refuses to
    save over a change someone else saved since (the admin saves inside one transaction,
    so the row stays locked from this check to the write)."""

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Claim
        fields = ["text", "slug", "language", "claimants", "tags", "priority", "assignee",
                  "internal_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = version_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            try:
                services.lock_claim(self.instance.pk, read_version=cleaned.get("version"))
            except StaleEdit as stale:
                raise forms.ValidationError(stale.message, code="stale") from None
        return cleaned


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(choices=Review.Kind.choices)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- the claim admin -----------------------------------------------------------------------


@admin.register(Claim)
class ClaimAdmin(GuardedHistoryAdmin):
    list_display = [
        "claim", "claimant_names", "state", "priority_label", "evidence_badge", "assignee",
        "rating_badge", "last_update",
    ]
    list_display_links = ["claim"]
    list_filter = [
        "state", "evidence_status", AssigneeFilter, "priority", "tags", ClaimantFilter,
        RatingFilter,
    ]
    # search_text holds the claim, its quotes and its claimants' names (kept by
    # services.refresh_search_text). Each word is an ILIKE served by the trigram index
    # claim_search_trgm; adding `text` would turn it into an OR the planner can only
    # answer with a full scan (bench/admin_changelist.py: 18 ms against 235 ms).
    search_fields = ["search_text__ilike_contains"]
    search_help_text = "Words of the claim, its quotes or its claimants' names."
    # Only what an index serves: the queue must stay fast with hundreds of thousands.
    sortable_by = ["priority_label", "last_update", "state"]
    ordering = ["-updated_at"]
    list_per_page = 50
    list_max_show_all = 500
    show_full_result_count = False
    empty_value_display = "—"
    paginator = CappedCountPaginator
    list_select_related = ["assignee"]
    autocomplete_fields = ["claimants", "tags"]
    prepopulated_fields = {"slug": ["text"]}
    readonly_fields = ["state", "evidence_status_badge", "duplicate_of_link", "created",
                       "updated"]
    form = ClaimForm
    fieldsets = [
        (None, {"fields": ["text", "slug", "language", "claimants", "tags", "version"]}),
        ("Desk", {"fields": ["priority", "assignee", "internal_note"]}),
        ("Workflow", {"fields": ["state", "evidence_status_badge", "duplicate_of_link",
                                 "created", "updated"]}),
    ]
    inlines = [AppearanceInline, ResponseInline, EvidenceInline, RelationInline]
    actions = [
        assign_to_me,
        *[_priority_action(p) for p in reversed(Claim.Priority)],
        *[_move_action(s) for s in (State.TRIAGED, State.RESEARCHING, State.REJECTED,
                                    State.NEW)],
        mark_as_duplicate,
    ]
    change_form_template = "admin/claims/claim/change_form.html"
    view_on_site = False
    # Moved by the workflow (or derived) only: a revert restores the claim's content.
    revert_protected_fields = ("state", "duplicate_of", "evidence_status", "search_text")

    class Media:
        css = {"all": ["claims/admin.css"]}

    def has_transition_permission(self, request):
        return request.user.has_perm(workflow.PERM_TRANSITION)

    def get_queryset(self, request):
        current = Verdict.objects.filter(claim=OuterRef("pk"), is_current=True)
        return (
            super().get_queryset(request)
            .prefetch_related(Prefetch("claimants", queryset=Claimant.objects.only("pk", "name")))
            .annotate(
                rating_name=Subquery(current.values("rating__name")[:1]),
                rating_colour=Subquery(current.values("rating__colour")[:1]),
            )
        )

    # columns

    @admin.display(description="claim")
    def claim(self, obj):
        return str(obj)

    @admin.display(description="last update", ordering="updated_at")
    def last_update(self, obj):
        return f"{timezone.localtime(obj.updated_at):%Y-%m-%d %H:%M}"

    @admin.display(description="claimants")
    def claimant_names(self, obj):
        return ", ".join(c.name for c in obj.claimants.all()) or "—"

    @admin.display(description="priority", ordering="priority")
    def priority_label(self, obj):
        return obj.get_priority_display()

    @admin.display(description="evidence")
    def evidence_badge(self, obj):
        return evidence_status_badge(obj)

    @admin.display(description="rating")
    def rating_badge(self, obj):
        if not obj.rating_name:
            return "—"
        return badge(obj.rating_name, obj.rating_colour)

    @admin.display(description="evidence status")
    def evidence_status_badge(self, obj):
        return self.evidence_badge(obj)

    @admin.display(description="duplicate of")
    def duplicate_of_link(self, obj):
        if not obj.duplicate_of_id:
            return "—"
        return format_html('<a href="{}">#{}</a>',
                           reverse("admin:claims_claim_change", args=[obj.duplicate_of_id]),
                           obj.duplicate_of_id)

    @admin.display(description="created")
    def created(self, obj):
        return stamped(obj.created_at, obj.created_by)

    @admin.display(description="last update")
    def updated(self, obj):
        return stamped(obj.updated_at, obj.updated_by)

    # saving: one service call for the claim, then one per inline row added, changed or
    # deleted; each does its own after-save work (claimants, search text, evidence status)

    def save_model(self, request, obj, form, change):
        values = edited_values(form)
        if change:
            services.update_claim(obj, by=request.user, **values)
        else:
            adopt(obj, services.create_claim(by=request.user, **values))

    def save_formset(self, request, form, formset, change):
        add, update, delete = ROW_SERVICES[formset.model]
        claim, by = form.instance, request.user
        # What construct_change_message reads to log the change, as formset.save() sets it.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk:
                delete(row.instance)
                formset.deleted_objects.append(row.instance)
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            values = edited_values(row, exclude=[formset.fk.name])
            if "source_url" in row.fields:
                values["source_url"] = row.cleaned_data["source_url"]
            if row.instance.pk:
                formset.changed_objects.append(
                    (update(row.instance, by, values), row.changed_data))
            else:
                formset.new_objects.append(add(claim, by, values))

    def delete_model(self, request, obj):
        services.delete_claim(obj)

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            services.delete_claim(claim)

    def response_add(self, request, obj, post_url_continue=None):
        similar = self.look_alikes(obj)["similar"][:3]
        if similar:
            self.message_user(request, "Possibly the same claim as: " + "; ".join(
                f"#{c.pk} “{c}”" for c in similar
            ) + ". Check before researching it twice.", messages.WARNING)
        return super().response_add(request, obj, post_url_continue)

    # the claim page: workflow, verdict, reviews and look-alikes

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/move/", view(self.move_view), name="claims_claim_move"),
            path("<int:object_id>/verdict/", view(self.verdict_view),
                 name="claims_claim_verdict"),
            path("<int:object_id>/review/", view(self.review_view),
                 name="claims_claim_review"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra = extra_context or {}
        if claim is not None:
            extra.update(self.desk_context(request, claim))
        return super().change_view(request, object_id, form_url, extra)

    def desk_context(self, request, claim):
        verdict = (
            claim.verdicts.filter(is_current=True)
            .select_related("rating", "author", "approver").first()
        )
        can_move = self.has_transition_permission(request)
        moves = [
            {"state": to, "label": move_label(claim.state, to),
             "primary": to in (State.IN_REVIEW, State.PUBLISHED)}
            for to in workflow.allowed_moves(claim)
        ] if can_move else []
        return {
            "claim": claim,
            "moves": moves,
            "verdict": verdict,
            "verdict_form": VerdictForm.for_verdict(
                verdict, request.session.pop(self._draft_key(claim), None)
            ),
            "can_edit_verdict": request.user.has_perm(workflow.PERM_EDIT_VERDICT),
            "can_review": verdict is not None and request.user.has_perm(workflow.PERM_REVIEW),
            "review_form": ReviewForm(),
            "reviews": verdict.reviews.select_related("reviewer") if verdict else [],
            "corrections": verdict.corrections.select_related("created_by") if verdict else [],
            **self.look_alikes(claim),
        }

    def look_alikes(self, claim):
        try:
            return {"similar": search.similar_claims(claim=claim, limit=5)}
        except search.SimilarityTimeout as error:
            return {"similar": [], "similar_error": str(error)}

    def _claim_for_post(self, request, object_id):
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        claim = get_object_or_404(Claim, pk=object_id)
        if not self.has_view_permission(request, claim):
            raise PermissionDenied
        return claim, HttpResponseRedirect(
            reverse("admin:claims_claim_change", args=[claim.pk])
        )

    def _report(self, request, call, success):
        """Run `call`, telling the user how it went; True if it succeeded."""
        try:
            call()
        except (workflow.WorkflowError, StaleEdit) as error:
            self.message_user(request, error.message, messages.ERROR)
            return False
        self.message_user(request, success, messages.SUCCESS)
        return True

    def move_view(self, request, object_id):
        claim, response = self._claim_for_post(request, object_id)
        if claim is None:
            return response
        to_state = request.POST.get("to_state", "")
        original = None
        if to_state == State.DUPLICATE:
            original_id = request.POST.get("duplicate_of", "").strip().lstrip("#")
            original = Claim.objects.filter(pk=row_id(original_id)).first() \
                if row_id(original_id) is not None else None
        label = dict(State.choices).get(to_state, to_state)
        self._report(request, lambda: workflow.transition_claim(
            claim=claim, to_state=to_state, by=request.user, duplicate_of=original
        ), f"The claim is now “{label}”.")
        return response

    @staticmethod
    def _draft_key(claim):
        return f"claims:verdict-draft:{claim.pk}"

    def verdict_view(self, request, object_id):
        claim, response = self._claim_for_post(request, object_id)
        if claim is None:
            return response
        verdict = workflow.current_verdict(claim)
        form = VerdictForm.for_verdict(verdict, request.POST)
        if not form.is_valid():
            self.message_user(request, f"The verdict was not saved: {form.errors.as_text()}",
                              messages.ERROR)
        elif self._report(request, lambda: self._save_verdict(request, claim, form),
                          "The verdict was saved."):
            return response
        # Nothing typed is lost: the page shows the refused draft again, once.
        request.session[self._draft_key(claim)] = request.POST.dict()
        return response

    @staticmethod
    def _save_verdict(request, claim, form):
        workflow.save_verdict(
            claim=claim, by=request.user, rating=form.cleaned_data["rating"],
            headline=form.cleaned_data["headline"], summary=form.cleaned_data["summary"],
            analysis=form.cleaned_data["analysis"],
            correction_note=form.cleaned_data.get("correction_note", ""),
            read_version=form.cleaned_data["version"],
        )

    def review_view(self, request, object_id):
        claim, response = self._claim_for_post(request, object_id)
        if claim is None:
            return response
        verdict = workflow.current_verdict(claim)
        form = ReviewForm(request.POST)
        if verdict is None or not form.is_valid():
            self.message_user(request, "There is no verdict to review.", messages.ERROR)
            return response
        self._report(request, lambda: workflow.add_review(
            verdict=verdict, by=request.user, kind=form.cleaned_data["kind"],
            body=form.cleaned_data["body"],
        ), "Your review was recorded.")
        return response


# --- verdicts: their history ----------------------------------------------------------------


class VerdictAdminForm(forms.ModelForm):
    """A verdict's wording, saved as the claim page saves it: by workflow.save_verdict,
    over the version the editor read, with a correction note once it is published."""

    correction_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to change the rating or summary of a published verdict; "
        "readers will see it.",
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Verdict
        fields = ["rating", "headline", "summary", "analysis"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = version_of(self.instance)
        if "rating" in self.fields:
            # The active scale, and the rating the verdict has, even if retired since.
            self.fields["rating"].queryset = Rating.objects.filter(
                Q(is_active=True) | Q(pk=self.instance.rating_id)
            )

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        try:
            saved = workflow.lock_verdict(self.instance, cleaned.get("version"))
        except StaleEdit as stale:
            raise forms.ValidationError(stale.message, code="stale") from None
        # save_verdict's rule, said next to the field rather than as an error page.
        rating = cleaned.get("rating")
        changes_what_readers_see = (
            (rating.pk if rating else None) != saved.rating_id
            or cleaned.get("summary", saved.summary) != saved.summary
        )
        if saved.is_published and changes_what_readers_see and not cleaned.get(
            "correction_note", ""
        ).strip():
            self.add_error("correction_note", "This verdict is published: changing its rating "
                           "or summary needs a correction note, which readers will see.")
        return cleaned


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


# --- claimants, tags, ratings -----------------------------------------------------------------


CLAIMANT_CLAIMS = 50


@admin.register(Claimant)
class ClaimantAdmin(GuardedHistoryAdmin):
    list_display = ["name", "kind", "organisation"]
    list_filter = ["kind"]
    list_select_related = ["organisation"]
    search_fields = ["name", "slug", "aliases"]
    autocomplete_fields = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["members_list", "claims_list"]
    fields = ["name", "slug", "kind", "organisation", "description", "aliases", "same_as",
              "members_list", "claims_list"]
    show_full_result_count = False

    @admin.display(description="speaks for it")
    def members_list(self, obj):
        members = obj.members.order_by("name") if obj.pk else []
        return format_html_join(
            ", ", '<a href="{}">{}</a>',
            ((reverse("admin:claims_claimant_change", args=[m.pk]), m.name) for m in members),
        ) or "—"

    @admin.display(description="latest claims")
    def claims_list(self, obj):
        # The latest few; the queue, filtered by this claimant, holds all of them.
        claims = (
            obj.claims.order_by("-updated_at").only("pk", "text", "state")[:CLAIMANT_CLAIMS]
            if obj.pk else []
        )
        rows = format_html_join(
            "", '<li><a href="{}">{}</a> <span class="fc-muted">({})</span></li>',
            ((reverse("admin:claims_claim_change", args=[c.pk]), str(c), c.get_state_display())
             for c in claims),
        )
        if not rows:
            return "—"
        queue = reverse("admin:claims_claim_changelist") + f"?claimant={obj.pk}"
        return format_html('<ul class="fc-list">{}</ul><a href="{}">All their claims in the '
                           "queue</a>", rows, queue)

    def save_model(self, request, obj, form, change):
        values = edited_values(form)
        if change:
            services.update_claimant(obj, by=request.user, **values)
        else:
            adopt(obj, services.create_claimant(by=request.user, **values))

    def delete_model(self, request, obj):
        services.delete_claimant(obj)

    def delete_queryset(self, request, queryset):
        for claimant in queryset:
            services.delete_claimant(claimant)


@admin.register(Tag)
class TagAdmin(GuardedHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        if change:
            services.update_tag(obj, **edited_values(form))
        else:
            adopt(obj, services.create_tag(**edited_values(form)))

    def delete_model(self, request, obj):
        services.delete_tag(obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            services.delete_tag(tag)


@admin.register(Rating)
class RatingAdmin(GuardedHistoryAdmin):
    list_display = ["name", "value", "colour_badge", "is_active"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description="colour")
    def colour_badge(self, obj):
        return badge(obj.colour, obj.colour)

    def save_model(self, request, obj, form, change):
        if change:
            services.update_rating(obj, **edited_values(form))
        else:
            adopt(obj, services.create_rating(**edited_values(form)))

    def delete_model(self, request, obj):
        services.delete_rating(obj)

    def delete_queryset(self, request, queryset):
        for rating in queryset:
            services.delete_rating(rating)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are written by save_verdict; here they are only read."""

    list_display = ["verdict", "note", "created_at", "created_by"]
    list_select_related = ["verdict", "verdict__rating", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
