"""The archiver fetches only public addresses, within its time, byte and redirect caps."""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import types
from datetime import UTC, datetime
from pathlib import Path

import httpcore
import pytest

from evidence import fetch as fetch_module
from evidence.fetch import (
    REDIRECT_BODY_BYTES,
    FetchPolicy,
    PermanentFetchError,
    RefusedURL,
    TransientFetchError,
    check_url,
    fetch,
    parse_retry_after,
)
from tests.httpserver import LocalHTTPServer, Reply

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_IP = "93.184.215.14"  # only ever a resolver answer; no test connects to it
PUBLIC_IPV6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
ARTICLE = "<html lang='en'><head><title>Sahel</title></head><body><p>Text.</p></body></html>"


@pytest.fixture
def dialled(monkeypatch):
    """Record every TCP connection attempt and make it fail, so no test leaves the machine."""
    attempts = []

    def connect_tcp(self, host, port, *args, **kwargs):
        attempts.append((host, port))
        raise httpcore.ConnectError("test stub: connections are not made")

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)
    return attempts


@pytest.fixture
def resolver(monkeypatch):
    """Replace DNS with a table: ``resolver["name"] = [answer, answer, ...]``, one per lookup."""
    answers: dict[str, list[list[str]]] = {}
    lookups = []

    def resolve_host(host, port):
        lookups.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        queue = answers[host]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    monkeypatch.setattr(fetch_module, "resolve_host", resolve_host)
    return types.SimpleNamespace(answers=answers, lookups=lookups)


REFUSED_SPELLINGS = [
    "http://127.0.0.1:{port}/",
    "http://2130706433:{port}/",
    "http://0177.0.0.1:{port}/",
    "http://0x7f.1:{port}/",
    "http://0x7F.0.0.0x1:{port}/",
    "http://127.1:{port}/",
    "http://127.0.0.1.:{port}/",
    "HTTP://127.0.0.1:{port}/",
    "http://0:{port}/",
    "http://0.0.0.0:{port}/",
    "http://[::1]:{port}/",
    "http://[::]:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://[::FFFF:7f00:1]:{port}/",
    "http://[::127.0.0.1]:{port}/",
    "http://[2002:7f00:1::]:{port}/",
    "http://[64:ff9b::7f00:1]:{port}/",
    "http://[64:ff9b::a00:1]:{port}/",
    "http://[fe80::1%25lo]:{port}/",
    "http://localhost:{port}/",
    "http://localhost.:{port}/",
    "http://LOCALHOST:{port}/",
    "http://archive.localhost:{port}/",
    "http://%31%32%37.0.0.1:{port}/",
    "http://%6c%6f%63%61%6c%68%6f%73%74:{port}/",
    "http://example.com@127.0.0.1:{port}/",
    "http://127.0.0.1:{port}#@example.com/",
    "http://127.0.0.1:{port}\\@example.com/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://192.0.2.1/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[fc00::1]/",
    "http://[fd12:3456::1]/",
    "http://[fec0::1]/",
    "http://[ff02::1]/",
    "http://[2001:db8::1]/",
]


@pytest.mark.parametrize("template", REFUSED_SPELLINGS)
def test_refused_address_spellings_never_connect(template, http_server, dialled):
    # The server is on 127.0.0.1 but not allowlisted: nothing may reach it.
    url = template.format(port=http_server.port)

    with pytest.raises(RefusedURL) as refused:
        fetch(url, policy=FetchPolicy(timeout=2))

    assert refused.value.permanent
    assert dialled == []
    assert http_server.connections == 0


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "",
        "http://",
        "http:///path",
        "http://exa mple.com/",
        "http://example.com:99999/",
        "http://[::1/",
        "http://user:secret@example.com/",
        "http://1.2.3.4.5/",
        "http://256.0.0.1/",
        "http://08.0.0.1/",
        "http://1.2.3.0x100/",
        "http://example.123/",
    ],
)
def test_bad_scheme_or_malformed_url_is_refused(url, resolver, dialled):
    with pytest.raises(RefusedURL):
        fetch(url, policy=FetchPolicy())

    assert dialled == []
    assert resolver.lookups == []


def test_name_resolving_to_a_private_address_is_refused(resolver, dialled):
    resolver.answers["intranet.example"] = [["10.1.2.3"]]

    with pytest.raises(RefusedURL, match="10.1.2.3, a private address"):
        fetch("http://intranet.example/", policy=FetchPolicy())

    assert dialled == []


def test_name_is_refused_if_any_of_its_addresses_is_private(resolver, dialled):
    resolver.answers["mixed.example"] = [[PUBLIC_IP, "127.0.0.1"]]

    with pytest.raises(RefusedURL, match="loopback"):
        fetch("http://mixed.example/", policy=FetchPolicy())

    assert dialled == []


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://0x5d.184.215.14/", PUBLIC_IP),
        ("http://1572394766/", PUBLIC_IP),
        (f"http://[::ffff:{PUBLIC_IP}]/", "::ffff:5db8:d70e"),
        (f"https://[{PUBLIC_IPV6}]/", PUBLIC_IPV6),
        ("https://news.example./a", PUBLIC_IP),
    ],
)
def test_public_addresses_pass_in_any_spelling(url, address, resolver):
    resolver.answers["news.example."] = [[PUBLIC_IP]]

    assert check_url(url, policy=FetchPolicy()) == address


def test_dns_rebinding_connects_to_the_address_that_was_checked(http_server, resolver, dialled):
    # A rebinding name server answers "public" to the check and "loopback" afterwards.
    resolver.answers["rebind.example"] = [[PUBLIC_IP], ["127.0.0.1"]]

    with pytest.raises(TransientFetchError, match="connection failed"):
        fetch(f"http://rebind.example:{http_server.port}/", policy=FetchPolicy(timeout=2))

    assert resolver.lookups == ["rebind.example"]
    assert dialled == [(PUBLIC_IP, http_server.port)]
    assert http_server.connections == 0


def test_pinned_connection_keeps_the_host_name_in_the_request(http_server, resolver):
    http_server.route("/article", Reply.html(ARTICLE))
    resolver.answers["archive.test"] = [["127.0.0.1"], ["10.9.9.9"]]
    policy = FetchPolicy(allowlist=frozenset({f"archive.test:{http_server.port}"}))

    result = fetch(f"http://archive.test:{http_server.port}/article", policy=policy)

    assert result.peer_ip == "127.0.0.1"
    assert resolver.lookups == ["archive.test"]
    assert http_server.requests[0].headers["Host"] == f"archive.test:{http_server.port}"


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl command")
def test_https_to_the_pinned_address_verifies_the_certificate_of_the_name(
    tmp_path, resolver, monkeypatch
):
    # Connecting to an IP while sending SNI and checking the certificate for the name.
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=archive.test"
    command += " -addext subjectAltName=DNS:archive.test"
    subprocess.run(
        [*command.split(), "-keyout", key, "-out", cert], check=True, capture_output=True
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    resolver.answers["archive.test"] = [["127.0.0.1"]]
    resolver.answers["other.test"] = [["127.0.0.1"]]

    with LocalHTTPServer(ssl_context=context) as server:
        server.route("/", Reply.html(ARTICLE))
        allow = {f"archive.test:{server.port}", f"other.test:{server.port}"}
        policy = FetchPolicy(allowlist=frozenset(allow), timeout=5)

        result = fetch(f"https://archive.test:{server.port}/", policy=policy)
        with pytest.raises(TransientFetchError, match="CERTIFICATE_VERIFY_FAILED"):
            fetch(f"https://other.test:{server.port}/", policy=policy)

    assert result.status == 200
    assert result.final_url == f"https://archive.test:{server.port}/"


def test_allowlist_matches_the_exact_host_and_port_only(http_server, dialled):
    policy = FetchPolicy(allowlist=frozenset({http_server.host_port}))

    for url in (
        f"http://127.1:{http_server.port}/",
        f"http://localhost:{http_server.port}/",
        f"http://127.0.0.1:{http_server.port + 1}/",
        "http://127.0.0.1/",
    ):
        with pytest.raises(RefusedURL):
            fetch(url, policy=policy)

    assert dialled == []


def test_article_is_fetched_with_a_faithful_record_of_the_exchange(http_server, policy):
    http_server.route("/article", Reply.html(ARTICLE))

    result = fetch(http_server.url("/article"), policy=policy)

    assert result.status == 200
    assert result.body == ARTICLE.encode()
    assert result.content_type == "text/html"
    assert not result.truncated
    assert result.redirects == []
    assert result.requested_url == result.final_url == http_server.url("/article")
    assert result.peer_ip == "127.0.0.1"
    assert result.fetched_at.tzinfo is UTC
    assert result.header("content-type") == "text/html; charset=utf-8"
    assert ("Content-Type", "text/html; charset=utf-8") in result.headers
    assert result.request_head.startswith(b"GET /article HTTP/1.1\r\n")
    assert f"Host: {http_server.host_port}\r\n".encode() in result.request_head
    assert result.request_head.endswith(b"\r\n\r\n")
    assert result.response_head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Content-Type: text/html; charset=utf-8\r\n" in result.response_head
    assert http_server.requests[0].headers["User-Agent"] == policy.user_agent


def test_redirect_chain_is_followed_and_recorded(http_server, policy):
    http_server.route("/old", Reply.redirect("/moved", status=301))
    http_server.route("/moved", Reply.redirect(http_server.url("/article"), status=307))
    http_server.route("/article", Reply.html(ARTICLE))

    result = fetch(http_server.url("/old"), policy=policy)

    assert result.final_url == http_server.url("/article")
    assert result.redirects == [(http_server.url("/old"), 301), (http_server.url("/moved"), 307)]
    assert result.body == ARTICLE.encode()
    # Each hop is kept whole, so the archive can replay the cited URL as its redirect.
    old, moved = result.hops
    assert (old.url, old.status, old.location) == (http_server.url("/old"), 301, "/moved")
    assert moved.location == http_server.url("/article")
    assert old.request_head.startswith(b"GET /old HTTP/1.1\r\n")
    assert old.response_head.startswith(b"HTTP/1.1 301 Moved Permanently\r\n")
    assert b"Location: /moved\r\n" in old.response_head
    assert (old.body, old.truncated, old.peer_ip) == (b"", False, "127.0.0.1")
    assert old.fetched_at <= moved.fetched_at <= result.fetched_at


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:{port}/article",
        "http://2130706433:{port}/article",
        "file:///etc/passwd",
        "http://[::1",
    ],
)
def test_redirect_to_a_refused_address_is_refused(location, http_server, policy):
    http_server.route("/jump", Reply.redirect(location.format(port=http_server.port)))
    http_server.route("/article", Reply.html(ARTICLE))

    with pytest.raises(RefusedURL):
        fetch(http_server.url("/jump"), policy=policy)

    assert [request.path for request in http_server.requests] == ["/jump"]


def test_redirect_to_another_local_server_never_reaches_it(http_server, policy):
    with LocalHTTPServer() as other:
        other.route("/", Reply.html("internal"))
        http_server.route("/jump", Reply.redirect(other.url("/")))

        with pytest.raises(RefusedURL, match="loopback"):
            fetch(http_server.url("/jump"), policy=policy)

        assert other.connections == 0


def test_redirect_loop_is_a_permanent_error(http_server, policy):
    http_server.route("/a", Reply.redirect("/b"))
    http_server.route("/b", Reply.redirect("/a"))

    with pytest.raises(PermanentFetchError, match="redirect loop"):
        fetch(http_server.url("/a"), policy=policy)


@pytest.mark.parametrize(("hops", "allowed"), [(5, True), (6, False)])
def test_redirects_are_capped(hops, allowed, http_server, policy):
    for hop in range(hops):
        http_server.route(f"/{hop}", Reply.redirect(f"/{hop + 1}"))
    http_server.route(f"/{hops}", Reply.html(ARTICLE))

    if allowed:
        assert len(fetch(http_server.url("/0"), policy=policy).redirects) == hops
    else:
        with pytest.raises(PermanentFetchError, match="more than 5 redirects"):
            fetch(http_server.url("/0"), policy=policy)


def test_redirect_without_location_is_a_permanent_error(http_server, policy):
    http_server.route("/nowhere", Reply(302))

    with pytest.raises(PermanentFetchError, match="without saying where"):
        fetch(http_server.url("/nowhere"), policy=policy)


def test_slow_trickle_is_cut_off_at_the_total_timeout(http_server):
    http_server.route("/slow", Reply.trickle(interval=0.05, count=200))
    policy = FetchPolicy(allowlist=frozenset({http_server.host_port}), timeout=0.5)

    started = time.monotonic()
    with pytest.raises(TransientFetchError, match="within 0.5 seconds") as error:
        fetch(http_server.url("/slow"), policy=policy)

    assert time.monotonic() - started < 0.8
    assert not error.value.permanent


def test_server_that_never_answers_is_cut_off_at_the_total_timeout(http_server):
    http_server.route("/stall", lambda request: time.sleep(2) or Reply.html(ARTICLE))
    policy = FetchPolicy(allowlist=frozenset({http_server.host_port}), timeout=0.3)

    started = time.monotonic()
    with pytest.raises(TransientFetchError):
        fetch(http_server.url("/stall"), policy=policy)

    assert time.monotonic() - started < 0.6


def test_endless_body_is_truncated_at_the_byte_cap(http_server):
    http_server.route("/endless", Reply.endless(chunk_size=10_000))
    policy = FetchPolicy(allowlist=frozenset({http_server.host_port}), max_bytes=123_456)

    result = fetch(http_server.url("/endless"), policy=policy)

    assert result.truncated
    assert len(result.body) == 123_456


def test_redirect_bodies_are_capped_and_count_against_the_byte_cap(http_server):
    moved_page = b"m" * (REDIRECT_BODY_BYTES + 1)
    http_server.route("/a", Reply(302, [("Location", "/b")], moved_page))
    http_server.route("/b", Reply(302, [("Location", "/page")], b"short"))
    http_server.route("/page", Reply.text("x" * 100_000))
    cap = REDIRECT_BODY_BYTES + 50_000
    policy = FetchPolicy(allowlist=frozenset({http_server.host_port}), max_bytes=cap)

    result = fetch(http_server.url("/a"), policy=policy)

    first, second = result.hops
    assert first.body == moved_page[:REDIRECT_BODY_BYTES] and first.truncated
    assert second.body == b"short" and not second.truncated
    assert result.truncated
    assert len(result.body) == cap - REDIRECT_BODY_BYTES - len(b"short")


def test_body_of_exactly_the_cap_is_not_truncated(http_server):
    http_server.route("/exact", Reply.text("x" * 1000))
    policy = FetchPolicy(allowlist=frozenset({http_server.host_port}), max_bytes=1000)

    result = fetch(http_server.url("/exact"), policy=policy)

    assert not result.truncated
    assert len(result.body) == 1000


def test_503_is_transient_with_retry_after_then_the_retry_succeeds(http_server, policy):
    unavailable = Reply(503, [("Retry-After", "7")], b"busy")
    http_server.route("/flaky", [unavailable, Reply.html(ARTICLE)])

    with pytest.raises(TransientFetchError) as error:
        fetch(http_server.url("/flaky"), policy=policy)
    result = fetch(http_server.url("/flaky"), policy=policy)

    assert (error.value.status, error.value.retry_after) == (503, 7.0)
    assert not error.value.permanent
    assert result.status == 200


def test_429_is_transient_and_reads_an_http_date_retry_after(http_server, policy):
    later = "Wed, 21 Oct 2099 07:28:00 GMT"
    http_server.route("/busy", Reply(429, [("Retry-After", later)]))

    with pytest.raises(TransientFetchError) as error:
        fetch(http_server.url("/busy"), policy=policy)

    assert error.value.status == 429
    assert error.value.retry_after > 365 * 24 * 3600


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Fri, 27 Nov 2026 10:01:30 GMT", 90.0),
        ("Fri, 27 Nov 2026 09:00:00 GMT", 0.0),
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_retry_after_forms(value, seconds):
    now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)

    assert parse_retry_after(value, now=now) == seconds


@pytest.mark.parametrize("status", [400, 403, 404, 410, 451])
def test_client_errors_are_permanent(status, http_server, policy):
    http_server.route("/gone", Reply.text("no", status=status))

    with pytest.raises(PermanentFetchError) as error:
        fetch(http_server.url("/gone"), policy=policy)

    assert error.value.permanent
    assert error.value.status == status


def test_pdf_and_plain_text_are_archived(http_server, policy):
    http_server.route("/letter.pdf", Reply(200, [("Content-Type", "application/pdf")], b"%PDF-1.4"))
    http_server.route("/notes.txt", Reply.text("plain"))

    assert fetch(http_server.url("/letter.pdf"), policy=policy).content_type == "application/pdf"
    assert fetch(http_server.url("/notes.txt"), policy=policy).content_type == "text/plain"


@pytest.mark.parametrize(
    "headers", [[("Content-Type", "application/octet-stream")], [("Content-Type", "image/png")], []]
)
def test_other_content_types_are_a_permanent_error(headers, http_server, policy):
    http_server.route("/blob", Reply(200, headers, b"\x00\x01\x02"))

    with pytest.raises(PermanentFetchError, match="not archived"):
        fetch(http_server.url("/blob"), policy=policy)


def test_content_that_changes_is_fetched_afresh(http_server, policy):
    http_server.route("/live", [Reply.html("<p>first</p>"), Reply.html("<p>edited</p>")])

    first = fetch(http_server.url("/live"), policy=policy)
    second = fetch(http_server.url("/live"), policy=policy)

    assert (first.body, second.body) == (b"<p>first</p>", b"<p>edited</p>")


def test_connection_refused_is_transient():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = FetchPolicy(allowlist=frozenset({f"127.0.0.1:{port}"}), timeout=2)

    with pytest.raises(TransientFetchError, match="connection failed"):
        fetch(f"http://127.0.0.1:{port}/", policy=policy)


def test_unresolvable_name_is_transient(resolver, dialled):
    with pytest.raises(TransientFetchError, match="did not resolve"):
        fetch("http://no-such-host.example/", policy=FetchPolicy())

    assert dialled == []


def test_policy_from_settings_reads_django_settings_with_defaults(monkeypatch):
    settings = types.SimpleNamespace(
        FETCH_ALLOWLIST=["127.0.0.1:8001", " Archive.test:8002", ""], FETCH_TIMEOUT=5.0
    )
    monkeypatch.setitem(sys.modules, "django.conf", types.SimpleNamespace(settings=settings))

    policy = FetchPolicy.from_settings()

    allowlist = frozenset({"127.0.0.1:8001", "archive.test:8002"})
    assert policy == FetchPolicy(allowlist=allowlist, timeout=5.0)


def test_unset_fetch_settings_leave_the_policy_defaults(monkeypatch):
    settings = types.SimpleNamespace(
        FETCH_ALLOWLIST=[], FETCH_MAX_BYTES=None, FETCH_TIMEOUT=None,
        FETCH_CONNECT_TIMEOUT=None, FETCH_MAX_REDIRECTS=3, FETCH_USER_AGENT=None,
    )
    monkeypatch.setitem(sys.modules, "django.conf", types.SimpleNamespace(settings=settings))

    assert FetchPolicy.from_settings() == FetchPolicy(max_redirects=3)


def test_the_project_fetches_with_the_policy_defaults_when_nothing_is_set(tmp_path):
    """FetchPolicy's defaults are the only ones: the settings add none of their own (they
    once had a second user agent)."""
    code = ("import django; django.setup(); from evidence.fetch import FetchPolicy; "
            "print(FetchPolicy.from_settings() == FetchPolicy())")
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "DEBUG": "true",
           "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
