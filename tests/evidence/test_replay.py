"""Our WARCs judged by the standard web-archive tools: pywb replays every capture as the
reader met it, and warcio and FastWARC read every record with its digests intact.

Captures are made through the real path (evidence.archiving.archive_source against a
local server, into a temporary archive storage). pywb and FastWARC live in their own
virtualenv (.venv-replay, built by `make install` from requirements-replay.txt) and run
in one subprocess, tests/evidence/pywb_replay.py, which reports what they did; warcio is
the project's own.
"""

import base64
import gzip
import json
import subprocess
import sys
import uuid
from datetime import UTC
from pathlib import Path

import pytest
from django.core.files.storage import storages
from warcio.archiveiterator import ArchiveIterator

from evidence import archiving
from evidence.archiving import Outcome
from evidence.services import source_for_url
from tests.httpserver import Reply

ROOT = Path(__file__).resolve().parents[2]
REPLAY_PYTHON = ROOT / ".venv-replay" / "bin" / "python"
REPLAY_SCRIPT = Path(__file__).with_name("pywb_replay.py")
WARCIO = Path(sys.executable).with_name("warcio")
MAX_BYTES = 100_000
# Any one replay request must answer within this; a raw replay that trusts a truncated
# body's original Content-Length never does.
REPLAY_TIMEOUT = 10.0

ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Sahel juntas accuse Ukraine of backing terrorism</title></head><body><article>
<h1>Sahel juntas accuse Ukraine of backing terrorism</h1>
<p>The military governments of Burkina Faso, Mali and Niger wrote to the UN Security
Council accusing Ukraine of supporting terrorism in Africa.</p></article></body></html>"""
DENIAL = ARTICLE.replace("Sahel juntas accuse", "Kyiv rejects claim it backs").replace(
    "wrote to the UN", "were answered by Ukraine's foreign ministry before the UN"
)
LONG_PAGE = (
    "<!doctype html><html><head><title>Transcript</title></head><body>"
    + "<p>The council heard the letter read in full.</p>" * 8_000
    + "</body></html>"
).encode()
CYRILLIC = (
    "<!doctype html><html lang='uk'><head><title>Заява МЗС України</title></head><body>"
    "<article><p>Міністерство закордонних справ України рішуче відкидає звинувачення "
    "військових урядів Малі, Буркіна-Фасо та Нігеру.</p></article></body></html>"
).encode("windows-1251")
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
CHUNKS = [b"<!doctype html><html><head><title>Live blog</title></head><body>",
          b"<p>09:12 The letter reaches the Security Council.</p>",
          b"<p>09:40 Ukraine answers.</p></body></html>"]


def served_captures(server):
    """Route the captures on ``server``; return {name: (cited URL, bytes as served)}."""
    gzipped = gzip.compress(ARTICLE.encode())
    server.route("/article", Reply.html(ARTICLE))
    server.route("/share", Reply.redirect("/go", status=301))
    server.route("/go", Reply(302, [("Location", server.url("/denial")),
                                    ("Content-Type", "text/html")], b"<a href='/denial'>moved</a>"))
    server.route("/denial", Reply.html(DENIAL))
    server.route("/transcript", Reply(200, [("Content-Type", "text/html")], LONG_PAGE))
    server.route("/gzipped", Reply(200, [("Content-Type", "text/html; charset=utf-8"),
                                         ("Content-Encoding", "gzip")], gzipped))
    # An iterable body goes out chunked; the route serves a fresh copy each time.
    server.route("/live", lambda request: Reply(200, [("Content-Type", "text/html")],
                                                iter(CHUNKS)))
    server.route("/statement", Reply(200, [("Content-Type", "text/html; charset=windows-1251")],
                                     CYRILLIC))
    server.route("/notes.txt", Reply.text("Communiqué: the letter was sent on 20 August."))
    server.route("/letter.pdf", Reply(200, [("Content-Type", "application/pdf")], PDF))
    return {
        "article": (server.url("/article"), ARTICLE.encode()),
        "redirected": (server.url("/share"), DENIAL.encode()),
        "truncated": (server.url("/transcript"), LONG_PAGE),
        "gzipped": (server.url("/gzipped"), gzipped),
        "chunked": (server.url("/live"), b"".join(CHUNKS)),
        "windows-1251": (server.url("/statement"), CYRILLIC),
        "plain text": (server.url("/notes.txt"),
                       "Communiqué: the letter was sent on 20 August.".encode()),
        "pdf": (server.url("/letter.pdf"), PDF),
    }


@pytest.fixture
def archive_settings(settings, tmp_path, http_server):
    settings.FETCH_ALLOWLIST = [http_server.host_port]
    settings.FETCH_TIMEOUT = 5.0
    settings.FETCH_MAX_BYTES = MAX_BYTES
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "archives")},
        },
    }
    return settings


def replay_tools(tmp_path, warcs, replays):
    """Run pywb_replay.py in .venv-replay; return what it reports."""
    if not REPLAY_PYTHON.exists():
        pytest.fail(
            f"{REPLAY_PYTHON} is missing: run `make install`, which builds .venv-replay "
            "from requirements-replay.txt", pytrace=False,
        )
    work_dir = tmp_path / "pywb"
    work_dir.mkdir()
    job, result = tmp_path / "job.json", tmp_path / "result.json"
    job.write_text(json.dumps({
        "work_dir": str(work_dir), "warcs": warcs, "replays": replays,
        "timeout": REPLAY_TIMEOUT,
    }))
    ran = subprocess.run(
        [str(REPLAY_PYTHON), str(REPLAY_SCRIPT), str(job), str(result)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return json.loads(result.read_text())


def warcio_records(path):
    """(type, target URI, record id) of every record warcio reads in ``path``."""
    with open(path, "rb") as warc:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
             r.rec_headers.get_header("WARC-Record-ID"))
            for r in ArchiveIterator(warc)
        ]


def header(answer, name):
    return next((v for k, v in answer["headers"] if k.lower() == name.lower()), None)


def test_pywb_replays_every_capture_and_warcio_and_fastwarc_read_every_record(
    archive_settings, http_server, db, tmp_path
):
    captures = served_captures(http_server)
    snapshots = {}
    for name, (url, _) in captures.items():
        source = source_for_url(url)
        outcome = archiving.archive_source(source.pk, fetch_id=uuid.uuid4())
        assert outcome == Outcome.ARCHIVED, name
        source.refresh_from_db()
        snapshots[name] = source.latest_snapshot
    assert snapshots["redirected"].redirects == [
        {"url": http_server.url("/share"), "status": 301},
        {"url": http_server.url("/go"), "status": 302},
    ]
    storage = storages["archives"]
    warcs = {name: storage.path(snapshot.warc_path) for name, snapshot in snapshots.items()}

    report = replay_tools(tmp_path, list(warcs.values()), [
        {"url": url, "timestamp": snapshots[name].fetched_at.astimezone(UTC).strftime(
            "%Y%m%d%H%M%S")}
        for name, (url, _) in captures.items()
    ])
    replays = dict(zip(captures, report["replays"], strict=True))

    # pywb answers each cited URL with the page as served, never the metadata record.
    for name, (_, served) in captures.items():
        *hops, page = replays[name]
        expected = served[:MAX_BYTES]
        assert not page["timed_out"] and page["seconds"] < REPLAY_TIMEOUT, name
        assert page["status"] == 200, (name, page["status"])
        assert base64.b64decode(page["body"]) == expected, name
        assert header(page, "Content-Length") in (None, str(len(expected))), name
        assert header(page, "Content-Type") != "application/json", name
        if name != "redirected":
            assert hops == [], name
    # The cited URL of the redirect chain replays as the 301, then the 302, then the page.
    chain = replays["redirected"]
    assert [(a["url"], a["status"]) for a in chain] == [
        (http_server.url("/share"), 301), (http_server.url("/go"), 302),
        (http_server.url("/denial"), 200),
    ]
    assert header(chain[0], "Location") == "/go"
    assert base64.b64decode(chain[1]["body"]) == b"<a href='/denial'>moved</a>"
    # The truncated capture says what it holds, and keeps what the server claimed.
    truncated = replays["truncated"][0]
    assert header(truncated, "Content-Length") == str(MAX_BYTES)
    assert header(truncated, "X-Archive-Orig-Content-Length") == str(len(LONG_PAGE))
    assert len(LONG_PAGE) > MAX_BYTES
    # gzip is replayed as stored, encoded, to a client that accepts it.
    assert header(replays["gzipped"][0], "Content-Encoding") == "gzip"

    # pywb's own indexer files every response under its URL and the metadata elsewhere.
    rows = [json.loads(line.split(" ", 2)[2]) for line in report["index"]]
    responses = sorted((row["url"], row["status"]) for row in rows
                       if not row["url"].startswith("urn:"))
    assert responses == sorted([
        *((url, "200") for name, (url, _) in captures.items() if name != "redirected"),
        (http_server.url("/share"), "301"), (http_server.url("/go"), "302"),
        (http_server.url("/denial"), "200"),
    ])
    metadata = [row for row in rows if row["url"].startswith("urn:x-factcheck:capture:")]
    assert len(metadata) == len(captures) == len(rows) - len(responses)
    assert {row["mime"] for row in metadata} == {"application/json"}

    # warcio and FastWARC read the same records, in the layout write_warc promises, and
    # every digest verifies.
    checked = subprocess.run([str(WARCIO), "check", "-v", *warcs.values()],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    total = 0
    for name, path in warcs.items():
        records = warcio_records(path)
        total += len(records)
        fastwarc = report["fastwarc"][path]
        assert [(r["type"], r["target_uri"], r["record_id"]) for r in fastwarc["records"]] \
            == records, name
        assert fastwarc["verified_record_ids"] == [record_id for *_, record_id in records]
        assert all(r["block_digest_ok"] for r in fastwarc["records"]), name
        assert all(r["payload_digest_ok"] for r in fastwarc["records"]
                   if r["type"] in ("response", "request")), name
        exchanges = ["response", "request"] * (3 if name == "redirected" else 1)
        assert [kind for kind, *_ in records] == ["warcinfo", *exchanges, "metadata"], name
    assert checked.stdout.count("digest pass") == total


def test_a_missing_replay_virtualenv_fails_the_test_and_says_to_run_make_install(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(sys.modules[__name__], "REPLAY_PYTHON", tmp_path / "missing" / "python")

    with pytest.raises(pytest.fail.Exception, match="make install"):
        replay_tools(tmp_path, [], [])
