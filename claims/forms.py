"""The desk admin's forms that are not ModelAdmins: the claim page's form, its inline rows
(appearances, responses, evidence, relations) and its verdict and review panels, the
verdict page's form, the rating page's form, and the bulk action's choice of an original.

They parse and check what the desk typed; none of them saves. The admin passes their
cleaned values to the services (claims.services, claims.workflow, evidence.services).
"""
from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Q

from evidence.models import Evidence
from evidence.urls_canonical import InvalidURL, canonicalize_url
from factcheck.edit_versions import StaleEdit, version_of

from . import services, workflow
from .models import Appearance, Claim, ClaimRelation, Rating, Response, Review, Verdict
from .widgets import preload_autocompletes

# --- the claim page --------------------------------------------------------------------


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


# --- its inline rows -------------------------------------------------------------------


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


# --- its verdict and review panels -------------------------------------------------------


# The revision's public note, on the claim page and the verdict page alike: asked for while
# the claim has a publication (what is edited then is a revision of it), checked when the
# revision is published (claims.workflow), not when it is saved.
CORRECTION_NOTE_HELP = (
    "What readers will be told changed, published with this revision. Needed when it "
    "changes the claim's wording, the rating, headline, summary or analysis; without it, "
    "other changes are published as an update listing what changed."
)
CHANGE_KIND_HELP = (
    "A clarification rewords without changing the rating; a change of rating is always "
    "a correction."
)


def revision_fields():
    """The correction note and change kind fields of a revision's verdict form."""
    return {
        "correction_note": forms.CharField(
            required=False, widget=forms.Textarea(attrs={"rows": 2}),
            help_text=CORRECTION_NOTE_HELP,
        ),
        "change_kind": forms.ChoiceField(
            choices=Verdict.ChangeKind.choices, initial=Verdict.ChangeKind.CORRECTION,
            help_text=CHANGE_KIND_HELP,
        ),
    }


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
    # The verdict as this editor read it: a save over someone else's is refused.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_verdict(cls, verdict, data=None, *, revision=False):
        """The form for `verdict` (None: none drafted yet); `revision` when its claim has a
        publication, which adds the revision's correction note and change kind."""
        initial = {}
        if verdict:
            initial = {"rating": verdict.rating_id, "headline": verdict.headline,
                       "summary": verdict.summary, "analysis": verdict.analysis,
                       "correction_note": verdict.correction_note,
                       "change_kind": verdict.change_kind, "version": version_of(verdict)}
        form = cls(data, initial=initial, prefix="verdict")
        if revision:
            form.fields.update(revision_fields())
        if verdict and verdict.rating_id and not verdict.rating.is_active:
            # The rating the verdict has stays selectable, even if retired since.
            form.fields["rating"].queryset = Rating.objects.filter(
                Q(is_active=True) | Q(pk=verdict.rating_id))
        return form

    def saved_values(self):
        """save_verdict's keyword arguments from the cleaned form: the correction note and
        change kind are None (left as they are) when the form does not have them."""
        data = self.cleaned_data
        return {
            "rating": data["rating"], "headline": data["headline"],
            "summary": data["summary"], "analysis": data["analysis"],
            "correction_note": data.get("correction_note"),
            "change_kind": data.get("change_kind"), "read_version": data["version"],
        }


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(choices=Review.Kind.choices)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- the verdict page ------------------------------------------------------------------


class VerdictAdminForm(forms.ModelForm):
    """A verdict's wording, saved as the claim page saves it: by workflow.save_verdict,
    over the version the editor read; with the revision's correction note and change kind
    while its claim has a publication (VerdictAdmin shows them then)."""

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Verdict
        fields = ["rating", "headline", "summary", "analysis", "correction_note",
                  "change_kind"]
        help_texts = {"correction_note": CORRECTION_NOTE_HELP, "change_kind": CHANGE_KIND_HELP}
        widgets = {"correction_note": forms.Textarea(attrs={"rows": 2})}

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
        # Whether the revision needs a correction note is asked when it is published
        # (claims.workflow), not here: only a save over someone else's is refused.
        try:
            workflow.lock_verdict(self.instance, cleaned.get("version"))
        except StaleEdit as stale:
            raise forms.ValidationError(stale.message, code="stale") from None
        return cleaned


# --- the rating scale ------------------------------------------------------------------


class RatingForm(forms.ModelForm):
    """A step of the rating scale. What was published with it never changes with it: each
    publication keeps its own copy of the rating and of the scale's bounds."""

    class Meta:
        model = Rating
        fields = ["name", "slug", "value", "colour", "description", "is_active"]
        help_texts = {
            # RatingAdmin's read-only count, labelled from here as a model field would be.
            "publication_count": "Editing or retiring this rating never changes what was "
            "published: each publication keeps its own copy of the rating's name, value and "
            "colour, and of the scale's bounds. The next publication of each claim uses the "
            "rating as it is then.",
            "is_active": "Retired ratings are not offered for new verdicts and leave the "
            "scale's bounds; published fact checks keep the rating they were published with.",
        }


# --- the queue's "Mark as duplicate of…" action ---------------------------------------


class DuplicateOfForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"] = forms.ModelChoiceField(
            queryset=Claim.objects.all(), label="The original claim",
            help_text="The selected claims will be marked as duplicates of this one.",
            widget=AutocompleteSelect(Claim._meta.get_field("duplicate_of"), admin_site),
        )
