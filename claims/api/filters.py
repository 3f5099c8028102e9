"""Query-string filters for the lists (django-filter). Public lists get their own, smaller
filter sets: readers cannot filter (or count) by anything internal.

Every value a filter cannot use is a 400 naming it, as the OpenAPI schema promises:
django-filter alone ignores an empty `?claim=`, a `?unassigned=maybe` or a `?claim=1e999`
(or, for the last, spends its time computing a number with a billion digits).
"""
import django_filters as filters

from api.filters import ApiFilterSet, BooleanFilter, DateTimeSinceFilter, IdFilter
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Response,
    Review,
    Verdict,
    published_q,
)
from claims.search import search_claims


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
        # The rating as last published, on the verdict readers see (one join: one filter()).
        return queryset.filter(published_q("verdicts"), verdicts__published_rating__slug=value)


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
