"""Query-string filters for the evidence lists."""
import django_filters as filters

from api.filters import ApiFilterSet, IdFilter
from evidence.models import Evidence, Snapshot, Source


class SourceFilter(ApiFilterSet):
    status = filters.MultipleChoiceFilter(choices=Source.Status.choices)
    claim = IdFilter(field_name="evidence__claim_id", label="Cited on claim id")
    q = filters.CharFilter(field_name="canonical_url", lookup_expr="icontains",
                           label="URL contains")

    class Meta:
        model = Source
        fields = []


class SnapshotFilter(ApiFilterSet):
    source = IdFilter(field_name="source_id")

    class Meta:
        model = Snapshot
        fields = []


class EvidenceFilter(ApiFilterSet):
    claim = IdFilter(field_name="claim_id")
    source = IdFilter(field_name="source_id")
    stance = filters.ChoiceFilter(choices=Evidence.Stance.choices)
    source_status = filters.MultipleChoiceFilter(
        field_name="source__status", choices=Source.Status.choices)

    class Meta:
        model = Evidence
        fields = []
