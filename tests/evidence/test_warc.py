"""A fetched source becomes a valid WARC, readable text with metadata, and stable hashes."""

import gzip
import hashlib
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import datetime_to_iso_date

from evidence.fetch import FetchPolicy, FetchResult, fetch
from evidence.warc import build_warc, extract, payload_sha256
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
    """The WARC's records by type, each with its payload as stored (no decoding)."""
    found = {}
    for record in ArchiveIterator(io.BytesIO(warc)):
        found[record.rec_type] = (record, record.raw_stream.read())
    return found


def result_for(body: bytes, headers: list[tuple[str, str]], **fields) -> FetchResult:
    """A FetchResult as `fetch` would build it, for cases a server can't easily produce."""
    head = b"HTTP/1.1 200 OK\r\n" + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers)
    content_type = dict(headers).get("Content-Type", "").split(";")[0].lower()
    defaults = {
        "requested_url": "https://news.example/a",
        "final_url": "https://news.example/a",
        "redirects": [],
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
    http_server.route("/share", Reply.redirect("/article"))
    http_server.route("/article", Reply.html(ARTICLE))
    result = fetch(http_server.url("/share"), policy=policy)

    warc = build_warc(result)

    assert "digest pass" in warcio_check(tmp_path, warc)
    found = records(warc)
    assert list(found) == ["warcinfo", "response", "request"]
    warcinfo, _ = found["warcinfo"]
    response, payload = found["response"]
    request, _ = found["request"]
    assert response.rec_headers["WARC-Target-URI"] == http_server.url("/article")
    assert request.rec_headers["WARC-Target-URI"] == http_server.url("/article")
    fetched_at = datetime_to_iso_date(result.fetched_at.replace(tzinfo=None), use_micros=True)
    assert response.rec_headers["WARC-Date"] == request.rec_headers["WARC-Date"] == fetched_at
    assert response.rec_headers["WARC-IP-Address"] == "127.0.0.1"
    assert request.rec_headers["WARC-Concurrent-To"] == response.rec_headers["WARC-Record-ID"]
    assert response.rec_headers["WARC-Warcinfo-ID"] == warcinfo.rec_headers["WARC-Record-ID"]
    assert response.rec_headers.get_header("WARC-Truncated") is None
    assert payload == result.body
    assert response.http_headers.get_statuscode() == "200"
    assert response.http_headers["Content-Type"] == "text/html; charset=utf-8"
    assert request.http_headers.protocol == "GET"
    assert request.http_headers.statusline == "/article HTTP/1.1"
    assert request.http_headers["Host"] == http_server.host_port


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
