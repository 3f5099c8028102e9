"""Query-string filters for the evidence lists."""
import django_filters as filters

from evidence.models import Evidence, Snapshot, Source


class SourceFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Source.Status.choices)
    claim = filters.NumberFilter(field_name="evidence__claim_id", label="Cited on claim id")
    q = filters.CharFilter(field_name="canonical_url", lookup_expr="icontains",
                           label="URL contains")

    class Meta:
        model = Source
        fields = []


class SnapshotFilter(filters.FilterSet):
    source = filters.NumberFilter(field_name="source_id")

    class Meta:
        model = Snapshot
        fields = []


class EvidenceFilter(filters.FilterSet):
    claim = filters.NumberFilter(field_name="claim_id")
    source = filters.NumberFilter(field_name="source_id")
    stance = filters.ChoiceFilter(choices=Evidence.Stance.choices)
    source_status = filters.MultipleChoiceFilter(
        field_name="source__status", choices=Source.Status.choices)

    class Meta:
        model = Evidence
        fields = []
