"""Archived HTML is untrusted: sanitising it, and the headers every response carries.

Two layers, each enough alone against a post's script: ``sanitise`` (nh3) keeps only inert markup
(no script, no event handler, no ``javascript:`` link, no style, no frame, form or object), and
the Content-Security-Policy forbids every script and every request to another host.

Body images: an ``<img>`` whose file is in the blob store is rewritten to the archive's own copy
(``/files/{sha256}``, allowed by ``img-src 'self'``), keeping only its alt text; every other
``<img>`` (not downloaded, skipped, refused, failed, or from a version archived before files
were) becomes a placeholder naming its alt text. An ``<img>`` may keep no ``src`` but one the
archive wrote, so showing a page never makes a request to the board's host or anyone else.
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import urljoin, urlsplit

import nh3
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from archive.web.files import image_key

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

# nh3's defaults less image maps, and images with nothing but the src the archive wrote and alt;
# no attribute of any tag can hold script or style.
_TAGS = set(nh3.ALLOWED_TAGS) - {"map", "area"}
_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items() if tag in _TAGS}
_ATTRIBUTES["img"] = {"src", "alt"}
_URL_SCHEMES = {"http", "https", "mailto"}
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = r"""\b{}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
_ALT = re.compile(_ATTR.format("alt"), re.IGNORECASE)
_SRC = re.compile(_ATTR.format("src"), re.IGNORECASE)
PLACEHOLDER_CLASS = "archived-image"


def _attr(pattern: re.Pattern[str], tag: str) -> str:
    found = pattern.search(tag)
    return html.unescape(next((g for g in found.groups() if g), "")).strip() if found else ""


def _image(tag: str, base_url: str | None, images: Mapping[str, str]) -> str:
    """The archive's copy of the image when it is stored, else a placeholder."""
    alt, src = _attr(_ALT, tag), _attr(_SRC, tag)
    own = images.get(image_key(urljoin(base_url or "", src))) if src else None
    if own is not None:
        return f'<img src="{html.escape(own)}" alt="{html.escape(alt)}">'
    text = f"[이미지: {alt}]" if alt else "[이미지]"
    return f'<span class="{PLACEHOLDER_CLASS}">{html.escape(text)}</span>'


def sanitise(
    body_html: str, base_url: str | None = None, images: Mapping[str, str] | None = None
) -> Markup:
    """The archived body as safe markup: links made absolute against the post's URL, images
    whose file is stored pointing at the archive's copy (``images``: its URL by
    ``archive.web.files.image_key`` of the image's absolute URL), the others placeholders."""
    images = images or {}
    own_srcs = set(images.values())

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src":
            return value if value in own_srcs else None
        if attr in ("href", "cite") and base_url:
            absolute = urljoin(base_url, value.strip())
            if urlsplit(absolute).scheme not in _URL_SCHEMES:
                return None
            return absolute
        return value

    cleaned = nh3.clean(
        _IMG.sub(lambda m: _image(m.group(0), base_url, images), body_html),
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
