"""Sources cited by claims, their archived snapshots, and evidence with its stance."""
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from .urls_canonical import canonicalize_url


class SourceStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    FETCHING = "fetching", "Fetching"
    ARCHIVED = "archived", "Archived"
    FAILED = "failed", "Failed"
    DEAD = "dead", "Dead"


class Source(models.Model):
    """One web page, identified by its canonical URL, and the state of its archive."""

    Status = SourceStatus

    url = models.URLField(max_length=2000, help_text="The URL as first cited.")
    canonical_url = models.CharField(max_length=2000, unique=True, editable=False)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True, db_index=True)
    changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the extracted text last differed from before."
    )
    latest_snapshot = models.ForeignKey(
        "Snapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What the desk says about the page (its title and publisher), who said it and when.
    # The archive state is the archiver's running log, kept in the source's own fields
    # and its snapshots: it is left out, and the archiver's saves record nothing unless
    # they fill in the title (evidence.archiving).
    history = HistoricalRecords(excluded_fields=[
        "status", "attempts", "last_error", "last_attempt_at", "archived_at",
        "last_checked_at", "changed_at", "latest_snapshot", "updated_at",
    ])

    class Meta:
        ordering = ["canonical_url"]
        indexes = [
            models.Index(fields=["status", "last_checked_at"], name="source_status_checked"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SourceStatus.values), name="source_status_valid"
            ),
        ]

    def __str__(self):
        return self.title or self.canonical_url

    def save(self, *args, **kwargs):
        self.canonical_url = canonicalize_url(self.url)
        super().save(*args, **kwargs)


class SnapshotQuerySet(models.QuerySet):
    def public(self):
        """The one rule for which captures readers may open: every capture a publication
        cites, and, for a source a publication cited before its first capture, the
        captures made of it since (the page shows them). Nothing else: a capture only a
        draft cites, or none, stays with the desk."""
        citations = apps.get_model("claims", "PublicationSource").objects
        cited = citations.filter(snapshot=OuterRef("pk"))
        awaited = citations.filter(source=OuterRef("source"), snapshot__isnull=True)
        return self.filter(Exists(cited) | Exists(awaited))


class Snapshot(models.Model):
    """One archived capture of a Source: WARC file, extracted text and hashes."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    fetch_id = models.UUIDField(
        unique=True, help_text="Identifies the fetch; a redelivered task never adds a second."
    )
    fetched_at = models.DateTimeField(db_index=True)
    final_url = models.URLField(max_length=2000)
    http_status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=200, blank=True)
    payload_size = models.PositiveBigIntegerField(default=0)
    text_size = models.PositiveBigIntegerField(default=0)
    truncated = models.BooleanField(default=False)
    payload_sha256 = models.CharField(max_length=64, db_index=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    redirects = models.JSONField(
        default=list, blank=True,
        help_text="Each redirect before the final URL: [{url, status}], in order.",
    )
    warc_path = models.CharField(max_length=500)
    warc_sha256 = models.CharField(max_length=64, blank=True)
    warc_size = models.PositiveBigIntegerField(default=0)
    text_path = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_date = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-fetched_at"]
        get_latest_by = "fetched_at"

    def __str__(self):
        return f"{self.source} at {self.fetched_at:%Y-%m-%d %H:%M}"


class SourceChange(models.Model):
    """A re-check found different text at a source we had archived."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="changes")
    previous = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    current = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+")
    detected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-detected_at"]

    def __str__(self):
        return f"{self.source} changed at {self.detected_at:%Y-%m-%d %H:%M}"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


class Evidence(models.Model):
    """A Source attached to a claim, with what it says about the claim."""

    Stance = Stance

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    summary = models.TextField(blank=True, help_text="What in the source bears on the claim.")
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence",
        help_text="The capture the evidence was read in.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"], name="evidence_claim_source_unique"
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="evidence_stance_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.source}"


class EvidencePack(models.Model):
    """The signed WACZ of one publication: every capture it cites, for readers to download
    and verify (evidence.packs builds it). Rebuilt when a source it was waiting for is
    captured; the publication itself never changes."""

    publication = models.OneToOneField(
        "claims.Publication", on_delete=models.CASCADE, related_name="evidence_pack"
    )
    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    captures = models.PositiveIntegerField(help_text="How many captures it holds.")
    public_key = models.TextField(help_text="The signing key (base64 SPKI DER), as in the pack.")
    built_at = models.DateTimeField()
    build_seconds = models.FloatField()

    class Meta:
        ordering = ["-built_at"]

    def __str__(self):
        return f"Evidence pack of publication #{self.publication_id}"
