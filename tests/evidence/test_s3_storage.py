"""The archive storage on a real S3-compatible server (moto in server mode, tests/s3.py),
configured as the settings configure ARCHIVE_STORAGE=s3: the archiver writes WARCs and
texts into the bucket, privately, under the prefix, reads them back, hashes them and
serves them to readers by the same rules as on disk."""
import hashlib
import io
import urllib.request
import uuid

import pytest
from django.core.files.storage import storages
from storages.backends.s3 import S3Storage
from warcio.archiveiterator import ArchiveIterator

from evidence import archiving
from evidence.archiving import Outcome
from evidence.models import Snapshot, Source
from tests.httpserver import Reply

PREFIX = "archives/"


def article(paragraph):
    return Reply.html(
        "<!doctype html><html lang='en'><head><title>Sahel letter</title></head><body>"
        f"<article><h1>Sahel letter</h1><p>{paragraph}</p>"
        "<p>The military governments wrote to the UN Security Council about Ukraine.</p>"
        "</article></body></html>"
    )


@pytest.fixture
def archive(s3_bucket, settings, http_server, db):
    """The archiver pointed at `http_server` and writing to `s3_bucket`."""
    settings.FETCH_ALLOWLIST = [http_server.host_port]
    settings.FETCH_TIMEOUT = 2.0
    return s3_bucket


def run(source, **kwargs):
    return archiving.archive_source(source.pk, fetch_id=uuid.uuid4(), **kwargs)


def archived(http_server, path, reply):
    """The Snapshot of `reply`, served at `path` and archived once."""
    http_server.route(path, reply)
    source = Source.objects.create(url=http_server.url(path))
    assert run(source) == Outcome.ARCHIVED
    return Snapshot.objects.get(source=source)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def test_the_warc_and_the_text_are_objects_of_the_bucket_under_the_prefix(archive, http_server):
    snapshot = archived(http_server, "/letter", article("Mali accuses Ukraine."))

    assert isinstance(storages["archives"], S3Storage)
    objects = archive.objects()
    assert set(objects) == {PREFIX + snapshot.warc_path, PREFIX + snapshot.text_path}
    warc = objects[PREFIX + snapshot.warc_path]
    assert (sha256(warc), len(warc)) == (snapshot.warc_sha256, snapshot.warc_size)
    assert snapshot.warc_path == f"warc/{snapshot.warc_sha256[:2]}/{snapshot.warc_sha256}.warc.gz"
    text = objects[PREFIX + snapshot.text_path]
    assert (sha256(text), len(text)) == (snapshot.text_sha256, snapshot.text_size)
    assert "Mali accuses Ukraine." in text.decode()


def test_the_objects_are_private_and_linked_only_by_signed_urls(archive, http_server):
    snapshot = archived(http_server, "/letter", article("Private copy."))

    for path in (snapshot.warc_path, snapshot.text_path):
        # The owner alone: no AllUsers or AuthenticatedUsers grant.
        assert archive.grants(PREFIX + path) == [("CanonicalUser", "FULL_CONTROL")]
        assert archive.anonymous_get(PREFIX + path) == 403
    url = storages["archives"].url(snapshot.warc_path)
    assert "Signature=" in url and "Expires=" in url
    with urllib.request.urlopen(url, timeout=5) as signed:  # noqa: S310 (loopback)
        assert sha256(signed.read()) == snapshot.warc_sha256


def test_the_archive_reads_its_warc_and_text_back_from_the_bucket(archive, http_server):
    snapshot = archived(http_server, "/letter", article("Read me back."))

    with archiving.open_snapshot_warc(snapshot) as warc:
        data = warc.read()
    assert sha256(data) == snapshot.warc_sha256
    records = {r.rec_type: r.content_stream().read() for r in ArchiveIterator(io.BytesIO(data))}
    assert set(records) == {"warcinfo", "response", "request", "metadata"}
    assert sha256(records["response"]) == snapshot.payload_sha256
    assert "Read me back." in archiving.read_snapshot_text(snapshot)


def test_a_redirect_chain_is_archived_at_its_end_with_its_hops(archive, http_server):
    http_server.route("/share", Reply.redirect("/moved", status=301))
    http_server.route("/moved", Reply.redirect("/letter"))
    http_server.route("/letter", article("At the end of the chain."))
    snapshot = archived(http_server, "/letter-link", Reply.redirect("/share"))

    assert snapshot.redirects == [
        {"url": http_server.url("/letter-link"), "status": 302},
        {"url": http_server.url("/share"), "status": 301},
        {"url": http_server.url("/moved"), "status": 302},
    ]
    assert snapshot.final_url == http_server.url("/letter")
    warc = archive.objects()[PREFIX + snapshot.warc_path]
    assert sha256(warc) == snapshot.warc_sha256
    with archiving.open_snapshot_warc(snapshot) as stored:
        pages = {
            r.rec_headers["WARC-Target-URI"]: r.content_stream().read()
            for r in ArchiveIterator(stored) if r.rec_type == "response"
        }
    assert b"At the end of the chain." in pages[snapshot.final_url]


def test_a_recheck_of_the_same_bytes_writes_nothing(archive, http_server):
    snapshot = archived(http_server, "/letter", article("Stable."))
    written = archive.versions()
    assert len(written) == 2

    assert run(snapshot.source, recheck=True) == Outcome.UNCHANGED

    assert archive.versions() == written
    assert Snapshot.objects.count() == 1


def test_a_text_already_in_the_bucket_is_not_written_again(archive, http_server):
    first = archived(http_server, "/letter", article("Copied word for word."))
    copy = archived(http_server, "/mirror", article("Copied word for word."))

    # Another address, so another WARC; the same text, found complete and kept.
    assert copy.warc_path != first.warc_path
    assert copy.text_path == first.text_path
    keys = [key for key, _ in archive.versions()]
    assert keys.count(PREFIX + first.text_path) == 1
    assert set(archive.objects()) == {
        PREFIX + first.warc_path, PREFIX + copy.warc_path, PREFIX + first.text_path
    }


def test_a_partial_object_left_by_a_killed_worker_is_replaced(archive, http_server):
    snapshot = archived(http_server, "/letter", article("Complete text."))
    key = PREFIX + snapshot.text_path
    full = archive.objects()[key]
    archive.put(key, full[:5])
    Snapshot.objects.all().delete()
    Source.objects.filter(pk=snapshot.source_id).update(status=Source.Status.PENDING)

    assert run(snapshot.source) == Outcome.ARCHIVED

    again = Snapshot.objects.get()
    assert again.text_path == snapshot.text_path
    assert archive.objects()[key] == full
    assert sha256(archive.objects()[key]) == again.text_sha256
    assert "Complete text." in archiving.read_snapshot_text(again)
