"""The proxy Chromium sends its requests to other hosts through, on a browser board.

``BrowserGuard`` (crawler/spiders/render.py) judges each request of the browser before it is
made, but Chromium resolves host names itself: a name's server could answer the guard's lookup
with a public address and Chromium's, a moment later, with 127.0.0.1 or 169.254.169.254 (DNS
rebinding). So Chromium is launched with this proxy for every host but the board's own: the
proxy resolves the name once, refuses it ("403 Forbidden") when that address is a loopback,
private, link-local, reserved, multicast or unspecified one, and otherwise connects to that very
address. Names in ``HOSTGUARD_ALLOWED_HOSTS`` pass whatever they resolve to. Only hosts that a
page's request went to (``BrowserGuard`` passed it: ``expect``) are proxied at all: Chromium's
own background traffic (sign-in, updates) is refused too, so a crawl never calls home. Plain
HTTP requests are forwarded one per connection (``Connection: close``; nothing after the first
request's body goes upstream); HTTPS goes through ``CONNECT``, so TLS stays between Chromium
and the site. Counted in the stats: ``hostguard/browser_proxied``, ``hostguard/browser_refused`` and
``hostguard/browser_background``.

Addresses written in a URL never reach the proxy when they are loopback ones (Chromium sends
those direct); ``BrowserGuard`` judges all addresses from the URL, with no lookup to race.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import weakref
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from crawler.hosts import host_names, resolved_refusal

logger = logging.getLogger(__name__)

TIMEOUT = 30.0
FORBIDDEN = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
HOP_HEADERS = {"connection", "proxy-connection", "keep-alive", "proxy-authorization"}
Resolve = Callable[[str, int], Awaitable[str]]


class Refused(Exception):
    """A request the proxy does not make (the reason is logged)."""


class Background(Refused):
    """A request no page made: Chromium's own (logged at debug level only)."""


async def resolve_first(host: str, port: int) -> str:
    """The address a connection to ``host`` would use: the first of its lookup's answers."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not infos:
        raise Refused(f"{host} does not resolve")
    return str(infos[0][4][0])


class GuardedProxy:
    """An HTTP proxy on 127.0.0.1 (its port is bound at once, so Chromium's launch options can
    name it; it serves once ``start`` ran on the crawl's event loop)."""

    def __init__(
        self,
        allowed: set[str],
        count: Callable[[str], None] = lambda key: None,
        resolve: Resolve = resolve_first,
    ) -> None:
        self.allowed = host_names(allowed)
        self.expected: set[str] = set()  # hosts a page's request went to (BrowserGuard)
        self.count, self.resolve = count, resolve
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.port = int(self.sock.getsockname()[1])
        self.server: asyncio.Server | None = None
        weakref.finalize(self, self.sock.close)  # a spider built but never run closes it too

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        if self.server is None:
            self.server = await asyncio.start_server(self._serve, sock=self.sock)

    async def stop(self) -> None:
        """Stop listening. A tunnel the browser still holds ends when the browser closes; it is
        not waited for (newer Pythons' ``wait_closed`` would wait for it), at most a moment."""
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.server.wait_closed(), 2.0)
            self.server = None
        self.sock.close()

    def expect(self, host: str) -> None:
        """A page's request to ``host`` passed ``BrowserGuard``: the proxy may make it."""
        self.expected.add(_name(host))

    async def address(self, host: str, port: int) -> str:
        """Where a request to ``host`` goes: the address it resolves to, checked (``Refused``)."""
        host = _name(host)
        if host not in self.expected:
            raise Background(f"{host}: not a page's request")
        try:
            address = await asyncio.wait_for(self.resolve(host, port), TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise Refused(f"{host} does not resolve: {exc}") from exc
        why = None if host in self.allowed else resolved_refusal(host, address)
        if why is not None:
            raise Refused(why)
        return address

    async def _serve(self, client: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        reader: asyncio.StreamReader | None = client
        try:
            head = await asyncio.wait_for(client.readuntil(b"\r\n\r\n"), TIMEOUT)
            line, *fields = head.decode("latin-1").split("\r\n")
            method, target, version = line.split(" ", 2)
            if method == "CONNECT":
                host, _, port = target.rpartition(":")
                upstream = await self._open(host, int(port))
                writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            else:
                parts = urlsplit(target)
                if parts.scheme != "http" or not parts.hostname:
                    raise Refused(f"not a proxy request: {line}")
                upstream = await self._open(parts.hostname, parts.port or 80)
                path = parts.path or "/"
                path += f"?{parts.query}" if parts.query else ""
                kept = [f for f in fields if f and f.split(":")[0].lower() not in HOP_HEADERS]
                forwarded = [f"{method} {path} {version}", *kept, "Connection: close", "", ""]
                upstream[1].write("\r\n".join(forwarded).encode("latin-1"))
                length = _header(kept, "content-length")
                if _header(kept, "transfer-encoding") is None:  # else: piped as it comes
                    upstream[1].write(await client.readexactly(int(length or 0)))
                    reader = None  # nothing more of this connection goes upstream
        except Refused as refused:
            if isinstance(refused, Background):
                self.count("hostguard/browser_background")
                logger.debug("not fetched for the browser itself: %s", refused)
            else:
                self.count("hostguard/browser_refused")
                logger.warning("not fetched by the browser: %s", refused)
            writer.write(FORBIDDEN)
            await _close(writer)
            return
        except (OSError, ValueError, asyncio.IncompleteReadError, TimeoutError) as exc:
            logger.debug("browser proxy: %r", exc)
            await _close(writer)
            return
        self.count("hostguard/browser_proxied")
        up_reader, up_writer = upstream
        if reader is None:
            await _pipe(up_reader, writer)
            await _close(up_writer)
        else:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    async def _open(
        self, host: str, port: int
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        address = await self.address(host, port)
        try:
            return await asyncio.wait_for(asyncio.open_connection(address, port), TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise OSError(f"{host} ({address}:{port}): {exc}") from exc


def _name(host: str) -> str:
    return host.lower().rstrip(".").strip("[]")


def _header(fields: list[str], name: str) -> str | None:
    for field in fields:
        key, _, value = field.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (OSError, asyncio.IncompleteReadError):
        pass
    finally:
        await _close(writer)


async def _close(writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        writer.close()
        await writer.wait_closed()
