"""The archiving services in-process: snapshots, hashes, storage, failures, claims' status."""
import errno
import itertools
import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import DatabaseError, connection
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from claims.models import Claim, PublicationSource
from evidence import archiving
from evidence.archiving import Outcome, RetryLater
from evidence.models import Evidence, Snapshot, Source, SourceChange
from evidence.services import attach_evidence
from tests.data.desk import draft, make_claim, publish
from tests.evidence.pages import article
from tests.httpserver import Reply
from tests.sent_tasks import sent_tasks

WARCIO = Path(sys.executable).with_name("warcio")
ClaimStatus = Claim.EvidenceStatus


@pytest.fixture
def archive_settings(settings, tmp_path, http_server):
    settings.FETCH_ALLOWLIST = [http_server.host_port]
    settings.FETCH_TIMEOUT = 2.0
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "archives")},
        },
    }
    settings.ARCHIVE_RETRY_BASE_SECONDS = 1.0
    settings.ARCHIVE_RETRY_MAX_SECONDS = 60.0
    return settings


@pytest.fixture
def claim(db):
    return Claim.objects.create(text="Ukraine supports terrorism in Africa", slug="terror")


def run(source, **kwargs):
    return archiving.archive_source(source.pk, fetch_id=uuid.uuid4(), **kwargs)


def cite(claim, url, stance=Evidence.Stance.REFUTES):
    return attach_evidence(claim=claim, url=url, stance=stance).source


def test_archiving_writes_a_checked_warc_text_and_pins_the_evidence(
    archive_settings, http_server, claim, django_capture_on_commit_callbacks
):
    http_server.route("/letter", article("Mali accuses Ukraine of backing the rebels."))
    with django_capture_on_commit_callbacks(execute=False):
        source = cite(claim, http_server.url("/letter"))
    claim.refresh_from_db()
    assert claim.evidence_status == ClaimStatus.PENDING_ARCHIVE

    assert run(source) == Outcome.ARCHIVED

    source.refresh_from_db()
    snapshot = source.latest_snapshot
    assert source.status == Source.Status.ARCHIVED
    assert source.attempts == 1 and source.archived_at and source.last_checked_at
    assert source.title == "Sahel letter"
    assert snapshot.http_status == 200 and snapshot.content_type == "text/html"
    assert snapshot.final_url == http_server.url("/letter")
    assert len(snapshot.payload_sha256) == 64 and len(snapshot.text_sha256) == 64
    storage = storages["archives"]
    assert snapshot.warc_path.startswith("warc/") and snapshot.text_path.startswith("text/")
    assert f"text/{snapshot.text_sha256[:2]}/{snapshot.text_sha256}.txt" == snapshot.text_path
    assert "backing the rebels" in archiving.read_snapshot_text(snapshot)
    checked = subprocess.run(
        [str(WARCIO), "check", storage.path(snapshot.warc_path)], capture_output=True,
        text=True, check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with storage.open(snapshot.warc_path) as warc:
        records = {r.rec_type: r.content_stream().read() for r in ArchiveIterator(warc)}
    assert set(records) == {"warcinfo", "response", "request", "metadata"}
    metadata = json.loads(records["metadata"])
    assert metadata["title"] == "Sahel letter" and metadata["language"] == "en"
    assert metadata["text_sha256"] == snapshot.text_sha256
    assert metadata["payload_sha256"] == snapshot.payload_sha256
    assert Evidence.objects.get(claim=claim).snapshot == snapshot
    claim.refresh_from_db()
    assert claim.evidence_status == ClaimStatus.REFUTED


def test_the_same_job_twice_makes_one_snapshot(archive_settings, http_server, db):
    http_server.route("/page", article("Once."))
    source = Source.objects.create(url=http_server.url("/page"))
    fetch_id = uuid.uuid4()
    assert archiving.archive_source(source.pk, fetch_id=fetch_id) == Outcome.ARCHIVED
    assert archiving.archive_source(source.pk, fetch_id=fetch_id, recheck=True) == Outcome.SKIPPED
    # A second archive job (not a re-check) for an archived source does nothing either.
    assert run(source) == Outcome.SKIPPED
    assert Snapshot.objects.count() == 1
    assert len(http_server.requests) == 1


def test_a_recheck_with_the_same_payload_only_touches_last_checked_at(
    archive_settings, http_server, db
):
    http_server.route("/page", article("Stable."))
    source = Source.objects.create(url=http_server.url("/page"))
    run(source)
    source.refresh_from_db()
    first_check = source.last_checked_at
    files = sorted(p for p in Path(storages["archives"].location).rglob("*") if p.is_file())

    assert run(source, recheck=True) == Outcome.UNCHANGED

    source.refresh_from_db()
    assert source.last_checked_at > first_check
    assert Snapshot.objects.count() == 1
    assert sorted(p for p in Path(storages["archives"].location).rglob("*") if p.is_file()) == files


def test_changed_text_records_a_change_and_flags_the_claim(archive_settings, http_server, claim):
    http_server.route("/page", [article("Before the edit."), article("After a silent edit.")])
    source = cite(claim, http_server.url("/page"))
    run(source)
    first = Source.objects.get(pk=source.pk).latest_snapshot

    assert run(source, recheck=True) == Outcome.CHANGED

    source.refresh_from_db()
    change = SourceChange.objects.get(source=source)
    assert (change.previous, change.current) == (first, source.latest_snapshot)
    assert source.changed_at is not None
    assert Evidence.objects.get(claim=claim).snapshot == first  # still pinned to what was read
    claim.refresh_from_db()
    assert claim.evidence_status == ClaimStatus.SOURCE_CHANGED


def test_a_refused_url_is_failed_with_its_reason(archive_settings, claim):
    source = cite(claim, "http://10.1.2.3/internal")
    assert run(source) == Outcome.FAILED
    source.refresh_from_db()
    assert source.status == Source.Status.FAILED
    assert "10.1.2.3" in source.last_error and "private address" in source.last_error
    assert source.attempts == 1


def test_a_404_fails_a_new_source_at_once_and_kills_an_archived_one(
    archive_settings, http_server, claim
):
    http_server.route("/gone", Reply.text("nope", status=404))
    new = Source.objects.create(url=http_server.url("/gone"))
    assert run(new, max_retries=5) == Outcome.FAILED
    assert "404" in Source.objects.get(pk=new.pk).last_error

    http_server.route("/page", [article("Here today."), Reply.text("gone", status=410)])
    source = cite(claim, http_server.url("/page"))
    run(source)
    assert run(source, recheck=True, max_retries=5) == Outcome.DEAD
    source.refresh_from_db()
    assert source.status == Source.Status.DEAD and "410" in source.last_error
    claim.refresh_from_db()
    assert claim.evidence_status == ClaimStatus.SOURCE_DEAD


def test_a_transient_failure_asks_for_a_retry_honouring_retry_after(
    archive_settings, http_server, db
):
    http_server.route("/busy", Reply(503, headers=[("Retry-After", "42")]))
    source = Source.objects.create(url=http_server.url("/busy"))
    with pytest.raises(RetryLater) as retry:
        run(source, retries_done=0, max_retries=2)
    assert retry.value.countdown == 42
    source.refresh_from_db()
    assert source.status == Source.Status.FETCHING and "503" in source.last_error

    # Retries spent: the source fails with the reason.
    assert run(source, retries_done=2, max_retries=2) == Outcome.FAILED
    source.refresh_from_db()
    assert source.status == Source.Status.FAILED and "503" in source.last_error
    assert source.attempts == 2


def test_backoff_grows_with_jitter_and_stays_capped(settings):
    settings.ARCHIVE_RETRY_BASE_SECONDS = 10.0
    settings.ARCHIVE_RETRY_MAX_SECONDS = 100.0
    waits = [archiving.retry_countdown(n) for n in range(5) for _ in range(20)]
    first, third = waits[:20], waits[40:60]
    assert all(5 <= w <= 10 for w in first) and len(set(first)) > 1
    assert all(20 <= w <= 40 for w in third)
    assert max(waits) == 100.0
    assert archiving.retry_countdown(0, retry_after=1000) == 100.0


def test_a_partial_file_left_by_a_killed_worker_is_replaced(archive_settings, http_server, db):
    http_server.route("/page", article("Complete text."))
    source = Source.objects.create(url=http_server.url("/page"))
    run(source)
    snapshot = Snapshot.objects.get()
    storage = storages["archives"]
    text_file = Path(storage.path(snapshot.text_path))
    full = text_file.read_bytes()
    text_file.write_bytes(full[:5])
    Snapshot.objects.all().delete()
    Source.objects.filter(pk=source.pk).update(status=Source.Status.PENDING)

    run(source)

    assert Snapshot.objects.get().text_path == snapshot.text_path
    assert text_file.read_bytes() == full


class FillingDisk(FileSystemStorage):
    """The archive storage on a disk that fills up part-way through a file.

    A file whose name starts with ``full_on`` gets its first ``room`` bytes written to
    disk, as a real write does before ENOSPC, then the write fails; the names of such
    partial files are kept in ``partial``. Configured through STORAGES, as the archive
    storage is."""

    def __init__(self, *, full_on, room=64, **options):
        super().__init__(**options)
        self.full_on, self.room, self.partial = full_on, room, []

    def _save(self, name, content):
        if name.startswith(self.full_on):
            self.partial.append(name)
            content = _FillsUp(content.file, self.room)
        return super()._save(name, content)


class _FillsUp(File):
    def __init__(self, file, room):
        super().__init__(file)
        self.room = room

    def chunks(self, chunk_size=None):
        self.seek(0)
        yield self.read(self.room)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def archive_files(storage):
    """Every file under the archive storage's directory, by its path there."""
    root = Path(storage.location)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("full_on", ["warc/", "text/"])
def test_a_write_the_disk_refuses_leaves_no_file_and_is_retried_then_failed(
    archive_settings, http_server, db, tmp_path, full_on
):
    archive_settings.STORAGES = {**archive_settings.STORAGES, "archives": {
        "BACKEND": f"{__name__}.FillingDisk",
        "OPTIONS": {"location": str(tmp_path / "archives"), "full_on": full_on},
    }}
    storage = storages["archives"]
    http_server.route("/page", article("Written to a full disk."))
    source = Source.objects.create(url=http_server.url("/page"))
    reason = "could not write the archive: No space left on device"

    with pytest.raises(RetryLater) as retry:
        run(source, retries_done=0, max_retries=2)

    assert retry.value.reason == reason and 0.5 <= retry.value.countdown <= 1.0
    source.refresh_from_db()
    assert (source.status, source.last_error, source.attempts) == (
        Source.Status.FETCHING, reason, 1
    )
    # The partial file was written, then removed with the WARC written before the text.
    assert storage.partial and archive_files(storage) == []

    assert run(source, retries_done=2, max_retries=2) == Outcome.FAILED
    source.refresh_from_db()
    assert (source.status, source.last_error, source.attempts) == (
        Source.Status.FAILED, reason, 2
    )
    assert archive_files(storage) == [] and not Snapshot.objects.exists()


def test_a_capture_whose_recording_fails_takes_its_warc_with_it(
    archive_settings, http_server, db
):
    """A WARC no Snapshot names would be an orphan for good: the retry writes its own
    (its record ids differ). The text is named by its content and may be another
    capture's, so it stays; the retry finds it."""
    http_server.route("/page", article("Recorded on the second try."))
    source = Source.objects.create(url=http_server.url("/page"))
    # Dropped with the test's transaction, like every row it makes.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_snapshot() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the database refuses the snapshot'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_snapshot BEFORE INSERT ON evidence_snapshot "
            "FOR EACH ROW EXECUTE FUNCTION refuse_snapshot()"
        )

    with pytest.raises(DatabaseError, match="refuses the snapshot"):
        run(source)

    files = archive_files(storages["archives"])
    assert files and not [name for name in files if name.startswith("warc/")]


@pytest.mark.django_db(transaction=True)
def test_a_first_archive_finding_the_source_archived_meanwhile_records_nothing(
    archive_settings, http_server
):
    """Two jobs for one source (queued twice, or the sweep re-queueing it) fetch it at
    once: the one finishing second records nothing, even from a page that changes on
    each load, and leaves no file."""
    from django.db import connection as thread_connection

    source = Source.objects.create(url=http_server.url("/live"))
    loads, second = itertools.count(1), []

    def live(request):
        load = next(loads)
        if load == 1:
            # The first job waits for this answer while a second job archives the source
            # (in this server thread, on its own database connection).
            try:
                second.append(run(source))
            finally:
                thread_connection.close()
        return article(f"Live coverage, update number {load}.")

    http_server.route("/live", live)

    assert run(source) == Outcome.SKIPPED

    assert second == [Outcome.ARCHIVED]
    snapshot = Snapshot.objects.get()
    assert "update number 2" in archiving.read_snapshot_text(snapshot)
    assert Source.objects.get(pk=source.pk).latest_snapshot == snapshot
    assert archive_files(storages["archives"]) == sorted([snapshot.warc_path,
                                                          snapshot.text_path])


def test_a_capture_of_a_source_a_publication_awaited_queues_its_evidence_pack(
    archive_settings, http_server, fact_checker, editor, django_capture_on_commit_callbacks
):
    http_server.route("/letter", article("Published before the archive ran."))
    http_server.route("/other", article("No publication cites this page."))
    claim = make_claim("early-claim", fact_checker=fact_checker)
    awaited = attach_evidence(claim=claim, stance=Evidence.Stance.SUPPORTS,
                              url=http_server.url("/letter"), by=fact_checker).source
    draft(claim, fact_checker=fact_checker)
    publish(claim, fact_checker=fact_checker, editor=editor)
    citation = PublicationSource.objects.get(source=awaited)
    assert citation.snapshot is None  # cited before its first capture
    uncited = Source.objects.create(url=http_server.url("/other"))

    with sent_tasks() as sent, django_capture_on_commit_callbacks(execute=True):
        assert run(uncited) == Outcome.ARCHIVED
        assert run(awaited) == Outcome.ARCHIVED
        assert run(awaited, recheck=True) == Outcome.UNCHANGED  # no new capture

    assert [(task.name, task.args) for task in sent] == [
        ("evidence.tasks.build_evidence_pack", (citation.publication_id,))
    ]


def test_the_sweep_queues_only_sources_left_pending_past_the_lease(
    settings, db, django_capture_on_commit_callbacks
):
    settings.ARCHIVE_LEASE_SECONDS = 600
    old = timezone.now() - timedelta(hours=1)
    lost = Source.objects.create(url="https://example.org/lost")
    stuck = Source.objects.create(url="https://example.org/stuck", status=Source.Status.FETCHING,
                                  last_attempt_at=old)
    Source.objects.create(url="https://example.org/fresh")
    Source.objects.create(url="https://example.org/busy", status=Source.Status.FETCHING,
                          last_attempt_at=timezone.now())
    Source.objects.create(url="https://example.org/done", status=Source.Status.ARCHIVED)
    Source.objects.filter(pk=lost.pk).update(created_at=old)
    # Counted as this process sends them, not read back from the queue: a worker or
    # another test process on the same Redis database could take or add messages.
    with sent_tasks() as sent, django_capture_on_commit_callbacks(execute=True):
        assert archiving.queue_pending_sources() == 2
    assert sorted(task.args for task in sent) == sorted([(lost.pk,), (stuck.pk,)])


def test_rechecks_are_oldest_first_and_spaced_per_host(settings, db):
    settings.RECHECK_AFTER_HOURS = 24
    settings.RECHECK_HOST_SPACING_SECONDS = 10
    settings.RECHECK_MAX_PER_HOST = 2
    now = timezone.now()
    due = []
    for i, url in enumerate(["https://a.example/1", "https://a.example/2", "https://a.example/3",
                             "https://b.example/1"]):
        due.append(Source.objects.create(
            url=url, status=Source.Status.ARCHIVED, last_checked_at=now - timedelta(days=5 - i)
        ))
    Source.objects.create(url="https://a.example/recent", status=Source.Status.ARCHIVED,
                          last_checked_at=now)
    with sent_tasks() as sent:
        assert archiving.recheck_sources() == 3
    by_source = {task.args[0]: task for task in sent}
    assert set(by_source) == {due[0].pk, due[1].pk, due[3].pk}  # a.example/3 waits
    assert all(task.kwargs == {"recheck": True} for task in sent)
    assert by_source[due[0].pk].eta is None
    assert by_source[due[3].pk].eta is None
    assert by_source[due[1].pk].eta is not None


def test_a_host_name_gone_after_retries_kills_an_archived_source(archive_settings, claim):
    # .invalid never resolves (RFC 6761): a site whose domain has lapsed, without mocks.
    source = cite(claim, "http://lapsed-outlet.invalid/story")
    snapshot = Snapshot.objects.create(
        source=source, fetch_id=uuid.uuid4(), fetched_at=timezone.now(), final_url=source.url,
        http_status=200, payload_sha256="a" * 64, text_sha256="b" * 64, warc_path="w.warc.gz",
    )
    Source.objects.filter(pk=source.pk).update(
        status=Source.Status.ARCHIVED, latest_snapshot=snapshot
    )
    Evidence.objects.filter(source=source).update(snapshot=snapshot)

    with pytest.raises(RetryLater):
        run(source, recheck=True, retries_done=0, max_retries=1)
    assert Source.objects.get(pk=source.pk).status == Source.Status.ARCHIVED

    assert run(source, recheck=True, retries_done=1, max_retries=1) == Outcome.DEAD
    source.refresh_from_db()
    assert source.status == Source.Status.DEAD and "did not resolve" in source.last_error
    claim.refresh_from_db()
    assert claim.evidence_status == ClaimStatus.SOURCE_DEAD


def test_a_host_name_that_never_resolved_fails_a_new_source(archive_settings, db):
    source = Source.objects.create(url="http://never-there.invalid/")
    assert run(source, retries_done=1, max_retries=1) == Outcome.FAILED
    assert Source.objects.get(pk=source.pk).status == Source.Status.FAILED


def test_citing_a_source_queues_it_unless_it_is_archived(db, django_capture_on_commit_callbacks):
    from evidence.services import source_for_url

    with django_capture_on_commit_callbacks() as new:
        source = source_for_url("https://example.org/cited")
    with django_capture_on_commit_callbacks() as again_pending:
        source_for_url("https://example.org/cited?utm_source=feed")
    Source.objects.filter(pk=source.pk).update(status=Source.Status.FAILED)
    with django_capture_on_commit_callbacks() as again_failed:
        source_for_url("https://example.org/cited")
    Source.objects.filter(pk=source.pk).update(status=Source.Status.ARCHIVED)
    with django_capture_on_commit_callbacks() as again_archived:
        source_for_url("https://example.org/cited")
    assert [len(new), len(again_pending), len(again_failed), len(again_archived)] == [1, 1, 1, 0]


def test_recording_a_capture_locks_the_citing_claims_before_the_source(
    archive_settings, http_server, claim, django_capture_on_commit_callbacks
):
    """The desk's lock order (claims/services.py) holds for the archiver too: every
    transaction that records a fetch locks the claims citing the source, then the source.
    Locking the source first, then updating the claims' evidence status, could deadlock
    with a checker editing that claim's evidence while the capture lands."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http_server.route("/letter", article("Mali accuses Ukraine of backing the rebels."))
    with django_capture_on_commit_callbacks(execute=False):
        source = cite(claim, http_server.url("/letter"))

    with CaptureQueriesContext(connection) as queries:
        assert run(source) == Outcome.ARCHIVED

    locks = [q["sql"] for q in queries if " FOR UPDATE" in q["sql"]
             or " FOR NO KEY UPDATE" in q["sql"]]
    tables = [next(t for t in ("claims_claim", "evidence_source") if f'FROM "{t}"' in sql)
              for sql in locks]
    # _start (fetching) and _store (archived): each locks the claim, then the source.
    assert tables == ["claims_claim", "evidence_source"] * 2, locks
    assert all("FOR NO KEY UPDATE" in sql for sql in locks)
    claim.refresh_from_db()
    assert claim.evidence_status == ClaimStatus.REFUTED


def test_the_archivers_saves_stay_out_of_the_sources_history(
    archive_settings, http_server, claim, django_capture_on_commit_callbacks
):
    """A source's history is what the desk says about the page; the archiver's running
    state (fetching, archived, checked again) is not, except the title it fills in."""
    http_server.route("/letter", article("Mali accuses Ukraine of backing the rebels."))
    with django_capture_on_commit_callbacks(execute=False):
        source = cite(claim, http_server.url("/letter"))

    assert run(source) == Outcome.ARCHIVED
    assert run(source, recheck=True) == Outcome.UNCHANGED

    records = Source.objects.get(pk=source.pk).history.order_by("history_id")
    assert [(r.history_type, r.title) for r in records] == [("+", ""), ("~", "Sahel letter")]
