"""Downloading remote pictures: https to public addresses, one deadline per build.

An issue may name a picture by its web address, downloaded only when the
user allows it (``--allow-remote``).  The address comes from someone else, so
a download may go only where a browser of the public web would: over https,
to a public address (never the machine itself, its network, or a cloud's
metadata service at 169.254.169.254), and a redirect is held to the same
rules.  All the downloads of one build share one deadline, which bounds every
step (connecting, the TLS handshake, the headers, the body) however slowly a
server answers, and each address is downloaded once, however many times the
engine asks for it.
"""

from __future__ import annotations

import http.client
import ipaddress
import math
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

#: How long all the downloads of one build may take together, in seconds.
REMOTE_SECONDS = 10.0
#: How large one downloaded picture may be.
MAX_REMOTE_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
PICTURE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif", "image/svg+xml"}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def public(address: IPAddress) -> bool:
    """Tell whether ``address`` is on the public internet."""
    return address.is_global and not address.is_multicast


@dataclass(frozen=True)
class Network:
    """What a download may reach: servers at public addresses, over https.

    ``cafile`` adds a certificate authority to the system's.  Only tests
    change :data:`NETWORK`, to reach a server of their own on loopback with
    a certificate of their own.
    """

    reachable: Callable[[IPAddress], bool] = public
    cafile: Path | None = None

    @cached_property
    def context(self) -> ssl.SSLContext:
        """Return the TLS settings: certificates checked, reads within a deadline."""
        context = ssl.create_default_context()
        if self.cafile is not None:
            context.load_verify_locations(self.cafile)
        context.sslsocket_class = _DeadlineSocket
        return context


NETWORK = Network()


class Remote:
    """The downloads of one build: one deadline for all, each address once.

    The deadline starts with the first download.  What an address gave, or
    why it was refused, is kept for the engine's next request of it (page
    makeup renders an edition many times).
    """

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = REMOTE_SECONDS if seconds is None else seconds
        self.network = NETWORK
        self.deadline: float | None = None
        self.answers: dict[str, tuple[bytes, str] | str] = {}

    def fetch(self, url: str) -> tuple[bytes, str]:
        """Return the picture at ``url`` and its type; ``ValueError`` says why not.

        An address written with accents is the one a browser sends, escaped.
        """
        url = quote(url, safe="/%:@!$&'()*+,;=?#~[]")
        if url not in self.answers:
            self.answers[url] = self._answer(url)
        answer = self.answers[url]
        if isinstance(answer, str):
            raise ValueError(answer)
        return answer

    def _answer(self, url: str) -> tuple[bytes, str] | str:
        """Download ``url``; return the picture, or why it was refused."""
        if self.deadline is None:
            self.deadline = time.monotonic() + self.seconds
        try:
            return self._download(url)
        except ValueError as error:
            return str(error)
        except (OSError, http.client.HTTPException) as error:
            if time.monotonic() >= self.deadline:
                return (
                    f"not downloaded within {self.seconds:g} s, the time all the"
                    " remote pictures of a build have together"
                )
            return f"download failed ({error})"

    def _download(self, url: str) -> tuple[bytes, str]:
        """Follow redirects, each held to the same rules, and read the picture."""
        address = url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                connection = self._connection(address)
            except ValueError as error:
                if address == url:
                    raise
                raise ValueError(f"redirected to {address}: {error}") from None
            try:
                response = _get(connection, address)
                location = response.getheader("Location")
                if response.status in REDIRECTS and location:
                    address = urljoin(address, location)
                    continue
                return _picture(response)
            finally:
                connection.close()
        raise ValueError(f"redirected more than {MAX_REDIRECTS} times")

    def _connection(self, address: str) -> _Connection:
        """Return a connection to ``address`` if it is https at a public address."""
        assert self.deadline is not None
        parts = urlsplit(address)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("not an https:// address")
        port = parts.port or http.client.HTTPS_PORT
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
        addresses = [
            ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found
        ]
        if closed := [each for each in addresses if not self.network.reachable(each)]:
            where = "" if parts.hostname == str(closed[0]) else f" ({closed[0]})"
            raise ValueError(f"{parts.hostname} is a private or local address{where}")
        return _Connection(
            parts.hostname, port, str(addresses[0]), self.network.context, self.deadline
        )


def _get(connection: _Connection, address: str) -> http.client.HTTPResponse:
    """Ask for ``address`` on ``connection``; return the response, headers read."""
    parts = urlsplit(address)
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    connection.request("GET", path, headers={"Accept": "image/*"})
    return connection.getresponse()


def _picture(response: http.client.HTTPResponse) -> tuple[bytes, str]:
    """Return the picture a response holds and its type, within the size limit."""
    if response.status != http.client.OK:
        raise ValueError(f"the server answered {response.status} {response.reason}")
    mime_type = response.headers.get_content_type()
    if mime_type not in PICTURE_TYPES:
        raise ValueError(f"not a picture ({mime_type})")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(64 * 1024):
        size += len(chunk)
        if size > MAX_REMOTE_BYTES:
            raise ValueError(f"larger than {MAX_REMOTE_BYTES // (1024 * 1024)} MiB")
        chunks.append(chunk)
    return b"".join(chunks), mime_type


def _remaining(deadline: float) -> float:
    """Return the seconds left before ``deadline``; past it, ``TimeoutError``."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the deadline has passed")
    return left


class _Connection(http.client.HTTPConnection):
    """HTTPS to an address already checked, each step within one deadline."""

    default_port = http.client.HTTPS_PORT

    def __init__(
        self,
        host: str,
        port: int,
        address: str,
        context: ssl.SSLContext,
        deadline: float,
    ) -> None:
        super().__init__(host, port, timeout=_remaining(deadline))
        self.address = address
        self.context = context
        self.deadline = deadline

    def connect(self) -> None:
        """Connect to the checked address, never to what the name resolves to now."""
        raw = socket.create_connection(
            (self.address, self.port), _remaining(self.deadline)
        )
        try:
            raw.settimeout(_remaining(self.deadline))  # the handshake, whole
            secure = self.context.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise
        assert isinstance(secure, _DeadlineSocket)
        secure.deadline = self.deadline
        self.sock = secure


class _DeadlineSocket(ssl.SSLSocket):
    """A TLS socket whose every read ends by one deadline.

    A socket's timeout bounds each read only: a server sending its headers
    one byte every few seconds would hold the build for ever.  The response
    reads through ``recv_into`` (headers and body alike).
    """

    deadline = math.inf

    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        """Read what has come, by the deadline."""
        self.settimeout(_remaining(self.deadline))
        return super().recv_into(buffer, nbytes, flags)
