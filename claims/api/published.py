"""What readers see, in JSON: serializers reading publications (claims.models.Publication),
never the desk's live rows.

A publication's `content` (claims.publishing.snapshot documents its keys) holds everything
readers were shown, as it was when an editor published it; these serializers pick the
public API's fields from it. Objects inside a publication are copies, so they carry no id
of the desk's rows (a claimant, an appearance or a source is named by what it said then).
"""
import json

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.claimreview import absolute_url
from claims.models import Appearance, Claimant, Publication, Response
from claims.publishing import content_digest
from evidence.models import Evidence


def published_etag(publication):
    """The ETag of what readers are shown of a publication (its content, as completed by
    claims.api.querysets.as_shown when it is): it never changes with the desk's edits."""
    return f'"{content_digest(publication.content)[:32]}"'


def shown_rating(rating_id, content_rating):
    """A rating as a publication shows it (`content_rating`, from its content), under the
    id of the scale's row it was published from."""
    if content_rating is None:
        return None
    return {"id": rating_id, **{key: content_rating[key]
                                for key in ("slug", "name", "value", "colour")}}


# ---------------------------------------------------------------- parts of the content

_DATETIME = serializers.DateTimeField()


class PublishedRatingSerializer(serializers.Serializer):
    """A rating as it was published: a later edit of the scale does not change it."""

    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    value = serializers.IntegerField(read_only=True)
    colour = serializers.CharField(read_only=True)


class PublishedClaimantSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Claimant.Kind.choices, read_only=True)
    same_as = serializers.ListField(child=serializers.URLField(), read_only=True)
    organisation = serializers.CharField(
        read_only=True, help_text="The organisation they speak for, by name (blank if none).")


class PublishedSourceSerializer(serializers.Serializer):
    """A cited page as it was published."""

    url = serializers.URLField(read_only=True)
    title = serializers.CharField(read_only=True)
    publisher = serializers.CharField(read_only=True)
    archived_at = serializers.SerializerMethodField(
        help_text="When the archived copy readers were pointed to was taken (null: none).")

    archived_copy = serializers.SerializerMethodField(
        help_text="Our public copy of the page as it was read: what was captured, its text "
                  "and its WARC (null: none).")

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_archived_at(self, source):
        snapshot = source["snapshot"]
        if not snapshot:
            return None
        # Written like every other date-time of the API.
        return _DATETIME.to_representation(parse_datetime(snapshot["fetched_at"]))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_archived_copy(self, source):
        snapshot = source["snapshot"]
        if not snapshot:
            return None
        return absolute_url(reverse("evidence:capture", kwargs={"pk": snapshot["pk"]}))


class PublishedAppearanceSerializer(serializers.Serializer):
    claimant = PublishedClaimantSerializer(read_only=True)
    quote = serializers.CharField(read_only=True)
    said_on = serializers.DateField(read_only=True, allow_null=True)
    medium = serializers.ChoiceField(choices=Appearance.Medium.choices, read_only=True)
    venue = serializers.CharField(read_only=True)
    source = PublishedSourceSerializer(read_only=True, allow_null=True)


class PublishedResponseSerializer(serializers.Serializer):
    claimant = PublishedClaimantSerializer(read_only=True)
    kind = serializers.ChoiceField(choices=Response.Kind.choices, read_only=True)
    quote = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    said_on = serializers.DateField(read_only=True, allow_null=True)
    source = PublishedSourceSerializer(read_only=True, allow_null=True)


class PublishedEvidenceSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices, read_only=True)
    summary = serializers.CharField(read_only=True)
    source = PublishedSourceSerializer(read_only=True, allow_null=True)


class PublishedRelationSerializer(serializers.Serializer):
    """Another published claim this one is related to, in either direction."""

    wording = serializers.CharField(
        read_only=True, help_text="How the claims relate, e.g. “This claim rests on”.")
    slug = serializers.SlugField(read_only=True)
    text = serializers.CharField(read_only=True, help_text="The other claim, as published.")


class EvidenceStatusSerializer(serializers.Serializer):
    value = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class PublishedClaimRefSerializer(serializers.Serializer):
    """A published claim as other objects point to it."""

    id = serializers.IntegerField(read_only=True, source="claim_id")
    slug = serializers.SlugField(read_only=True, source="content.claim.slug")
    text = serializers.CharField(read_only=True, source="content.claim.text")


class PublicationRefSerializer(serializers.Serializer):
    """The publication a reader's view is read from."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True, help_text="1, then 2, 3... per claim.")
    kind = serializers.ChoiceField(choices=Publication.Kind.choices, read_only=True)
    published_at = serializers.DateTimeField(read_only=True)


# ---------------------------------------------------------------- corrections


class PublicCorrectionSerializer(serializers.Serializer):
    """The public note of a published revision, with the ratings as readers were shown
    them before and after it."""

    # Reads what claims.api.querysets.reader_corrections() loads and annotates.

    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Publication.Kind.choices, read_only=True)
    note = serializers.CharField(read_only=True)
    previous_rating = serializers.SerializerMethodField()
    new_rating = serializers.SerializerMethodField()
    previous_summary = serializers.CharField(read_only=True)
    publication = serializers.IntegerField(
        read_only=True, source="publication_id",
        help_text="The publication that made the revision public.")
    created_at = serializers.DateTimeField(read_only=True, help_text="When it was published.")

    @extend_schema_field(PublishedRatingSerializer(allow_null=True))
    def get_previous_rating(self, correction):
        if correction.shown_previous_rating is None and correction.previous_rating_id:
            # Notes published before publications existed: the rating's row, as it is.
            rating = correction.previous_rating
            return {"id": rating.pk, "slug": rating.slug, "name": rating.name,
                    "value": rating.value, "colour": rating.colour}
        return shown_rating(correction.previous_rating_id, correction.shown_previous_rating)

    @extend_schema_field(PublishedRatingSerializer(allow_null=True))
    def get_new_rating(self, correction):
        if correction.new_rating_id is None:
            return None
        return shown_rating(correction.new_rating_id, correction.shown_new_rating)


# ---------------------------------------------------------------- verdicts


class _PublishedVerdictFields(serializers.Serializer):
    # A publication (instance) read as the verdict it published.
    id = serializers.IntegerField(read_only=True, source="verdict_id",
                                  help_text="The verdict's id.")
    rating = serializers.SerializerMethodField()

    @extend_schema_field(PublishedRatingSerializer())
    def get_rating(self, publication):
        return shown_rating(publication.rating_id, publication.content["rating"])


class PublicVerdictBriefSerializer(_PublishedVerdictFields):
    headline = serializers.CharField(read_only=True, source="content.headline")
    published_at = serializers.DateTimeField(
        read_only=True, source="first_published_at", help_text="When it was first published.")


class PublicEmbeddedVerdictSerializer(_PublishedVerdictFields):
    """A verdict as readers see it: its claim's latest publication."""

    headline = serializers.CharField(read_only=True, source="content.headline")
    summary = serializers.CharField(read_only=True, source="content.summary")
    analysis = serializers.CharField(read_only=True, source="content.analysis",
                                     help_text="Markdown.")
    published_at = serializers.DateTimeField(
        read_only=True, source="first_published_at", help_text="When it was first published.")
    last_published_at = serializers.DateTimeField(
        read_only=True, source="published_at",
        help_text="When the version shown was published (the latest revision).")
    corrections = PublicCorrectionSerializer(
        many=True, read_only=True, source="public_corrections",
        help_text="The notes of the revisions published since the first publication.")


class PublicVerdictSerializer(PublicEmbeddedVerdictSerializer):
    """A published verdict as readers see it: no status, people or reviews."""

    claim = PublishedClaimRefSerializer(read_only=True, source="*")


# ---------------------------------------------------------------- claims


class PublicClaimListSerializer(serializers.Serializer):
    """A published claim in readers' lists, as its latest publication shows it."""

    # Reads a Claim with its current_publication loaded (claims.api.querysets.reader_claims).

    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True, source="current_publication.content.claim.slug")
    text = serializers.CharField(read_only=True, source="current_publication.content.claim.text")
    language = serializers.CharField(
        read_only=True, source="current_publication.content.claim.language")
    tags = serializers.SerializerMethodField()
    claimants = PublishedClaimantSerializer(
        many=True, read_only=True, source="current_publication.content.claimants")
    publication = PublicationRefSerializer(read_only=True, source="current_publication")
    verdict = PublicVerdictBriefSerializer(read_only=True, source="current_publication")

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_tags(self, claim):
        return [tag["slug"] for tag in claim.current_publication.content["tags"]]


class PublicClaimDetailSerializer(PublicClaimListSerializer):
    """A published claim with everything its latest publication shows."""

    verdict = PublicEmbeddedVerdictSerializer(read_only=True, source="current_publication")
    evidence_status = EvidenceStatusSerializer(
        read_only=True, source="current_publication.content.evidence_status")
    appearances = PublishedAppearanceSerializer(
        many=True, read_only=True, source="current_publication.content.appearances")
    responses = PublishedResponseSerializer(
        many=True, read_only=True, source="current_publication.content.responses")
    evidence = PublishedEvidenceSerializer(
        many=True, read_only=True, source="current_publication.content.evidence")
    relations = PublishedRelationSerializer(
        many=True, read_only=True, source="current_publication.content.related")


# ---------------------------------------------------------------- publications


class PublicationSerializer(serializers.ModelSerializer):
    """One publication: what readers were shown of a claim from `published_at` until the
    next one, exactly as stored (it never changes)."""

    claim = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    content = serializers.JSONField(
        read_only=True,
        help_text="Everything the publication's page shows, as JSON: claim, claimants, "
                  "tags, appearances, responses, evidence, evidence_status, rating, "
                  "headline, summary, analysis, analysis_html, authors, approver, "
                  "published_at, first_published_at, modified_at, related, corrections. "
                  "As its page does, it shows the archive's captures of sources made since "
                  "it was published, and the related claims readers see now; "
                  "content_sha256 is the digest of the copy stored when it was published.")
    claim_review = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = ["id", "claim", "number", "kind", "note", "published_at",
                  "first_published_at", "rating", "content", "content_sha256",
                  "claim_review", "claim_review_sha256"]

    @extend_schema_field(PublishedClaimRefSerializer())
    def get_claim(self, publication):
        claim = publication.content["claim"]
        return {"id": publication.claim_id, "slug": claim["slug"], "text": claim["text"]}

    @extend_schema_field(PublishedRatingSerializer())
    def get_rating(self, publication):
        return shown_rating(publication.rating_id, publication.content["rating"])

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_claim_review(self, publication):
        """The schema.org ClaimReview served with it; claim_review_sha256 is the SHA-256 of
        its text as stored (and embedded in the page)."""
        return served_claim_review(publication)


def served_claim_review(publication):
    """The ClaimReview of `publication` as stored when it was written: never rebuilt."""
    return json.loads(publication.claim_review)
