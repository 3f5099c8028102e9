"""Query-string filters for the lists (django-filter). Public lists get their own, smaller
filter sets: readers cannot filter (or count) by anything internal.

Every value a filter cannot use is a 400 naming it, as the OpenAPI schema promises:
django-filter alone ignores an empty `?claim=`, a `?unassigned=maybe` or a `?claim=1e999`
(or, for the last, spends its time computing a number with a billion digits).
"""
import django_filters as filters
from django import forms
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Response,
    Review,
    Verdict,
)
from claims.selectors import search_claims

from .datetimes import to_utc

# Ids are PostgreSQL bigints.
MAX_ID = 2**63 - 1


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, refused (400) when PostgreSQL could not take it, and
    handed to the query in UTC."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return to_utc(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class DateTimeSinceFilter(filters.IsoDateTimeFilter):
    """`?name=<ISO 8601 date-time>`: rows changed at or after it. Every date-time filter of
    the API is one of these (tests/api/test_datetime_filters.py checks it)."""

    field_class = UtcIsoDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    """An object's id: a whole number from 1 to 2**63 - 1."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        # The schema says so too (drf-spectacular reads this override).
        extend_schema_field({"type": "integer", "minimum": kwargs["min_value"],
                             "maximum": kwargs["max_value"]})(self)


class StrictBooleanField(forms.Field):
    """`true` or `false` (or 1 / 0); anything else is invalid, not "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError("Use true or false.", code="invalid") from None


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class ApiFilterSet(filters.FilterSet):
    """A filter set whose typed filters refuse an empty value (`?claim=`), which
    django-filter would take as "no filter": only text filters may be empty."""

    def get_form_class(self):
        form_class = super().get_form_class()
        typed = [name for name, f in self.filters.items()
                 if not isinstance(f, filters.CharFilter)]
        data = self.data

        class StrictForm(form_class):
            def clean(self):
                for name in typed:
                    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
                    if name in data and any(value in ("", None) for value in values):
                        self.add_error(name, "Give a value, or leave this filter out.")
                return super().clean()

        return StrictForm


class _SearchMixin(ApiFilterSet):
    q = filters.CharFilter(
        method="filter_q", label="Full-text search (websearch syntax), results ranked",
    )

    def filter_q(self, queryset, name, value):
        return search_claims(queryset, value)


class ClaimFilter(_SearchMixin):
    state = filters.MultipleChoiceFilter(choices=Claim.State.choices)
    evidence_status = filters.MultipleChoiceFilter(choices=Claim.EvidenceStatus.choices)
    claimant = filters.CharFilter(field_name="claimants__slug", label="Claimant slug")
    tag = filters.CharFilter(field_name="tags__slug", label="Tag slug")
    assignee = IdFilter(field_name="assignee_id", label="Assignee's user id")
    unassigned = BooleanFilter(field_name="assignee", lookup_expr="isnull")
    rating = filters.CharFilter(method="filter_rating", label="Current verdict's rating slug")
    language = filters.CharFilter()
    updated_since = DateTimeSinceFilter(field_name="updated_at")

    class Meta:
        model = Claim
        fields = []

    def filter_rating(self, queryset, name, value):
        return queryset.filter(verdicts__is_current=True, verdicts__rating__slug=value)


class PublicClaimFilter(_SearchMixin):
    claimant = filters.CharFilter(field_name="claimants__slug", label="Claimant slug")
    tag = filters.CharFilter(field_name="tags__slug", label="Tag slug")
    rating = filters.CharFilter(method="filter_rating", label="Published rating slug")
    language = filters.CharFilter()

    class Meta:
        model = Claim
        fields = []

    def filter_rating(self, queryset, name, value):
        return queryset.filter(
            verdicts__is_current=True, verdicts__published_at__isnull=False,
            verdicts__published_rating__slug=value,
        )


class VerdictFilter(ApiFilterSet):
    claim = IdFilter(field_name="claim_id")
    status = filters.MultipleChoiceFilter(choices=Verdict.Status.choices)
    # A slug no rating has matches nothing, as on the claim list (not a 400).
    rating = filters.CharFilter(field_name="rating__slug", label="Rating slug")
    is_current = BooleanFilter()
    updated_since = DateTimeSinceFilter(field_name="updated_at")

    class Meta:
        model = Verdict
        fields = []


class PublicVerdictFilter(ApiFilterSet):
    claim = IdFilter(field_name="claim_id")
    # As last published: a reopened claim's new rating is not public yet.
    rating = filters.CharFilter(field_name="published_rating__slug", label="Rating slug")

    class Meta:
        model = Verdict
        fields = []


class AppearanceFilter(ApiFilterSet):
    claim = IdFilter(field_name="claim_id")
    claimant = filters.CharFilter(field_name="claimant__slug")
    medium = filters.ChoiceFilter(choices=Appearance.Medium.choices)

    class Meta:
        model = Appearance
        fields = []


class ResponseFilter(ApiFilterSet):
    claim = IdFilter(field_name="claim_id")
    claimant = filters.CharFilter(field_name="claimant__slug")
    kind = filters.ChoiceFilter(choices=Response.Kind.choices)

    class Meta:
        model = Response
        fields = []


class ReviewFilter(ApiFilterSet):
    verdict = IdFilter(field_name="verdict_id")
    claim = IdFilter(field_name="verdict__claim_id")
    kind = filters.ChoiceFilter(choices=Review.Kind.choices)

    class Meta:
        model = Review
        fields = []


class CorrectionFilter(ApiFilterSet):
    verdict = IdFilter(field_name="verdict_id")

    class Meta:
        model = Correction
        fields = []


class ClaimantFilter(ApiFilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    kind = filters.ChoiceFilter(choices=Claimant.Kind.choices)
    organisation = IdFilter(field_name="organisation_id")

    class Meta:
        model = Claimant
        fields = []
