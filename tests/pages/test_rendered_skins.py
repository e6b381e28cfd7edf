"""The gnuboard5 profile, with no selectors written, on four third-party board skins (Nariya
basic and gallery, Eyoom Builder 4, BootStrap_Gnuboard; ``samples/rendered_skins/``, whose
README says how they were made): every row and view field against what the page shows
(``expected.json``). Where a skin names no body container the body is found by comparing the
skin's view pages, as the crawl does.

The one tolerance: a view that shows its comment count only outside the post's info (Nariya's
"0 Comments" button) may read it as not shown (None); a count is an observation, not content.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.pages.errors import BodyNotFound
from crawler.pages.profiles import GNUBOARD5, Profile

SAMPLES = Path(__file__).parent / "samples" / "rendered_skins"
SKINS = sorted(p.name for p in SAMPLES.iterdir() if (p / "expected.json").exists())
ROW_FIELDS = (
    "title",
    "author",
    "list_date",
    "notice",
    "secret",
    "has_attachment",
    "comment_count",
    "views",
)


def _expected(skin: str) -> dict[str, Any]:
    return json.loads((SAMPLES / skin / "expected.json").read_text(encoding="utf-8"))


def _page(skin: str, name: str) -> str:
    return (SAMPLES / skin / name).read_text(encoding="utf-8")


def test_every_skin_is_here() -> None:
    assert SKINS == ["bootstrap_newkilho", "eyoom_basic", "nariya_basic", "nariya_gallery"]


@pytest.mark.parametrize("skin", SKINS)
def test_list_pages(skin: str) -> None:
    expected = _expected(skin)
    today = date.fromisoformat(expected["today"])
    for page in expected["lists"]:
        listing = GNUBOARD5.parse_list(_page(skin, page["file"]), page["url"], today=today)
        where = f"{skin}/{page['file']}"
        assert [r.post_id for r in listing.rows] == page["post_ids"], where
        assert (listing.last_page, listing.total) == (page["last_page"], page["total"]), where
        rows = {r.post_id: r for r in listing.rows}
        for want in page["rows"]:
            got = rows[want["post_id"]]
            for field in ROW_FIELDS:
                assert getattr(got, field) == want[field], (where, want["post_id"], field)


@pytest.mark.parametrize("skin", SKINS)
def test_view_pages(skin: str) -> None:
    expected = _expected(skin)
    pages = [(_page(skin, v["file"]), v["url"]) for v in expected["views"]]
    profile: Profile = GNUBOARD5
    try:
        profile.parse_view(*pages[0])
    except BodyNotFound:  # no #bo_v_con: the crawl compares the board's view pages
        selector, why = GNUBOARD5.find_body(pages)
        assert selector is not None, why
        profile = GNUBOARD5.with_selectors({"view_body": selector})
    for want, (html, url) in zip(expected["views"], pages, strict=True):
        post = profile.parse_view(html, url)
        where = f"{skin}/{want['file']}"
        assert (post.title, post.author) == (want["title"], want["author"]), where
        posted = post.posted_at.isoformat() if post.posted_at else None
        assert posted == want["posted_at"], where
        if want["posted_at"] is None:
            assert post.posted_shown == want["posted_shown"], where
        assert post.views == want["views"], where
        assert post.comment_count in (want["comment_count"], None), where
        assert post.body_text == want["body_text"], where
        assert [a.name for a in post.attachments] == want["attachments"], where
        comments = [
            {"comment_id": c.comment_id, "author": c.author, "text": c.text} for c in post.comments
        ]
        assert comments == want["comments"], where
