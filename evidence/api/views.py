"""The evidence API: sources with their snapshots, and evidence on claims (staff only).
Writes go through evidence.services."""
from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.permissions import require_perm
from api.views import Create, Destroy, ListRetrieve, Update
from claims.services import lock_claim_of
from evidence import services
from evidence.models import Evidence, Snapshot, Source
from evidence.urls_canonical import InvalidURL

from . import filters
from . import serializers as s


@extend_schema(tags=["sources"])
class SourceViewSet(Update, ListRetrieve):
    """Cited pages and the state of their archive; sources are created by citing them as
    evidence, and archived by the background worker."""

    staff_filterset = filters.SourceFilter
    serializer_classes = {"detail": s.SourceSerializer, "write": s.SourceWriteSerializer}

    def get_queryset(self):
        return (
            Source.objects.select_related("latest_snapshot")
            .annotate(snapshot_count=Count("snapshots"))
            .order_by("canonical_url")
        )

    def perform_update(self, write):
        return services.update_source(write.instance, **write.validated_data)

    @extend_schema(request=None, responses={202: s.ArchiveQueuedSerializer})
    @action(detail=True, methods=["post"], permission_classes=[require_perm(
        "evidence.change_source")])
    def archive(self, request, pk=None):
        """Queue a fresh archive of the source (evidence.services.request_archive)."""
        source = self.get_object()
        services.request_archive(source)
        return Response({"id": source.pk, "status": source.status, "queued": True}, status=202)


@extend_schema_view(list=extend_schema(tags=["snapshots"]),
                    retrieve=extend_schema(tags=["snapshots"]))
class SnapshotViewSet(ListRetrieve):
    """Archived captures of sources, newest first (read-only)."""

    staff_filterset = filters.SnapshotFilter
    serializer_classes = {"detail": s.SnapshotSerializer}

    def get_queryset(self):
        return Snapshot.objects.order_by("-fetched_at", "-pk")


@extend_schema(tags=["evidence"])
class EvidenceViewSet(Create, Update, Destroy, ListRetrieve):
    """Evidence on claims. Creating cites a URL (evidence.services.attach_evidence); every
    change recomputes the claim's evidence status."""

    staff_filterset = filters.EvidenceFilter
    serializer_classes = {
        "detail": s.EvidenceSerializer,
        "write": s.EvidenceCreateSerializer,
        "update": s.EvidenceUpdateSerializer,
    }

    def get_queryset(self):
        return Evidence.objects.select_related(
            "claim", "source__latest_snapshot", "snapshot").order_by("pk")

    def perform_create(self, write):
        data = write.validated_data
        try:
            return services.attach_evidence(
                claim=data["claim"], url=data["url"], stance=data["stance"],
                summary=data.get("summary", ""), by=self.request.user,
            )
        except InvalidURL as exc:
            raise serializers.ValidationError({"url": [str(exc)]}) from exc

    lock_first = staticmethod(lock_claim_of)

    def perform_update(self, write):
        return services.update_evidence(write.instance, by=self.request.user,
                                        **write.validated_data)

    def perform_destroy(self, instance):
        services.delete_evidence(instance, by=self.request.user)
