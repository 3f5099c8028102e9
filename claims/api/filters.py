"""Query-string filters for the lists (django-filter). Public lists get their own, smaller
filter sets: readers cannot filter (or count) by anything internal."""
import django_filters as filters
from django import forms
from django_filters.fields import IsoDateTimeField

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Rating,
    Response,
    Review,
    Verdict,
)
from claims.selectors import search_claims

from .datetimes import to_utc


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


class _SearchMixin(filters.FilterSet):
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
    assignee = filters.NumberFilter(field_name="assignee_id", label="Assignee's user id")
    unassigned = filters.BooleanFilter(field_name="assignee", lookup_expr="isnull")
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


class VerdictFilter(filters.FilterSet):
    claim = filters.NumberFilter(field_name="claim_id")
    status = filters.MultipleChoiceFilter(choices=Verdict.Status.choices)
    rating = filters.ModelChoiceFilter(
        field_name="rating", to_field_name="slug", queryset=Rating.objects.all())
    is_current = filters.BooleanFilter()
    updated_since = DateTimeSinceFilter(field_name="updated_at")

    class Meta:
        model = Verdict
        fields = []


class PublicVerdictFilter(filters.FilterSet):
    claim = filters.NumberFilter(field_name="claim_id")
    # As last published: a reopened claim's new rating is not public yet.
    rating = filters.ModelChoiceFilter(
        field_name="published_rating", to_field_name="slug", queryset=Rating.objects.all())

    class Meta:
        model = Verdict
        fields = []


class AppearanceFilter(filters.FilterSet):
    claim = filters.NumberFilter(field_name="claim_id")
    claimant = filters.CharFilter(field_name="claimant__slug")
    medium = filters.ChoiceFilter(choices=Appearance.Medium.choices)

    class Meta:
        model = Appearance
        fields = []


class ResponseFilter(filters.FilterSet):
    claim = filters.NumberFilter(field_name="claim_id")
    claimant = filters.CharFilter(field_name="claimant__slug")
    kind = filters.ChoiceFilter(choices=Response.Kind.choices)

    class Meta:
        model = Response
        fields = []


class ReviewFilter(filters.FilterSet):
    verdict = filters.NumberFilter(field_name="verdict_id")
    claim = filters.NumberFilter(field_name="verdict__claim_id")
    kind = filters.ChoiceFilter(choices=Review.Kind.choices)

    class Meta:
        model = Review
        fields = []


class CorrectionFilter(filters.FilterSet):
    verdict = filters.NumberFilter(field_name="verdict_id")

    class Meta:
        model = Correction
        fields = []


class ClaimantFilter(filters.FilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    kind = filters.ChoiceFilter(choices=Claimant.Kind.choices)
    organisation = filters.NumberFilter(field_name="organisation_id")

    class Meta:
        model = Claimant
        fields = []
