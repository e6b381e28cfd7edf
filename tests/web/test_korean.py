"""The UI in Korean by default, English on request: every message the templates and Python hand a
page has its Korean text, no template writes English outside a message, every page renders in
Korean for a first-time reader, and ``?lang=`` switches and is remembered."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import ClassVar

from fastapi.testclient import TestClient

from archive.web.catalog_ko import KO
from archive.web.i18n import terms
from archive.web.sparkline import sparkline
from archive.web.templating import TEMPLATES, make_templates
from tests.web.test_pages import PAGES

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
#: English that stays English in the Korean UI: the product's name and technical names
KEPT = {"Board", "Archive", "API", "JSON", "HTML", "OpenAPI", "GET", "UTC", "ISO", "SHA"}
#: what the sparkline (Python, not a template) writes
SPARKLINE = (
    "new, edited and deleted posts per night",
    "%(day)s: %(new)s new, %(edited)s edited, %(deleted)s deleted",
)


def messages() -> dict[str, str]:
    """Every message a page can show, and where it comes from."""
    env = make_templates().env
    found: dict[str, str] = {}
    for template in sorted(TEMPLATES.glob("*.html")):
        for _line, _func, message in env.extract_translations(template.read_text()):
            for m in message if isinstance(message, tuple) else (message,):
                if m:
                    found.setdefault(m, template.name)
    for term in terms():
        found.setdefault(term, "archive.web.i18n.terms")
    for m in SPARKLINE:
        found.setdefault(m, "archive.web.sparkline")
    return found


def test_every_message_has_its_korean_text_with_the_same_placeholders() -> None:
    found = messages()
    assert len(found) > 150
    missing = {m: where for m, where in found.items() if m not in KO}
    assert not missing, f"no Korean text for: {missing}"
    for m in found:
        assert set(PLACEHOLDER.findall(KO[m])) == set(PLACEHOLDER.findall(m)), m
    unused = set(KO) - set(found)
    assert not unused, f"Korean text for messages no page shows: {unused}"


class _Literal(HTMLParser):
    """The text a template writes outside ``{{ }}`` / ``{% %}``, and its literal attributes."""

    SHOWN: ClassVar[set[str]] = {"title", "placeholder", "aria-label", "alt", "value"}

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("code", "style", "title")
        if tag == "input" and dict(attrs).get("type") == "hidden":
            return
        self.text += [v for k, v in attrs if k in self.SHOWN and v]

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("code", "style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def test_no_template_writes_english_outside_a_message() -> None:
    for template in sorted(TEMPLATES.glob("*.html")):
        parser = _Literal()
        parser.feed(JINJA.sub(" ", template.read_text()))
        words = set(re.findall(r"[A-Za-z]{2,}", " ".join(parser.text))) - KEPT
        assert not words, f"{template.name} writes English outside _(): {sorted(words)}"


def test_every_page_is_korean_for_a_first_time_reader(client_ko: TestClient) -> None:
    english = [m for m, ko in KO.items() if m != ko and " " in m and "%" not in m]
    for path in PAGES:
        response = client_ko.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-language"] == "ko", path
        html = response.text
        assert '<html lang="ko">' in html, path
        assert "set-cookie" not in response.headers  # nothing chosen, nothing stored
        if path == "/api/docs":  # its descriptions are the OpenAPI document's (English) text
            html = html.split('<section class="endpoint">')[0]
        shown = [m for m in english if m in html]
        assert not shown, f"{path} shows English: {shown}"
    board = client_ko.get("/boards/press").text
    assert ">제목" in board and "조건에 맞는 게시물이 없습니다" not in board
    post = client_ko.get("/boards/press/posts/101").text
    assert "<dt>작성자</dt>" in post and "변경 이력" in post and "처음 보관" in post
    assert "<time>2026-11-22 02:31</time> ~ <time>2026-11-24 02:31</time> 사이" in post
    diff = client_ko.get("/boards/press/posts/101/diff?from=1&to=3").text
    assert "바뀐 항목:" in diff and '<span class="field">제목</span>' in diff
    missing = client_ko.get("/boards/nowhere")
    assert missing.status_code == 404 and "아카이브에 없음" in missing.text


def test_lang_switches_the_page_and_is_remembered(client_ko: TestClient) -> None:
    korean = client_ko.get("/runs").text
    assert 'hreflang="en" href="?lang=en"' in korean and "수집 기록" in korean
    english = client_ko.get("/runs?lang=en")
    assert english.headers["content-language"] == "en"
    assert (
        "lang=en" in english.headers["set-cookie"]
        and "Max-Age=31536000" in (english.headers["set-cookie"])
    )
    assert '<html lang="en">' in english.text and "No runs yet." not in korean
    # the cookie now carries the choice to every page, with no parameter
    later = client_ko.get("/boards/press")
    assert '<html lang="en">' in later.text and "First seen" in later.text
    assert "set-cookie" not in later.headers
    back = client_ko.get("/boards/press?lang=ko&q=채용")
    assert '<html lang="ko">' in back.text and "처음 수집" in back.text
    assert 'href="?lang=en&amp;q=%EC%B1%84%EC%9A%A9"' in back.text  # the toggle keeps the query
    assert client_ko.get("/?lang=xx").headers["content-language"] == "ko"  # unknown: ignored


def test_the_sparkline_speaks_the_pages_language(client_ko: TestClient) -> None:
    page = client_ko.get("/").text
    assert 'aria-label="밤별 새 글, 수정된 글, 삭제된 글"' in page
    assert re.search(r"<title>\d{4}-\d\d-\d\d: 새 글 \d+, 수정 \d+, 삭제 \d+</title>", page)
    assert sparkline([]) == ""
