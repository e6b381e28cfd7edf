"""``board-archive probe URL``: which profile reads a board, and what it reads.

    board-archive probe 'https://www.example.or.kr/bbs/board.php?bo_table=press'

Fetches the list page (plain ``urllib``, the crawler's User-Agent, one request at a time), tries
every built-in profile on it (or only ``--engine``; among those that find rows, the one whose
engine marks the page carries, ``crawler.pages.engines``). On a GnuBoard board it then reads
list page 2 and two view pages and shows every field with its source and what is uncertain
(``crawler.probe_survey``); on another engine it fetches the view page of the first regular
post and prints what it gave. Then the config lines to add (with ``view_body`` where the body
was found by comparing). Exit 0 when a profile fits, 1 when none does (each profile's reason is
printed), 2 when the URL cannot be fetched or the site's robots.txt disallows it. The site's
robots.txt is read first and obeyed, as by a crawl; then two requests (four on GnuBoard);
parsing is the crawler's own page objects.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from urllib.robotparser import RobotFileParser

from archive.items import ListPage, Post
from crawler.pages.dates import SEOUL
from crawler.pages.encoding import decode_page
from crawler.pages.engines import engines_marked
from crawler.pages.errors import ParseError
from crawler.pages.profiles import BUILTIN, Profile, builtin
from crawler.probe_survey import survey_board
from crawler.settings import USER_AGENT

Write = Callable[[str], None]


def fetch(url: str, timeout: float = 20.0) -> tuple[int, str, str]:
    """``(status, final URL, text)`` of a page (redirects followed)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            body, status, final = resp.read(), resp.status, resp.url
            ctype = resp.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        with exc:
            body, status, final = exc.read(), exc.code, url
            ctype = exc.headers.get("Content-Type")
    return status, final, decode_page(body, ctype)[1]


@dataclass(frozen=True)
class Robots:
    """The site's robots.txt as the crawl reads it: missing (4xx) allows all, 401/403 or a
    server error forbid all (the crawl would not go on either)."""

    url: str
    rules: RobotFileParser | None = None  # None: nothing disallowed
    forbid_all: bool = False

    def allows(self, url: str) -> bool:
        if self.forbid_all:
            return False
        return self.rules is None or self.rules.can_fetch(USER_AGENT, url)


def robots(url: str) -> Robots:
    parts = urlsplit(url)
    where = f"{parts.scheme}://{parts.netloc}/robots.txt"
    try:
        status, _, text = fetch(where)
    except (urllib.error.URLError, OSError, ValueError):
        return Robots(where)  # unreachable: the list page's fetch says so
    if status in (401, 403) or status >= 500:
        return Robots(where, forbid_all=True)
    if status >= 400:
        return Robots(where)
    rules = RobotFileParser()
    rules.parse(text.splitlines())
    return Robots(where, rules)


def order(url: str, engine: str | None) -> list[str]:
    """The profiles to try: ``engine`` alone, else the one the URL hints at first."""
    if engine:
        return [engine]
    query = parse_qs(urlsplit(url).query)
    first = "rhymix" if "mid" in query or "document_srl" in query else "gnuboard5"
    return [first, *(p for p in BUILTIN if p != first)]


def probe(url: str, engine: str | None = None, write: Write = print) -> int:
    """Probe ``url``, reporting through ``write``; returns the exit code."""
    if urlsplit(url).scheme not in ("http", "https"):
        write(f"not an http(s) URL: {url!r}")
        return 2
    rules = robots(url)
    if not rules.allows(url):
        write(f"{rules.url} disallows {url} for {USER_AGENT}: not fetched")
        return 2
    try:
        status, _, html = fetch(url)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        write(f"cannot fetch {url}: {exc}")
        return 2
    write(f"list page: {url} (HTTP {status})")
    fits: list[tuple[Profile, ListPage]] = []
    for name in order(url, engine):
        profile = builtin(name)
        try:
            listing = profile.parse_list(html, url, today=datetime.now(SEOUL).date())
        except ParseError as exc:
            write(f"  {name}: does not fit: {exc}")
            continue
        write(f"  {name}: {len(listing.rows)} rows, last page {listing.last_page or '?'}")
        if listing.rows:
            fits.append((profile, listing))
    if not fits:
        write('no built-in profile fits. Use engine = "generic" with [boards.NAME.profile]')
        write("and [boards.NAME.selectors] (see README: Adding a new board). If the list shows")
        write('posts in a web browser, it may be built by JavaScript: add render = "browser".')
        return 1
    marked = engines_marked(html)
    profile, listing = max(fits, key=lambda f: (f[0].name in marked, len(f[1].rows)))
    why = "the page carries its marks" if profile.name in marked else "it reads the most rows"
    write(f"\nprofile: {profile.name} ({why})")
    for row in listing.rows[:8]:
        flags = "".join(f for f, on in (("공지 ", row.notice), ("비밀 ", row.secret)) if on)
        write(f"  {row.post_id:>8}  {row.list_date:<16} {row.author or '-':<10} {flags}{row.title}")
    if profile.name == "gnuboard5":  # any skin: two list and two view pages, field by field
        report = survey_board(profile, url, html, listing, fetch, rules.allows, write)
        show_block(url, profile.name, report.selectors, write)
        return 0
    row = next((r for r in listing.rows if not r.notice and not r.secret), listing.rows[0])
    view_url = profile.view_url(url, row.post_id)
    write(f"\nview page: {view_url}")
    if not rules.allows(view_url):
        write(f"  {rules.url} disallows it: not fetched")
        return 1
    try:
        status, _, view_html = fetch(view_url)
        outcome = profile.parse_view(view_html, view_url, status=status)
    except (urllib.error.URLError, OSError, ValueError, ParseError) as exc:
        write(f"  does not parse: {exc}")
        return 1
    if not isinstance(outcome, Post):
        write(f"  {type(outcome).__name__}: the board's own answer, no content to show")
    else:
        show_post(outcome, write)
    show_block(url, profile.name, {}, write)
    return 0


def show_block(url: str, engine: str, selectors: dict[str, str], write: Write) -> None:
    """The board's configuration, ready for ``boards.toml``."""
    name = _suggest_name(url)
    write(f'\nin boards.toml:\n  [boards.{name}]\n  url = "{url}"\n  engine = "{engine}"')
    if selectors:
        write(f"\n  [boards.{name}.selectors]")
        for key, value in selectors.items():
            write(f"  {key} = {_toml_string(value)}")


def _toml_string(value: str) -> str:
    """A TOML literal string when it can be one (selectors hold double quotes), else basic."""
    if "'" not in value and "\n" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def show_post(post: Post, write: Write) -> None:
    posted = post.posted_at.isoformat() if post.posted_at else "- (no date found)"
    names = ", ".join(a.name for a in post.attachments) or "-"
    body = post.body_text.replace("\n", " / ")
    write(f"  title:       {post.title}")
    write(f"  author:      {post.author or '-'}")
    write(f"  posted at:   {posted}")
    write(f"  views:       {post.views if post.views is not None else '-'}")
    write(f"  attachments: {len(post.attachments)} ({names})")
    write(f"  comments:    {len(post.comments)}")
    write(f"  body:        {body[:200]}{'…' if len(body) > 200 else ''}")


def _suggest_name(url: str) -> str:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    segment = parts.path.strip("/").split("/")[0]
    short = [segment] if segment and "." not in segment else []
    table = (query.get("bo_table") or query.get("mid") or short or ["board"])[0]
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in table) or "board"
