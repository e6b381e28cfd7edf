"""What a fetched page reads as: its text, whatever its charset declarations claim, and why a
page could not be fetched or read (for the run's notes), in one line."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from twisted.internet import error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.pages.encoding import decode_page
from crawler.pages.errors import ParseError


def page_text(response: Response) -> str:
    return decoded(response)[1]


def decoded(response: Response) -> tuple[str, str]:
    """``(encoding, text)`` of an HTML page, whatever its charset declarations claim."""
    content_type = response.headers.get("Content-Type")
    if isinstance(response, TextResponse) and "playwright" in response.flags:
        return response.encoding, response.text  # the browser's document, already decoded
    if isinstance(response, TextResponse):
        return decode_page(response.body, content_type.decode("latin-1") if content_type else None)
    raise ParseError(f"{response.url}: not an HTML page ({content_type!r})")


def unreadable(url: str, exc: Exception) -> str:
    """Why the page at ``url`` could not be read: a ``ParseError`` says it itself; any other
    exception (a page object's bug, a bad selector) is named with its type."""
    if isinstance(exc, ParseError):
        return str(exc) if url in str(exc) else f"{url}: {exc}"
    return f"{url}: could not be read: {type(exc).__name__}: {exc}"


def unfetched(url: str, failure: Failure) -> str:
    """Why ``url`` could not be fetched, in one line that names the cause
    (``cannot connect to 127.0.0.1:9: connection refused``)."""
    host = urlsplit(url).netloc
    if failure.check(DownloadConnectionRefusedError, error.ConnectionRefusedError):
        return f"cannot connect to {host}: connection refused"
    if failure.check(CannotResolveHostError, error.DNSLookupError):
        return f"cannot find {urlsplit(url).hostname}: the name does not resolve"
    if failure.check(DownloadTimeoutError, error.TimeoutError, error.TCPTimedOutError):
        return f"no answer from {host} in time"
    lost = (ResponseDataLossError, ResponseNeverReceived, error.ConnectionLost)
    if failure.check(*lost, error.ConnectionDone):
        return f"{host} closed the connection before it answered"
    return failure.getErrorMessage() or failure.type.__name__  # type: ignore[union-attr]
