"""A real HTTP server on 127.0.0.1 for tests that need the network without the internet.

Register what each path answers, then point the code under test at ``server.url(path)``::

    server.route("/article", Reply.html("<html>...</html>"))
    server.route("/flaky", [Reply(503, headers=[("Retry-After", "7")]), Reply.html("ok")])
    server.route("/echo", lambda request: Reply.text(request.headers["User-Agent"]))

A route is a `Reply`, a list of replies served in turn (the last one repeats), or a
callable taking the `RecordedRequest` and returning a `Reply`. A reply body that is an
iterable of bytes is streamed with chunked encoding, one flush per chunk, so slow and
endless bodies are easy to build (`Reply.trickle`, `Reply.endless`); such a body is
consumed by the first request that gets it.

Pass ``ssl_context`` (a server-side context with a certificate loaded) to serve HTTPS.

Every request is recorded in ``server.requests`` and every accepted TCP connection is
counted in ``server.connections``, so a test can prove that nothing reached the server.
The `http_server` fixture in ``tests/evidence/conftest.py`` starts one per test.
"""

from __future__ import annotations

import itertools
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

__all__ = ["LocalHTTPServer", "RecordedRequest", "Reply"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Reply:
    """What the server sends back: a status, headers, and a body (bytes or chunks)."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Iterable[bytes] = b""

    @classmethod
    def html(cls, markup: str, *, status: int = 200) -> Reply:
        return cls(status, [("Content-Type", "text/html; charset=utf-8")], markup.encode())

    @classmethod
    def text(cls, text: str, *, status: int = 200) -> Reply:
        return cls(status, [("Content-Type", "text/plain; charset=utf-8")], text.encode())

    @classmethod
    def redirect(cls, location: str, *, status: int = 302) -> Reply:
        return cls(status, [("Location", location)])

    @classmethod
    def trickle(cls, *, chunk: bytes = b".", interval: float = 0.05, count: int = 1000) -> Reply:
        """An HTML body sent one small chunk every ``interval`` seconds."""

        def chunks() -> Iterable[bytes]:
            for _ in range(count):
                yield chunk
                time.sleep(interval)

        return cls(200, [("Content-Type", "text/html")], chunks())

    @classmethod
    def endless(cls, *, chunk_size: int = 64 * 1024, limit: int = 256 * 1024 * 1024) -> Reply:
        """A text body that goes on until the client hangs up (or ``limit`` bytes)."""
        chunk = b"x" * chunk_size
        chunks = itertools.repeat(chunk, limit // chunk_size)
        return cls(200, [("Content-Type", "text/plain")], chunks)


Route = Reply | list[Reply] | Callable[[RecordedRequest], Reply]


class LocalHTTPServer:
    """A threaded HTTP/1.1 server on an ephemeral port of 127.0.0.1."""

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None) -> None:
        self.requests: list[RecordedRequest] = []
        self.connections = 0
        self._routes: dict[str, Callable[[RecordedRequest], Reply] | _Sequence] = {}
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server.owner = self
        self.scheme = "https" if ssl_context else "http"
        if ssl_context:
            self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
        # A short poll interval keeps stop() (and so each test's teardown) quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def host_port(self) -> str:
        """``127.0.0.1:PORT``, as a fetch allowlist entry expects it."""
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://{self.host_port}{path}"

    def route(self, path: str, route: Route) -> None:
        """Make ``path`` (without query string) answer with ``route``."""
        if isinstance(route, Reply):
            self._routes[path] = lambda request: route
        elif isinstance(route, list):
            self._routes[path] = _Sequence(route)
        else:
            self._routes[path] = route

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            route = self._routes.get(request.path.split("?")[0])
            if isinstance(route, _Sequence):
                return route.next()
        # Outside the lock, so that a slow route doesn't hold up the other requests.
        return route(request) if route else Reply.text("no such route", status=404)


class _Sequence:
    """Replies served in turn, the last one repeating; advanced under the server's lock."""

    def __init__(self, replies: list[Reply]) -> None:
        self._replies = iter(replies)
        self._last = replies[-1]

    def next(self) -> Reply:
        return next(self._replies, self._last)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Don't wait at shutdown for handlers still trickling to a client that gave up.
    block_on_close = False
    owner: LocalHTTPServer

    def handle_error(self, request, client_address) -> None:
        # A client hanging up on a kept-alive connection (a capped read) is expected.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def verify_request(self, request, client_address) -> bool:
        with self.owner._lock:
            self.owner.connections += 1
        return True


def _handler_for(owner: LocalHTTPServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            request = RecordedRequest("GET", self.path, dict(self.headers.items()))
            reply = owner._reply(request)
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            try:
                if isinstance(reply.body, bytes):
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                else:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for chunk in reply.body:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                # The client stopped reading (byte cap, timeout): expected, not an error.
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            # Requests are in `owner.requests`; keep pytest output quiet.
            pass

    return Handler
