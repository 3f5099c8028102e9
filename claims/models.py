"""The editorial domain: claims, who made them, what others said, and verdicts."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from simple_history.models import HistoricalRecords

# The outlet of the seed case allows extracts of at most 500 characters; every quote
# the project keeps respects that, in the database as well as in forms.
MAX_QUOTE_LENGTH = 500


class Tracked(models.Model):
    """Created/updated timestamps and the users behind them."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


# --- What readers see ------------------------------------------------------------------
# Readers (the public pages, the Atom feed, the sitemap, ClaimReview and the public side of
# the API, signed-in accounts without a role included) see publications and nothing else.
#
# A Publication is an immutable copy of what an editor approved: made by
# claims.workflow.transition_claim when a claim is published, one more for each revision
# published after it (a correction, a clarification or an update). Each claim shows its
# latest publication (Claim.current_publication); the live rows the desk edits (the claim,
# its appearances, responses, evidence, tags, its verdict, internal notes, drafted
# correction notes) never reach readers, however the claim moves through the workflow.
#
# Which publications readers see is decided here and only here, by current_publication_q()
# behind Publication.objects.current() and its siblings (Claim.objects.published(),
# Correction.objects.published(), Claimant/Tag/Rating.objects.in_published()); every
# reader-facing read (claims.selectors, claims.page_versions, claims.api.querysets,
# claims.api.filters, claims.feeds, claims.sitemaps) goes through them.


def current_publication_q(path=""):
    """The rule for what readers see, as a Q on the publication reached by the relation
    `path` ("" on Publication itself, "publications" from Claim, Rating, Claimant or Tag,
    "publication" from Correction): it is its claim's latest publication."""
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}current_of__isnull": False})


class PublicationQuerySet(models.QuerySet):
    def current(self):
        """The publications readers see: each published claim's latest."""
        return self.filter(current_publication_q())


class ClaimQuerySet(models.QuerySet):
    def published(self):
        """The claims readers see: those with a publication."""
        return self.filter(current_publication__isnull=False)


class CorrectionQuerySet(models.QuerySet):
    def published(self):
        """The corrections readers see: those published with a revision of a claim readers
        see (a correction is written when its revision is published, never before)."""
        return self.filter(publication__claim__current_publication__isnull=False)


class NamedOnClaimsQuerySet(models.QuerySet):
    """Claimants and tags, which name claims; and ratings, which rate them."""

    def in_published(self):
        """Those named by (or rating) at least one publication readers see, each once:
        what readers can filter by."""
        return self.filter(current_publication_q("publications")).distinct()


class ClaimantKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    GOVERNMENT = "government", "Government"
    GROUP = "group", "Group"
    OUTLET = "outlet", "Outlet"


class Claimant(Tracked):
    """A person, organisation, government, group or outlet that says things."""

    Kind = ClaimantKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    # A spokesperson speaks for a ministry; a government belongs to an alliance.
    organisation = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    aliases = models.JSONField(default=list, blank=True)
    same_as = models.JSONField(
        default=list, blank=True, help_text="URLs that identify this claimant elsewhere."
    )

    objects = NamedOnClaimsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ClaimantKind.values), name="claimant_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    objects = NamedOnClaimsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClaimState(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    RESEARCHING = "researching", "Researching"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected (not check-worthy)"
    DUPLICATE = "duplicate", "Duplicate"


class EvidenceStatus(models.TextChoices):
    NONE_OFFERED = "none_offered", "No evidence offered"
    PENDING_ARCHIVE = "pending_archive", "Pending archive"
    SUPPORTED = "supported", "Supported"
    REFUTED = "refuted", "Refuted"
    MIXED = "mixed", "Mixed"
    INCONCLUSIVE = "inconclusive", "Inconclusive"
    SOURCE_CHANGED = "source_changed", "Source changed"
    SOURCE_DEAD = "source_dead", "Source dead"


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class Claim(Tracked):
    """One checkable statement, in neutral canonical wording."""

    State = ClaimState

    EvidenceStatus = EvidenceStatus

    Priority = Priority

    text = models.TextField(help_text="The claim in neutral, canonical wording.")
    slug = models.SlugField(max_length=120, unique=True)
    language = models.CharField(max_length=12, default="en", db_index=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    claimants = models.ManyToManyField(
        Claimant, blank=True, related_name="claims",
        help_text="Who the claim is attributed to.",
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    evidence_status = models.CharField(
        max_length=20, choices=EvidenceStatus.choices, default=EvidenceStatus.NONE_OFFERED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    internal_note = models.TextField(
        blank=True, help_text="For the desk only; never shown to readers or anonymous clients."
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # Words of the claim, its quotes and its claimants' names, kept for full-text search.
    search_text = models.TextField(blank=True, default="", editable=False)
    # What readers see of the claim (the rule above): set by the workflow only.
    current_publication = models.OneToOneField(
        "Publication", null=True, blank=True, editable=False, on_delete=models.SET_NULL,
        related_name="current_of",
    )
    # Who changed what readers would see since the last publication (claims.revisions):
    # the authors of the next one, none of whom may publish it.
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, editable=False, related_name="+",
    )

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        permissions = [
            ("transition_claim", "Can move claims through the workflow"),
            ("publish_verdict", "Can approve and publish verdicts"),
            ("review_verdict", "Can comment on and review draft verdicts"),
        ]
        indexes = [
            models.Index(fields=["state", "-updated_at"], name="claim_state_updated"),
            models.Index(fields=["evidence_status", "-updated_at"], name="claim_evstatus_updated"),
            models.Index(fields=["assignee", "state"], name="claim_assignee_state"),
            # The queue's "mine" and per-colleague filters, newest first.
            models.Index(fields=["assignee", "-updated_at"], name="claim_assignee_updated"),
            models.Index(fields=["-priority", "-updated_at"], name="claim_priority_updated"),
            models.Index(fields=["-created_at"], name="claim_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ClaimState.values), name="claim_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(evidence_status__in=EvidenceStatus.values),
                name="claim_evidence_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=4), name="claim_priority_range"
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("id")), name="claim_not_duplicate_of_itself"
            ),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    def get_absolute_url(self):
        return reverse("checks:detail", kwargs={"slug": self.slug})


class Medium(models.TextChoices):
    LETTER = "letter", "Letter"
    TV = "tv", "Television"
    RADIO = "radio", "Radio"
    SOCIAL_POST = "social_post", "Social media post"
    PRESS_CONFERENCE = "press_conference", "Press conference"
    STATEMENT = "statement", "Official statement"
    ARTICLE = "article", "Article"
    INTERVIEW = "interview", "Interview"
    SPEECH = "speech", "Speech"
    OTHER = "other", "Other"


class Appearance(Tracked):
    """Where and when a claimant made the claim."""

    Medium = Medium

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    claimant = models.ForeignKey(Claimant, on_delete=models.PROTECT, related_name="appearances")
    quote = models.TextField(
        blank=True, help_text=f"Verbatim, at most {MAX_QUOTE_LENGTH} characters."
    )
    said_on = models.DateField(null=True, blank=True)
    medium = models.CharField(max_length=20, choices=Medium.choices, default=Medium.OTHER)
    venue = models.CharField(
        max_length=200, blank=True, help_text="E.g. 'letter to the UN Security Council'."
    )
    source = models.ForeignKey(
        "evidence.Source", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="appearances",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["said_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(medium__in=Medium.values), name="appearance_medium_valid"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("quote"), MAX_QUOTE_LENGTH),
                name="appearance_quote_max_500",
            ),
        ]

    def __str__(self):
        return f"{self.claimant} ({self.get_medium_display()}, {self.said_on or 'undated'})"


class ResponseKind(models.TextChoices):
    DENIES = "denies", "Denies"
    CONFIRMS = "confirms", "Confirms"
    DISPUTES = "disputes", "Disputes"
    RETRACTS = "retracts", "Retracts"
    DECLINES = "declines", "Declines to comment"
    COMMENTS = "comments", "Comments without taking a position"


class Response(Tracked):
    """What another party said about the claim. Denials are first-class."""

    Kind = ResponseKind

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="responses")
    claimant = models.ForeignKey(Claimant, on_delete=models.PROTECT, related_name="responses")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    quote = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    said_on = models.DateField(null=True, blank=True)
    source = models.ForeignKey(
        "evidence.Source", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="responses",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["said_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResponseKind.values), name="response_kind_valid"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("quote"), MAX_QUOTE_LENGTH),
                name="response_quote_max_500",
            ),
        ]

    def __str__(self):
        return f"{self.claimant} {self.get_kind_display().lower()}"


class RelationKind(models.TextChoices):
    DUPLICATE_OF = "duplicate_of", "is a duplicate of"
    RESTS_ON = "rests_on", "rests on"
    CONTRADICTS = "contradicts", "contradicts"


class ClaimRelation(Tracked):
    """A typed link between two claims, read as 'from_claim <kind> to_claim'."""

    Kind = RelationKind

    from_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="relations")
    to_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="related_from")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "kind"], name="claim_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_claim=models.F("to_claim")), name="claim_relation_not_self"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RelationKind.values), name="claim_relation_kind_valid"
            ),
        ]

    def __str__(self):
        return f"#{self.from_claim_id} {self.get_kind_display()} #{self.to_claim_id}"


class Rating(models.Model):
    """One step of the rating scale. The scale is the set of active ratings."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    value = models.SmallIntegerField(
        unique=True, help_text="Numeric value for ClaimReview; higher is truer."
    )
    colour = models.CharField(max_length=7, default="#6b7280", help_text="Hex colour, #rrggbb.")
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    objects = NamedOnClaimsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-value"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_colour_hex"
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scale_bounds(cls):
        """(worst, best) values of the active scale, as ClaimReview needs them."""
        bounds = cls.objects.filter(is_active=True).aggregate(
            worst=models.Min("value"), best=models.Max("value")
        )
        return bounds["worst"], bounds["best"]


class ChangeKind(models.TextChoices):
    """What a revision of a published verdict is, as readers are told."""

    CORRECTION = "correction", "Correction"
    CLARIFICATION = "clarification", "Clarification (wording only, no change of rating)"


class PublicationKind(models.TextChoices):
    FIRST = "first", "First publication"
    CORRECTION = "correction", "Correction"
    CLARIFICATION = "clarification", "Clarification"
    UPDATE = "update", "Update"


class VerdictStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class Verdict(Tracked):
    """The desk's finding on a claim: a rating, a summary and the analysis behind it."""

    Status = VerdictStatus
    ChangeKind = ChangeKind

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    is_current = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="verdicts"
    )
    headline = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    analysis = models.TextField(blank=True, help_text="Markdown; sanitised when rendered.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
        related_name="authored_verdicts",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="approved_verdicts",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_published_at = models.DateTimeField(null=True, blank=True)
    # The revision's public note, drafted with it and published with it (a Correction).
    correction_note = models.TextField(
        blank=True, help_text="Readers see it when this revision is published.",
    )
    change_kind = models.CharField(
        max_length=20, choices=ChangeKind.choices, default=ChangeKind.CORRECTION,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"], condition=Q(is_current=True), name="one_current_verdict_per_claim"
            ),
            models.CheckConstraint(
                condition=Q(status__in=VerdictStatus.values), name="verdict_status_valid"
            ),
            # Two-person rule, held by the database as well as by the workflow services:
            # nobody approves the verdict they drafted. A revision is another matter: its
            # authors are whoever changed it since (claims.revisions), and the verdict's
            # first author may approve someone else's correction of it.
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | ~Q(approver=models.F("author"))
                | Q(published_at__isnull=False, last_published_at__isnull=False,
                    last_published_at__gt=models.F("published_at")),
                name="verdict_approver_not_author",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (Q(rating__isnull=False) & ~Q(summary="")),
                name="verdict_published_has_rating_and_summary",
            ),
            models.CheckConstraint(
                condition=Q(change_kind__in=ChangeKind.values), name="verdict_change_kind_valid"
            ),
        ]

    def __str__(self):
        return f"Verdict on #{self.claim_id}: {self.rating or 'unrated'} ({self.status})"

    @property
    def is_published(self):
        return self.published_at is not None


class Correction(models.Model):
    """The public note of a published revision: an entry of the verdict's correction log,
    written when the revision is published (claims.publishing), never before."""

    Kind = PublicationKind

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="corrections")
    # The publication that made the change public. Null only on notes drafted under the
    # old rules and never published (migration 0009 keeps them, unpublished).
    publication = models.ForeignKey(
        "Publication", null=True, blank=True, on_delete=models.CASCADE,
        related_name="corrections",
    )
    kind = models.CharField(max_length=20, choices=PublicationKind.choices,
                            default=PublicationKind.CORRECTION)
    note = models.TextField()
    previous_rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous_summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_required"),
            models.CheckConstraint(
                condition=Q(kind__in=PublicationKind.values), name="correction_kind_valid"
            ),
        ]

    def __str__(self):
        return f"Correction to verdict #{self.verdict_id} on {self.created_at:%Y-%m-%d}"


class ReviewKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    REQUEST_CHANGES = "request_changes", "Request changes"
    APPROVE = "approve", "Approve"


class Review(models.Model):
    """A reviewer's or editor's comment on a draft verdict, or their decision on it."""

    Kind = ReviewKind

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Reviews are written once (claims.workflow.add_review) and never edited; the history
    # keeps them when their verdict or claim is deleted.
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReviewKind.values), name="review_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.reviewer} on verdict #{self.verdict_id}"


class Publication(models.Model):
    """What readers were shown of a claim and its verdict, frozen when an editor published
    it: the page, the feed entry, the public API and the ClaimReview JSON-LD are all read
    from here (claims.publishing builds it). Never changed once written: the database
    refuses any UPDATE (migration 0009), so what a reader saw can always be shown again.
    """

    Kind = PublicationKind

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="publications")
    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="publications")
    number = models.PositiveIntegerField(help_text="1 for the first publication, then 2, 3...")
    kind = models.CharField(max_length=20, choices=PublicationKind.choices)
    note = models.TextField(blank=True, help_text="The public note of a revision.")
    published_at = models.DateTimeField(db_index=True)
    first_published_at = models.DateTimeField(db_index=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
    )
    # Copies of what readers filter by, so that filters, search and counts read
    # publications only. The rating keeps a link for "how many publications use it";
    # its name, value and colour as published are in `content`.
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="publications")
    claimants = models.ManyToManyField(Claimant, blank=True, related_name="publications")
    tags = models.ManyToManyField(Tag, blank=True, related_name="publications")
    search_text = models.TextField(blank=True)
    # Everything the page shows, as JSON (claims.publishing.snapshot documents the keys).
    content = models.JSONField()
    content_sha256 = models.CharField(max_length=64)
    # The ClaimReview JSON-LD exactly as served in the page, and its SHA-256.
    claim_review = models.TextField()
    claim_review_sha256 = models.CharField(max_length=64)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="publication_number_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=PublicationKind.values), name="publication_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["-first_published_at", "-id"], name="publication_first_pub"),
        ]

    def __str__(self):
        return f"Publication {self.number} of claim #{self.claim_id} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        # Not a substitute for the database's refusal (a queryset update bypasses this),
        # but a clear error at the first place such a mistake would be made.
        if not self._state.adding:
            raise ValueError("A publication is never changed once written.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("checks:version", kwargs={"slug": self.claim.slug, "number": self.number})


class PublicationSource(models.Model):
    """A source a publication cites, and the capture it shows readers for it.

    Written with the publication (claims.workflow) and never changed. It is what makes a
    capture public (evidence.models.SnapshotQuerySet.public) and what goes into the
    publication's evidence pack. ``snapshot`` is empty for a source cited before its
    first capture: the captures the archive makes of it afterwards are the ones shown.
    Both links protect: what a publication showed readers stays on record.
    """

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="cited_sources"
    )
    source = models.ForeignKey(
        "evidence.Source", on_delete=models.PROTECT, related_name="citations"
    )
    snapshot = models.ForeignKey(
        "evidence.Snapshot", null=True, blank=True, on_delete=models.PROTECT,
        related_name="citations",
    )

    class Meta:
        ordering = ["publication", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "source"], name="publication_source_unique"
            ),
        ]

    def __str__(self):
        return f"Source #{self.source_id} cited by publication #{self.publication_id}"
