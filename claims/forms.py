"""The desk admin's forms that are not ModelAdmins: the claim page's form, its inline rows
(appearances, responses, evidence, relations) and its verdict and review panels, the
verdict page's form, and the bulk action's choice of an original.

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


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(choices=Review.Kind.choices)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- the verdict page ------------------------------------------------------------------


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


# --- the queue's "Mark as duplicate of…" action ---------------------------------------


class DuplicateOfForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["original"] = forms.ModelChoiceField(
            queryset=Claim.objects.all(), label="The original claim",
            help_text="The selected claims will be marked as duplicates of this one.",
            widget=AutocompleteSelect(Claim._meta.get_field("duplicate_of"), admin_site),
        )
