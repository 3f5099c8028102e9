"""Write what a fetch brought back as the files a Snapshot keeps: the WARC (request,
response and a metadata record), the readable text extracted from it, and their hashes.

The WARC is laid out so that standard replay tools (pywb, warcio, FastWARC) replay the
capture as the reader met it: every redirect on the way has its own response and request
records, so the cited URL replays as its redirect and following it reaches the page; a
body cut at the byte cap says so in its Content-Length; and the metadata record has a
``urn:`` target URI of its own, so no index mistakes it for the page.

Nothing here touches the network, the storage or the database: every function takes an
`evidence.fetch.FetchResult` and writes to a file object or returns plain values.
`evidence.archiving` is the task that fetches a source, stores these files and records
the Snapshot.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import json
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import trafilatura
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from evidence.fetch import DEFAULT_MAX_BYTES, FetchResult, Hop

__all__ = [
    "Extracted", "build_warc", "capture_record_id", "capture_urn", "extract", "payload_sha256",
    "write_metadata", "write_warc",
]

SOFTWARE = "factcheck evidence archiver"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# A compressed body can expand enormously; never inflate more than a fetch may hold.
MAX_DECODED_BYTES = DEFAULT_MAX_BYTES
# Names the final response record of a capture (see capture_record_id); any fixed UUID
# would do, this one must simply never change.
CAPTURE_NAMESPACE = uuid.UUID("5d0c7c8e-3f7a-4f0b-9d6e-2b1f4a8c6e01")
# The metadata record's target URI: its own, so replay indexes never confuse it with the
# page (pywb served the JSON for every capture when it shared the page's URI).
CAPTURE_URN_PREFIX = "urn:x-factcheck:capture:"


@dataclass(frozen=True)
class Extracted:
    """The readable text of a source and what it says about itself.

    ``text`` is empty when nothing readable could be found (PDFs, unknown encodings).
    ``date`` is ``YYYY-MM-DD`` as the page states it; ``language`` is the primary
    language subtag (``en``) the page or server declares.
    """

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    language: str | None = None
    sitename: str | None = None

    @functools.cached_property
    def text_sha256(self) -> str:
        """Hex SHA-256 of the text encoded as UTF-8: what changed-content checks compare."""
        digest = hashlib.sha256()
        for chunk in self.encoded_chunks():
            digest.update(chunk)
        return digest.hexdigest()

    def encoded_chunks(self, size: int = 1024 * 1024) -> Iterator[bytes]:
        """The text as UTF-8, a slice at a time, so a large text is never copied whole."""
        for start in range(0, len(self.text), size):
            yield self.text[start:start + size].encode("utf-8")


def payload_sha256(result: FetchResult) -> str:
    """Hex SHA-256 of the body exactly as received (the WARC payload)."""
    return hashlib.sha256(result.body).hexdigest()


def capture_record_id(result: FetchResult) -> str:
    """The ``WARC-Record-ID`` of the capture's final response record.

    Derived from what identifies the capture (final URL, fetch time, payload hash)
    rather than drawn at random, so that `write_metadata`, called on its own, refers to
    the record `write_warc` wrote.
    """
    name = f"{result.final_url} {_warc_date(result.fetched_at)} {payload_sha256(result)}"
    return f"<urn:uuid:{uuid.uuid5(CAPTURE_NAMESPACE, name)}>"


def capture_urn(result: FetchResult) -> str:
    """The metadata record's ``WARC-Target-URI``: ``urn:x-factcheck:capture:<uuid>``,
    the UUID of `capture_record_id`."""
    return CAPTURE_URN_PREFIX + capture_record_id(result).removeprefix("<urn:uuid:")[:-1]


def write_warc(result: FetchResult, output: BinaryIO) -> None:
    """Write ``result`` to ``output`` as a gzipped WARC 1.1 file.

    The file holds a ``warcinfo`` record, then a ``response`` and a ``request`` record
    for every redirect followed (``result.hops``), then for the final response. Each
    pair has its own target URI, date and peer address, and is linked by
    ``WARC-Concurrent-To``. A body cut short (the final one at the byte cap, a
    redirect's at ``REDIRECT_BODY_BYTES``) is marked ``WARC-Truncated: length`` and its
    Content-Length is the stored length (`_response_headers`).
    """
    writer = WARCWriter(output, gzip=True, warc_version="1.1")
    warcinfo = writer.create_warcinfo_record(
        None,
        {
            "software": SOFTWARE,
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/"
            "specifications/warc-format/warc-1.1/",
        },
    )
    writer.write_record(warcinfo)
    warcinfo_id = warcinfo.rec_headers.get_header("WARC-Record-ID")
    for hop in result.hops:
        for record in _exchange_records(writer, hop, hop.url, warcinfo_id):
            writer.write_record(record)
    final = _exchange_records(
        writer, result, result.final_url, warcinfo_id, record_id=capture_record_id(result)
    )
    for record in final:
        writer.write_record(record)


def write_metadata(result: FetchResult, extracted: Extracted, output: BinaryIO) -> None:
    """Append a WARC ``metadata`` record describing ``extracted`` to ``output``.

    Written after `write_warc` into the same file (a WARC is a series of gzipped
    records), it keeps what we read in the capture (title, author, date, language,
    text hash and size) beside the capture itself, as JSON. Its target URI is
    `capture_urn`, and ``WARC-Refers-To`` names the final response it describes (as
    WARC 1.1 section 6.7 says a metadata record does).
    """
    writer = WARCWriter(output, gzip=True, warc_version="1.1")
    payload = json.dumps({
        "url": result.final_url,
        "title": extracted.title, "author": extracted.author, "date": extracted.date,
        "language": extracted.language, "sitename": extracted.sitename,
        "text_sha256": extracted.text_sha256, "text_length": len(extracted.text),
        "payload_sha256": payload_sha256(result), "truncated": result.truncated,
    }, ensure_ascii=False).encode("utf-8")
    record = writer.create_warc_record(
        capture_urn(result), "metadata", payload=io.BytesIO(payload), length=len(payload),
        warc_content_type="application/json",
        warc_headers_dict={
            "WARC-Date": _warc_date(result.fetched_at),
            "WARC-Refers-To": capture_record_id(result),
        },
    )
    writer.write_record(record)


def build_warc(result: FetchResult) -> bytes:
    """Return the gzipped WARC that `write_warc` writes, as bytes."""
    output = io.BytesIO()
    write_warc(result, output)
    return output.getvalue()


def extract(result: FetchResult) -> Extracted:
    """Extract the main text and metadata of an HTML or text source.

    HTML goes through trafilatura; text/* is returned as decoded text; anything else
    (PDF) gives empty text. Never raises on odd content: unreadable input gives an
    empty `Extracted`.
    """
    body = _decoded_body(result)
    if body is None:
        return Extracted(text="")
    charset = _charset(result)
    declared_language = _primary_language(result.header("content-language"))
    if result.content_type in HTML_TYPES:
        return _extract_html(body, charset, result.final_url, declared_language)
    if result.content_type.startswith("text/"):
        text = body.decode(charset or "utf-8", errors="replace")
        return Extracted(text=text, language=declared_language)
    return Extracted(text="")


def _extract_html(
    body: bytes, charset: str | None, url: str, declared_language: str | None
) -> Extracted:
    # With a declared charset decode it ourselves; otherwise trafilatura sniffs the bytes.
    tree = trafilatura.load_html(body.decode(charset, errors="replace") if charset else body)
    if tree is None:
        return Extracted(text="", language=declared_language)
    # Read before extraction, which prunes the tree in place.
    page_language = _primary_language(tree.get("lang"))
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None:
        return Extracted(text="", language=page_language or declared_language)
    return Extracted(
        text=document.text or "",
        title=document.title,
        author=document.author,
        date=document.date,
        language=_primary_language(document.language) or page_language or declared_language,
        sitename=document.sitename,
    )


def _exchange_records(
    writer: WARCWriter,
    exchange: Hop | FetchResult,
    uri: str,
    warcinfo_id: str,
    *,
    record_id: str | None = None,
) -> tuple[ArcWarcRecord, ArcWarcRecord]:
    """The ``response`` and ``request`` records of one HTTP exchange, response first.

    ``record_id`` fixes the response's WARC-Record-ID (warcio draws one otherwise).
    """
    linkage = {
        "WARC-Date": _warc_date(exchange.fetched_at),
        "WARC-IP-Address": exchange.peer_ip,
        "WARC-Warcinfo-ID": warcinfo_id,
    }
    response_extra = {"WARC-Truncated": "length"} if exchange.truncated else {}
    if record_id:
        response_extra["WARC-Record-ID"] = record_id
    response = writer.create_warc_record(
        uri,
        "response",
        # BytesIO over bytes shares the buffer: the body is not copied.
        payload=io.BytesIO(exchange.body),
        length=len(exchange.body),
        http_headers=_response_headers(
            exchange.response_head, stored_length=len(exchange.body), cut=exchange.truncated
        ),
        warc_headers_dict=linkage | response_extra,
    )
    request = writer.create_warc_record(
        uri,
        "request",
        http_headers=_parse_head(exchange.request_head),
        warc_headers_dict=linkage
        | {"WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
    )
    return response, request


def _warc_date(moment: datetime) -> str:
    return datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True)


def _response_headers(head: bytes, *, stored_length: int, cut: bool) -> StatusAndHeaders:
    """The response's headers as a replay tool must read them beside the stored body.

    Headers that no longer describe the stored bytes are renamed with the
    ``X-Archive-Orig-`` prefix (the convention pywb uses), which keeps their original
    value on record.
    """
    headers = _parse_head(head)
    transfer_encoding = headers.get_header("Transfer-Encoding")
    if transfer_encoding:
        # The body is stored de-chunked, so a reader must not try to de-chunk it again.
        headers.remove_header("Transfer-Encoding")
        headers.add_header("X-Archive-Orig-Transfer-Encoding", transfer_encoding)
    content_length = headers.get_header("Content-Length")
    if cut and content_length is not None:
        # A replay that trusts the original length waits for bytes that were never
        # stored (pywb's raw replay stalled until its timeout); say what is there.
        headers.remove_header("Content-Length")
        headers.add_header("X-Archive-Orig-Content-Length", content_length)
        headers.add_header("Content-Length", str(stored_length))
    return headers


def _parse_head(head: bytes) -> StatusAndHeaders:
    return StatusAndHeadersParser([], verify=False).parse(io.BytesIO(head))


def _decoded_body(result: FetchResult) -> bytes | None:
    """The body with its Content-Encoding undone; None if the coding is unknown."""
    coding = (result.header("content-encoding") or "identity").strip().lower()
    if coding == "identity":
        return result.body
    if coding in ("gzip", "x-gzip", "deflate"):
        # wbits 47 accepts both gzip and zlib framing; a truncated body inflates partially.
        inflater = zlib.decompressobj(wbits=47)
        try:
            return inflater.decompress(result.body, MAX_DECODED_BYTES)
        except zlib.error:
            return None
    return None


def _charset(result: FetchResult) -> str | None:
    for parameter in (result.header("content-type") or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip('"')).name
            except LookupError:
                return None
    return None


def _primary_language(tag: str | None) -> str | None:
    primary = (tag or "").split(",")[0].strip().split("-")[0].lower()
    return primary or None
