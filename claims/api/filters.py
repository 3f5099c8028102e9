"""Query-string filters for the lists (django-filter). Public lists get their own, smaller
filter sets, on what publications hold (claims.models.Publication: its search text, rating,
claimants and tags): readers cannot filter (or count) by anything internal, nor by
anything the desk has changed since it was published.

Every value a filter cannot use is a 400 naming it, as the OpenAPI schema promises:
django-filter alone ignores an empty `?claim=`, a `?unassigned=maybe` or a `?claim=1e999`
(or, for the last, spends its time computing a number with a billion digits).
"""
import django_filters as filters
from rest_framework.exceptions import NotFound

from api.filters import ApiFilterSet, BooleanFilter, DateTimeSinceFilter, IdFilter
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    Correction,
    Publication,
    Response,
    Review,
    Verdict,
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


class PublicClaimFilter(ApiFilterSet):
    # Filters the claims readers see (Claim.objects.published()) by what their current
    # publication holds.
    q = filters.CharFilter(
        field_name="current_publication__search_text", lookup_expr="icontains",
        label="Words of the published claim, its quotes, claimants' names, headline or "
              "summary (as the public pages' search)",
    )
    claimant = filters.CharFilter(field_name="current_publication__claimants__slug",
                                  label="Claimant slug")
    tag = filters.CharFilter(field_name="current_publication__tags__slug", label="Tag slug")
    rating = filters.CharFilter(field_name="current_publication__rating__slug",
                                label="Published rating slug")
    language = filters.CharFilter(field_name="current_publication__content__claim__language",
                                  label="Published language")

    class Meta:
        model = Claim
        fields = []


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
    # Readers' verdicts are the current publications (their claim's latest).
    claim = IdFilter(field_name="claim_id")
    rating = filters.CharFilter(field_name="rating__slug", label="Published rating slug")

    class Meta:
        model = Publication
        fields = []


class PublicationFilter(ApiFilterSet):
    claim = IdFilter(field_name="claim_id", label="The claim's id")

    class Meta:
        model = Publication
        fields = []


class PublicPublicationFilter(PublicationFilter):
    claim = IdFilter(method="filter_claim", label="The claim's id (404 unless it is published)")

    def filter_claim(self, queryset, name, value):
        # A claim readers do not see has no publications they may ask for, as its own
        # page and /claims/{id}/ answer.
        if not Claim.objects.published().filter(pk=value).exists():
            raise NotFound("No published claim has this id.")
        return queryset.filter(claim_id=value)


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
    claim = IdFilter(field_name="verdict__claim_id")

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
