"""Evidence packs: each publication's captures as one signed WACZ file readers download.

A pack is a WACZ 1.1.1 (a ZIP) holding every capture the publication cites:

    archive/<sha256>.warc.gz   each capture's WARC, stored uncompressed in the ZIP, named
                               as the archive names it (by its SHA-256)
    indexes/index.cdx          the CDXJ index of those WARCs (cdxj_indexer), sorted
    pages/pages.jsonl          one line per capture: the cited URL, when, its title, text
    verdict/claimreview.json   the publication's ClaimReview, byte for byte as the page
                               serves it (its SHA-256 is Publication.claim_review_sha256)
    verdict/publication.json   everything the page showed, as JSON (SHA-256:
                               Publication.content_sha256)
    datapackage.json           every file above with its SHA-256 and size
    datapackage-digest.json    the SHA-256 of datapackage.json, signed with the
                               publisher's key (evidence.signing; WACZ Signing and
                               Verification 0.1.0, anonymous signature)

The captures are those PublicationSource names; a source cited before its first capture
has the source's latest capture instead, once there is one. A pack is rebuilt when such a
capture lands (`publications_needing_packs`): ``EvidencePack.built_at`` is the moment its
captures were read, under a lock on the sources it waits for, so a capture is either in
the pack or recorded after ``built_at``.

Packs live in the archive storage under content-addressed names
(``packs/<sha256[:2]>/<sha256>.wacz``); a rebuilt pack's old file is deleted once the new
one is recorded. Celery runs `build_pack` after each publication and
`build_missing_packs` on beat (evidence/tasks.py); ``manage.py build_evidence_packs``
runs them by hand.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import time
import zipfile
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from typing import BinaryIO

from cdxj_indexer.main import CDXJIndexer
from django.core.files import File
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from claims.claimreview import absolute_url
from claims.models import Publication, PublicationSource

from . import signing
from .archive_files import open_streaming
from .models import EvidencePack, Snapshot, Source

logger = logging.getLogger(__name__)

__all__ = [
    "PackOutcome", "build_missing_packs", "build_pack", "pack_of",
    "publications_needing_packs", "write_wacz",
]

WACZ_VERSION = "1.1.1"
SIGNING_VERSION = "0.1.0"  # WACZ Signing and Verification
SOFTWARE = "factcheck evidence packs"
MEDIA_TYPE = "application/wacz"
CHUNK_BYTES = 1 << 20


class PackOutcome(StrEnum):
    """What one `build_pack` did."""

    BUILT = "built"  # the publication's first pack
    REBUILT = "rebuilt"  # a capture it waited for landed: a new pack replaced the old one
    CURRENT = "current"  # the pack holds every capture there is: nothing done
    NO_CAPTURES = "no-captures"  # nothing archived yet to pack
    FAILED = "failed"  # a capture could not be read: no pack written, any old one kept
    GONE = "gone"  # no such publication


class CaptureUnreadable(Exception):
    """A capture's WARC is missing from the archive storage, or is not what was recorded."""


@dataclass(frozen=True)
class Capture:
    """A capture going into a pack, and the URL the publication cited it for."""

    snapshot: Snapshot
    cited_url: str

    @property
    def name(self) -> str:
        """Its WARC's file name, in the pack's archive/ as in the archive storage."""
        return os.path.basename(self.snapshot.warc_path)


def pack_of(publication) -> EvidencePack | None:
    """The evidence pack of `publication`, or None while there is none (yet). The verdict
    page links it as ``{% url "evidence-pack" slug=... number=... %}`` with its sha256
    and size."""
    return EvidencePack.objects.filter(publication=publication).first()


def publications_needing_packs():
    """Publications with a capture to pack and either no pack, or a pack that lacks a
    capture that has landed since it was built: the first capture of a source it waited
    for (its count is short) or a newer one (recorded after ``built_at``)."""
    citations = PublicationSource.objects.filter(publication=OuterRef("pk"))
    available = citations.filter(
        Q(snapshot__isnull=False) | Q(source__latest_snapshot__isnull=False)
    )
    landed = citations.filter(
        snapshot__isnull=True,
        source__latest_snapshot__created_at__gt=OuterRef("evidence_pack__built_at"),
    )
    available_count = Subquery(
        available.order_by().values("publication").annotate(n=Count("pk")).values("n")
    )
    return Publication.objects.filter(Exists(available)).filter(
        Q(evidence_pack__isnull=True)
        | Q(evidence_pack__captures__lt=available_count)
        | Exists(landed)
    )


def build_pack(publication_id: int) -> PackOutcome:
    """Build the evidence pack of publication `publication_id`, or rebuild it when a
    capture it lacks has landed. Idempotent: a pack that holds every capture there is
    stays as it is, and so does one a concurrent build recorded after reading later.

    A capture whose WARC is missing or altered in the archive storage fails the build
    (logged; no file kept, the EvidencePack unchanged). Raises
    signing.SigningKeyMissing when there is no signing key."""
    private_key = signing.load_private_key()
    publication = Publication.objects.select_related("claim").filter(pk=publication_id).first()
    if publication is None:
        logger.warning("No publication %s: no evidence pack to build.", publication_id)
        return PackOutcome.GONE
    if not publications_needing_packs().filter(pk=publication.pk).exists():
        return PackOutcome.CURRENT if pack_of(publication) else PackOutcome.NO_CAPTURES

    started = time.perf_counter()
    captures, read_at = _read_captures(publication)
    if not captures:
        return PackOutcome.NO_CAPTURES
    storage = storages["archives"]
    try:
        with tempfile.TemporaryFile() as wacz:
            public_key = write_wacz(wacz, publication=publication, captures=captures,
                                    private_key=private_key, created=timezone.now())
            size = wacz.tell()
            wacz.seek(0)
            sha256 = hashlib.file_digest(wacz, "sha256").hexdigest()
            path = f"packs/{sha256[:2]}/{sha256}.wacz"
            if not storage.exists(path):  # the same name holds the same bytes
                wacz.seek(0)
                path = storage.save(path, File(wacz))
    except CaptureUnreadable as exc:
        logger.error("Evidence pack of publication %s (%s, version %s) not built: %s",
                     publication.pk, publication.claim.slug, publication.number, exc)
        return PackOutcome.FAILED
    seconds = time.perf_counter() - started
    outcome = _record(publication, path=path, sha256=sha256, size=size,
                      captures=len(captures), public_key=public_key.base64, read_at=read_at,
                      seconds=seconds)
    logger.info("Evidence pack of publication %s: %s, %d capture(s), %d bytes in %.2f s.",
                publication.pk, outcome, len(captures), size, seconds)
    return outcome


def build_missing_packs() -> dict[str, int]:
    """Build every pack `publications_needing_packs` lists; {outcome: how many}.
    Idempotent, like build_pack."""
    outcomes = Counter()
    for pk in publications_needing_packs().order_by("pk").values_list("pk", flat=True):
        outcomes[str(build_pack(pk))] += 1
    return dict(outcomes)


def _read_captures(publication) -> tuple[list[Capture], datetime]:
    """The captures of `publication`'s pack, in source order, and when they were read.

    The sources it waits for are locked while their latest capture is read (FOR NO KEY
    UPDATE, as the archiver takes before recording a capture), and the time is taken
    under that lock: a capture recorded after is dated after it (by the machines'
    clocks, which must agree, as Celery's schedules need anyway). Only sources are
    locked, in id order, and nothing else is taken meanwhile: the desk's lock order
    (claims, then sources last) holds."""
    with transaction.atomic():
        citations = list(
            PublicationSource.objects.filter(publication=publication)
            .select_related("source", "snapshot").order_by("source_id")
        )
        awaited = [c.source_id for c in citations if c.snapshot_id is None]
        latest = {}
        if awaited:
            latest = {
                source.pk: source.latest_snapshot
                for source in Source.objects.filter(pk__in=awaited).order_by("pk")
                .select_related("latest_snapshot")
                .select_for_update(no_key=True, of=("self",))
            }
        read_at = timezone.now()
    captures = []
    for citation in citations:
        snapshot = citation.snapshot or latest.get(citation.source_id)
        if snapshot is not None:
            captures.append(Capture(snapshot=snapshot, cited_url=citation.source.url))
    return captures, read_at


def _record(publication, *, path, sha256, size, captures, public_key, read_at, seconds):
    """Record the pack just stored at `path`, unless a build that read the captures later
    has recorded its own; delete whichever file lost, once the transaction commits."""
    storage = storages["archives"]
    with transaction.atomic():
        # Serialises two builds of one publication (the task after publishing, the sweep).
        list(Publication.objects.filter(pk=publication.pk)
             .select_for_update(no_key=True).values_list("pk"))
        pack = EvidencePack.objects.filter(publication=publication).first()
        if pack is not None and pack.built_at >= read_at:
            if pack.path != path:
                transaction.on_commit(partial(storage.delete, path))
            return PackOutcome.CURRENT
        replaced = pack.path if pack is not None else None
        pack = pack or EvidencePack(publication=publication)
        pack.path, pack.sha256, pack.size = path, sha256, size
        pack.captures, pack.public_key = captures, public_key
        pack.built_at, pack.build_seconds = read_at, seconds
        pack.save()
        if replaced and replaced != path:
            transaction.on_commit(partial(storage.delete, replaced))
    return PackOutcome.REBUILT if replaced else PackOutcome.BUILT


# ---------------------------------------------------------------- the WACZ file


def write_wacz(out: BinaryIO, *, publication, captures: list[Capture], private_key,
               created: datetime) -> signing.PublicKey:
    """Write the signed WACZ of `publication` holding `captures` to `out` (seekable);
    return the public key it is signed with. Each WARC is copied from the archive storage
    a chunk at a time, hashed and indexed on the way, never held whole in memory.

    Raises CaptureUnreadable when a WARC is missing or differs from what its Snapshot
    recorded (SHA-256, size)."""
    created = created.astimezone(UTC)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    date_time = created.timetuple()[:6]
    resources = []
    with zipfile.ZipFile(out, "w", allowZip64=True) as wacz:

        def add(path, data):
            info = zipfile.ZipInfo(path, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            wacz.writestr(info, data)
            resources.append(_resource(path, hashlib.sha256(data).hexdigest(), len(data)))

        index = []
        for capture in captures:
            sha256, size = _copy_capture(wacz, capture, date_time, index)
            resources.append(_resource(f"archive/{capture.name}", sha256, size))
        add("indexes/index.cdx", "".join(sorted(index)).encode("utf-8"))
        add("pages/pages.jsonl", _pages(publication, captures))
        add("verdict/claimreview.json", publication.claim_review.encode("utf-8"))
        # The bytes Publication.content_sha256 is the digest of (claims.publishing).
        add("verdict/publication.json", json.dumps(
            publication.content, cls=DjangoJSONEncoder, sort_keys=True
        ).encode("utf-8"))

        package = json.dumps({
            "profile": "data-package",
            "resources": resources,
            "title": f"Evidence for: {publication.content['claim']['text']}"[:500],
            "description": _description(publication, len(captures)),
            "created": stamp,
            "wacz_version": WACZ_VERSION,
            "software": SOFTWARE,
        }, indent=2, ensure_ascii=False).encode("utf-8")
        package_hash = f"sha256:{hashlib.sha256(package).hexdigest()}"
        signature, public_key = signing.sign(package_hash, private_key)
        digest = json.dumps({
            "path": "datapackage.json",
            "hash": package_hash,
            "signedData": {
                "hash": package_hash,
                "created": stamp,  # py-wacz checks it equals datapackage.json's
                "software": SOFTWARE,
                "version": SIGNING_VERSION,
                "signature": signature,
                "publicKey": public_key.base64,
            },
        }, indent=2).encode("utf-8")
        for name, data in (("datapackage.json", package), ("datapackage-digest.json", digest)):
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            wacz.writestr(info, data)
    out.seek(0, io.SEEK_END)
    return public_key


def _resource(path, sha256, size):
    return {"name": os.path.basename(path).lower(), "path": path,
            "hash": f"sha256:{sha256}", "bytes": size}


def _description(publication, count):
    url = absolute_url(publication.get_absolute_url())
    return (
        f"The {count} capture(s) cited by version {publication.number} of the fact-check "
        f"{url}, published {publication.published_at:%Y-%m-%d %H:%M} UTC, with the "
        "verdict as published (verdict/). Signed by the publisher: its public key is at "
        f"{absolute_url('/.well-known/evidence-pack-key.pem')}."
    )


def _copy_capture(wacz, capture: Capture, date_time, index: list[str]) -> tuple[str, int]:
    """Copy `capture`'s WARC into `wacz` (stored, not compressed: replay tools read WARC
    records at their offsets), appending its CDXJ lines to `index`; (sha256, size)."""
    snapshot = capture.snapshot
    storage = storages["archives"]
    if not storage.exists(snapshot.warc_path):
        raise CaptureUnreadable(
            f"snapshot {snapshot.pk}: its WARC {snapshot.warc_path} is missing from the "
            "archive storage"
        )
    info = zipfile.ZipInfo(f"archive/{capture.name}", date_time)
    info.compress_type = zipfile.ZIP_STORED
    with closing(open_streaming(snapshot.warc_path)) as source, \
            wacz.open(info, "w", force_zip64=True) as sink:
        tee = _Tee(source, sink)
        lines = io.StringIO()
        CDXJIndexer(lines, [tee], filename=capture.name).process_all()
        tee.drain()
    sha256 = tee.hash.hexdigest()
    if snapshot.warc_sha256 and (sha256, tee.size) != (snapshot.warc_sha256, snapshot.warc_size):
        raise CaptureUnreadable(
            f"snapshot {snapshot.pk}: its WARC {snapshot.warc_path} has SHA-256 {sha256} "
            f"({tee.size} bytes), not the {snapshot.warc_sha256} ({snapshot.warc_size} "
            "bytes) recorded"
        )
    index.extend(lines.getvalue().splitlines(keepends=True))
    return sha256, tee.size


class _Tee:
    """A reader of `source` that writes what it reads to `sink` and hashes it: one pass
    over a WARC indexes, copies and hashes it. ``tell`` is what the indexer's offsets
    count from."""

    def __init__(self, source, sink):
        self.source, self.sink = source, sink
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.source.read(size if size is not None and size >= 0 else CHUNK_BYTES)
        if data:
            self.sink.write(data)
            self.hash.update(data)
            self.size += len(data)
        return data

    def tell(self):
        return self.size

    def drain(self):
        """Copy whatever the indexer left unread (nothing, for a well-formed WARC)."""
        while self.read(CHUNK_BYTES):
            pass


def _pages(publication, captures: list[Capture]) -> bytes:
    """pages/pages.jsonl: a header, then one page per capture (the cited URL, when it
    was captured, its title, and its extracted text for search)."""
    storage = storages["archives"]
    lines = [{"format": "json-pages-1.0", "id": "pages", "hasText": True,
              "title": f"Sources of {absolute_url(publication.get_absolute_url())}"}]
    for capture in captures:
        snapshot = capture.snapshot
        text = ""
        if snapshot.text_path:
            if not storage.exists(snapshot.text_path):
                raise CaptureUnreadable(
                    f"snapshot {snapshot.pk}: its text {snapshot.text_path} is missing from "
                    "the archive storage"
                )
            # Extracted text is capped with the fetch (evidence.fetch): small enough to read.
            with storage.open(snapshot.text_path, "rb") as stored:
                text = stored.read().decode("utf-8")
        lines.append({
            "id": f"snapshot-{snapshot.pk}",
            "url": capture.cited_url,
            "ts": snapshot.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "title": snapshot.title or capture.cited_url,
            "text": text,
        })
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
