"""Archive cited sources and keep watching them: the services behind evidence/tasks.py.

One fetch of a source goes: fetch (evidence.fetch) -> write the WARC and the extracted
text (evidence.warc makes them) to the archive storage under content-addressed names ->
record the Snapshot in one transaction. A worker killed anywhere before that transaction
leaves at most orphan files, never a half-written Snapshot; the Snapshot's unique
``fetch_id`` (the Celery task id, stable across redeliveries) makes a redelivered task a
no-op once it has succeeded. A write the storage refuses (disk full, file too large, an
I/O error) removes what the job had written and is retried like a transient fetch
failure; a job whose capture is not recorded (skipped, or its transaction failed) removes
its WARC, which no other capture can share.

Locks follow the desk's order (claims/services.py: claims, then the rest): a transaction
that records a fetch first locks the claims citing the source, in id order, then the source
(FOR NO KEY UPDATE, so citing it meanwhile, which only needs its key, is not blocked), and
only then updates those claims' evidence status.
"""
from __future__ import annotations

import hashlib
import logging
import random
import socket
import tempfile
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.publishing import request_evidence_pack
from claims.services import lock_claims

from .archive_files import STORAGE_ERRORS, storage_error_reason
from .fetch import FetchError, FetchPolicy, FetchResult, TransientFetchError, fetch
from .models import Evidence, Snapshot, Source, SourceChange
from .services import refresh_evidence_status, request_archive
from .warc import Extracted, extract, payload_sha256, write_metadata, write_warc

logger = logging.getLogger(__name__)

Status = Source.Status
__all__ = [
    "ArchiveWriteError", "Outcome", "RetryLater", "archive_source", "open_snapshot_warc",
    "queue_pending_sources", "read_snapshot_text", "recheck_sources", "retry_countdown",
    "sources_to_archive",
]

# Statuses a re-check of an archived source reports as "the source is gone".
GONE_STATUSES = frozenset({404, 410})


class Outcome(StrEnum):
    """What one archive run did to its source."""

    ARCHIVED = "archived"  # first snapshot
    CHANGED = "changed"  # new snapshot whose text differs from the previous one
    RECAPTURED = "recaptured"  # new snapshot, different bytes but the same text
    UNCHANGED = "unchanged"  # same payload as the latest snapshot: only last_checked_at
    FAILED = "failed"
    DEAD = "dead"
    SKIPPED = "skipped"  # nothing to do (already archived, already done, source gone)


class RetryLater(Exception):
    """A transient failure with retries left: run the archive again in ``countdown`` s."""

    def __init__(self, reason: str, countdown: float) -> None:
        super().__init__(reason)
        self.reason = reason
        self.countdown = countdown


class ArchiveWriteError(Exception):
    """The archive storage refused a write (disk full, file too large, an I/O error...).

    Raised once the files the job had written, partial or whole, are removed again;
    ``reason`` is what the source's ``last_error`` says.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def archive_source(
    source_id: int, *, fetch_id: str | uuid.UUID, recheck: bool = False, retries_done: int = 0,
    max_retries: int = 0,
) -> Outcome:
    """Fetch and archive one source; idempotent and safe to run twice.

    ``fetch_id`` identifies this job (the Celery task id): a job that already produced
    its Snapshot returns SKIPPED. Without ``recheck`` a source that is already archived
    is left alone (SKIPPED); with it the source is fetched again and a new Snapshot
    (and, if its text differs, a SourceChange) is recorded only when the payload differs.
    A job that is not a re-check and finds, once fetched, that another job archived the
    source meanwhile records nothing either (SKIPPED): one citation makes one capture
    however many jobs it queued.
    A refused URL or a permanent HTTP failure marks the source failed at once (dead when
    a previously archived source now answers 404/410); a transient failure, or a write
    the archive storage refuses (ArchiveWriteError), raises ``RetryLater`` while
    ``retries_done < max_retries``, then fails the source (dead when a previously
    archived source's host name no longer resolves). Database errors propagate.
    """
    source = _start(source_id, fetch_id=fetch_id, recheck=recheck)
    if source is None:
        return Outcome.SKIPPED
    previously_archived = source.latest_snapshot_id is not None
    retry = {"retries_done": retries_done, "max_retries": max_retries}
    try:
        result = fetch(source.url, policy=FetchPolicy.from_settings())
    except TransientFetchError as exc:
        gone = previously_archived and isinstance(exc.__cause__, socket.gaierror)
        return _retry_or_fail(source_id, exc, retry_after=exc.retry_after, dead=gone, **retry)
    except FetchError as exc:
        return _fail(source_id, exc.reason,
                     dead=previously_archived and exc.status in GONE_STATUSES)
    try:
        return _store(source_id, result, fetch_id=fetch_id, recheck=recheck)
    except ArchiveWriteError as exc:
        # A full disk is the archive's trouble, not the page's: it may pass, as a timeout.
        return _retry_or_fail(source_id, exc, **retry)


def retry_countdown(retries_done: int, *, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number ``retries_done + 1``.

    Exponential backoff with "full jitter" between half and all of the step, at least
    the server's Retry-After, at most ARCHIVE_RETRY_MAX_SECONDS.
    """
    step = settings.ARCHIVE_RETRY_BASE_SECONDS * 2**retries_done
    countdown = max(random.uniform(step / 2, step), retry_after or 0.0)
    return min(countdown, settings.ARCHIVE_RETRY_MAX_SECONDS)


def queue_pending_sources(*, now=None) -> int:
    """Queue an archive of every source whose archive was lost; returns how many.

    Lost means pending or fetching with no sign of life (attempt, or creation for a
    never-tried source) for ARCHIVE_LEASE_SECONDS: the broker was down when it was
    saved, or its worker died. Sending twice is harmless (archive_source is idempotent).
    """
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.ARCHIVE_LEASE_SECONDS)
    stale = (
        Source.objects.filter(status__in=[Status.PENDING, Status.FETCHING])
        .annotate(touched=Coalesce("last_attempt_at", "created_at"))
        .filter(touched__lt=cutoff)
        .order_by("touched")
    )
    sources = list(stale[: settings.ARCHIVE_SWEEP_BATCH])
    for source in sources:
        request_archive(source)
    return len(sources)


def recheck_sources(*, now=None) -> int:
    """Queue a re-check of sources not checked for RECHECK_AFTER_HOURS; returns how many.

    Archived and failed sources are due oldest first. Each host gets at most
    RECHECK_MAX_PER_HOST re-checks per run, RECHECK_HOST_SPACING_SECONDS apart, so that
    watching many pages of one site never hammers it; the rest wait for the next run.
    """
    from factcheck.celery import app

    cutoff = (now or timezone.now()) - timedelta(hours=settings.RECHECK_AFTER_HOURS)
    due = (
        Source.objects.filter(status__in=[Status.ARCHIVED, Status.FAILED])
        .annotate(checked=Coalesce("last_checked_at", "last_attempt_at", "created_at"))
        .filter(checked__lt=cutoff)
        .order_by("checked", "pk")
        .values_list("pk", "url")
    )
    per_host: dict[str, int] = {}
    queued = 0
    for pk, url in due.iterator():
        host = (urlsplit(url).hostname or "").lower()
        slot = per_host.get(host, 0)
        if slot >= settings.RECHECK_MAX_PER_HOST:
            continue
        per_host[host] = slot + 1
        app.send_task(
            "evidence.tasks.archive_source", args=[pk], kwargs={"recheck": True},
            countdown=slot * settings.RECHECK_HOST_SPACING_SECONDS,
        )
        queued += 1
    return queued


def sources_to_archive(*, refs=(), include_failed=False):
    """The sources an operator asked for: ids or URLs in ``refs``, else every pending one.

    Each source once, in the order first named. A URL not yet known becomes a new Source
    (evidence.services.source_for_url, which raises InvalidURL for one that cannot be
    archived), not queued: the caller archives or queues what this returns.
    """
    from .services import source_for_url

    if not refs:
        statuses = [Status.PENDING, Status.FETCHING] + ([Status.FAILED] if include_failed else [])
        return list(Source.objects.filter(status__in=statuses).order_by("pk"))
    found = {}
    for ref in refs:
        if ref.isdigit():
            source = Source.objects.get(pk=int(ref))
        else:
            source = source_for_url(ref, queue=False)
        found.setdefault(source.pk, source)
    return list(found.values())


def _start(source_id, *, fetch_id, recheck) -> Source | None:
    """Claim the source for this job and count the attempt, or return None to skip."""
    with transaction.atomic():
        source = _lock_source(Source.objects.filter(pk=source_id)).first()
        if source is None or Snapshot.objects.filter(fetch_id=fetch_id).exists():
            return None
        if not recheck and _archived(source):
            return None
        before = source.status
        if source.latest_snapshot_id is None:
            source.status = Status.FETCHING
        source.attempts = F("attempts") + 1
        source.last_attempt_at = timezone.now()
        _save_archive_state(source, ["status", "attempts", "last_attempt_at", "updated_at"])
        if source.status != before:
            _refresh_claims(source)
    return source


def _record_error(source_id, reason):
    Source.objects.filter(pk=source_id).update(last_error=reason, updated_at=timezone.now())


def _retry_or_fail(
    source_id, error: TransientFetchError | ArchiveWriteError, *, retries_done: int,
    max_retries: int, retry_after: float | None = None, dead: bool = False,
) -> Outcome:
    """A failure that may pass: record its reason and raise RetryLater while retries
    are left, then fail the source (dead when ``dead``)."""
    if retries_done < max_retries:
        _record_error(source_id, error.reason)
        raise RetryLater(
            error.reason, retry_countdown(retries_done, retry_after=retry_after)
        ) from error
    return _fail(source_id, error.reason, dead=dead)


def _fail(source_id, reason: str, *, dead: bool) -> Outcome:
    """Record a failure that retrying will not fix: failed, or dead for a source gone."""
    status = Status.DEAD if dead else Status.FAILED
    with transaction.atomic():
        source = _lock_source(Source.objects.filter(pk=source_id)).get()
        before = source.status
        source.status = status
        source.last_error = reason
        source.last_checked_at = timezone.now()
        _save_archive_state(source, ["status", "last_error", "last_checked_at", "updated_at"])
        if before != status:
            _refresh_claims(source)
    logger.info("Source %s %s: %s", source_id, status, reason)
    return Outcome.DEAD if dead else Outcome.FAILED


def _archived(source: Source) -> bool:
    """Whether ``source`` holds a capture a first archive (not a re-check) leaves alone."""
    return source.status == Status.ARCHIVED and source.latest_snapshot_id is not None


@dataclass(frozen=True)
class _Stored:
    warc_path: str
    warc_sha256: str
    warc_size: int
    text_path: str
    text_size: int
    warc_created: bool  # written by this job (not found already there)


def _store(source_id, result: FetchResult, *, fetch_id, recheck) -> Outcome:
    """Write the artefacts of ``result``, then record them in one transaction.

    Raises ArchiveWriteError when the storage refuses a write. Whatever happens after
    the files are written, a capture that ends up unrecorded (skipped, same payload
    after all, or the transaction failed) takes its WARC with it.
    """
    payload_hash = payload_sha256(result)
    source = Source.objects.select_related("latest_snapshot").only(
        "status", "latest_snapshot__payload_sha256"
    ).get(pk=source_id)
    if not recheck and _archived(source):
        return Outcome.SKIPPED  # another job archived it while this one fetched
    latest = source.latest_snapshot
    extracted = extract(result)
    # Identical bytes are not stored again; only the files of a new capture are written.
    stored = None
    if latest is None or latest.payload_sha256 != payload_hash:
        stored = _write_files(result, extracted)
    recorded = False
    try:
        with transaction.atomic():
            outcome, stored = _record(source_id, result, extracted, payload_hash, stored,
                                      fetch_id=fetch_id, recheck=recheck)
        recorded = outcome in (Outcome.ARCHIVED, Outcome.CHANGED, Outcome.RECAPTURED)
    finally:
        if stored is not None and not recorded:
            _discard_warc(stored)
    return outcome


def _record(source_id, result, extracted, payload_hash, stored, *, fetch_id, recheck):
    """Record the fetch on the source, locked (inside the caller's transaction); returns
    the outcome and the files written (``stored``, or those written here in the rare
    case the payload changed between the check before writing and the lock)."""
    source = _lock_source(
        Source.objects.filter(pk=source_id).select_related("latest_snapshot")
    ).get()
    if Snapshot.objects.filter(fetch_id=fetch_id).exists():
        return Outcome.SKIPPED, stored
    if not recheck and _archived(source):
        return Outcome.SKIPPED, stored
    now = timezone.now()
    before = (source.status, source.latest_snapshot_id)
    previous = source.latest_snapshot
    source.status = Status.ARCHIVED
    source.last_error = ""
    source.last_checked_at = now
    if previous is not None and previous.payload_sha256 == payload_hash:
        _save_archive_state(source, ["status", "last_error", "last_checked_at", "updated_at"])
        outcome = Outcome.UNCHANGED
    else:
        stored = stored or _write_files(result, extracted)
        snapshot = Snapshot.objects.create(
            source=source, fetch_id=fetch_id, fetched_at=result.fetched_at,
            final_url=result.final_url, http_status=result.status,
            redirects=[{"url": url, "status": status} for url, status in result.redirects],
            content_type=result.content_type, payload_size=len(result.body),
            text_size=stored.text_size, truncated=result.truncated,
            payload_sha256=payload_hash, text_sha256=extracted.text_sha256,
            warc_path=stored.warc_path, warc_sha256=stored.warc_sha256,
            warc_size=stored.warc_size, text_path=stored.text_path,
            title=(extracted.title or "")[:500], author=(extracted.author or "")[:300],
            published_date=(extracted.date or "")[:40],
            language=(extracted.language or "")[:12],
        )
        if previous is None:
            outcome = Outcome.ARCHIVED
        elif previous.text_sha256 != snapshot.text_sha256:
            SourceChange.objects.create(source=source, previous=previous, current=snapshot)
            source.changed_at = now
            outcome = Outcome.CHANGED
        else:
            outcome = Outcome.RECAPTURED
        source.latest_snapshot = snapshot
        source.archived_at = source.archived_at or now
        # A source cited without a title takes the page's: that much is history.
        titled = not source.title and snapshot.title
        source.title = source.title or snapshot.title
        _save_archive_state(source, None, record_history=bool(titled))
        # Evidence attached before the first archive was read in this capture.
        Evidence.objects.filter(source=source, snapshot__isnull=True).update(
            snapshot=snapshot, updated_at=now
        )
        # Publications that cited the source before it had a capture show the captures
        # made since (Snapshot.objects.public): their evidence packs are rebuilt.
        for publication_id in source.citations.filter(snapshot__isnull=True).values_list(
            "publication_id", flat=True
        ):
            request_evidence_pack(publication_id)
    if (source.status, source.latest_snapshot_id) != before:
        _refresh_claims(source)
    return outcome, stored


def _write_files(result: FetchResult, extracted: Extracted) -> _Stored:
    """Save the WARC (capture plus metadata record) and the text, named by SHA-256.

    Raises ArchiveWriteError when a write fails (disk full, file too large, an I/O
    error), having removed what this call wrote: the partial file, and the WARC when
    the text failed. The temporary files are anonymous and go with their handles.
    """
    storage = storages["archives"]
    created = []
    try:
        # The WARC goes through a temporary file, so the worker holds the body once, not
        # the body plus its compressed copy.
        with tempfile.TemporaryFile() as warc:
            write_warc(result, warc)
            write_metadata(result, extracted, warc)
            warc_size = warc.tell()
            warc.seek(0)
            warc_sha256 = hashlib.file_digest(warc, "sha256").hexdigest()
            warc_path = _save(
                storage, f"warc/{warc_sha256[:2]}/{warc_sha256}.warc.gz", File(warc), created
            )
        text_path, text_size = "", 0
        if extracted.text:
            digest = extracted.text_sha256
            # Encoded a slice at a time into a temporary file: no second copy of the text.
            with tempfile.TemporaryFile() as text:
                for chunk in extracted.encoded_chunks():
                    text.write(chunk)
                text_size = text.tell()
                text_path = _save(storage, f"text/{digest[:2]}/{digest}.txt", File(text),
                                  created)
    except STORAGE_ERRORS as exc:
        for name in created:
            _delete_quietly(storage, name)
        raise ArchiveWriteError(
            f"could not write the archive: {storage_error_reason(exc)}"
        ) from exc
    return _Stored(warc_path=warc_path, warc_sha256=warc_sha256, warc_size=warc_size,
                   text_path=text_path, text_size=text_size,
                   warc_created=warc_path in created)


def _save(storage, name: str, content: File, created: list[str]) -> str:
    """Store ``content`` at ``name`` unless a complete copy is already there; a name
    this call wrote is appended to ``created``.

    A write that fails raises its error (one of STORAGE_ERRORS) once the partial file is
    gone: a file of that name but not the content's size (a complete one is another
    job's, and stays).
    """
    content.seek(0, 2)
    size = content.tell()
    content.seek(0)
    if storage.exists(name):
        if storage.size(name) == size:
            return name
        # A worker killed mid-write left a partial file: replace it.
        storage.delete(name)
    try:
        saved = storage.save(name, content)
    except STORAGE_ERRORS:
        with suppress(*STORAGE_ERRORS):
            if storage.exists(name) and storage.size(name) != size:
                _delete_quietly(storage, name)
        raise
    created.append(saved)
    return saved


def _discard_warc(stored: _Stored) -> None:
    """Remove the WARC of a capture no Snapshot records. Its record ids are this job's
    own, so no other capture names it; the text stays, being named by its content
    alone and possibly another capture's."""
    if stored.warc_created:
        _delete_quietly(storages["archives"], stored.warc_path)


def _delete_quietly(storage, name: str) -> None:
    """Delete ``name``; a storage failing even that is logged, not raised, so that the
    error that made the file unwanted is the one reported."""
    try:
        storage.delete(name)
    except STORAGE_ERRORS:
        logger.warning("Could not remove %s from the archive storage.", name, exc_info=True)


def _save_archive_state(source, update_fields, *, record_history=False):
    """Save what the archiver changed on `source`. Its archive state is not the source's
    history (evidence.models.Source.history leaves it out): unless the archiver filled
    in the title, the save records no historical row."""
    if record_history:
        source.save(update_fields=update_fields)
    else:
        source.save_without_historical_record(update_fields=update_fields)


def _lock_source(sources):
    """`sources` (one source) locked as the lock order wants it: the claims citing it
    first, in id order, then the source row itself (NO KEY: evidence may still be added
    to it). Call inside the transaction that writes."""
    source_ids = sources.values("pk")
    lock_claims(Evidence.objects.filter(source__in=source_ids).values_list("claim_id", flat=True))
    return sources.select_for_update(no_key=True, of=("self",))


def _refresh_claims(source: Source) -> None:
    claim_ids = list(
        Evidence.objects.filter(source=source).values_list("claim_id", flat=True).distinct()
    )
    if claim_ids:
        refresh_evidence_status(claim_ids)


def read_snapshot_text(snapshot: Snapshot) -> str:
    """The extracted text of ``snapshot`` ("" when nothing readable was extracted)."""
    if not snapshot.text_path:
        return ""
    with storages["archives"].open(snapshot.text_path, "rb") as text:
        return text.read().decode("utf-8")


def open_snapshot_warc(snapshot: Snapshot):
    """An open binary file of ``snapshot``'s WARC; the caller closes it."""
    return storages["archives"].open(snapshot.warc_path, "rb")
