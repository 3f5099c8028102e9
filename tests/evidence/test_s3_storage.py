"""The archive storage on a real S3-compatible server (moto in server mode, tests/s3.py),
configured as the settings configure ARCHIVE_STORAGE=s3: the archiver writes WARCs and
texts into the bucket, privately, under the prefix, reads them back, hashes them and
serves them to readers by the same rules as on disk."""
import hashlib
import io
import os
import urllib.request
import uuid
import zipfile

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from storages.backends.s3 import S3Storage
from warcio.archiveiterator import ArchiveIterator

from claims import roles
from claims.models import Publication
from evidence import archiving, packs, signing
from evidence.archiving import Outcome
from evidence.models import EvidencePack, Snapshot, Source
from evidence.packs import PackOutcome
from evidence.services import attach_evidence
from tests.data.desk import draft, make_claim, make_user, publish
from tests.evidence.pages import article
from tests.httpserver import Reply

PREFIX = "archives/"


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


def test_a_bucket_refusing_the_write_is_retried_with_the_reason(archive, http_server, settings):
    # S3 says no through botocore, not OSError: the job still removes what it wrote, says
    # why on the source and is retried like a full disk.
    settings.STORAGES = {**settings.STORAGES, "archives": {
        **settings.STORAGES["archives"],
        "OPTIONS": {**settings.STORAGES["archives"]["OPTIONS"], "bucket_name": "no-such-bucket"},
    }}
    http_server.route("/letter", article("Never stored."))
    source = Source.objects.create(url=http_server.url("/letter"))
    with pytest.raises(archiving.RetryLater):
        run(source, max_retries=1)
    source.refresh_from_db()
    assert source.last_error.startswith("could not write the archive: ")
    assert "NoSuchBucket" in source.last_error or "does not exist" in source.last_error
    assert not Snapshot.objects.exists()
    assert archive.objects() == {}


# ---------------------------------------------------------------- served to readers


def published_citing(*sources, fact_checker, editor):
    """The Publication of a new check that cites `sources` as evidence."""
    claim = make_claim(f"cites-{sources[0].pk}", fact_checker=fact_checker)
    for source in sources:
        attach_evidence(claim=claim, stance="refutes", source=source,
                        summary="The letter itself.", by=fact_checker)
    draft(claim, fact_checker=fact_checker)
    publish(claim, fact_checker=fact_checker, editor=editor)
    return Publication.objects.get(claim=claim)


def test_a_logged_out_reader_downloads_a_published_capture_from_the_bucket(
    archive, http_server, client, fact_checker, editor
):
    snapshot = archived(http_server, "/letter", article("Cited by a published check."))
    published_citing(snapshot.source, fact_checker=fact_checker, editor=editor)

    response = client.get(reverse("evidence:capture-warc", kwargs={"pk": snapshot.pk}))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Length"] == str(snapshot.warc_size)
    body = b"".join(response.streaming_content)
    assert (sha256(body), len(body)) == (snapshot.warc_sha256, snapshot.warc_size)
    assert body == archive.objects()[PREFIX + snapshot.warc_path]
    page = client.get(reverse("evidence:capture", kwargs={"pk": snapshot.pk}))
    assert "Cited by a published check." in page.content.decode()


def test_a_large_warc_is_streamed_from_the_bucket_not_held_in_memory(
    archive, http_server, client, fact_checker, editor, settings
):
    # django-storages' S3 file reads a whole object into memory before its first byte;
    # a download of a 12 MB capture must cost the web process a small fraction of that.
    import tracemalloc

    settings.FETCH_MAX_BYTES = 16 * 1024 * 1024
    noise = os.urandom(12 * 1024 * 1024).hex()[: 12 * 1024 * 1024]  # compresses poorly
    snapshot = archived(http_server, "/big", Reply.text(noise))
    published_citing(snapshot.source, fact_checker=fact_checker, editor=editor)
    assert snapshot.warc_size > 6 * 1024 * 1024

    def peak_while(read):
        tracemalloc.start()
        try:
            digest, size = hashlib.sha256(), 0
            for chunk in read():
                digest.update(chunk)
                size += len(chunk)
            return tracemalloc.get_traced_memory()[1], digest.hexdigest(), size
        finally:
            tracemalloc.stop()

    url = reverse("evidence:capture-warc", kwargs={"pk": snapshot.pk})
    streamed, digest, size = peak_while(lambda: client.get(url).streaming_content)
    assert (digest, size) == (snapshot.warc_sha256, snapshot.warc_size)

    def through_storage_file():
        with storages["archives"].open(snapshot.warc_path, "rb") as warc:
            yield from iter(lambda: warc.read(64 * 1024), b"")

    buffered, _, _ = peak_while(through_storage_file)
    # moto runs in this process and holds the object while it answers, so both figures
    # include up to one WARC's worth of the server's: the download adds little to that,
    # the storage's own file (what the view used to serve) buffers the object whole.
    mib = 2**20
    assert streamed < snapshot.warc_size + 2 * mib, f"{streamed / mib:.1f} MiB streamed"
    assert buffered > streamed + 2 * mib, (buffered / mib, streamed / mib)


@pytest.mark.parametrize("name", ["evidence:capture", "evidence:capture-warc"])
def test_a_capture_nothing_published_cites_is_the_same_404_as_a_missing_one(
    archive, http_server, client, name
):
    snapshot = archived(http_server, "/letter", article("Only the desk reads this."))

    hidden = client.get(reverse(name, kwargs={"pk": snapshot.pk}))
    missing = client.get(reverse(name, kwargs={"pk": snapshot.pk + 1000}))

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    # The desk reads it, from the bucket.
    client.force_login(make_user("reader", roles.REVIEWER))
    response = client.get(reverse(name, kwargs={"pk": snapshot.pk}))
    assert response.status_code == 200
    if name == "evidence:capture-warc":
        assert sha256(b"".join(response.streaming_content)) == snapshot.warc_sha256
    else:
        assert "Only the desk reads this." in response.content.decode()


# ---------------------------------------------------------------- evidence packs


@pytest.fixture
def signing_key(settings, tmp_path):
    """A signing key made for this test, never the one under var/."""
    settings.EVIDENCE_PACK_SIGNING_KEY_FILE = tmp_path / "keys" / "evidence-pack.pem"
    signing.create_key()


def test_an_evidence_pack_is_written_to_the_bucket_and_served_from_it(
    archive, http_server, client, fact_checker, editor, signing_key,
    django_capture_on_commit_callbacks,
):
    snapshot = archived(http_server, "/letter", article("Packed for readers."))
    publication = published_citing(snapshot.source, fact_checker=fact_checker, editor=editor)

    with django_capture_on_commit_callbacks(execute=True):
        assert packs.build_pack(publication.pk) == PackOutcome.BUILT

    pack = EvidencePack.objects.get(publication=publication)
    key = PREFIX + pack.path
    wacz = archive.objects()[key]
    assert (sha256(wacz), len(wacz)) == (pack.sha256, pack.size)
    assert archive.grants(key) == [("CanonicalUser", "FULL_CONTROL")]
    # The capture's WARC went into the pack whole, read back from the bucket.
    with zipfile.ZipFile(io.BytesIO(wacz)) as zipped:
        packed = zipped.read(f"archive/{snapshot.warc_sha256}.warc.gz")
    assert sha256(packed) == snapshot.warc_sha256
    # Readers download it byte for byte.
    response = client.get(reverse("evidence-pack", kwargs={
        "slug": publication.claim.slug, "number": publication.number,
    }))
    assert response.status_code == 200
    assert sha256(b"".join(response.streaming_content)) == pack.sha256


def test_a_rebuilt_pack_replaces_its_object_in_the_bucket(
    archive, http_server, fact_checker, editor, signing_key, django_capture_on_commit_callbacks,
):
    # Published citing a page captured and one the archive has not reached yet.
    snapshot = archived(http_server, "/letter", article("Captured before publishing."))
    http_server.route("/later", article("Captured after publishing."))
    later = Source.objects.create(url=http_server.url("/later"))
    publication = published_citing(snapshot.source, later, fact_checker=fact_checker,
                                   editor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert packs.build_pack(publication.pk) == PackOutcome.BUILT
    first = EvidencePack.objects.get().path

    assert run(later) == Outcome.ARCHIVED
    with django_capture_on_commit_callbacks(execute=True):
        assert packs.build_pack(publication.pk) == PackOutcome.REBUILT

    pack = EvidencePack.objects.get()
    assert pack.captures == 2 and pack.path != first
    stored = {key: data for key, data in archive.objects().items() if "/packs/" in "/" + key}
    assert list(stored) == [PREFIX + pack.path]
    assert sha256(stored[PREFIX + pack.path]) == pack.sha256
