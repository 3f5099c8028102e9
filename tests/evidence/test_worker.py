"""A real Celery worker, on the real Redis, archiving pages from a real local server.

The worker is a subprocess (`celery -A factcheck worker`) reading the test database, so
every test here commits its data (transaction=True) and polls the database for the
outcome with a bounded wait.
"""
import itertools
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from claims.models import Claim
from evidence.models import Evidence, Snapshot, Source, SourceChange
from evidence.services import attach_evidence, source_for_url
from factcheck.celery import app
from tests.httpserver import LocalHTTPServer, Reply
from tests.sent_tasks import sent_tasks

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WARCIO = Path(sys.executable).with_name("warcio")
QUEUE = "factcheck"
MAX_BYTES = 256 * 1024
VISIBILITY_TIMEOUT = 4
LEASE_SECONDS = 60
# Runs the command in its arguments with SIGXFSZ ignored (the disposition survives exec
# and fork): a write past a file size limit (Worker.file_size_limit) then fails with
# EFBIG, as a write to a full disk fails, instead of killing the process.
IGNORING_SIGXFSZ = (
    "import os, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


class Worker:
    """One `celery worker` process group, started and killed by this test module."""

    def __init__(self, env, log_dir):
        self.env = env
        self.log_dir = log_dir
        self.process = None
        self.log = None
        self.generation = 0

    def start(self):
        self.generation += 1
        self.log = self.log_dir / f"worker-{self.generation}.log"
        command = [sys.executable, "-c", IGNORING_SIGXFSZ,
                   sys.executable, "-m", "celery", "-A", "factcheck", "worker",
                   "--loglevel=INFO", "--pool=prefork", "--concurrency=1",
                   "--without-gossip", "--without-mingle", "--without-heartbeat",
                   "-n", f"test-worker-{os.getpid()}-{self.generation}@%h"]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: "ready." in self.output() or self.process.poll() is not None,
                 timeout=30, what="the worker to start")
        assert self.process.poll() is None, self.output()

    @contextmanager
    def file_size_limit(self, size):
        """While the block runs, no file the pool's processes write (temporary files,
        the archive's, the log) grows past ``size`` bytes: RLIMIT_FSIZE, set on the
        running processes (prlimit(2)), then lifted."""
        main = self.process.pid
        pool = [int(pid) for task in Path(f"/proc/{main}/task").iterdir()
                for pid in (task / "children").read_text().split()]
        assert pool, "the worker has no pool process"
        saved = {pid: resource.prlimit(pid, resource.RLIMIT_FSIZE) for pid in pool}
        for pid, (_, hard) in saved.items():
            resource.prlimit(pid, resource.RLIMIT_FSIZE, (size, hard))
        try:
            yield
        finally:
            for pid, limits in saved.items():
                resource.prlimit(pid, resource.RLIMIT_FSIZE, limits)

    def output(self):
        return self.log.read_text(errors="replace") if self.log else ""

    def kill(self):
        """SIGKILL the whole worker (main process and pool children) at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition, *, timeout=15.0, what="the condition", worker=None):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            log = f"\n--- worker log ---\n{worker.output()[-4000:]}" if worker else ""
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}{log}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def site():
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture(scope="module")
def archive_root(tmp_path_factory):
    return tmp_path_factory.mktemp("archives")


@pytest.fixture(scope="module")
def worker(site, archive_root, django_db_setup, django_db_blocker, tmp_path_factory):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factcheck.test_settings",
        # The test database pytest-django created, not the one DATABASE_URL names.
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": app.conf.broker_url,
        "CONN_MAX_AGE": "0",
        "ARCHIVE_ROOT": str(archive_root),
        "ARCHIVE_STORAGE": "filesystem",
        "FETCH_ALLOWLIST": site.host_port,
        "FETCH_TIMEOUT": "1",
        "FETCH_CONNECT_TIMEOUT": "1",
        "FETCH_MAX_BYTES": str(MAX_BYTES),
        "ARCHIVE_MAX_RETRIES": "2",
        "ARCHIVE_RETRY_BASE_SECONDS": "0.2",
        "ARCHIVE_RETRY_MAX_SECONDS": "2",
        "ARCHIVE_LEASE_SECONDS": str(LEASE_SECONDS),
        "RECHECK_HOST_SPACING_SECONDS": "0.2",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    process = Worker(env, tmp_path_factory.mktemp("worker-logs"))
    process.start()
    yield process
    process.stop()


@pytest.fixture(autouse=True)
def empty_queue(worker):
    """Each test starts with no task waiting, however the previous one ended."""
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(QUEUE)
    yield


@pytest.fixture
def claim():
    return Claim.objects.create(text="Ukraine supports terrorism in Africa", slug="terror")


def page(paragraph, title="Sahel letter"):
    return Reply.html(
        f"<!doctype html><html lang='en'><head><title>{title}</title></head><body>"
        f"<article><h1>{title}</h1><p>{paragraph}</p><p>The military governments of Burkina "
        "Faso, Mali and Niger wrote to the UN Security Council about Ukraine.</p>"
        "</article></body></html>"
    )


def settled(source, worker, *, timeout=15.0):
    """Wait until ``source`` leaves pending/fetching; return it fresh from the database."""
    def done():
        fresh = Source.objects.select_related("latest_snapshot").get(pk=source.pk)
        return fresh if fresh.status not in (Source.Status.PENDING, Source.Status.FETCHING) \
            else None
    return wait_for(done, timeout=timeout, what=f"source {source.url} to settle", worker=worker)


def assert_valid_warc(archive_root, snapshot):
    checked = subprocess.run(
        [str(WARCIO), "check", "-v", str(archive_root / snapshot.warc_path)],
        capture_output=True, text=True, check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def requests_to(site, path):
    return [r for r in site.requests if r.path == path]


def test_an_article_is_archived_with_its_text(site, worker, archive_root, claim):
    site.route("/article", page("Mali says Ukraine admitted helping the rebels."))
    attach_evidence(claim=claim, url=site.url("/article"), stance=Evidence.Stance.REFUTES)

    source = settled(Source.objects.get(), worker)

    snapshot = source.latest_snapshot
    assert source.status == Source.Status.ARCHIVED, source.last_error
    assert snapshot.title == "Sahel letter" and snapshot.http_status == 200
    text = (archive_root / snapshot.text_path).read_text()
    assert "admitted helping the rebels" in text
    assert Evidence.objects.get().snapshot == snapshot
    claim.refresh_from_db()
    assert claim.evidence_status == Claim.EvidenceStatus.REFUTED
    assert_valid_warc(archive_root, snapshot)


def test_a_redirect_chain_is_followed_to_the_final_page(site, worker, archive_root):
    site.route("/old", Reply.redirect("/moved", status=301))
    site.route("/moved", Reply.redirect(site.url("/final")))
    site.route("/final", page("Where the story lives now."))

    source = settled(source_for_url(site.url("/old")), worker)

    assert source.status == Source.Status.ARCHIVED, source.last_error
    assert source.latest_snapshot.final_url == site.url("/final")
    assert_valid_warc(archive_root, source.latest_snapshot)


def test_a_redirect_to_a_refused_address_fails_with_the_reason(site, worker):
    site.route("/sneaky", Reply.redirect("http://169.254.169.254/latest/meta-data/"))

    source = settled(source_for_url(site.url("/sneaky")), worker)

    assert source.status == Source.Status.FAILED
    assert "169.254.169.254" in source.last_error and "link-local" in source.last_error
    assert source.attempts == 1 and not Snapshot.objects.exists()


def test_a_page_slower_than_the_timeout_is_retried_then_failed(site, worker):
    site.route("/slow", lambda request: Reply.trickle(interval=0.05, count=200))

    source = settled(source_for_url(site.url("/slow")), worker, timeout=20)

    assert source.status == Source.Status.FAILED
    assert "within 1 seconds" in source.last_error
    assert source.attempts == 3  # the first try and ARCHIVE_MAX_RETRIES=2 retries
    assert len(requests_to(site, "/slow")) == 3


def test_an_endless_body_is_cut_at_the_byte_cap(site, worker, archive_root):
    site.route("/endless", lambda request: Reply.endless())

    source = settled(source_for_url(site.url("/endless")), worker)

    snapshot = source.latest_snapshot
    assert source.status == Source.Status.ARCHIVED, source.last_error
    assert snapshot.truncated and snapshot.payload_size == MAX_BYTES
    assert_valid_warc(archive_root, snapshot)


def test_a_503_is_retried_after_retry_after(site, worker):
    seen = []

    def flaky(request):
        seen.append(time.monotonic())
        if len(seen) == 1:
            return Reply(503, [("Retry-After", "1")], b"busy")
        return page("Back up.")

    site.route("/flaky", flaky)

    source = settled(source_for_url(site.url("/flaky")), worker)

    assert source.status == Source.Status.ARCHIVED, source.last_error
    assert source.attempts == 2 and len(seen) == 2
    assert seen[1] - seen[0] >= 1.0  # the server's Retry-After beat the 0.2 s backoff


def test_a_404_fails_at_once(site, worker):
    site.route("/missing", Reply.text("not here", status=404))

    source = settled(source_for_url(site.url("/missing")), worker)

    assert source.status == Source.Status.FAILED and "404" in source.last_error
    assert source.attempts == 1 and len(requests_to(site, "/missing")) == 1


def test_a_page_changed_between_checks_flags_the_claim(site, worker, archive_root, claim):
    site.route("/edited", [page("Ukraine denies everything."), page("Ukraine admits it.")])
    attach_evidence(claim=claim, url=site.url("/edited"), stance=Evidence.Stance.SUPPORTS)
    source = settled(Source.objects.get(), worker)
    first = source.latest_snapshot
    # A day and more later, beat's re-check finds the page due.
    Source.objects.filter(pk=source.pk).update(last_checked_at=timezone.now() - timedelta(days=2))

    app.send_task("evidence.tasks.recheck_sources")

    change = wait_for(lambda: SourceChange.objects.filter(source=source).first(),
                      what="the change to be recorded", worker=worker)
    source.refresh_from_db()
    assert change.previous == first and change.current == source.latest_snapshot
    assert source.changed_at is not None and Snapshot.objects.count() == 2
    assert "admits it" in (archive_root / source.latest_snapshot.text_path).read_text()
    claim.refresh_from_db()
    assert claim.evidence_status == Claim.EvidenceStatus.SOURCE_CHANGED
    assert_valid_warc(archive_root, source.latest_snapshot)


def test_a_worker_killed_mid_fetch_leaves_the_job_to_a_new_worker(site, worker, archive_root):
    arrived, release = threading.Event(), threading.Event()

    def held_once(request):
        if not arrived.is_set():
            arrived.set()
            release.wait(timeout=30)  # hold the response until the worker is dead
        return page("Worth the wait.")

    site.route("/held", held_once)
    source = source_for_url(site.url("/held"))
    assert arrived.wait(timeout=15), worker.output()
    killed_at = time.monotonic()
    worker.kill()
    release.set()
    assert Source.objects.get(pk=source.pk).status == Source.Status.FETCHING

    worker.start()
    source = settled(source, worker, timeout=VISIBILITY_TIMEOUT + 20)

    assert source.status == Source.Status.ARCHIVED, source.last_error
    assert time.monotonic() - killed_at >= VISIBILITY_TIMEOUT  # redelivered, not re-sent
    assert Snapshot.objects.filter(source=source).count() == 1
    assert source.attempts == 2 and len(requests_to(site, "/held")) == 2
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        wait_for(lambda: client.hlen("unacked") == 0, what="the job to be acknowledged",
                 worker=worker)
    assert_valid_warc(archive_root, source.latest_snapshot)


@contextmanager
def broker_unreachable():
    """Point this process's Celery app at a port where no Redis listens."""
    saved = app.conf.broker_url
    # Pools are cached per broker URL (kombu.pools): dropping the app's references is
    # enough for the next send to build a connection to the new URL.
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        yield
    finally:
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = saved


def test_a_source_saved_while_redis_is_down_is_queued_by_the_sweep(site, worker, claim):
    site.route("/offline", page("Saved while the broker was away."))
    with broker_unreachable():
        attach_evidence(claim=claim, url=site.url("/offline"), stance=Evidence.Stance.CONTEXT)
    source = Source.objects.get()
    assert source.status == Source.Status.PENDING
    with app.connection_for_write() as conn:
        assert conn.default_channel.client.llen(QUEUE) == 0
    claim.refresh_from_db()
    assert claim.evidence_status == Claim.EvidenceStatus.PENDING_ARCHIVE
    # Past the lease, beat's sweep finds it.
    Source.objects.filter(pk=source.pk).update(created_at=timezone.now() - timedelta(hours=1))

    app.send_task("evidence.tasks.queue_pending_sources")

    source = settled(source, worker)
    assert source.status == Source.Status.ARCHIVED, source.last_error
    claim.refresh_from_db()
    assert claim.evidence_status == Claim.EvidenceStatus.INCONCLUSIVE


def archive_files(archive_root):
    return {str(p.relative_to(archive_root)) for p in archive_root.rglob("*") if p.is_file()}


def drained():
    """True once the worker has taken and acknowledged every message."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        return client.llen(QUEUE) == 0 and client.hlen("unacked") == 0


def test_archive_sources_makes_one_capture_of_a_new_url(site, worker, archive_root, settings):
    # --sync fetches in this process: let it reach the site and write where the worker does.
    settings.FETCH_ALLOWLIST = [site.host_port]
    settings.STORAGES = {**settings.STORAGES, "archives": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(archive_root)},
    }}
    # Pages that change on each load: every fetch would be a capture of its own.
    for path in ("/live", "/live-sync"):
        loads = itertools.count(1)
        site.route(path, lambda request, loads=loads: page(f"Update number {next(loads)}."))

    with sent_tasks(purge=False) as sent:
        call_command("archive_sources", site.url("/live"))
    source = settled(Source.objects.get(url=site.url("/live")), worker)
    wait_for(drained, what="the queue to drain", worker=worker)

    assert [task.name for task in sent] == ["evidence.tasks.archive_source"]
    assert source.status == Source.Status.ARCHIVED, source.last_error
    assert Snapshot.objects.filter(source=source).count() == 1
    assert len(requests_to(site, "/live")) == 1

    with sent_tasks(purge=False) as sent:
        call_command("archive_sources", "--sync", site.url("/live-sync"))

    assert sent == [] and drained()
    synced = Source.objects.get(url=site.url("/live-sync"))
    assert synced.status == Source.Status.ARCHIVED, synced.last_error
    assert Snapshot.objects.filter(source=synced).count() == 1
    assert len(requests_to(site, "/live-sync")) == 1


def test_a_disk_refusing_the_write_leaves_no_file_and_fails_after_the_retries(
    site, worker, archive_root
):
    limit = 64 * 1024
    # 165 kB of text, whose WARC compresses to 2 kB: the WARC is stored, the text is not.
    words = " ".join(["Mali, Niger and Burkina Faso wrote to the Security Council."] * 3000)
    site.route("/long", page(words))
    before = archive_files(archive_root)
    with worker.file_size_limit(limit):
        source = settled(source_for_url(site.url("/long")), worker)

    assert source.status == Source.Status.FAILED
    assert source.last_error == "could not write the archive: File too large"
    assert source.attempts == 3  # the first try and ARCHIVE_MAX_RETRIES=2 retries
    assert len(requests_to(site, "/long")) == 3
    assert archive_files(archive_root) == before  # not even the WARC written first
    assert not Snapshot.objects.exists()


# The worker's database connection is terminated (as by a restarted server or a dropped
# link) while it records its first Snapshot: the next insert passes.
DROP_FIRST_SNAPSHOT = [
    "CREATE SEQUENCE test_snapshot_inserts",
    """CREATE FUNCTION test_drop_first_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF nextval('test_snapshot_inserts') = 1 THEN
            PERFORM pg_terminate_backend(pg_backend_pid());
        END IF;
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER test_drop_first_snapshot BEFORE INSERT ON evidence_snapshot "
    "FOR EACH ROW EXECUTE FUNCTION test_drop_first_snapshot()",
]
UNDO_DROP_FIRST_SNAPSHOT = [
    "DROP TRIGGER IF EXISTS test_drop_first_snapshot ON evidence_snapshot",
    "DROP FUNCTION IF EXISTS test_drop_first_snapshot()",
    "DROP SEQUENCE IF EXISTS test_snapshot_inserts",
]


def test_a_database_error_is_retried_on_a_new_connection(site, worker, archive_root):
    site.route("/dropped", page("Recorded on the second try."))
    before = archive_files(archive_root)
    with connection.cursor() as cursor:
        for statement in DROP_FIRST_SNAPSHOT:
            cursor.execute(statement)
    try:
        started = time.monotonic()
        source = settled(source_for_url(site.url("/dropped")), worker)
        took = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM test_snapshot_inserts")
            inserts = cursor.fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            for statement in UNDO_DROP_FIRST_SNAPSHOT:
                cursor.execute(statement)

    assert source.status == Source.Status.ARCHIVED, source.last_error
    assert took < LEASE_SECONDS / 4  # retried, not left to the sweep past the lease
    assert inserts == 2 and source.attempts == 2 and len(requests_to(site, "/dropped")) == 2
    assert "terminating connection due to administrator command" in worker.output()
    assert "retry: Retry in" in worker.output()
    snapshot = Snapshot.objects.get()
    # The first try's WARC went with its transaction; its text is the capture's.
    assert archive_files(archive_root) - before == {snapshot.warc_path, snapshot.text_path}
