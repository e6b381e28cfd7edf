"""Archived HTML is untrusted: sanitising it, and the headers every response carries.

Two layers, each enough alone against a post's script: ``sanitise`` (nh3) keeps only inert markup
(no script, no event handler, no ``javascript:`` link, no style, no image), and the
Content-Security-Policy forbids every script and every request to another host.
Images are not stored yet (there is no blob store), so each ``<img>`` becomes a placeholder
naming its alt text: showing a page never makes a request to the board's host or anyone else.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from urllib.parse import urljoin, urlsplit

import nh3
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    )
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# nh3's defaults, less images and image maps; no attribute of any tag can hold script or style.
_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "map", "area"}
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items() if tag in _TAGS}
_URL_SCHEMES = {"http", "https", "mailto"}
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
PLACEHOLDER_CLASS = "archived-image"


def _placeholder(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group(0))
    label = next((g for g in alt.groups() if g), "") if alt else ""
    text = f"[이미지: {html.unescape(label).strip()}]" if label.strip() else "[이미지]"
    return f'<span class="{PLACEHOLDER_CLASS}">{html.escape(text)}</span>'


def sanitise(body_html: str, base_url: str | None = None) -> Markup:
    """The archived body as safe markup: links made absolute against the post's URL."""

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr in ("href", "cite") and base_url:
            absolute = urljoin(base_url, value.strip())
            if urlsplit(absolute).scheme not in _URL_SCHEMES:
                return None
            return absolute
        return value

    cleaned = nh3.clean(
        _IMG.sub(_placeholder, body_html),
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        allowed_classes={"span": {PLACEHOLDER_CLASS}},
        strip_comments=True,
    )
    return Markup(cleaned)


async def security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """HTTP middleware: the CSP and friends on every response."""
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
