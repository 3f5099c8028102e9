"""Claims, claimants, appearances, responses, verdicts, corrections and reviews, in JSON.

Two families: staff serializers (for the desk's roles) and Public* serializers for
anonymous clients. The public ones are separate classes listing only what readers may
see, so nothing internal can appear in them by accident. Evidence and sources, as claims
embed them, are evidence.api's.
"""
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api import limits
from api.fields import StrictModelSerializer, StrictSerializer, UserRefSerializer, WebURLField
from claims.models import (
    MAX_QUOTE_LENGTH,
    Appearance,
    Claim,
    Claimant,
    ClaimRelation,
    Correction,
    Rating,
    Response,
    Review,
    Tag,
    Verdict,
)
from claims.workflow import TRANSITIONS
from evidence.api.serializers import (
    ClaimRefSerializer,
    EmbeddedEvidenceSerializer,
    PublicEvidenceSerializer,
    PublicSourceRefSerializer,
    SourceRefSerializer,
)

# ---------------------------------------------------------------- small embedded objects


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "slug", "name", "value", "colour"]


class ClaimantRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claimant
        fields = ["id", "slug", "name", "kind"]


# ---------------------------------------------------------------- claimants


class ClaimantSerializer(StrictModelSerializer):
    """A claimant as the desk edits them."""

    aliases = serializers.ListField(
        child=serializers.CharField(max_length=limits.ALIAS_LENGTH),
        max_length=limits.MAX_ALIASES, required=False, help_text="Other names they go by.")
    same_as = serializers.ListField(
        child=WebURLField(max_length=limits.URL_LENGTH),
        max_length=limits.MAX_SAME_AS, required=False,
        help_text="URLs that identify this claimant elsewhere.")

    class Meta:
        model = Claimant
        fields = ["id", "name", "slug", "kind", "description", "organisation", "aliases",
                  "same_as", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"description": {"max_length": limits.DESCRIPTION}}


class PublicClaimantSerializer(serializers.ModelSerializer):
    same_as = serializers.ListField(child=serializers.URLField(), read_only=True)

    class Meta:
        model = Claimant
        fields = ["id", "slug", "name", "kind", "same_as"]


# ---------------------------------------------------------------- appearances and responses


class AppearanceSerializer(StrictModelSerializer):
    """Where and when a claimant made a claim."""

    quote = serializers.CharField(max_length=MAX_QUOTE_LENGTH, allow_blank=True, required=False)

    class Meta:
        model = Appearance
        fields = ["id", "claim", "claimant", "quote", "said_on", "medium", "venue", "source",
                  "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class AppearanceUpdateSerializer(AppearanceSerializer):
    """An appearance stays with the claim it was recorded for: `claim` is fixed (record it
    again on the other claim instead)."""

    class Meta(AppearanceSerializer.Meta):
        read_only_fields = [*AppearanceSerializer.Meta.read_only_fields, "claim"]


class EmbeddedAppearanceSerializer(serializers.ModelSerializer):
    claimant = ClaimantRefSerializer(read_only=True)
    source = SourceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Appearance
        fields = ["id", "claimant", "quote", "said_on", "medium", "venue", "source"]


class PublicAppearanceSerializer(serializers.ModelSerializer):
    claimant = PublicClaimantSerializer(read_only=True)
    source = PublicSourceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Appearance
        fields = ["id", "claimant", "quote", "said_on", "medium", "venue", "source"]


class ResponseSerializer(StrictModelSerializer):
    """What a party said about a claim."""

    quote = serializers.CharField(max_length=MAX_QUOTE_LENGTH, allow_blank=True, required=False)

    class Meta:
        model = Response
        fields = ["id", "claim", "claimant", "kind", "quote", "summary", "said_on", "source",
                  "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"summary": {"max_length": limits.SUMMARY}}


class ResponseUpdateSerializer(ResponseSerializer):
    """A response stays with the claim it was recorded for: `claim` is fixed."""

    class Meta(ResponseSerializer.Meta):
        read_only_fields = [*ResponseSerializer.Meta.read_only_fields, "claim"]


class EmbeddedResponseSerializer(serializers.ModelSerializer):
    claimant = ClaimantRefSerializer(read_only=True)
    source = SourceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Response
        fields = ["id", "claimant", "kind", "quote", "summary", "said_on", "source"]


class PublicResponseSerializer(serializers.ModelSerializer):
    claimant = PublicClaimantSerializer(read_only=True)
    source = PublicSourceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Response
        fields = ["id", "claimant", "kind", "quote", "summary", "said_on", "source"]


# ---------------------------------------------------------------- relations


class RelationSerializer(serializers.ModelSerializer):
    to_claim = ClaimRefSerializer(read_only=True)

    class Meta:
        model = ClaimRelation
        fields = ["id", "kind", "to_claim", "note"]


class IncomingRelationSerializer(serializers.ModelSerializer):
    from_claim = ClaimRefSerializer(read_only=True)

    class Meta:
        model = ClaimRelation
        fields = ["id", "kind", "from_claim", "note"]


class PublicRelationSerializer(serializers.ModelSerializer):
    to_claim = ClaimRefSerializer(read_only=True)

    class Meta:
        model = ClaimRelation
        fields = ["kind", "to_claim"]


# ---------------------------------------------------------------- verdicts, corrections, reviews


class CorrectionSerializer(serializers.ModelSerializer):
    previous_rating = RatingSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Correction
        fields = ["id", "verdict", "note", "previous_rating", "previous_summary", "created_at"]


class ReviewSerializer(StrictModelSerializer):
    reviewer = UserRefSerializer(read_only=True)

    class Meta:
        model = Review
        fields = ["id", "verdict", "reviewer", "kind", "body", "created_at"]
        read_only_fields = ["created_at"]


class EmbeddedReviewSerializer(serializers.ModelSerializer):
    reviewer = UserRefSerializer(read_only=True)

    class Meta:
        model = Review
        fields = ["id", "reviewer", "kind", "body", "created_at"]


class VerdictSerializer(serializers.ModelSerializer):
    """A verdict as the desk sees it, with its reviews and corrections."""

    claim = ClaimRefSerializer(read_only=True)
    rating = RatingSerializer(read_only=True, allow_null=True)
    author = UserRefSerializer(read_only=True, allow_null=True)
    approver = UserRefSerializer(read_only=True, allow_null=True)
    reviews = EmbeddedReviewSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta:
        model = Verdict
        fields = ["id", "claim", "is_current", "status", "rating", "headline", "summary",
                  "analysis", "author", "approver", "submitted_at", "published_at",
                  "last_published_at", "reviews", "corrections", "created_at", "updated_at"]


class VerdictWriteSerializer(StrictSerializer):
    """What a verdict edit sends; applied by workflow.save_verdict."""

    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    rating = serializers.SlugRelatedField(
        slug_field="slug", queryset=Rating.objects.filter(is_active=True), allow_null=True,
        required=False,
    )
    headline = serializers.CharField(max_length=300, allow_blank=True, required=False)
    summary = serializers.CharField(max_length=limits.SUMMARY, allow_blank=True, required=False)
    analysis = serializers.CharField(
        max_length=limits.ANALYSIS, allow_blank=True, required=False)
    correction_note = serializers.CharField(
        max_length=limits.CORRECTION_NOTE, allow_blank=True, required=False, write_only=True,
        help_text="Required when the rating or summary of a published verdict changes; "
                  "published as a correction.",
    )


class VerdictUpdateSerializer(VerdictWriteSerializer):
    """A verdict stays with its claim: `claim` is fixed (sending it is a 400)."""

    claim = None


class PublicCorrectionSerializer(serializers.ModelSerializer):
    previous_rating = RatingSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Correction
        fields = ["id", "note", "previous_rating", "previous_summary", "created_at"]


class PublicVerdictSerializer(serializers.ModelSerializer):
    """A published verdict as readers see it: no status, people or reviews."""

    claim = ClaimRefSerializer(read_only=True)
    rating = RatingSerializer(read_only=True, allow_null=True)
    corrections = PublicCorrectionSerializer(many=True, read_only=True)

    class Meta:
        model = Verdict
        fields = ["id", "claim", "rating", "headline", "summary", "analysis", "published_at",
                  "last_published_at", "corrections"]


class EmbeddedVerdictSerializer(VerdictSerializer):
    class Meta(VerdictSerializer.Meta):
        fields = [f for f in VerdictSerializer.Meta.fields if f != "claim"]


class PublicEmbeddedVerdictSerializer(PublicVerdictSerializer):
    class Meta(PublicVerdictSerializer.Meta):
        fields = [f for f in PublicVerdictSerializer.Meta.fields if f != "claim"]


class VerdictBriefSerializer(serializers.ModelSerializer):
    rating = RatingSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Verdict
        fields = ["id", "status", "rating", "headline", "published_at"]


class PublicVerdictBriefSerializer(serializers.ModelSerializer):
    rating = RatingSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Verdict
        fields = ["id", "rating", "headline", "published_at"]


# ---------------------------------------------------------------- claims


def _first(items):
    return items[0] if items else None


def _nested(serializer, name, serializer_class, instance):
    """`instance` through one `serializer_class` kept on `serializer`: building a
    serializer per row would cost more than the whole query of a list page."""
    if instance is None:
        return None
    cache = serializer.__dict__.setdefault("_nested", {})
    if name not in cache:
        cache[name] = serializer_class(context=serializer.context)
    return cache[name].to_representation(instance)


class ClaimListSerializer(serializers.ModelSerializer):
    """A claim in the desk's lists."""

    # Reads what claims.api.querysets.desk_claims(detail=False) loads (the docstring
    # above is the schema's description, so the wiring is said here).

    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    claimants = ClaimantRefSerializer(many=True, read_only=True)
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    verdict = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "slug", "text", "language", "state", "evidence_status", "priority",
                  "assignee", "tags", "claimants", "verdict", "created_at", "updated_at"]

    @extend_schema_field(VerdictBriefSerializer(allow_null=True))
    def get_verdict(self, claim):
        return _nested(self, "verdict", VerdictBriefSerializer, _first(claim.current_verdicts))


class ClaimDetailSerializer(ClaimListSerializer):
    """Everything a reviewer needs about one claim, in one response."""

    appearances = EmbeddedAppearanceSerializer(many=True, read_only=True)
    responses = EmbeddedResponseSerializer(many=True, read_only=True)
    evidence = EmbeddedEvidenceSerializer(many=True, read_only=True)
    relations = RelationSerializer(many=True, read_only=True)
    related_from = IncomingRelationSerializer(many=True, read_only=True)
    allowed_moves = serializers.SerializerMethodField()

    class Meta(ClaimListSerializer.Meta):
        fields = ClaimListSerializer.Meta.fields + [
            "internal_note", "duplicate_of", "allowed_moves", "appearances", "responses",
            "evidence", "relations", "related_from",
        ]

    @extend_schema_field(EmbeddedVerdictSerializer(allow_null=True))
    def get_verdict(self, claim):
        return _nested(self, "verdict", EmbeddedVerdictSerializer,
                       _first(claim.current_verdicts))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_moves(self, claim):
        return sorted(TRANSITIONS.get(Claim.State(claim.state), set()))


class ClaimWriteSerializer(StrictModelSerializer):
    """The fields of a claim the desk edits directly; state moves go through /transition/."""

    slug = serializers.SlugField(max_length=120, required=False)
    tags = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Tag.objects.all(), required=False
    )
    claimants = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Claimant.objects.all(), required=False
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), allow_null=True,
        required=False,
    )

    class Meta:
        model = Claim
        fields = ["text", "slug", "language", "priority", "assignee", "internal_note", "tags",
                  "claimants"]
        extra_kwargs = {"text": {"max_length": limits.CLAIM_TEXT}}

    def validate_slug(self, value):
        others = Claim.objects.filter(slug=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError("Another claim already has this slug.")
        return value

    def validate(self, attrs):
        if self.instance is None and not attrs.get("slug"):
            attrs["slug"] = unique_claim_slug(attrs.get("text", ""))
        return attrs


def unique_claim_slug(text):
    """A free slug made from the first words of `text`."""
    base = slugify(text)[:100].strip("-") or "claim"
    slug, n = base, 1
    while Claim.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class PublicClaimListSerializer(serializers.ModelSerializer):
    """A published claim in readers' lists."""

    # Reads what claims.api.querysets.reader_claims() loads.

    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    claimants = PublicClaimantSerializer(many=True, read_only=True)
    verdict = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "slug", "text", "language", "tags", "claimants", "verdict"]

    @extend_schema_field(PublicVerdictBriefSerializer(allow_null=True))
    def get_verdict(self, claim):
        return _nested(self, "verdict", PublicVerdictBriefSerializer,
                       _first(claim.published_verdicts))


class PublicClaimDetailSerializer(PublicClaimListSerializer):
    appearances = PublicAppearanceSerializer(many=True, read_only=True)
    responses = PublicResponseSerializer(many=True, read_only=True)
    evidence = PublicEvidenceSerializer(many=True, read_only=True)
    relations = PublicRelationSerializer(many=True, read_only=True)

    class Meta(PublicClaimListSerializer.Meta):
        fields = PublicClaimListSerializer.Meta.fields + [
            "appearances", "responses", "evidence", "relations",
        ]

    @extend_schema_field(PublicEmbeddedVerdictSerializer(allow_null=True))
    def get_verdict(self, claim):
        return _nested(self, "verdict", PublicEmbeddedVerdictSerializer,
                       _first(claim.published_verdicts))


class TransitionSerializer(StrictSerializer):
    to = serializers.ChoiceField(choices=Claim.State.choices)
    duplicate_of = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), required=False, allow_null=True,
        help_text="The original claim, when moving to `duplicate`.",
    )


class TransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=Claim.State.choices)
    allowed_moves = serializers.ListField(child=serializers.CharField())
