"""The HTML pages through the test client, on SQLite and PostgreSQL: each page renders what it
should, archived HTML is sanitised, every response carries the CSP, errors are pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from archive.web.security import CSP

PAGES = [
    "/",
    "/boards/press",
    "/boards/press?q=채용&attachments=1&sort=title&order=asc",
    "/boards/press/posts/101",
    "/boards/press/posts/101?v=1",
    "/boards/press/posts/103",
    "/boards/press/posts/105",
    "/boards/press/posts/106",
    "/boards/press/posts/101/diff",
    "/boards/press/posts/101/diff?from=1&to=3&view=inline",
    "/search?q=채용",
    "/runs",
    "/runs?board=press",
    "/api/docs",
]

#: attributes whose value the browser loads, follows or sends something to
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "ping"}
URL_ATTRIBUTES |= {"background", "cite", "longdesc", "manifest", "xlink:href", "style"}
#: an absolute or protocol-relative URL, anywhere in the value (srcset lists, CSS url(...))
OFF_SITE = re.compile(r"(?:^|[\s,('\"])(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                self.found.append((tag, name, value.strip()))
            if tag == "meta" and name == "content" and value and "url=" in value.lower():
                self.found.append((tag, name, value.lower().split("url=", 1)[1].strip()))


def url_attributes(html: str) -> list[tuple[str, str, str]]:
    """Each (tag, attribute, value) of ``html`` that names a URL."""
    parser = _Attributes()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_csp_allows_nothing_off_site(header: str) -> None:
    """The policy as the browser reads it: no script at all, and every other fetch to this
    server only (images also as ``data:``)."""
    policy: dict[str, list[str]] = {}
    for directive in filter(None, (d.strip() for d in header.split(";"))):
        name, *sources = directive.split()
        policy.setdefault(name.lower(), sources)  # a repeated directive is ignored
    assert policy["default-src"] == ["'none'"] and policy["script-src"] == ["'none'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for name, sources in policy.items():
        allowed = {"'none'", "'self'"} | ({"data:"} if name == "img-src" else set())
        assert set(sources) <= allowed, (name, sources)


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_with_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP
    assert "script-src 'none'" in CSP and "default-src 'none'" in CSP
    assert_csp_allows_nothing_off_site(r.headers["content-security-policy"])
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "<script" not in r.text
    # nothing on a page loads from anywhere but this server: an off-site URL is only a link
    for tag, attr, value in url_attributes(r.text):
        if OFF_SITE.search(value):
            assert (tag, attr) == ("a", "href"), (tag, attr, value)


def test_static_files_and_json_carry_the_headers_too(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-security-policy"] == CSP
    assert client.get("/api/boards").headers["content-security-policy"] == CSP


def test_overview_lists_boards_with_counts_and_chart(client: TestClient) -> None:
    html = client.get("/").text
    assert 'href="/boards/press"' in html and 'href="/boards/notice"' in html
    assert html.count('<svg class="spark"') == 2
    assert "2026-11-24: 1 new, 1 edited, 0 deleted" in html  # a night's tooltip
    assert "suspect" in html


def test_post_page_shows_body_attachments_and_timeline(client: TestClient) -> None:
    html = client.get("/boards/press/posts/101").text
    assert "접수 기간은 12월 7일까지로 연장되었습니다." in html
    assert "지원서 양식.hwp" in html and "(48K)" in html
    assert 'id="comments"' in html  # the place for comments
    assert "between <time>2026-11-22 02:31</time> and <time>2026-11-24 02:31</time>" in html
    assert 'href="/boards/press/posts/101/diff?from=2&amp;to=3"' in html
    old = client.get("/boards/press/posts/101?v=1").text
    assert "You are looking at version 1 of 3" in old and "30일까지입니다" in old
    deleted = client.get("/boards/press/posts/104").text
    assert 'class="badge ev-deleted"' in deleted
    assert "A secret post" in client.get("/boards/press/posts/105").text


def test_archived_scripts_and_remote_resources_are_stripped(client: TestClient) -> None:
    html = client.get("/boards/press/posts/103").text
    body = html[html.index('id="post-body"') : html.index("</article>")]
    for bad in ("<script", "onerror", "onload", "ontoggle", "javascript:", "<iframe", "<object"):
        assert bad not in body
    assert "<form" not in body and "<link" not in body and "style=" not in body
    assert "203.0.113.9" not in html
    assert "[이미지: 행사 포스터]" in body and "참가 신청은 홈페이지에서." in body


def test_diff_page_marks_changed_words_and_fields(client: TestClient) -> None:
    html = client.get("/boards/press/posts/101/diff?from=1&to=3").text
    assert '<div class="diff-title" id="title-old">2026년 <del>상반기</del>' in html
    assert "<ins>하반기</ins>" in html and "<ins> (마감 연장)</ins>" in html
    assert "<del>인사팀</del>" in html and "<ins>인사팀 채용담당</ins>" in html
    assert '<tr class="att-added">' in html and '<tr class="att-replaced">' in html
    inline = client.get("/boards/press/posts/101/diff?from=1&to=3&view=inline").text
    assert "<del>상반기</del><ins>하반기</ins>" in inline
    same = client.get("/boards/press/posts/101/diff?from=2&to=2").text
    assert "Same version on both sides" in same


def test_board_page_filters_sorts_and_searches(client: TestClient) -> None:
    html = client.get("/boards/press?q=채용").text
    assert "2 posts" in html and "신규 협력사 모집" in html and "보도자료 90호" not in html
    sorted_html = client.get("/boards/press?sort=versions").text
    assert 'class="sort active desc"' in sorted_html
    assert client.get("/boards/press?deleted_since=2026-11-01").text.count("<tr class=") == 1


def test_errors_are_pages(client: TestClient) -> None:
    r = client.get("/boards/nope")
    assert r.status_code == 404 and "no board &#39;nope&#39;" in r.text and "<h1>404" in r.text
    assert client.get("/boards/press/posts/999").status_code == 404
    bad = client.get("/boards/press?new_since=soon")
    assert bad.status_code == 400 and "new_since" in bad.text
    assert client.get("/boards/press?sort=evil").status_code == 400
    assert client.get("/boards/press/posts/101/diff?from=0").status_code == 400


def test_post_page_shows_comments_with_edits_and_deletions(client: TestClient) -> None:
    html = client.get("/boards/press/posts/101").text
    comments = html[html.index('id="comments"') : html.index('<aside class="timeline">')]
    assert re.findall(r'<li class="comment( c-deleted)?" id="c_(\d+)">', comments) == [
        ("", "1"),
        (" c-deleted", "2"),
        ("", "3"),
    ]
    question = comments[comments.index('id="c_1"') : comments.index('id="c_2"')]
    assert "경력직도 지원할 수 있는지 궁금합니다." in question and "2 versions" in question
    assert '<div class="c-text">지원 자격에 나이 제한이 있나요?</div>' in question  # v1 kept
    deleted = comments[comments.index('id="c_2"') : comments.index('id="c_3"')]
    assert "접수 마감일이 언제인가요?" in deleted and "gone by 2026-11-24 02:31" in deleted
    assert "답변: 나이 제한은 없으며" in comments
    assert "None archived" in client.get("/boards/press/posts/102").text
