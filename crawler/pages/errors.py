"""The error the page objects raise (``ParseError``), and its kind the spider acts on."""

from __future__ import annotations


class ParseError(Exception):
    """A page is not what the parser expected; never turned into an item.

    The message names the URL and the selector that matched nothing (or, when no selector is
    to blame, the reason, e.g. the text of an alert page).
    """

    def __init__(self, url: str, selector: str | None = None, reason: str | None = None) -> None:
        self.url = url
        self.selector = selector
        self.reason = reason
        parts = [f"cannot parse {url}"]
        if selector is not None:
            parts.append(f"selector {selector!r} matched nothing")
        if reason:
            parts.append(reason)
        super().__init__(": ".join(parts))


class BodyNotFound(ParseError):
    """A view page whose body container the skin's selectors and ``#bo_v_con`` do not name:
    it can be found by comparing view pages of the board (``crawler.pages.g5.body``)."""
