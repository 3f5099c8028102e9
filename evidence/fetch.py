"""Fetch a cited source over HTTP without letting the archiver be turned against us.

A URL typed by a fact-checker (or a redirect chosen by the site behind it) must never
make a worker talk to the database, the cache, a cloud metadata endpoint or anything
else on a private network. `fetch` therefore:

* accepts only http and https URLs without embedded credentials;
* resolves the host once per hop, refuses it if *any* resolved address is not public,
  and then connects to exactly the address it checked (no second DNS lookup that a
  rebinding name server could answer differently);
* follows redirects itself, checking every hop the same way;
* enforces one wall-clock budget for the whole fetch, one byte cap on the bodies it
  keeps (redirects' included), and a cap on redirects.

The only exception to the address rules is an exact ``host:port`` entry in
``FetchPolicy.allowlist`` (how tests reach their local servers).
"""

from __future__ import annotations

import email.utils
import functools
import io
import ipaddress
import os
import re
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpcore
import httpx

__all__ = [
    "FetchError",
    "FetchPolicy",
    "FetchResult",
    "Hop",
    "PermanentFetchError",
    "RefusedURL",
    "TransientFetchError",
    "check_url",
    "fetch",
    "parse_retry_after",
    "resolve_host",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A redirect's body is a short "moved here" page; more than this is kept to no purpose.
REDIRECT_BODY_BYTES = 64 * 1024
DEFAULT_USER_AGENT = "FactcheckArchiver/1.0 (+https://example.org/methodology/)"

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ARCHIVED_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/pdf"})

# 100.64.0.0/10 (carrier-grade NAT) is neither "private" nor "reserved" to the
# ipaddress module in every Python version, so it is named here explicitly.
SHARED_ADDRESS_SPACE = ipaddress.IPv4Network("100.64.0.0/10")
# NAT64 prefixes carry an IPv4 address in their last 32 bits (RFC 6052, RFC 8215).
NAT64_PREFIXES = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)


class FetchError(Exception):
    """A source could not be archived.

    ``permanent`` tells a worker whether retrying can help; ``reason`` is a short
    explanation a fact-checker can act on; ``url`` is the URL that was asked for or,
    for a failing redirect hop, that hop; ``status`` is the HTTP status, if any.
    """

    permanent = True

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{reason} ({url})")
        self.url = url
        self.reason = reason
        self.status = status


class RefusedURL(FetchError):
    """The URL breaks the fetch policy: bad scheme, malformed, or a non-public address."""


class PermanentFetchError(FetchError):
    """The server answered, but retrying will not help (4xx, unsupported type, redirects)."""


class TransientFetchError(FetchError):
    """A failure worth retrying later: timeout, connection or DNS failure, 429 or 5xx.

    ``retry_after`` is the server's requested delay in seconds, when it gave one.
    """

    permanent = False

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(url, reason, status=status)
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch. The defaults here are the project's only ones: the FETCH_*
    settings are None unless their environment variable is set (factcheck/settings.py).

    ``allowlist`` holds exact ``host:port`` entries exempt from the address rules:
    lowercase, international names in their ``xn--`` form, IPv6 in brackets
    (``[::1]:8000``). ``timeout`` bounds the whole fetch, redirects included;
    ``connect_timeout`` bounds each connection attempt within it.
    """

    allowlist: frozenset[str] = frozenset()
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 30.0
    connect_timeout: float = 10.0
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT

    @classmethod
    def from_settings(cls) -> FetchPolicy:
        """The policy Django settings ask for: each FETCH_* setting that is present and not
        None replaces the default above."""
        from django.conf import settings

        overrides = {
            name: value
            for name, setting in _POLICY_SETTINGS.items()
            if (value := getattr(settings, setting, None)) is not None
        }
        return cls(
            # Entries come from a comma-separated environment variable: tidy them.
            allowlist=frozenset(
                entry.strip().lower()
                for entry in getattr(settings, "FETCH_ALLOWLIST", None) or ()
                if entry.strip()
            ),
            **overrides,
        )


# FetchPolicy field -> the Django setting that may override it.
_POLICY_SETTINGS = {
    "max_bytes": "FETCH_MAX_BYTES",
    "timeout": "FETCH_TIMEOUT",
    "connect_timeout": "FETCH_CONNECT_TIMEOUT",
    "max_redirects": "FETCH_MAX_REDIRECTS",
    "user_agent": "FETCH_USER_AGENT",
}


@dataclass(frozen=True)
class Hop:
    """One redirect on the way to the final response, kept whole so that an archive
    replays the cited URL as the redirect it was.

    The fields mean what `FetchResult`'s of the same name do. ``body`` holds at most
    ``REDIRECT_BODY_BYTES`` of the redirect's own body, counted against the fetch's
    byte cap; ``truncated`` says more was on offer. ``location`` is the Location
    header as sent (possibly relative).
    """

    url: str
    status: int
    location: str
    request_head: bytes
    response_head: bytes
    body: bytes = field(repr=False)
    truncated: bool
    fetched_at: datetime
    peer_ip: str


@dataclass(frozen=True)
class FetchResult:
    """What was fetched, with enough of the exchange to write faithful WARC records.

    ``request_head`` and ``response_head`` are the HTTP/1.1 start line and header
    block (ending in a blank line) as sent and as received, with header names,
    order and values preserved. ``body`` is the payload after transfer decoding
    (chunking removed) but before content decoding: a gzip body stays gzipped.
    ``hops`` are the redirects that led from ``requested_url`` to ``final_url``, in
    order; the fields above describe the final response only.
    """

    requested_url: str
    final_url: str
    status: int
    headers: list[tuple[str, str]]
    request_head: bytes
    response_head: bytes
    body: bytes = field(repr=False)
    content_type: str
    truncated: bool
    fetched_at: datetime
    peer_ip: str
    hops: tuple[Hop, ...] = ()

    @property
    def redirects(self) -> list[tuple[str, int]]:
        """``(url, status)`` of every redirect followed, in order."""
        return [(hop.url, hop.status) for hop in self.hops]

    def header(self, name: str) -> str | None:
        """Return the first response header called ``name`` (case-insensitive), if any."""
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)


def resolve_host(host: str, port: int) -> list[str]:
    """Return every address ``host`` resolves to, in resolver order, without duplicates.

    This is the only DNS lookup the fetcher makes, which is what makes it a seam for
    tests. Raises ``socket.gaierror`` when the name does not resolve.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class _Target:
    url: httpx.URL
    address: str


def check_url(url: str, *, policy: FetchPolicy) -> str:
    """Check ``url`` against the policy and return the address a fetch would connect to.

    Raises ``RefusedURL`` when the URL is not allowed and ``TransientFetchError``
    when its host name does not resolve.
    """
    return _target(url, policy).address


def fetch(url: str, *, policy: FetchPolicy) -> FetchResult:
    """GET ``url`` under ``policy`` and return the final response with its body.

    Redirects are followed (each hop checked like the first URL) and kept as ``hops``.
    The bodies kept, redirects' and the final one together, come to at most
    ``policy.max_bytes``; a final body cut there has ``truncated`` set. The whole call,
    redirects included, ends within ``policy.timeout`` seconds (DNS lookups aside,
    which the system resolver bounds).

    Raises ``RefusedURL``, ``TransientFetchError`` or ``PermanentFetchError``.
    """
    deadline = time.monotonic() + policy.timeout
    hops: list[Hop] = []
    current = url
    while True:
        target = _target(current, policy)
        room = policy.max_bytes - sum(len(hop.body) for hop in hops)
        result = _exchange(url, target, policy, deadline, hops, room)
        if isinstance(result, FetchResult):
            return result
        hops.append(result)
        try:
            following = str(target.url.join(result.location))
        except httpx.InvalidURL as exc:
            raise RefusedURL(url, f"{current} redirects to a malformed URL: {exc}") from exc
        if following in {hop.url for hop in hops}:
            raise PermanentFetchError(
                url, f"redirect loop: {current} sends us back to {following}",
                status=result.status,
            )
        if len(hops) > policy.max_redirects:
            raise PermanentFetchError(
                url, f"more than {policy.max_redirects} redirects", status=result.status
            )
        current = following


def _target(url: str, policy: FetchPolicy) -> _Target:
    """Parse ``url`` the way the HTTP client will, then pick and vet the address."""
    if re.search(r"[\x00-\x20\x7f\\]", url):
        # Whitespace, control characters and backslashes are where URL parsers
        # disagree with each other; a real citation never needs them raw.
        raise RefusedURL(url, "the URL contains spaces, control characters or backslashes")
    try:
        parsed = httpx.URL(url)
        port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    except httpx.InvalidURL as exc:
        raise RefusedURL(url, f"the URL is malformed: {exc}") from exc
    if parsed.scheme not in ("http", "https"):
        raise RefusedURL(url, "only http and https URLs can be archived")
    if parsed.userinfo:
        raise RefusedURL(url, "URLs with a user name or password in them are not fetched")
    if port is None or not 0 < port < 65536:
        raise RefusedURL(url, "the URL's port is not a valid TCP port")
    host = parsed.raw_host.decode("ascii")
    if not host or "%" in host:
        # Percent-encoded (or zone-qualified) hosts are a classic way to slip an
        # address past a filter; no public site needs one.
        raise RefusedURL(url, "the URL has no host, or a percent-encoded one")

    allowlisted = f"{_bracketed(host)}:{port}" in policy.allowlist
    literal = _ip_literal(url, host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        name = host.rstrip(".")
        if not allowlisted and (name == "localhost" or name.endswith(".localhost")):
            raise RefusedURL(url, f"{host} is a local host name; only public sites are archived")
        try:
            addresses = resolve_host(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise TransientFetchError(url, f"the host name {host} did not resolve: {exc}") from exc
        if not addresses:
            raise TransientFetchError(url, f"the host name {host} resolved to no address")

    if not allowlisted:
        for address in addresses:
            refusal = _refusal(ipaddress.ip_address(address))
            if refusal:
                raise RefusedURL(
                    url,
                    f"{host} points to {address}, {refusal}; only public addresses are "
                    f"archived (FETCH_ALLOWLIST can exempt an exact host:port)",
                )
    return _Target(url=parsed, address=addresses[0])


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _ip_literal(url: str, host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Return the address a host spells, if it is an IP literal in any spelling.

    IPv4 follows the WHATWG URL parser that browsers and resolvers share: one to four
    dot-separated parts, each decimal, octal (leading 0) or hex (0x), the last part
    filling the remaining bytes, so ``2130706433``, ``0177.0.0.1``, ``0x7f.1`` and
    ``127.1`` all mean 127.0.0.1. A host whose last label is numeric but is not a
    valid address is refused, since resolvers disagree on what it means.
    """
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise RefusedURL(url, f"{host} is not a valid IPv6 address") from exc
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    if not re.fullmatch(r"[0-9]+|0[xX][0-9a-fA-F]*", labels[-1]):
        return None
    try:
        numbers = [_ipv4_number(label) for label in labels]
    except ValueError as exc:
        raise RefusedURL(url, f"{host} is not a valid IPv4 address") from exc
    *head, last = numbers
    if len(numbers) > 4 or any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise RefusedURL(url, f"{host} is not a valid IPv4 address")
    value = last + sum(n << (8 * (3 - i)) for i, n in enumerate(head))
    return ipaddress.IPv4Address(value)


def _ipv4_number(label: str) -> int:
    if label[:2].lower() == "0x":
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label[1:], 8)
    if not label.isdigit():
        raise ValueError(label)
    return int(label)


def _refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Say why ``address`` must not be fetched, or return None if it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        # A socket given ::ffff:a.b.c.d talks IPv4 to a.b.c.d, so that is what to judge.
        inner = _refusal(address.ipv4_mapped)
        return f"which maps to {address.ipv4_mapped}, {inner}" if inner else None
    checks = (
        ("is_loopback", "a loopback address"),
        ("is_unspecified", "the unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
        ("is_site_local", "a site-local address"),
    )
    for attribute, reason in checks:
        if getattr(address, attribute, False):
            return reason
    if isinstance(address, ipaddress.IPv4Address):
        if address in SHARED_ADDRESS_SPACE:
            return "a shared (carrier-grade NAT) address"
    else:
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            inner = _refusal(embedded)
            if inner:
                return f"which embeds {embedded}, {inner}"
    if not address.is_global:
        return "not a globally routable address"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address tunnels to, for the forms that do."""
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if int(address) < 2**32 or any(address in prefix for prefix in NAT64_PREFIXES):
        # IPv4-compatible (::a.b.c.d) and NAT64 addresses keep IPv4 in the low 32 bits.
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _exchange(
    requested_url: str,
    target: _Target,
    policy: FetchPolicy,
    deadline: float,
    hops: list[Hop],
    max_bytes: int,
) -> FetchResult | Hop:
    """Do one GET, keeping at most ``max_bytes`` of the body; return the result, or the
    `Hop` for a redirect (``hops`` are the redirects before it)."""
    url = str(target.url)
    timeout = httpx.Timeout(policy.timeout, connect=policy.connect_timeout)
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/pdf,text/*;q=0.9,*/*;q=0.1",
        # An unencoded body keeps the byte cap meaningful and extraction simple.
        "Accept-Encoding": "identity",
        "Connection": "close",
    }
    # Straight to the transport rather than through httpx.Client: no environment proxy
    # (which would resolve the name itself), no cookies, and no redirect handling of
    # its own that could choke on a hostile Location header before we judge it.
    request = httpx.Request(
        "GET", target.url, headers=headers, extensions={"timeout": timeout.as_dict()}
    )
    with _PinnedTransport(target.address, deadline) as transport:
        try:
            response = transport.handle_request(request)
            fetched_at = datetime.now(UTC)
            try:
                if response.status_code in REDIRECT_STATUSES:
                    location = response.headers.get("location")
                    if not location:
                        raise PermanentFetchError(
                            url,
                            "the server redirected without saying where to",
                            status=response.status_code,
                        )
                    body, truncated = _read_capped(
                        response, min(REDIRECT_BODY_BYTES, max_bytes)
                    )
                    return Hop(
                        url=url,
                        status=response.status_code,
                        location=location,
                        request_head=_request_head(request),
                        response_head=_response_head(response),
                        body=body,
                        truncated=truncated,
                        fetched_at=fetched_at,
                        peer_ip=target.address,
                    )
                _raise_for_status(url, response)
                content_type = _media_type(response.headers.get("content-type"))
                if not _archivable(content_type):
                    raise PermanentFetchError(
                        url,
                        f"content type {content_type!r} is not archived "
                        "(only HTML, XHTML, PDF and plain text are)",
                        status=response.status_code,
                    )
                body, truncated = _read_capped(response, max_bytes)
            finally:
                response.close()
        except httpcore.TimeoutException as exc:
            raise TransientFetchError(
                url, f"no complete answer within {policy.timeout:g} seconds ({exc})"
            ) from exc
        except (httpcore.NetworkError, httpcore.ProtocolError) as exc:
            raise TransientFetchError(url, f"the connection failed: {exc}") from exc

    return FetchResult(
        requested_url=requested_url,
        final_url=url,
        status=response.status_code,
        headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
        request_head=_request_head(request),
        response_head=_response_head(response),
        body=body,
        content_type=content_type,
        truncated=truncated,
        fetched_at=fetched_at,
        peer_ip=target.address,
        hops=tuple(hops),
    )


def _raise_for_status(url: str, response: httpx.Response) -> None:
    status = response.status_code
    if status == 429 or status >= 500:
        raise TransientFetchError(
            url,
            f"the server answered {status} {response.reason_phrase}; try again later",
            status=status,
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
    if status >= 400:
        raise PermanentFetchError(
            url, f"the server answered {status} {response.reason_phrase}", status=status
        )
    if not 200 <= status < 300:
        raise PermanentFetchError(url, f"unexpected HTTP status {status}", status=status)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Turn a ``Retry-After`` value (delta-seconds or HTTP-date) into seconds from now.

    Returns None when the header is absent or unreadable; a date in the past gives 0.
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        # RFC 9110 HTTP-dates are always GMT; "-0000" parses as naive.
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _media_type(content_type: str | None) -> str:
    # A missing Content-Type means "unknown bytes" (RFC 9110 §8.3).
    return (content_type or "application/octet-stream").split(";")[0].strip().lower()


def _archivable(media_type: str) -> bool:
    return media_type in ARCHIVED_CONTENT_TYPES or media_type.startswith("text/")


def _read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    """Read at most ``max_bytes`` of the body; say whether more was on offer."""
    buffer = io.BytesIO()
    for chunk in response.iter_raw():
        room = max_bytes - buffer.tell()
        if len(chunk) > room:
            buffer.write(chunk[:room])
            return buffer.getvalue(), True
        buffer.write(chunk)
    # BytesIO.getvalue() hands over its buffer rather than copying it.
    return buffer.getvalue(), False


def _request_head(request: httpx.Request) -> bytes:
    start = b"%s %s HTTP/1.1\r\n" % (request.method.encode("ascii"), request.url.raw_path)
    return start + _header_block(request.headers.raw)


def _response_head(response: httpx.Response) -> bytes:
    reason = response.extensions.get("reason_phrase", b"")
    start = b"%s %d %s\r\n" % (response.http_version.encode("ascii"), response.status_code, reason)
    return start + _header_block(response.headers.raw)


def _header_block(headers: list[tuple[bytes, bytes]]) -> bytes:
    return b"".join(b"%s: %s\r\n" % pair for pair in headers) + b"\r\n"


def _clamp(deadline: float, timeout: float | None) -> float:
    """Shrink a per-operation timeout so that it cannot outlive the fetch's deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise httpcore.ReadTimeout("the total time budget is spent")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the fetch's deadline.

    Per-read timeouts alone let a server that trickles one byte at a time keep a
    worker busy forever; clamping each operation to the deadline bounds the total.
    """

    def __init__(self, stream: httpcore.NetworkStream, deadline: float) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _clamp(self._deadline, timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _clamp(self._deadline, timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> _DeadlineStream:
        stream = self._stream.start_tls(
            ssl_context, server_hostname, _clamp(self._deadline, timeout)
        )
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Opens every connection to one pre-checked address, whatever host is asked for."""

    def __init__(self, address: str, deadline: float) -> None:
        self._address = address
        self._deadline = deadline
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        # `host` is the URL's name. Dialling the address we already vetted instead of
        # resolving `host` again is the DNS-rebinding defence; the name still goes
        # into the Host header, SNI and certificate check, which happen above us.
        stream = self._backend.connect_tcp(
            self._address, port, _clamp(self._deadline, timeout), local_address, socket_options
        )
        return _DeadlineStream(stream, self._deadline)


class _CoreStream(httpx.SyncByteStream):
    def __init__(self, stream) -> None:
        self._stream = stream

    def __iter__(self):
        yield from self._stream

    def close(self) -> None:
        self._stream.close()


@functools.cache
def _ssl_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """The verifying TLS context, built once per process and trust store.

    Loading the CA bundle takes about 20 ms, a third of an archive's whole cost when
    done per fetch; a context is safe to share between connections and threads.
    """
    return httpx.create_ssl_context()


class _PinnedTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore pool that can only reach one address.

    Exceptions are httpcore's, unmapped: ``fetch`` turns them into domain errors.
    """

    def __init__(self, address: str, deadline: float) -> None:
        self._pool = httpcore.ConnectionPool(
            # Keyed on the variables httpx reads, so a changed trust store takes effect.
            ssl_context=_ssl_context(
                os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
            ),
            network_backend=_PinnedBackend(address, deadline),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._pool.handle_request(
            httpcore.Request(
                method=request.method,
                url=httpcore.URL(
                    scheme=request.url.raw_scheme,
                    host=request.url.raw_host,
                    port=request.url.port,
                    target=request.url.raw_path,
                ),
                headers=request.headers.raw,
                content=request.stream,
                extensions=request.extensions,
            )
        )
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_CoreStream(response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()
