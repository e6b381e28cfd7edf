"""What a fetched page reads as: its text, whatever its charset declarations claim, and why a
page could not be read (for the run's notes)."""

from __future__ import annotations

from scrapy.http import Response, TextResponse

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
