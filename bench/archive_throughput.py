"""Archiving throughput of a real Celery worker against a plain download of the same pages.

Serves 500 pages from a local threaded HTTP server (each ~40 KB of article HTML, plus
four 25 MB text bodies that the 20 MB byte cap cuts), then, in one run:

1. downloads them with plain httpx at concurrency 2 (one client per thread, bodies read
   up to the same 20 MB cap and thrown away);
2. archives them with `celery -A factcheck worker --concurrency=2` (fetch, WARC, text
   extraction, hashes, storage, Snapshot rows) on the real Redis and a throw-away
   PostgreSQL database, timing from the first task sent to the last Snapshot committed.

Each round runs twice: with the server answering at once (CPU-bound: what the archive
work itself costs) and with BENCH_LATENCY_MS (default 150) before each answer, standing
for a real site's response time. It prints pages/s for both, their ratio, and the peak
RSS (VmHWM) of each worker pool process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_worker \
    REDIS_URL=redis://127.0.0.1:6379/4 /work/main/.venv/bin/python bench/archive_throughput.py
"""
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.test_settings")

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.db import connection  # noqa: E402

from evidence.models import Snapshot, Source  # noqa: E402
from factcheck.celery import app  # noqa: E402
from tests.httpserver import LocalHTTPServer, Reply  # noqa: E402

PAGES = int(os.environ.get("BENCH_PAGES", "500"))
BIG_PAGES = 4
BIG_BYTES = 25 * 1024 * 1024
MAX_BYTES = 20 * 1024 * 1024
CONCURRENCY = 2
LATENCY = float(os.environ.get("BENCH_LATENCY_MS", "150")) / 1000
COMMAND = ("DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck_worker "
           "REDIS_URL=redis://127.0.0.1:6379/4 /work/main/.venv/bin/python "
           "bench/archive_throughput.py")


def article(n, round_name):
    paragraphs = "".join(
        f"<p>Paragraph {i} of report {n} ({round_name}): the military governments of Burkina "
        f"Faso, Mali and Niger wrote to the UN Security Council; Ukraine denied the charge "
        f"and called the decision short-sighted. Figures {n * i} and {n + i}.</p>"
        for i in range(120)
    )
    return (f"<!doctype html><html lang='en'><head><title>Report {n}</title></head><body>"
            f"<nav>Home | News</nav><article><h1>Report {n}</h1>{paragraphs}</article>"
            "<footer>Footer</footer></body></html>")


def delayed(latency, make_reply):
    def route(request):
        time.sleep(latency)
        return make_reply()
    return route


def serve(server, round_name, latency):
    paths = []
    for n in range(PAGES):
        path = f"/{round_name}/{n}"
        if n % (PAGES // BIG_PAGES) == 0:
            server.route(path, delayed(
                latency, lambda: Reply.endless(chunk_size=256 * 1024, limit=BIG_BYTES)
            ))
        else:
            reply = Reply(200, [("Content-Type", "text/html; charset=utf-8")],
                          article(n, round_name).encode())
            server.route(path, delayed(latency, lambda reply=reply: reply))
        paths.append(path)
    return paths


def plain_download(server, paths):
    def worker(chunk):
        with httpx.Client(timeout=30) as client:
            for path in chunk:
                with client.stream("GET", server.url(path)) as response:
                    received = 0
                    for data in response.iter_raw():
                        received += len(data)
                        if received >= MAX_BYTES:
                            break
    chunks = [paths[i::CONCURRENCY] for i in range(CONCURRENCY)]
    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        list(pool.map(worker, chunks))
    return len(paths) / (time.perf_counter() - start)


def start_worker(server, archive_root, log):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "factcheck.test_settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": app.conf.broker_url,
        "ARCHIVE_ROOT": str(archive_root),
        "ARCHIVE_STORAGE": "filesystem",
        "FETCH_ALLOWLIST": server.host_port,
        "FETCH_MAX_BYTES": str(MAX_BYTES),
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--loglevel=INFO",
         f"--concurrency={CONCURRENCY}", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while "ready." not in Path(log.name).read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{Path(log.name).read_text()}")
        time.sleep(0.1)
    return process


def pool_children(pid):
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


def archive(server, paths):
    sources = Source.objects.bulk_create(
        Source(url=server.url(path), canonical_url=server.url(path)) for path in paths
    )
    start = time.perf_counter()
    for source in sources:
        app.send_task("evidence.tasks.archive_source", args=[source.pk])
    ids = [s.pk for s in sources]
    deadline = time.monotonic() + 900
    while Source.objects.filter(pk__in=ids, status=Source.Status.ARCHIVED).count() < len(ids):
        failed = Source.objects.filter(pk__in=ids, status=Source.Status.FAILED).first()
        if failed or time.monotonic() > deadline:
            raise SystemExit(f"archiving stalled: {failed and failed.last_error}")
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    snapshots = Snapshot.objects.filter(source__in=ids)
    # Proof the work was done: every page has a snapshot with text, the big ones cut.
    assert snapshots.filter(text_size__gt=0).count() == len(ids)
    truncated = snapshots.filter(truncated=True).count()
    return len(paths) / elapsed, truncated


def main():
    import logging

    from django.test.utils import setup_test_environment

    # One log line per request would drown the figures.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"{old_name}_bench_archive"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results = []
    try:
        with (LocalHTTPServer() as server, tempfile.TemporaryDirectory() as archive_root,
              tempfile.NamedTemporaryFile("wb", suffix=".log") as log):
            with app.connection_for_write() as conn:
                conn.default_channel.queue_purge("factcheck")
            worker = start_worker(server, archive_root, log)
            try:
                for round_name, latency in (("instant", 0.0), ("latency", LATENCY)):
                    paths = serve(server, round_name, latency)
                    plain = plain_download(server, paths)
                    archived, truncated = archive(server, paths)
                    results.append((round_name, latency, plain, archived, truncated))
                rss = {pid: peak_rss_mb(pid) for pid in pool_children(worker.pid)}
                main_rss = peak_rss_mb(worker.pid)
            finally:
                os.killpg(worker.pid, 15)
                worker.wait(timeout=30)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"{PAGES} pages per round ({BIG_PAGES} of them 25 MB, cut at the 20 MB cap), "
          f"concurrency {CONCURRENCY}, FETCH_MAX_BYTES={MAX_BYTES}")
    for _, latency, plain, archived, truncated in results:
        print(f"  server latency {latency * 1000:4.0f} ms: plain httpx {plain:7.1f} pages/s, "
              f"archived {archived:6.1f} pages/s, ratio {archived / plain:6.1%} "
              f"({truncated} truncated snapshots)")
    print("  peak RSS of the worker pool processes: "
          + ", ".join(f"{mb:.0f} MB" for mb in rss.values())
          + f" (main process {main_rss:.0f} MB)")
    print(f"Command: {COMMAND}")


if __name__ == "__main__":
    main()
