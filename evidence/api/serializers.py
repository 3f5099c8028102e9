"""Sources, their snapshots, and evidence, in JSON: the evidence resources (staff only),
and evidence and sources as the desk's claims embed them (claims.api.serializers uses
these; readers see evidence only as publications hold it, claims.api.published).

The claims API builds on this module, never the reverse: the one claim serializer
evidence needs, the claim reference, is defined here and used by claims.api too.
"""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api import limits
from api.fields import StrictModelSerializer, WebURLField
from claims.models import Claim
from evidence import services
from evidence.models import Evidence, Snapshot, Source
from evidence.urls_canonical import InvalidURL, canonicalize_url

# ---------------------------------------------------------------- embedded in claims


# A claim as other objects point to it. (No docstring: it would be the schema's
# description of the component.)
class ClaimRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["id", "slug", "text"]


class SourceRefSerializer(serializers.ModelSerializer):
    """A source as cited: where it is and whether we hold an archive of it."""

    latest_snapshot = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Source
        fields = ["id", "url", "canonical_url", "title", "publisher", "status", "archived_at",
                  "changed_at", "latest_snapshot"]


class EmbeddedEvidenceSerializer(serializers.ModelSerializer):
    """Evidence as a reviewer reads it on a claim: the source's archive status included."""

    source = SourceRefSerializer(read_only=True)
    snapshot = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    changed_since_read = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "stance", "summary", "source", "snapshot", "changed_since_read",
                  "created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_changed_since_read(self, evidence):
        # The same test the evidence status rule applies.
        return services.changed_since_read(evidence)


# ---------------------------------------------------------------- the evidence resources


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Snapshot
        fields = ["id", "source", "fetched_at", "final_url", "http_status", "content_type",
                  "payload_size", "text_size", "truncated", "payload_sha256", "text_sha256",
                  "title", "author", "published_date", "language", "created_at"]


class SourceSerializer(serializers.ModelSerializer):
    latest_snapshot = SnapshotSerializer(read_only=True, allow_null=True)
    snapshot_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Source
        fields = ["id", "url", "canonical_url", "title", "publisher", "status", "attempts",
                  "last_error", "last_attempt_at", "archived_at", "last_checked_at",
                  "changed_at", "latest_snapshot", "snapshot_count", "created_at",
                  "updated_at"]


class SourceWriteSerializer(StrictModelSerializer):
    """What the desk may correct about a source; the URL and archive state are fixed."""

    class Meta:
        model = Source
        fields = ["title", "publisher"]


class EvidenceSerializer(EmbeddedEvidenceSerializer):
    claim = ClaimRefSerializer(read_only=True)

    class Meta(EmbeddedEvidenceSerializer.Meta):
        fields = ["id", "claim"] + EmbeddedEvidenceSerializer.Meta.fields[1:]


class EvidenceCreateSerializer(StrictModelSerializer):
    """Cite a URL on a claim: the source is found or created and queued for archiving."""

    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    url = WebURLField(max_length=limits.URL_LENGTH, help_text="The page cited, as an http(s) URL.")

    class Meta:
        model = Evidence
        fields = ["claim", "url", "stance", "summary"]
        extra_kwargs = {"summary": {"max_length": limits.SUMMARY}}

    def validate_url(self, value):
        # The source is stored under its canonical spelling, which can be longer (escapes
        # in the query are re-encoded): it must fit Source.canonical_url too.
        try:
            canonical = canonicalize_url(value)
        except InvalidURL as exc:
            raise serializers.ValidationError(str(exc)) from None
        limit = Source._meta.get_field("canonical_url").max_length
        if len(canonical) > limit:
            raise serializers.ValidationError(
                f"This URL is longer than {limit} characters once its query is encoded.")
        return value


class EvidenceUpdateSerializer(StrictModelSerializer):
    class Meta:
        model = Evidence
        fields = ["stance", "summary"]
        extra_kwargs = {"summary": {"max_length": limits.SUMMARY}}


class ArchiveQueuedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    queued = serializers.BooleanField()
