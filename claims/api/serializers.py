"""Claims, claimants, appearances, responses, verdicts, corrections and reviews, in JSON.

Two families: staff serializers (for the desk's roles) here, and the Public* serializers
for readers in claims.api.published, which read publications only, so nothing the desk
has not published can appear in them. Evidence and sources, as the desk's claims embed
them, are evidence.api's.
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


# ---------------------------------------------------------------- verdicts, corrections, reviews


class CorrectionSerializer(serializers.ModelSerializer):
    """An entry of a verdict's correction log: the public note of a published revision."""

    previous_rating = RatingSerializer(read_only=True, allow_null=True)
    new_rating = RatingSerializer(read_only=True, allow_null=True)
    publication = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True,
        help_text="The publication that made it public; null for a note drafted before "
                  "publications existed and never published (readers never see it).")

    class Meta:
        model = Correction
        fields = ["id", "verdict", "kind", "note", "previous_rating", "new_rating",
                  "previous_summary", "publication", "created_at"]


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
    correction_note = serializers.CharField(
        read_only=True,
        help_text="The draft public note of the revision in progress: readers see it, as a "
                  "correction or a clarification, when the revision is published (and it "
                  "is emptied then). Blank before the first publication.")
    change_kind = serializers.ChoiceField(
        choices=Verdict.ChangeKind.choices, read_only=True,
        help_text="What the revision in progress will be published as, when it has a note.")
    publication_count = serializers.IntegerField(
        read_only=True, help_text="How many times the claim has been published.")
    current_publication = serializers.IntegerField(
        read_only=True, allow_null=True, source="claim.current_publication_id",
        help_text="The claim's publication readers see (null: not published).")

    class Meta:
        model = Verdict
        fields = ["id", "claim", "is_current", "status", "rating", "headline", "summary",
                  "analysis", "correction_note", "change_kind", "author", "approver",
                  "submitted_at", "published_at", "last_published_at", "publication_count",
                  "current_publication", "reviews", "corrections", "created_at",
                  "updated_at"]


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
        max_length=limits.CORRECTION_NOTE, allow_blank=True, required=False,
        help_text="The public note readers will see when this revision of a published "
                  "verdict is published. Publishing a revision that changes the claim's "
                  "wording, the rating, headline, summary or analysis needs one (409 "
                  "correction_required without it). Left as it is when not sent.",
    )
    change_kind = serializers.ChoiceField(
        choices=Verdict.ChangeKind.choices, required=False,
        help_text="Whether the note is a correction or a clarification (wording only: a "
                  "change of rating is always a correction). Left as it is when not sent.",
    )


class VerdictUpdateSerializer(VerdictWriteSerializer):
    """A verdict stays with its claim: `claim` is fixed (sending it is a 400)."""

    claim = None


class EmbeddedVerdictSerializer(VerdictSerializer):
    class Meta(VerdictSerializer.Meta):
        fields = [f for f in VerdictSerializer.Meta.fields if f != "claim"]


class VerdictBriefSerializer(serializers.ModelSerializer):
    rating = RatingSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Verdict
        fields = ["id", "status", "rating", "headline", "published_at"]


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
    current_publication = serializers.IntegerField(
        read_only=True, allow_null=True, source="current_publication_id",
        help_text="The publication readers see (null: never published). Readers see it, "
                  "not the fields here, until the next publication.")

    class Meta:
        model = Claim
        fields = ["id", "slug", "text", "language", "state", "evidence_status", "priority",
                  "assignee", "tags", "claimants", "verdict", "current_publication",
                  "created_at", "updated_at"]

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
    contributors = UserRefSerializer(
        many=True, read_only=True,
        help_text="Who changed what readers would see since the last publication: the "
                  "authors of the next one, none of whom may publish it.")

    class Meta(ClaimListSerializer.Meta):
        fields = ClaimListSerializer.Meta.fields + [
            "internal_note", "duplicate_of", "allowed_moves", "contributors", "appearances",
            "responses", "evidence", "relations", "related_from",
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
