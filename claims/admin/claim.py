"""The claim queue and the claim page: its inline rows, the workflow's moves, the verdict
and review panels (three views of their own) and the look-alike claims."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from claims import publishing, revisions, search, services, workflow
from claims.forms import ClaimForm, ReviewForm, VerdictForm
from claims.models import Claim, Claimant, Publication, Verdict
from evidence.badges import evidence_status_badge
from factcheck.badges import badge
from factcheck.edit_versions import StaleEdit
from factcheck.history_admin import GuardedHistoryAdmin, adopt, edited_values

from .actions import assign_to_me, mark_as_duplicate, move_action, priority_action
from .filters import AssigneeFilter, ClaimantFilter, RatingFilter, row_id
from .inlines import (
    ROW_SERVICES,
    AppearanceInline,
    EvidenceInline,
    RelationInline,
    ResponseInline,
)
from .pagination import CappedCountPaginator

State = Claim.State


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


def move_label(claim_state, to_state, publication=None):
    """The button for a move; publishing a claim readers already see publishes a revision."""
    if to_state == State.RESEARCHING and claim_state in BACK_TO_RESEARCH:
        return BACK_TO_RESEARCH[claim_state]
    if to_state == State.PUBLISHED and publication is not None:
        return "Publish revision"
    return MOVE_LABELS[to_state]


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
        *[priority_action(p) for p in reversed(Claim.Priority)],
        *[move_action(s) for s in (State.TRIAGED, State.RESEARCHING, State.REJECTED,
                                    State.NEW)],
        mark_as_duplicate,
    ]
    change_form_template = "admin/claims/claim/change_form.html"
    view_on_site = False
    # Moved by the workflow (or derived) only: a revert restores the claim's content. What
    # readers see (current_publication) changes only when an editor publishes: a revert is
    # an edit, which starts a revision like any other.
    revert_protected_fields = ("state", "duplicate_of", "evidence_status", "search_text",
                               "current_publication")

    class Media:
        css = {"all": ["claims/admin.css"]}

    def has_transition_permission(self, request):
        return request.user.has_perm(workflow.PERM_TRANSITION)

    def get_readonly_fields(self, request, obj=None):
        # A published claim's address is fixed (claims.services.AddressFixed).
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "slug"] if _ever_published(obj) else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if _ever_published(obj) else super().get_prepopulated_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A published claim stays on record (claims.services.delete_claim).
        return not _ever_published(obj) and super().has_delete_permission(request, obj)

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
        # Whether this save (the claim or its rows) starts a revision: response_change says so.
        request.claim_was_published = change and obj.state == State.PUBLISHED
        if change:
            services.update_claim(obj, by=request.user, **values)
        else:
            adopt(obj, services.create_claim(by=request.user, **values))

    def response_change(self, request, obj):
        if getattr(request, "claim_was_published", False) and _back_in_research(obj):
            self.message_user(request, REVISION_STARTED, messages.INFO)
        return super().response_change(request, obj)

    def save_formset(self, request, form, formset, change):
        add, update, delete = ROW_SERVICES[formset.model]
        claim, by = form.instance, request.user
        # What construct_change_message reads to log the change, as formset.save() sets it.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk:
                delete(row.instance, by)
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
        publication = self.publication_context(request, claim, verdict)
        moves = [
            {"state": to, "label": move_label(claim.state, to, publication["publication"]),
             "primary": to in (State.IN_REVIEW, State.PUBLISHED),
             "blocked": publication["publish_blocked"] if to == State.PUBLISHED else ""}
            for to in workflow.allowed_moves(claim)
        ] if can_move else []
        return {
            "claim": claim,
            "moves": moves,
            "verdict": verdict,
            **publication,
            "verdict_form": VerdictForm.for_verdict(
                verdict, request.session.pop(self._draft_key(claim), None),
                revision=publication["publication"] is not None,
            ),
            "can_edit_verdict": request.user.has_perm(workflow.PERM_EDIT_VERDICT),
            "can_review": verdict is not None and request.user.has_perm(workflow.PERM_REVIEW),
            "review_form": ReviewForm(),
            "reviews": verdict.reviews.select_related("reviewer") if verdict else [],
            "corrections": verdict.corrections.select_related(
                "created_by", "previous_rating", "new_rating", "publication",
            ).defer("publication__content", "publication__claim_review",
                    "publication__search_text") if verdict else [],
            **self.look_alikes(claim),
        }

    def publication_context(self, request, claim, verdict):
        """What the verdict panel says about publishing: the version readers see (None
        before the first), who wrote what the next publication would show (none of whom
        may publish it), and why this user may not publish it ("" if they may)."""
        publication = None
        if claim.current_publication_id:
            publication = (
                Publication.objects.select_related("approver")
                .defer("content", "claim_review", "search_text")
                .get(pk=claim.current_publication_id)
            )
        authors = (revisions.authors(claim, verdict) if verdict is not None
                   else list(claim.contributors.order_by("pk")))
        author_names = [publishing.person_name(a) for a in authors]
        blocked = ""
        if not request.user.has_perm(workflow.PERM_PUBLISH):
            blocked = "Only an editor publishes."
        elif request.user in authors:
            blocked = (
                "You wrote part of " + ("this revision" if publication else "this verdict")
                + " (" + ", ".join(author_names) + "), so an editor who wrote none of it "
                "must publish it."
            )
        return {
            "publication": publication,
            "authors": author_names,
            "is_author": request.user in authors,
            "publish_blocked": blocked,
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
        self.message_user(request, success() if callable(success) else success,
                          messages.SUCCESS)
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
        form = VerdictForm.for_verdict(verdict, request.POST,
                                       revision=claim.current_publication_id is not None)
        if not form.is_valid():
            self.message_user(request, f"The verdict was not saved: {form.errors.as_text()}",
                              messages.ERROR)
        elif self._report(request, lambda: self._save_verdict(request, claim, form),
                          lambda: _saved_message(claim)):
            return response
        # Nothing typed is lost: the page shows the refused draft again, once.
        request.session[self._draft_key(claim)] = request.POST.dict()
        return response

    @staticmethod
    def _save_verdict(request, claim, form):
        workflow.save_verdict(claim=claim, by=request.user, **form.saved_values())

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


def _ever_published(claim):
    # Once published, a claim always has a current publication (it is never deleted).
    return claim is not None and claim.current_publication_id is not None


REVISION_STARTED = ("This starts a revision: readers keep the published version until an "
                    "editor who wrote none of it publishes the revision.")


def _back_in_research(claim):
    """Whether `claim` is in research now (read again: the save just made may have moved
    it, starting a revision)."""
    return Claim.objects.filter(pk=claim.pk, state=State.RESEARCHING).exists()


def _saved_message(claim):
    """What saving the verdict of `claim` (as it was read before) did."""
    if claim.state == State.PUBLISHED and _back_in_research(claim):
        return f"The verdict was saved. {REVISION_STARTED}"
    return "The verdict was saved."
