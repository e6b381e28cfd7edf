"""The page's text index answers what ``markup.text`` answers, element by element.

``crawler.pages.page_text`` reads a page's text once and cuts each element's text out of it;
the readers of an unknown skin then ask it for the text of nearly every element. Its answer
must be ``markup.text``'s exactly, or a field read by a skin's shape would change silently:
checked on every element of every saved page (real installs, captured and rendered skins,
Rhymix) with the strips the readers use, and on generated markup built to trip it (nested and
adjacent stripped elements, empty elements, table cells, ``<br>``, comments, scripts).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from parsel import Selector

from crawler.pages import html as markup
from crawler.pages import page_text
from crawler.pages.g5 import nodes
from crawler.pages.g5.row_title import TITLE_STRIP

from ._sample import SAMPLES

STRIPS = [None, ".sound_only", nodes.AUTHOR_STRIP, TITLE_STRIP, "b, .x", "td"]
PAGES = sorted(SAMPLES.rglob("*.html"))


def _expected(el: etree._Element, strip: str | None) -> str:
    return markup.text(Selector(root=el, type="html"), strip=strip)


def _compare(html: str, strips: list[str | None]) -> int:
    """Compare every element's indexed text with ``markup.text``; the number compared."""
    root = markup.doc(html).root
    index = page_text.PageText(root)
    compared = 0
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for strip in strips:
            got = index.text(el, strip)
            if got is not None:
                assert got == _expected(el, strip), (el.tag, el.get("class"), strip)
                compared += 1
    return compared


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_every_element_of_a_saved_page_reads_as_markup_text(page: Path) -> None:
    html = page.read_bytes().decode("utf-8", "replace")
    assert _compare(html, STRIPS) > 0


def test_a_page_is_indexed_once_it_is_asked_for_enough_texts() -> None:
    root = markup.doc("<div><p>x <b>y</b></p></div>").root
    p = next(root.iter("p"))
    with page_text.reading(root):
        asked = [page_text.text(p, None) for _ in range(page_text._INDEX_AFTER)]
        assert asked[:-1] == [None] * (page_text._INDEX_AFTER - 1)  # read as before
        assert asked[-1] == "x y"  # the page is indexed
        assert page_text.text(next(root.iter("b")), None) == "y"


def test_an_element_the_index_does_not_hold_is_read_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(page_text, "_INDEX_AFTER", 1)
    root = markup.doc("<div><script>var a = 1;</script><p>x <b>y</b></p></div>").root
    script = next(root.iter("script"))
    copy = etree.fromstring("<p>other tree</p>")
    with page_text.reading(root):
        assert page_text.text(script, None) is None  # inside what text never reads
        assert page_text.text(copy, None) is None  # another tree
        assert page_text.text(next(root.iter("p")), "div p") is None  # a strip with a context
        assert page_text.text(next(root.iter("p")), ".sound_only") == "x y"
        assert nodes.element_text(script) == ""
        assert nodes.element_text(copy) == "other tree"
    assert page_text.text(next(root.iter("p")), None) is None  # no page being read


def test_strips_are_indexed_only_where_their_matches_do_not_depend_on_the_start() -> None:
    assert page_text.indexable(None)
    assert page_text.indexable(".sound_only, .sv, i.fa, img, #bo_v_con")
    assert not page_text.indexable("div .x")
    assert not page_text.indexable("ul > li")
    assert not page_text.indexable("xpath://span")


_TAGS = ["div", "span", "b", "p", "td", "th", "tr", "br", "li", "a", "script", "img"]
_WORDS = st.sampled_from(["", " ", "To", "tal", "총 3건", "\u00a0", "\n", "가 나", "x"])


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(_TAGS))
    cls = draw(st.sampled_from(["", "sound_only", "x", "sound_only x"]))
    attr = f' class="{cls}"' if cls else ""
    kids = draw(st.lists(_markup(depth + 1), max_size=3)) if depth < 4 else []
    inner = draw(_WORDS) + "".join(k + draw(_WORDS) for k in kids)
    comment = "<!-- c -->" if draw(st.booleans()) else ""
    return f"<{tag}{attr}>{comment}{inner}</{tag}>"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_markup(), min_size=1, max_size=4))
def test_generated_markup_reads_as_markup_text(parts: list[str]) -> None:
    assert _compare(f"<html><body>{''.join(parts)}</body></html>", STRIPS) > 0
