"""The gnuboard5 profile, with no selectors written, on public third-party board skins
captured from a real GnuBoard 5 install (``samples/captured_skins/``, whose README says how):
every list row and view field against the values in GnuBoard's own database
(``expected.json``, written from the database when the pages were captured).

Where a skin's page does not show a field (read off the skin's template and listed under
``not_shown``) the reader must say it is not shown (None, or False for a flag), never guess:
n_basic's list prints no secret or file icon and no total, its comments a time without a year;
the masonry gallery's cards print no author, date or file icon; dings prints 공지사항 where the
author goes on a pinned notice; the portal theme's webzine prints no file icon, and its pinned
notices only a subject and a date; gbamn's webzine rows only a thumbnail, the subject, the
votes, the full ``wr_datetime`` and an excerpt. The real estate agents' skin keeps
``#bo_v_con`` for a map and the address and prints the post below it
(``body_outside_bo_v_con``): the body read there is not the post, and comparing the view pages
says so (``doubt_body``). An image attachment is shown by the engine inline
(``view_image.php``) under its stored name only, which is the name it is read by.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from archive.items import Post, SecretPost
from crawler.pages.dates import SEOUL
from crawler.pages.errors import BodyNotFound
from crawler.pages.g5.body import check_body
from crawler.pages.g5.survey import survey
from crawler.pages.profiles import GNUBOARD5, Profile

from ._sample import Sample, load

SAMPLES = Path(__file__).parent / "samples" / "captured_skins"
SKINS = sorted(p.name for p in SAMPLES.iterdir() if (p / "expected.json").exists())
ROW_FIELDS = ("title", "author", "posted_on", "notice", "secret", "has_attachment")


def _expected(skin: str) -> dict[str, Any]:
    return json.loads((SAMPLES / skin / "expected.json").read_text(encoding="utf-8"))


def _minute(kst: str) -> datetime:
    """A ``wr_datetime`` (Asia/Seoul, as GnuBoard stores it) to the minute."""
    return datetime.fromisoformat(kst).replace(second=0, tzinfo=SEOUL)


def _load(skin: str, file: str) -> Sample:
    return load(f"captured_skins/{skin}/{file.removesuffix('.html')}")


def _shown_size(attachment: dict[str, Any]) -> str | None:
    """The size an attachment's entry shows: none for an image shown inline."""
    inline = attachment["shown_name"] != attachment["name"]
    return None if inline else _filesize(attachment["size"])


def _filesize(size: int) -> str:
    """What GnuBoard's ``get_filesize`` prints for ``size`` bytes."""
    if size >= 1048576:
        return f"{size / 1048576:,.1f}M"
    return f"{size / 1024:,.1f}K" if size >= 1024 else f"{size:,}byte"


def _profile(skin: str, views: list[tuple[str, str]]) -> Profile:
    """The gnuboard5 profile, with the body container found by comparing the view pages where
    the skin keeps no ``#bo_v_con`` (as the crawl does)."""
    try:
        GNUBOARD5.parse_view(*views[0])
    except BodyNotFound:
        selector, why = GNUBOARD5.find_body(views)
        assert selector is not None, (skin, why)
        return GNUBOARD5.with_selectors({"view_body": selector})
    return GNUBOARD5


def test_every_skin_is_here() -> None:
    assert SKINS == [
        "basic_c",
        "dings",
        "gbamn_webzine",
        "masonry",
        "n_basic",
        "portal_list",
        "portal_webzine",
        "real_estate",
    ]


@pytest.mark.parametrize("skin", SKINS)
def test_list_pages(skin: str) -> None:
    expected = _expected(skin)
    hidden = set(expected["not_shown"].get("list", ()))
    for page in expected["lists"]:
        sample = _load(skin, page["file"])
        assert sample.status == 200 and sample.fetched_on is not None
        listing = GNUBOARD5.parse_list(sample.html, page["url"], today=sample.fetched_on)
        where = f"{skin}/{page['file']}"
        assert [r.post_id for r in listing.rows] == page["post_ids"], where
        total = None if "total" in hidden else expected["posts_on_board"]
        assert (listing.last_page, listing.total) == (expected["last_page"], total), where
        rows = {r.post_id: r for r in listing.rows}
        for want in page["rows"]:
            got = rows[want["post_id"]]
            values = {f: getattr(got, f) for f in ROW_FIELDS}
            values["posted_on"] = got.posted_on.isoformat() if got.posted_on else None
            notice_author = want["notice"] and expected["not_shown"].get("list_author_on_notice")
            for field in ROW_FIELDS:
                blank = False if field in ("notice", "secret", "has_attachment") else None
                unshown = field in hidden or (field == "author" and notice_author)
                wanted = blank if unshown else want[field]
                assert values[field] == wanted, (where, want["post_id"], field)
            # a list row's count is an int: 0 where the skin shows none
            count = 0 if "comment_count" in hidden else want["comment_count"]
            assert got.comment_count == count, (where, want["post_id"])


@pytest.mark.parametrize("skin", SKINS)
def test_view_pages(skin: str) -> None:
    expected = _expected(skin)
    hidden = expected["not_shown"]
    samples = [_load(skin, v["file"]) for v in expected["views"]]
    assert all(s.status == 200 for s in samples)
    views = [(s.html, v["url"]) for s, v in zip(samples, expected["views"], strict=True)]
    profile = _profile(skin, views)
    for want, (html, url) in zip(expected["views"], views, strict=True):
        post = profile.parse_view(html, url)
        where = f"{skin}/{want['file']}"
        assert isinstance(post, Post) and post.post_id == want["post_id"], where
        author = want["author"]
        notices = expected["lists"][0]["notices"]
        if hidden.get("view_author_on_notice") and want["post_id"] in notices:
            author = None
        assert (post.title, post.author) == (want["title"], author), where
        assert post.posted_at == _minute(want["wr_datetime"]), where
        if hidden.get("body_outside_bo_v_con"):  # what #bo_v_con holds: the address, no post
            assert want["body_text"] not in post.body_text and "광교로" in post.body_text, where
        else:
            assert post.body_text == want["body_text"], where
        files = [(a.name, a.size_text) for a in post.attachments]
        shown = [(a["shown_name"], _shown_size(a)) for a in want["attachments"]]
        assert files == shown, where
        assert [c.comment_id for c in post.comments] == [
            c["comment_id"] for c in want["comments"]
        ], where
        for got, comment in zip(post.comments, want["comments"], strict=True):
            assert (got.author, got.text, got.secret) == (comment["author"], comment["text"], False)
            posted = _minute(comment["wr_datetime"])
            if hidden.get("comment_year"):  # "MM/DD HH:MM": the day and minute, no year
                shown = posted.astimezone(SEOUL).strftime("%m/%d %H:%M")
                assert (got.posted_at, got.posted_shown) == (None, shown), where
            else:
                assert got.posted_at == posted, where


@pytest.mark.parametrize("skin", SKINS)
def test_the_secret_post_is_the_engines_answer(skin: str) -> None:
    secret = _expected(skin)["secret"]
    sample = _load(skin, secret["file"])
    assert sample.status == 302 and "password.php" in (sample.location or "")
    answer = GNUBOARD5.parse_view(
        sample.html, secret["url"], status=sample.status, location=sample.location
    )
    assert isinstance(answer, SecretPost) and answer.post_id == secret["post_id"]


@pytest.mark.parametrize("skin", SKINS)
def test_a_bo_v_con_without_the_post_is_doubted(skin: str) -> None:
    """Compared, the first three view pages show whether ``#bo_v_con`` holds the post: it does
    on every skin that keeps it but the real estate one, where it holds at most a quarter of
    what differs between the posts (the address), and the reason names the container."""
    expected = _expected(skin)
    views = [(_load(skin, v["file"]).html, v["url"]) for v in expected["views"]][:3]
    doubt = GNUBOARD5.doubt_body(views)
    if expected["not_shown"].get("body_outside_bo_v_con"):
        assert doubt is not None and doubt.startswith("#bo_v_con holds at most 25% of the text")
        assert check_body(views, "#bo_v_con") == (0.135, 0.147, 0.253)
    else:
        assert doubt is None, skin


def test_probe_says_the_real_estate_body_is_elsewhere() -> None:
    """``probe``'s survey of two list and two view pages flags the body as uncertain and names
    what comparing finds instead; on a skin whose ``#bo_v_con`` holds the post, nothing."""
    for skin, doubted in (("real_estate", True), ("portal_webzine", False)):
        expected = _expected(skin)
        lists = [(_load(skin, p["file"]).html, p["url"]) for p in expected["lists"]]
        views = [(_load(skin, v["file"]).html, v["url"]) for v in expected["views"][:2]]
        flagged = [u for u in survey(lists, views).uncertain if u.startswith("view body:")]
        if doubted:
            assert flagged == [
                "view body: #bo_v_con holds at most 15% of the text that differs between 2 view "
                "pages: the post is elsewhere on the page, and the body read is the skin's "
                "template; comparing them finds section#bo_v_atc; set view_body in the board's "
                "selectors"
            ]
        else:
            assert flagged == []
