"""Board profiles: what makes one board engine's pages readable (pure; no I/O, no Scrapy).

A profile is everything the crawler needs to know about an engine: the URLs of list pages and
view pages, how a post's id is found in a URL, the selectors of every field, the date formats,
and the markers of the engine's definitive answers (not found, secret). The spider asks the
board's profile for URLs and hands it the pages; it parses nothing itself.

- ``gnuboard5`` (both skins): ``bbs/board.php?bo_table=…&wr_id=…``, parsed by
  ``crawler.pages.gnuboard5`` exactly as before.
- ``rhymix`` (XE/Rhymix, ``crawler.pages.rhymix``): ``index.php?mid=…&document_srl=…`` and
  ``/mid/123`` URLs.
- ``generic`` (``crawler.pages.generic``): the board's config gives the selectors (CSS, or XPath
  written ``xpath://…``) and the URL rules (``[boards.NAME.profile]``).

Per-board ``[boards.NAME.selectors]`` override any selector of any profile.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, tzinfo
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archive.items import ListPage, Post, PostNotFound, SecretPost
from archive.selectors import Selectors
from crawler.pages import gnuboard5
from crawler.pages.dates import SEOUL

ViewOutcome = Post | PostNotFound | SecretPost
#: A selector set with every field empty ("not on this board"): the start of generic profiles.
NO_SELECTORS = Selectors(**dict.fromkeys(Selectors.field_names(), ""))


@dataclass(frozen=True, slots=True)
class Profile:
    """One engine's URL rules, selectors, date formats and markers.

    ``id_params`` are the query parameters that hold a post's id in a view URL (the first
    present wins); ``id_path`` is a regular expression whose first group is the id in a URL's
    path (``/board/123``). ``view_url`` is a template of the canonical view URL: ``{id}`` the
    post id, ``{root}`` the list URL's scheme and host, ``{path}`` its path, ``{q:NAME}`` the
    list URL's query parameter NAME and ``{mid}`` the XE/Rhymix module id (``mid=``, or the
    first path segment of a short URL). List page N is the list URL with ``page_param=N``.
    """

    name: str
    selectors: Selectors
    view_url_template: str
    id_params: tuple[str, ...] = ()
    id_path: str | None = None
    page_param: str = "page"
    date_formats: tuple[str, ...] = ()  # strptime formats tried before the built-in readings
    not_found: tuple[str, ...] = ()  # texts of the engine's "no such post" answer
    secret: tuple[str, ...] = ()  # selectors of the engine's secret-post answer
    list_markers: tuple[str, ...] = field(default=())  # selectors that say "this engine"

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

    def with_selectors(self, overrides: Mapping[str, str]) -> Profile:
        return dataclasses.replace(
            self, selectors=dataclasses.replace(self.selectors, **dict(overrides))
        )

    # -- pages ---------------------------------------------------------------------------

    def parse_list(self, html: str, url: str, *, today: date) -> ListPage:
        if self.name == "gnuboard5":
            return gnuboard5.parse_list(html, url, today=today, selectors=self.selectors)
        from crawler.pages import generic

        return generic.parse_list(self, html, url, today=today)

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
        if self.name == "gnuboard5":
            return gnuboard5.parse_view(
                html,
                url,
                status=status,
                location=location,
                selectors=self.selectors,
                raw_page=raw_page,
                tz=tz,
            )
        from crawler.pages import generic

        return generic.parse_view(
            self, html, url, status=status, location=location, raw_page=raw_page, tz=tz
        )


GNUBOARD5 = Profile(
    name="gnuboard5",
    selectors=Selectors(),
    view_url_template="{root}{path}?bo_table={q:bo_table}&wr_id={id}",
    id_params=("wr_id",),
    not_found=(gnuboard5.NOT_FOUND_TEXT,),
    secret=('form[action*="password_check"]',),
    list_markers=("#bo_list", "#fboardlist"),
)


def builtin(name: str) -> Profile:
    """The shipped profile ``name`` ("gnuboard5", "rhymix")."""
    if name == "gnuboard5":
        return GNUBOARD5
    if name == "rhymix":
        from crawler.pages.rhymix import RHYMIX

        return RHYMIX
    raise KeyError(f"no built-in profile {name!r} (built in: gnuboard5, rhymix)")


BUILTIN = ("gnuboard5", "rhymix")


def generic_profile(rules: Mapping[str, Any], selectors: Mapping[str, str]) -> Profile:
    """The ``generic`` profile of one board: its ``[profile]`` rules and its selectors."""
    return Profile(
        name="generic",
        selectors=dataclasses.replace(NO_SELECTORS, **dict(selectors)),
        view_url_template=str(rules["view_url"]),
        id_params=tuple(rules.get("id_params", ())),
        id_path=rules.get("id_path"),
        page_param=str(rules.get("page_param", "page")),
        date_formats=tuple(rules.get("date_formats", ())),
        not_found=tuple(rules.get("not_found", ())),
        secret=tuple(rules.get("secret", ())),
    )


def profile_for(
    engine: str, selectors: Mapping[str, str], rules: Mapping[str, Any] | None = None
) -> Profile:
    """The profile a board's config asks for, with its selector overrides."""
    if engine == "generic":
        return generic_profile(rules or {}, selectors)
    return builtin(engine).with_selectors(selectors)
