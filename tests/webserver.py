"""A picture server of the tests' own: https on loopback, with its own authority.

A build downloads only from public addresses over https; to test downloads,
:func:`serving` starts a server on 127.0.0.1 with a certificate from a
throwaway authority (trustme) and, unless told not to, lets builds reach it:
it replaces ``emn_pdf.remote.NETWORK`` with one that also reaches loopback and
trusts that authority, and puts the product's back afterwards.  Each route
answers one path; the server counts the requests of each.
"""

from __future__ import annotations

import http.server
import io
import ssl
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import trustme
from PIL import Image

from emn_pdf.machinery import remote

Route = Callable[[http.server.BaseHTTPRequestHandler], None]


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    """Return a small opaque PNG."""
    output = io.BytesIO()
    Image.new("RGB", size, "#1d4f91").save(output, "PNG")
    return output.getvalue()


def answer(body: bytes, mime_type: str = "image/png", delay: float = 0) -> Route:
    """Return a route answering ``body`` after ``delay`` seconds."""

    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        time.sleep(delay)
        handler.send_response(200)
        handler.send_header("Content-Type", mime_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def redirect(location: str) -> Route:
    """Return a route redirecting to ``location``."""

    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.end_headers()

    return route


def trickle(head: bytes, body: bytes, interval: float = 0.25) -> Route:
    """Return a route sending ``head`` at once, then ``body`` a byte at a time."""

    def route(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.wfile.write(head)
        for byte in body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(interval)

    return route


HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 40\r\n\r\n"
#: Headers one byte at a time, then nothing: no read ever waits long.
TRICKLED_HEADERS = trickle(b"", HEADERS)
#: The headers at once, then a body one byte at a time.
TRICKLED_BODY = trickle(HEADERS, b"x" * 40)


@dataclass
class Server:
    """A server running: its address, and how often each path was asked for."""

    url: str
    requests: Counter[str] = field(default_factory=Counter)


@contextmanager
def serving(routes: dict[str, Route], reachable: bool = True) -> Iterator[Server]:
    """Serve ``routes`` over https on loopback while inside.

    ``reachable``: builds may download from it (the tests' network), else
    they are left with the product's, which refuses loopback.
    """
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    requests: Counter[str] = Counter()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests[self.path] += 1
            route = routes.get(self.path)
            with suppress(OSError):  # the client hangs up
                if route is None:
                    self.send_error(404)
                else:
                    route(self)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    product = remote.NETWORK
    try:
        with tempfile.TemporaryDirectory() as folder:
            cafile = Path(folder) / "authority.pem"
            authority.cert_pem.write_to_path(str(cafile))
            if reachable:
                remote.NETWORK = remote.Network(_public_or_loopback, cafile)
            yield Server(f"https://127.0.0.1:{server.server_address[1]}", requests)
    finally:
        remote.NETWORK = product
        server.shutdown()
        server.server_close()


def _public_or_loopback(address: remote.IPAddress) -> bool:
    return remote.public(address) or address.is_loopback
