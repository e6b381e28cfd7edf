"""Fuzzing every profile (``gnuboard5``, ``rhymix`` and a ``generic`` board) as ``test_fuzz``
fuzzes the GnuBoard parser: on mutated pages of every engine in ``samples/`` (GnuBoard's and
Rhymix's, each profile also gets the other engine's pages), a profile returns its item or
raises ``ParseError``, never anything else; what it returns holds only storable strings. The
probe's survey of mutated GnuBoard pages never raises either."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.items import ListPage, Post, PostNotFound, SecretPost
from crawler.pages.errors import ParseError
from crawler.pages.g5.survey import Survey, survey
from crawler.pages.profile import Profile
from crawler.pages.profiles import BUILTIN, builtin, generic_profile

from ._sample import SAMPLES
from .test_fuzz import FUZZ, _string_mutation, _tree_mutation, assert_storable, outcome

GENERIC = generic_profile(
    {"view_url": "{root}/board/view.do?nttId={id}", "id_params": ["nttId", "wr_id"]},
    {
        "list_container": "table, ul",
        "list_rows": "table tbody tr, ul li",
        "row_link": "a",
        "view_container": "body",
        "view_title": "h1, h2, title",
        "view_body": "xpath://div[contains(@class, 'con')]",
        "row_date": "td.td_datetime, .date",
        "view_date": "xpath://*[contains(@class, 'date')]",
        "attachments": "a[href*=download]",
    },
)
PROFILES = [*(builtin(name) for name in BUILTIN), GENERIC]
SEEDS = {
    str(p.relative_to(SAMPLES)): p.read_text("utf-8")
    for p in sorted(SAMPLES.rglob("*.html"))
    if p.stat().st_size
}
URLS = {
    "gnuboard5": (
        "{host}/bbs/board.php?bo_table=press&page={page}",
        "{host}/bbs/board.php?bo_table=press&wr_id={id}",
    ),
    "rhymix": (
        "{host}/index.php?mid=notice&page={page}",
        "{host}/index.php?mid=notice&document_srl={id}",
    ),
    "generic": ("{host}/board/list.do?pageIndex={page}", "{host}/board/view.do?nttId={id}"),
}
HOST = "http://127.0.0.1:8070"


@st.composite
def mutated(draw: st.DrawFn) -> str:
    html = SEEDS[draw(st.sampled_from(sorted(SEEDS)))]
    for _ in range(draw(st.integers(0, 3))):
        html = draw(_tree_mutation(html) if draw(st.booleans()) else _string_mutation(html))
    return html


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
@FUZZ
@given(html=mutated(), page=st.sampled_from(["1", "2", "x", "%ED"]), today=st.dates())
def test_every_profile_reads_a_list_or_says_why_not(
    profile: Profile, html: str, page: str, today: date
) -> None:
    url = URLS[profile.name][0].format(host=HOST, page=quote(page))
    result = outcome(lambda: profile.parse_list(html, url, today=today))
    if isinstance(result, ListPage):
        assert_storable(result)
        assert all(row.post_id for row in result.rows)
    else:
        assert isinstance(result, ParseError)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
@FUZZ
@given(
    html=mutated(),
    post_id=st.sampled_from(["108", "26", "130", "0", "x"]),
    status=st.sampled_from([200, 200, 302, 403, 404, 500]),
)
def test_every_profile_reads_a_view_or_says_why_not(
    profile: Profile, html: str, post_id: str, status: int
) -> None:
    url = URLS[profile.name][1].format(host=HOST, id=quote(post_id))
    result = outcome(lambda: profile.parse_view(html, url, status=status))
    if isinstance(result, Post | PostNotFound | SecretPost):
        assert_storable(result)
    else:
        assert isinstance(result, ParseError)


@FUZZ
@given(lists=st.lists(mutated(), min_size=1, max_size=2), views=st.lists(mutated(), max_size=2))
def test_the_probe_survey_never_raises_but_parse_error(lists: list[str], views: list[str]) -> None:
    gnu = URLS["gnuboard5"]
    result = outcome(
        lambda: survey(
            [(h, gnu[0].format(host=HOST, page=n + 1)) for n, h in enumerate(lists)],
            [(h, gnu[1].format(host=HOST, id=26 + n)) for n, h in enumerate(views)],
        )
    )
    assert isinstance(result, Survey | ParseError)
    assert_storable(result)
