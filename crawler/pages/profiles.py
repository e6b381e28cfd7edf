"""Board profiles: the shipped ones, and which one a board's config asks for (pure; no I/O).

A profile (``crawler.pages.profile.Profile``) is everything the crawler needs to know about an
engine: the URLs of list pages and view pages, how a post's id is found in a URL, the selectors
of every field, the date formats, the markers of the engine's definitive answers (not found,
secret), and the parser that reads its pages. The spider asks the board's profile for URLs and
hands it the pages; it parses nothing itself.

- ``gnuboard5`` (both skins): ``bbs/board.php?bo_table=…&wr_id=…``, parsed by
  ``crawler.pages.gnuboard5`` (``GnuBoard5Parser``).
- ``rhymix`` (XE/Rhymix, ``crawler.pages.rhymix``): ``index.php?mid=…&document_srl=…`` and
  ``/mid/123`` URLs, parsed by its selectors (``crawler.pages.generic.SelectorParser``).
- ``generic`` (``crawler.pages.generic``): the board's config gives the selectors (CSS, or XPath
  written ``xpath://…``) and the URL rules (``[boards.NAME.profile]``).

Per-board ``[boards.NAME.selectors]`` override any selector of any profile.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from archive.selectors import Selectors
from crawler.pages import gnuboard5
from crawler.pages.generic import SelectorParser
from crawler.pages.profile import NO_SELECTORS, PageParser, Profile, ViewOutcome
from crawler.pages.rhymix import RHYMIX

__all__ = [
    "BUILTIN",
    "GNUBOARD5",
    "NO_SELECTORS",
    "RHYMIX",
    "PageParser",
    "Profile",
    "ViewOutcome",
    "builtin",
    "generic_profile",
    "profile_for",
]

GNUBOARD5 = Profile(
    name="gnuboard5",
    selectors=Selectors(),
    view_url_template="{root}{path}?bo_table={q:bo_table}&wr_id={id}",
    parser=gnuboard5.GnuBoard5Parser(),
    id_params=("wr_id",),
    not_found=(gnuboard5.NOT_FOUND_TEXT,),
    secret=('form[action*="password_check"]',),
    list_markers=("#bo_list", "#fboardlist"),
    # the links to the board's posts, on any skin (the engine's get_pretty_url)
    list_ready=('a[href*="bo_table={q:bo_table}"][href*="wr_id="]',),
    list_empty_texts=("게시물이 없습니다",),  # the basic skin's, which skins keep
)

_BUILTIN = {profile.name: profile for profile in (GNUBOARD5, RHYMIX)}
BUILTIN = tuple(_BUILTIN)


def builtin(name: str) -> Profile:
    """The shipped profile ``name`` ("gnuboard5", "rhymix")."""
    try:
        return _BUILTIN[name]
    except KeyError:
        raise KeyError(f"no built-in profile {name!r} (built in: gnuboard5, rhymix)") from None


def generic_profile(rules: Mapping[str, Any], selectors: Mapping[str, str]) -> Profile:
    """The ``generic`` profile of one board: its ``[profile]`` rules and its selectors."""
    return Profile(
        name="generic",
        selectors=dataclasses.replace(NO_SELECTORS, **dict(selectors)),
        view_url_template=str(rules["view_url"]),
        parser=SelectorParser(),
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
