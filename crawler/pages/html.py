"""Engine-independent helpers for reading HTML pages: selection, text, URLs and numbers.

Pure functions over parsel ``Selector``s and lxml elements (no I/O), shared by the page objects
of every board engine (``gnuboard5`` first). Selector arguments are in the ``archive.selectors``
syntax: CSS, whose alternatives (see ``split_alternatives``) are tried in order, or an XPath
written ``xpath://…``.

Text rules (``text``): script/style and form controls are dropped and images ignored; ``<br>``
and block elements (p, div, li, tr, headings, …) end a line; table cells of a row are joined by
a tab; runs of other whitespace (including ``&nbsp;``) become one space; lines are stripped and
empty lines dropped. Without ``block`` the whole text is one line (line ends become spaces).

Hostile pages (``tests/pages/test_fuzz.py``): a link that is no URL (``http://[::1``) joins to
None instead of raising; a number past ``MAX_COUNT`` is no count; ``storable`` text has no NUL
and no lone surrogate.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import css2xpath

from archive.selectors import XPATH, split_alternatives

_BLOCK_TAGS = (
    "address article aside blockquote caption center dd details dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr legend li main menu nav ol p "
    "pre section summary table tbody tfoot thead tr ul"
)
BLOCK = frozenset(_BLOCK_TAGS.split())
CELLS = frozenset({"td", "th"})
SKIP = frozenset({"script", "style", "template", "noscript", "textarea", "select", "button"})
_WS = re.compile(r"\s+")
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_NUMBER = re.compile(r"\d[\d,]*")
#: A number past this is no counter a board shows (and no database integer column holds it).
MAX_COUNT = 2**31 - 1
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


# ---- selection -----------------------------------------------------------------------------


def doc(html: str | Selector) -> Selector:
    """``html`` as a parsel ``Selector`` (an empty document for empty text); a ``Selector`` is
    returned as is, so a page parsed once can be handed on."""
    return (
        html if isinstance(html, Selector) else Selector(text=html or "<html></html>", type="html")
    )


def select(sel: Selector, expr: str) -> SelectorList[Selector]:
    """Every match of ``expr`` in document order: an XPath when written ``xpath:…``, else a CSS
    group (every match of every alternative)."""
    return sel.xpath(expr[len(XPATH) :]) if expr.startswith(XPATH) else sel.css(expr)


def matches(root: etree._Element, expr: str) -> set[etree._Element]:
    """The elements under ``root`` (itself included) that ``expr`` selects (``select``'s
    matches), a CSS group evaluated by its XPath compiled once."""
    if expr.startswith(XPATH):
        return {el.root for el in select(Selector(root=root, type="html"), expr)}
    return set(_compiled_css(expr)(root))


@lru_cache(maxsize=256)
def _compiled_css(css: str) -> etree.XPath:
    return etree.XPath(css2xpath(css))


def first(sel: Selector, css: str) -> Selector | None:
    """The first match of the first alternative of ``css`` that matches anything."""
    for alternative in split_alternatives(css):
        found = select(sel, alternative)
        if found:
            return found[0]
    return None


def candidates(sel: Selector, css: str) -> Iterator[str]:
    """Texts of every match, alternative by alternative (``.sound_only`` parts left out)."""
    for alternative in split_alternatives(css):
        yield from (text(el, strip=".sound_only") for el in select(sel, alternative))


def matching(sel: Selector, css: str, accept: Callable[[str], bool]) -> str | None:
    """The first of the ``candidates`` texts that ``accept`` takes, or None."""
    return next((t for t in candidates(sel, css) if accept(t)), None)


# ---- text ----------------------------------------------------------------------------------


def text(sel: Selector | None, *, strip: str | None = None, block: bool = False) -> str:
    """Readable text of ``sel`` minus elements matching ``strip`` (see the module notes).

    With ``block`` the text keeps its lines (and tabs between table cells); without it the
    text is one line. ``sel`` None gives "".
    """
    if sel is None:
        return ""
    root = sel.root
    skip = matches(root, strip) - {root} if strip else set()
    out: list[str] = []
    sep = "\n" if block else " "  # what <br> and block boundaries become

    def walk(node: etree._Element) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if not tag or tag in SKIP or node in skip:
            return
        if tag == "br" or tag in BLOCK:
            out.append(sep)
        elif tag in CELLS and follows_cell(node):
            out.append("\t" if block else " ")
        if node.text:
            out.append(_WS.sub(" ", node.text))
        for child in node:
            walk(child)
            if child.tail:
                out.append(_WS.sub(" ", child.tail))
        if tag in BLOCK:
            out.append(sep)

    walk(root)
    if not block:
        return " ".join("".join(out).split())
    lines = (
        "\t".join(" ".join(c.split()) for c in ln.split("\t")) for ln in "".join(out).split("\n")
    )
    return "\n".join(ln for ln in lines if ln.strip())


def text_or_none(sel: Selector | None, *, strip: str | None = ".sound_only") -> str | None:
    """The one-line ``text`` of ``sel`` (``.sound_only`` parts left out by default), or None
    when it is empty or ``sel`` is None."""
    return text(sel, strip=strip) or None


def follows_cell(node: etree._Element) -> bool:
    """Whether a table cell comes before ``node`` in its row (so a cell separator is due)."""
    return any(
        isinstance(sib.tag, str) and sib.tag.lower() in CELLS
        for sib in node.itersiblings(preceding=True)
    )


def inner_html(el: etree._Element) -> str:
    """The markup inside ``el`` (its text and children, re-serialised by lxml), stripped."""
    parts = [html_lib.escape(el.text, quote=False)] if el.text else []
    parts.extend(
        etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in el
    )
    return "".join(parts).strip()


def image_urls(sel: Selector, base_url: str) -> tuple[str, ...]:
    """Absolute ``src`` URLs of the images in ``sel``, in order, each once (``data:`` URIs and
    non-HTTP sources left out: they are in the markup already, or cannot be fetched)."""
    urls: dict[str, None] = {}
    for src in sel.css("img::attr(src)").getall():
        joined = join_url(base_url, src.strip()) if src.strip() else None
        if joined is not None and urlsplit(joined).scheme in ("http", "https"):
            urls.setdefault(urldefrag(joined).url)
    return tuple(urls)


@lru_cache(maxsize=4096)  # a page's links are joined again by each reader that walks them
def join_url(base_url: str, href: str) -> str | None:
    """``href`` made absolute against ``base_url``; None when it is no URL (``http://[::1``,
    a host that NFKC normalisation changes), which ``urllib`` refuses with ``ValueError``."""
    try:
        url = urljoin(base_url, href)
        urlsplit(url)
    except ValueError:
        return None
    return url


# ---- values --------------------------------------------------------------------------------


def query_param(url: str | None, name: str) -> str | None:
    """The first value of query parameter ``name`` in ``url`` (stripped), or None."""
    if not url:
        return None
    try:
        values = parse_qs(urlsplit(url).query).get(name)
    except ValueError:  # not a URL (see join_url)
        return None
    return values[0].strip() if values else None


def to_int(text: str | None) -> int | None:
    """The first number in ``text`` ("1,234" reads as 1234), or None when there is none or it
    is past ``MAX_COUNT`` (a page's garbage, not a counter)."""
    m = _NUMBER.search(text or "")
    digits = m.group(0).replace(",", "").lstrip("0") if m else None
    if digits is None or len(digits) > len(str(MAX_COUNT)):  # int() of 4,300+ digits raises
        return None
    value = int(digits or "0")
    return value if value <= MAX_COUNT else None


def storable(text: str) -> str:
    """``text`` with NUL and lone surrogates (which a JavaScript escape such as ``\\0`` or
    ``\\ud800`` gives) replaced by U+FFFD: PostgreSQL refuses NUL, UTF-8 has no surrogates."""
    return _UNSTORABLE.sub("\ufffd", text)


def js_unescape(text: str) -> str:
    """The value of a JavaScript string literal's body: ``\\n``, ``\\uXXXX``, ``\\xXX``, ``\\"``
    and the other backslash escapes resolved."""
    simple = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

    def replace(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return simple.get(code, code)

    return _JS_ESCAPE.sub(replace, text)
