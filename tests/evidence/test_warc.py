"""A fetched source becomes a valid WARC, readable text with metadata, and stable hashes."""

import gzip
import hashlib
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import datetime_to_iso_date

from evidence.fetch import REDIRECT_BODY_BYTES, FetchPolicy, FetchResult, fetch
from evidence.warc import (
    build_warc,
    capture_record_id,
    capture_urn,
    extract,
    payload_sha256,
    write_metadata,
    write_warc,
)
from tests.httpserver import Reply

WARCIO = Path(sys.executable).with_name("warcio")
ARTICLE = """<!doctype html>
<html lang="en-GB"><head>
<title>Sahel juntas accuse Ukraine of backing terrorism | Euromaidan Press</title>
<meta name="author" content="Jane Reporter">
<meta property="og:site_name" content="Euromaidan Press">
<meta property="article:published_time" content="2024-08-21T10:00:00+00:00">
</head><body><nav>Home | News | About</nav><article>
<h1>Sahel juntas accuse Ukraine of backing terrorism</h1>
<p>The military governments of Burkina Faso, Mali and Niger wrote to the UN Security
Council accusing Ukraine of supporting terrorism in Africa.</p>
<p>Ukraine's foreign ministry rejected the accusation, calling Mali's decision to cut
ties short-sighted and noting the lack of any evidence.</p>
<p>Tuareg rebels said they killed dozens of Wagner mercenaries and Malian soldiers.</p>
</article><footer>Copyright notice</footer></body></html>"""


def warcio_check(tmp_path: Path, warc: bytes) -> str:
    path = tmp_path / "snapshot.warc.gz"
    path.write_bytes(warc)
    checked = subprocess.run(
        [str(WARCIO), "check", "-v", str(path)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "fail" not in checked.stdout
    return checked.stdout


def records(warc: bytes) -> dict:
    """The WARC's records by type, each with its payload as stored (no decoding); for a
    WARC with redirects, the last record of each type (the final exchange's)."""
    return {record.rec_type: (record, payload) for record, payload in all_records(warc)}


def all_records(warc: bytes) -> list:
    """Every record of the WARC in order, each with its payload as stored."""
    return [(r, r.raw_stream.read()) for r in ArchiveIterator(io.BytesIO(warc))]


def warc_with_metadata(result: FetchResult) -> bytes:
    """The WARC as evidence.archiving writes it: `write_warc`, then `write_metadata`."""
    output = io.BytesIO()
    write_warc(result, output)
    write_metadata(result, extract(result), output)
    return output.getvalue()


def warc_date(moment: datetime) -> str:
    return datetime_to_iso_date(moment.astimezone(UTC).replace(tzinfo=None), use_micros=True)


def result_for(body: bytes, headers: list[tuple[str, str]], **fields) -> FetchResult:
    """A FetchResult as `fetch` would build it, for cases a server can't easily produce."""
    head = b"HTTP/1.1 200 OK\r\n" + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers)
    content_type = dict(headers).get("Content-Type", "").split(";")[0].lower()
    defaults = {
        "requested_url": "https://news.example/a",
        "final_url": "https://news.example/a",
        "status": 200,
        "headers": headers,
        "request_head": b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n",
        "response_head": head + b"\r\n",
        "body": body,
        "content_type": content_type,
        "truncated": False,
        "fetched_at": datetime(2024, 8, 21, 12, 0, tzinfo=UTC),
        "peer_ip": "93.184.215.14",
    }
    return FetchResult(**(defaults | fields))


def test_article_warc_passes_warcio_check_and_links_its_records(http_server, policy, tmp_path):
    http_server.route("/article", Reply.html(ARTICLE))
    result = fetch(http_server.url("/article"), policy=policy)

    warc = build_warc(result)

    assert "digest pass" in warcio_check(tmp_path, warc)
    found = records(warc)
    assert [record.rec_type for record, _ in all_records(warc)] == [
        "warcinfo", "response", "request",
    ]
    warcinfo, _ = found["warcinfo"]
    response, payload = found["response"]
    request, _ = found["request"]
    assert response.rec_headers["WARC-Target-URI"] == http_server.url("/article")
    assert request.rec_headers["WARC-Target-URI"] == http_server.url("/article")
    fetched_at = warc_date(result.fetched_at)
    assert response.rec_headers["WARC-Date"] == request.rec_headers["WARC-Date"] == fetched_at
    assert response.rec_headers["WARC-IP-Address"] == "127.0.0.1"
    assert response.rec_headers["WARC-Record-ID"] == capture_record_id(result)
    assert request.rec_headers["WARC-Concurrent-To"] == response.rec_headers["WARC-Record-ID"]
    assert response.rec_headers["WARC-Warcinfo-ID"] == warcinfo.rec_headers["WARC-Record-ID"]
    assert response.rec_headers.get_header("WARC-Truncated") is None
    assert payload == result.body
    assert response.http_headers.get_statuscode() == "200"
    assert response.http_headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.http_headers["Content-Length"] == str(len(ARTICLE.encode()))
    assert request.http_headers.protocol == "GET"
    assert request.http_headers.statusline == "/article HTTP/1.1"
    assert request.http_headers["Host"] == http_server.host_port


def test_every_redirect_hop_is_a_response_and_request_pair_before_the_page(
    http_server, policy, tmp_path
):
    http_server.route("/share", Reply.redirect("/go", status=301))
    moved = b"<a href='/article'>Moved here</a>"
    http_server.route("/go", Reply(302, [("Location", http_server.url("/article")),
                                         ("Content-Type", "text/html")], moved))
    http_server.route("/article", Reply.html(ARTICLE))
    result = fetch(http_server.url("/share"), policy=policy)

    warc = build_warc(result)

    warcio_check(tmp_path, warc)
    layout = [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
         r.http_headers.get_statuscode() if r.rec_type == "response" else None)
        for r, _ in all_records(warc)
    ]
    assert layout == [
        ("warcinfo", None, None),
        ("response", http_server.url("/share"), "301"),
        ("request", http_server.url("/share"), None),
        ("response", http_server.url("/go"), "302"),
        ("request", http_server.url("/go"), None),
        ("response", http_server.url("/article"), "200"),
        ("request", http_server.url("/article"), None),
    ]
    (_, _), share, share_request, go, go_request, page, _ = all_records(warc)
    for (response, _), (request, _) in ((share, share_request), (go, go_request)):
        assert request.rec_headers["WARC-Concurrent-To"] == response.rec_headers["WARC-Record-ID"]
    assert share[0].http_headers["Location"] == "/go"
    assert go[0].http_headers["Location"] == http_server.url("/article")
    assert go[1] == moved
    assert share_request[0].http_headers.statusline == "/share HTTP/1.1"
    hops = result.hops
    assert [share[0].rec_headers["WARC-Date"], go[0].rec_headers["WARC-Date"]] == [
        warc_date(hops[0].fetched_at), warc_date(hops[1].fetched_at)
    ]
    assert hops[0].fetched_at <= hops[1].fetched_at <= result.fetched_at
    assert go[0].rec_headers["WARC-IP-Address"] == "127.0.0.1"
    assert page[1] == ARTICLE.encode()
    assert page[0].rec_headers["WARC-Record-ID"] == capture_record_id(result)


def test_metadata_record_has_its_own_urn_and_refers_to_the_page(http_server, policy, tmp_path):
    http_server.route("/share", Reply.redirect("/article"))
    http_server.route("/article", Reply.html(ARTICLE))
    result = fetch(http_server.url("/share"), policy=policy)

    warc = warc_with_metadata(result)

    warcio_check(tmp_path, warc)
    (metadata, payload), (response, _) = records(warc)["metadata"], records(warc)["response"]
    urn = metadata.rec_headers["WARC-Target-URI"]
    record_uuid = response.rec_headers["WARC-Record-ID"].removeprefix("<urn:uuid:")[:-1]
    # Its own target URI, so an index never files it under the page's URL...
    assert urn == capture_urn(result) == f"urn:x-factcheck:capture:{record_uuid}"
    # ...and WARC-Refers-To (WARC 1.1, 6.7) names the final response it describes.
    assert metadata.rec_headers["WARC-Refers-To"] == response.rec_headers["WARC-Record-ID"]
    assert metadata.rec_headers["WARC-Date"] == warc_date(result.fetched_at)
    assert metadata.rec_headers["Content-Type"] == "application/json"
    described = json.loads(payload)
    assert described["url"] == http_server.url("/article")
    assert described["payload_sha256"] == payload_sha256(result)
    assert described["title"] == "Sahel juntas accuse Ukraine of backing terrorism"


def test_capture_record_id_is_the_same_for_the_same_capture_only(http_server, policy):
    http_server.route("/live", [Reply.html(ARTICLE), Reply.html(ARTICLE + " ")])
    first = fetch(http_server.url("/live"), policy=policy)
    edited = fetch(http_server.url("/live"), policy=policy)

    assert capture_record_id(first) == capture_record_id(first)
    assert capture_record_id(first) != capture_record_id(edited)
    assert capture_record_id(first) != capture_record_id(
        result_for(first.body, first.headers, final_url=first.final_url)
    )


def test_truncated_body_stores_its_own_length_and_keeps_the_original(http_server, tmp_path):
    long_page = ARTICLE.encode() * 100
    http_server.route("/long", Reply(200, [("Content-Type", "text/html")], long_page))
    policy = FetchPolicy(allowlist=frozenset({http_server.host_port}), max_bytes=10_000)
    result = fetch(http_server.url("/long"), policy=policy)

    warc = build_warc(result)

    warcio_check(tmp_path, warc)
    response, payload = records(warc)["response"]
    assert response.rec_headers["WARC-Truncated"] == "length"
    assert payload == long_page[:10_000]
    # A replay trusting the original length would wait for bytes never stored.
    assert response.http_headers["Content-Length"] == "10000"
    assert response.http_headers["X-Archive-Orig-Content-Length"] == str(len(long_page))
    assert str(response.http_headers).count("\r\nContent-Length: ") == 1


def test_a_long_redirect_body_is_cut_and_marked_like_a_page(http_server, policy, tmp_path):
    body = b"m" * (REDIRECT_BODY_BYTES + 5_000)
    http_server.route("/jump", Reply(302, [("Location", "/article"),
                                           ("Content-Type", "text/html")], body))
    http_server.route("/article", Reply.html(ARTICLE))
    result = fetch(http_server.url("/jump"), policy=policy)

    warc = build_warc(result)

    warcio_check(tmp_path, warc)
    hop, payload = all_records(warc)[1]
    assert hop.rec_headers["WARC-Target-URI"] == http_server.url("/jump")
    assert hop.rec_headers["WARC-Truncated"] == "length"
    assert payload == body[:REDIRECT_BODY_BYTES]
    assert hop.http_headers["Content-Length"] == str(REDIRECT_BODY_BYTES)
    assert hop.http_headers["X-Archive-Orig-Content-Length"] == str(len(body))
    assert records(warc)["response"][0].rec_headers.get_header("WARC-Truncated") is None


def test_warc_is_gzipped_per_record(http_server, policy):
    http_server.route("/article", Reply.html(ARTICLE))

    warc = build_warc(fetch(http_server.url("/article"), policy=policy))

    assert warc[:2] == b"\x1f\x8b"
    assert gzip.decompress(warc).startswith(b"WARC/1.1\r\n")


def test_truncated_chunked_body_is_marked_and_stored_byte_for_byte(http_server, tmp_path):
    http_server.route("/endless", Reply.endless(chunk_size=4096))
    policy = FetchPolicy(allowlist=frozenset({http_server.host_port}), max_bytes=10_000)
    result = fetch(http_server.url("/endless"), policy=policy)

    warc = build_warc(result)

    warcio_check(tmp_path, warc)
    response, payload = records(warc)["response"]
    assert response.rec_headers["WARC-Truncated"] == "length"
    assert payload == result.body
    assert len(payload) == 10_000
    # The body is stored de-chunked, so the header must no longer claim chunking.
    assert response.http_headers.get_header("Transfer-Encoding") is None
    assert response.http_headers["X-Archive-Orig-Transfer-Encoding"] == "chunked"


def test_html_extraction_gives_main_text_and_metadata(http_server, policy):
    http_server.route("/article", Reply.html(ARTICLE))

    extracted = extract(fetch(http_server.url("/article"), policy=policy))

    assert extracted.title == "Sahel juntas accuse Ukraine of backing terrorism"
    assert extracted.author == "Jane Reporter"
    assert extracted.date == "2024-08-21"
    assert extracted.sitename == "Euromaidan Press"
    assert extracted.language == "en"
    assert "Ukraine's foreign ministry rejected the accusation" in extracted.text
    assert "Home | News" not in extracted.text
    assert extracted.text_sha256 == hashlib.sha256(extracted.text.encode()).hexdigest()


def test_payload_and_text_hashes_follow_the_content(http_server, policy):
    first_page = ARTICLE
    edited_page = ARTICLE.replace("dozens of", "as many as 80")
    http_server.route("/live", [Reply.html(first_page), Reply.html(edited_page)])

    first = fetch(http_server.url("/live"), policy=policy)
    edited = fetch(http_server.url("/live"), policy=policy)

    assert payload_sha256(first) == hashlib.sha256(first_page.encode()).hexdigest()
    assert payload_sha256(first) != payload_sha256(edited)
    assert extract(first).text_sha256 != extract(edited).text_sha256


def test_pdf_is_archived_with_empty_text(http_server, policy, tmp_path):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    http_server.route("/letter.pdf", Reply(200, [("Content-Type", "application/pdf")], pdf))
    result = fetch(http_server.url("/letter.pdf"), policy=policy)

    extracted = extract(result)
    warc = build_warc(result)

    assert extracted.text == ""
    assert extracted.title is None
    warcio_check(tmp_path, warc)
    assert records(warc)["response"][1] == pdf


def test_plain_text_is_returned_in_its_declared_charset(http_server, policy):
    http_server.route(
        "/notes.txt",
        Reply(
            200,
            [("Content-Type", "text/plain; charset=ISO-8859-1"), ("Content-Language", "fr-FR")],
            "Communiqué du gouvernement".encode("latin-1"),
        ),
    )

    extracted = extract(fetch(http_server.url("/notes.txt"), policy=policy))

    assert extracted.text == "Communiqué du gouvernement"
    assert extracted.language == "fr"


def test_gzip_body_sent_despite_identity_is_decoded_for_text_but_archived_as_sent(tmp_path):
    body = gzip.compress(ARTICLE.encode())
    result = result_for(
        body, [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")]
    )

    extracted = extract(result)
    warc = build_warc(result)

    assert extracted.title == "Sahel juntas accuse Ukraine of backing terrorism"
    warcio_check(tmp_path, warc)
    assert records(warc)["response"][1] == body


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"\x8b\x01\x80", [("Content-Type", "text/html"), ("Content-Encoding", "br")]),
        (b"not gzip", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]),
        (b"", [("Content-Type", "text/html")]),
        (b"<html><body><p>Cut off in the mid", [("Content-Type", "text/html")]),
        (b"\xff\xfe\x00<\x00h", [("Content-Type", "text/html; charset=no-such-charset")]),
        (b"\x00\x01binary", [("Content-Type", "application/xhtml+xml")]),
    ],
)
def test_odd_content_never_crashes_extraction_or_archiving(body, headers, tmp_path):
    result = result_for(body, headers, truncated=True)

    extracted = extract(result)

    assert isinstance(extracted.text, str)
    warcio_check(tmp_path, build_warc(result))
