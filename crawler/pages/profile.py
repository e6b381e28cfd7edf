"""One profile: an engine's URL rules, selectors, markers, and the parser of its pages (pure).

``Profile`` holds what the crawler needs to know about one board engine; its ``parser`` (a
``PageParser``) reads the engine's list and view pages, given the profile. The parsers are
``crawler.pages.gnuboard5.GnuBoard5Parser`` and ``crawler.pages.generic.SelectorParser``; the
shipped profiles and the choice of a board's profile are in ``crawler.pages.profiles``. This
module imports no parser, so the parsers may import it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archive.items import ListPage, Post, PostNotFound, SecretPost
from archive.selectors import Selectors
from crawler.pages.dates import SEOUL

ViewOutcome = Post | PostNotFound | SecretPost
#: A selector set with every field empty ("not on this board"): the start of generic profiles.
NO_SELECTORS = Selectors(**dict.fromkeys(Selectors.field_names(), ""))


class PageParser(Protocol):
    """What reads one engine's pages, driven by the profile it is handed."""

    def parse_list(self, profile: Profile, html: str, url: str, *, today: date) -> ListPage:
        """A list page as a ``ListPage``; ``today`` is the crawl day (for list dates)."""
        ...

    def parse_view(
        self,
        profile: Profile,
        html: str,
        url: str,
        *,
        status: int,
        location: str | None,
        raw_page: bytes,
        tz: tzinfo,
    ) -> ViewOutcome:
        """A view page (``status`` and ``Location`` as received) as a post or an answer."""
        ...

    def find_body(self, pages: Sequence[tuple[str, str]]) -> tuple[str | None, str]:
        """The body container's selector in view pages ``(html, url)`` of one board (where
        ``parse_view`` raised ``BodyNotFound``), or None and why it cannot be told."""
        ...

    def doubt_body(self, pages: Sequence[tuple[str, str]]) -> str | None:
        """Why the body read from the container the engine's pages name by default (not one
        configured or found by comparing) may not be the post, judged by comparing view pages
        ``(html, url)`` of one board; None when it holds the post or it cannot be told."""
        ...


@dataclass(frozen=True, slots=True)
class Profile:
    """One engine's URL rules, selectors, date formats and markers.

    ``id_params`` are the query parameters that hold a post's id in a view URL (the first
    present wins); ``id_path`` is a regular expression whose first group is the id in a URL's
    path (``/board/123``). ``view_url`` is a template of the canonical view URL: ``{id}`` the
    post id, ``{root}`` the list URL's scheme and host, ``{path}`` its path, ``{q:NAME}`` the
    list URL's query parameter NAME and ``{mid}`` the XE/Rhymix module id (``mid=``, or the
    first path segment of a short URL). List page N is the list URL with ``page_param=N``.
    ``parser`` reads the engine's pages (``parse_list``, ``parse_view`` hand it the profile).
    """

    name: str
    selectors: Selectors
    view_url_template: str
    parser: PageParser
    id_params: tuple[str, ...] = ()
    id_path: str | None = None
    page_param: str = "page"
    date_formats: tuple[str, ...] = ()  # strptime formats tried before the built-in readings
    not_found: tuple[str, ...] = ()  # texts of the engine's "no such post" answer
    secret: tuple[str, ...] = ()  # selectors of the engine's secret-post answer
    # HTTP statuses with which the engine gives its own answers (Rhymix: 403 for a secret
    # document, 404 for a missing one); the page decides, any other such page is an error
    answer_statuses: tuple[int, ...] = ()
    list_markers: tuple[str, ...] = field(default=())  # selectors that say "this engine"
    # what the engine's list pages hold once their rows are in the document, whatever the skin
    # (templates as ``view_url``'s): a browser waits for them besides ``list_rows``/``list_empty``
    list_ready: tuple[str, ...] = ()
    list_empty_texts: tuple[str, ...] = ()  # and the texts of a list with no posts, any skin

    # -- URLs ----------------------------------------------------------------------------

    def post_id(self, url: str | None) -> str | None:
        """The post id in ``url`` (digits, or a token of letters, digits, ``_-``), or None."""
        if not url:
            return None
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        for name in self.id_params:
            value = query.get(name, "").strip()
            if value and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value):
                return value
        if self.id_path:
            m = re.search(self.id_path, urlsplit(url).path)
            if m and m.group(1):
                return m.group(1)
        return None

    def page_url(self, list_url: str, page: int) -> str:
        """The list URL with ``page_param=N`` (page 1 is the list URL as configured)."""
        if page == 1:
            return list_url
        parts = urlsplit(list_url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        query = [(k, v) for k, v in query if k != self.page_param]
        query.append((self.page_param, str(page)))
        return urlunsplit(parts._replace(query=urlencode(query), fragment=""))

    def page_number(self, url: str) -> int:
        value = dict(parse_qsl(urlsplit(url).query)).get(self.page_param, "")
        return int(value) if value.isdigit() and int(value) > 0 else 1

    def view_url(self, list_url: str, post_id: str) -> str:
        parts = urlsplit(list_url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        values = {
            "id": post_id,
            "root": f"{parts.scheme}://{parts.netloc}",
            "path": parts.path,
            "mid": query.get("mid") or parts.path.strip("/").split("/")[0],  # XE/Rhymix
        }
        return re.sub(
            r"\{(q:)?([A-Za-z0-9_]+)\}",
            lambda m: query.get(m.group(2), "") if m.group(1) else values.get(m.group(2), ""),
            self.view_url_template,
        )

    def ready_selectors(self, list_url: str) -> tuple[str, ...]:
        """The ``list_ready`` selectors of the board at ``list_url``."""
        query = dict(parse_qsl(urlsplit(list_url).query, keep_blank_values=True))
        return tuple(
            re.sub(r"\{q:([A-Za-z0-9_]+)\}", lambda m: query.get(m.group(1), ""), template)
            for template in self.list_ready
        )

    def with_selectors(self, overrides: Mapping[str, str]) -> Profile:
        return dataclasses.replace(
            self, selectors=dataclasses.replace(self.selectors, **dict(overrides))
        )

    # -- pages ---------------------------------------------------------------------------

    def parse_list(self, html: str, url: str, *, today: date) -> ListPage:
        return self.parser.parse_list(self, html, url, today=today)

    def find_body(self, pages: Sequence[tuple[str, str]]) -> tuple[str | None, str]:
        return self.parser.find_body(pages)

    def doubt_body(self, pages: Sequence[tuple[str, str]]) -> str | None:
        return self.parser.doubt_body(pages)

    def parse_view(
        self,
        html: str,
        url: str,
        *,
        status: int = 200,
        location: str | None = None,
        raw_page: bytes = b"",
        tz: tzinfo = SEOUL,
    ) -> ViewOutcome:
        return self.parser.parse_view(
            self, html, url, status=status, location=location, raw_page=raw_page, tz=tz
        )
