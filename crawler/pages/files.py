"""Downloaded files: pure checks of a download response (no I/O, no Scrapy).

``parse_download(status, headers, body)`` tells a file from the board's refusal. GnuBoard answers
a download without the session that opened the post (or with a stale nonce) with HTTP 200 and
the alert page "잘못된 접근입니다.", never with an error status, so the status alone proves
nothing. Rules, in order:

- a status other than 2xx is a ``DownloadRefused`` ("HTTP 404");
- a ``Content-Disposition`` with a file name (or ``attachment``) is a file, whatever its type:
  GnuBoard's ``download.php`` sends one with every file and never with an alert;
- an HTML page (by ``Content-Type``, or by its first bytes when there is none) is a
  ``DownloadRefused`` naming the alert's text when it has one;
- an empty body without a ``Content-Disposition`` is a ``DownloadRefused``;
- anything else (an image the board serves as a static file) is a file.

``filename_from_disposition`` decodes the original file name as servers send it: RFC 5987/6266
``filename*=UTF-8''…`` (or another charset), URL-encoded UTF-8 or CP949 in ``filename="…"``
(GnuBoard's ``urlencode``: ``+`` is a space), RFC 2047 encoded words, and raw UTF-8 or
EUC-KR/CP949 bytes. Control characters become U+FFFD. The name is only ever stored and shown:
files are stored by their SHA-256, never under a name a server chose.
"""

from __future__ import annotations

import codecs
import math
import mimetypes
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from urllib.parse import quote, unquote_to_bytes, urljoin, urlsplit

from crawler.pages import html as markup
from crawler.pages.g5.answers import page_alert

#: Content types that say nothing about the file (GnuBoard sends ``file/unknown``).
GENERIC_TYPES = frozenset(
    {"file/unknown", "application/octet-stream", "doesn/matter", "application/force-download"}
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<script|<meta)", re.I)
_PARAM = re.compile(rb"""\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)""", re.S)
_ESCAPED = re.compile(rb"%[0-9A-Fa-f]{2}")
_ENCODED_WORD = re.compile(r"=\?[^?]+\?[BbQq]\?[^?]*\?=")
_QUOTED_PAIR = re.compile(rb"\\(.)", re.S)
_SIZE = re.compile(r"^([\d,]+(?:\.\d+)?)\s*(bytes?|b|k|kb|m|mb|g|gb)?$", re.I)
_UNITS = {"": 1, "b": 1, "byte": 1, "bytes": 1, "k": 1024, "kb": 1024}
_UNITS |= {"m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}
_KOREAN = {"euc-kr", "euc_kr", "euckr", "ks_c_5601-1987", "ks_c_5601", "uhc", "x-windows-949"}


@dataclass(frozen=True, slots=True)
class DownloadedFile:
    """The file a download returned."""

    data: bytes = field(repr=False)
    filename: str | None  # the original name, decoded from Content-Disposition; None if absent
    content_type: str | None  # the header's type, or one guessed from the name if it is generic

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class DownloadRefused:
    """The board answered, but not with the file (an alert page, an error status)."""

    reason: str


def parse_download(
    status: int, headers: Mapping[str, bytes | str], body: bytes
) -> DownloadedFile | DownloadRefused:
    """Tell the file from the board's refusal (see the module notes). Header names in any case."""
    h = {k.lower(): _as_bytes(v) for k, v in headers.items()}
    if not 200 <= status < 300:
        return DownloadRefused(f"HTTP {status}")
    disposition = h.get("content-disposition")
    ctype = _media_type(h.get("content-type"))
    filename = filename_from_disposition(disposition) if disposition else None
    if disposition is not None and (filename or disposition.strip().lower().startswith(b"attach")):
        return DownloadedFile(body, filename, _best_type(ctype, filename))
    if ctype in _HTML_TYPES or (ctype is None and _HTML_START.match(body[:512])):
        page = _decode_page(body, h.get("content-type"))
        alert = page_alert(page)
        if alert:
            return DownloadRefused(f"the board refused: {alert}")
        return DownloadRefused("an HTML page instead of the file")
    if not body:
        return DownloadRefused("an empty answer")
    return DownloadedFile(body, None, ctype)


def filename_from_disposition(value: bytes | str) -> str | None:
    """The file name a ``Content-Disposition`` value carries, decoded; None when it has none."""
    params: dict[str, bytes] = {}
    raw = _as_bytes(value)
    for part in _split_params(raw)[1:]:
        m = _PARAM.fullmatch(part)
        if m:
            name = m.group(1).decode("ascii").lower()
            params.setdefault(name, _unquote(m.group(2).strip()))
    text: str | None = None
    if "filename*" in params:
        text = _rfc5987(params["filename*"])
    if text is None and "filename" in params:
        text = _legacy_filename(params["filename"])
    return clean_name(text) if text else None


def clean_name(name: str) -> str | None:
    """A name fit to store and show: NFC, control characters as U+FFFD, outer blanks gone."""
    name = unicodedata.normalize("NFC", name)
    name = "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in name).strip()
    return name or None


def shown_size(text: str | None) -> tuple[int, int] | None:
    """A size as a board shows it ("1.2M", "245.3K", "220byte", "1,024.0M") in bytes: the
    nominal value and the least it can be given the rounding shown; None if unreadable."""
    m = _SIZE.match((text or "").strip())
    if m is None:
        return None
    number, unit = m.group(1).replace(",", ""), (m.group(2) or "").lower()
    if not number:  # "," alone
        return None
    scale = _UNITS[unit]
    decimals = len(number.partition(".")[2])
    half_step = 0.5 * 10**-decimals if scale > 1 else 0.0
    value = float(number)
    if not math.isfinite(value * scale):  # hundreds of digits: no file has that many bytes
        return None
    return int(value * scale), int(max(value - half_step, 0.0) * scale)


def file_url(url: str) -> str:
    """Where the file of an attachment entry is fetched from.

    GnuBoard shows attached pictures above the body with a link to ``view_image.php?fn=NAME``,
    an HTML page around the picture; the picture itself is ``data/file/BO_TABLE/NAME`` beside
    ``bbs/``. Every other link (``download.php?…``) is fetched as it is.
    """
    parts = urlsplit(url)
    if not parts.path.endswith("/view_image.php"):
        return url
    table, name = markup.query_param(url, "bo_table"), markup.query_param(url, "fn")
    if not table or not name or "/" in name or "/" in table:
        return url
    return urljoin(url, f"../data/file/{quote(table)}/{quote(name)}")


def guess_type(filename: str | None) -> str | None:
    return mimetypes.guess_type(filename, strict=False)[0] if filename else None


# ---- helpers -------------------------------------------------------------------------------


def _as_bytes(value: bytes | str) -> bytes:
    if isinstance(value, bytes):
        return value
    try:
        return value.encode("latin-1")  # header text as the HTTP library decoded it
    except UnicodeEncodeError:
        return value.encode("utf-8")  # already decoded text


def _media_type(value: bytes | None) -> str | None:
    if not value:
        return None
    media = value.split(b";", 1)[0].strip().lower().decode("latin-1")
    return media or None


def _best_type(ctype: str | None, filename: str | None) -> str | None:
    if ctype is None or ctype in GENERIC_TYPES:
        return guess_type(filename) or ctype
    return ctype


def _split_params(raw: bytes) -> list[bytes]:
    """Split at ``;`` outside quoted strings."""
    parts, current, quoted, escaped = [], bytearray(), False, False
    for byte in raw:
        ch = bytes([byte])
        if escaped:
            escaped = False
        elif ch == b"\\" and quoted:
            escaped = True
        elif ch == b'"':
            quoted = not quoted
        elif ch == b";" and not quoted:
            parts.append(bytes(current))
            current.clear()
            continue
        current += ch
    parts.append(bytes(current))
    return parts


def _unquote(value: bytes) -> bytes:
    if len(value) >= 2 and value[:1] == b'"' and value[-1:] == b'"':
        return _QUOTED_PAIR.sub(rb"\1", value[1:-1])
    return value


def _codec(charset: str) -> str | None:
    name = charset.strip().lower()
    if name in _KOREAN:
        return "cp949"  # a superset of EUC-KR, which is what such servers send
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    # base64, rot13, hex, zlib, … are codecs but not text encodings: bytes.decode refuses them
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _rfc5987(value: bytes) -> str | None:
    """``charset'language'percent-encoded`` (RFC 5987, RFC 8187)."""
    charset, sep, rest = value.partition(b"'")
    _language, sep2, encoded = rest.partition(b"'")
    if not sep or not sep2:
        return None
    data = unquote_to_bytes(encoded)
    codec = _codec(charset.decode("ascii", "replace")) or "utf-8"
    return _decode_name(data, (codec, "utf-8", "cp949"))


def _legacy_filename(value: bytes) -> str:
    if _ESCAPED.search(value):
        # URL-encoded. PHP's urlencode (GnuBoard) writes a space as "+" and "+" as "%2B"; a value
        # with raw spaces was not made by it, so its "+" stays.
        if b" " not in value:
            value = value.replace(b"+", b" ")
        return _decode_name(unquote_to_bytes(value), ("utf-8", "cp949"))
    text = _decode_name(value, ("utf-8", "cp949"))
    if _ENCODED_WORD.search(text):
        try:
            return str(make_header(decode_header(text)))
        except (LookupError, ValueError, UnicodeDecodeError):
            return text
    return text


def _decode_name(data: bytes, codecs_to_try: tuple[str, ...]) -> str:
    for codec in codecs_to_try:
        try:
            text = data.decode(codec)
            text.encode("utf-8")  # escape codecs (unicode_escape, utf-7) can make lone surrogates
        except (UnicodeError, LookupError):  # UnicodeError: e.g. the "undefined" and idna codecs
            continue
        return text
    return data.decode("utf-8", errors="replace")


def _decode_page(body: bytes, content_type: bytes | None) -> str:
    m = re.search(rb"charset=([\w-]+)", content_type or b"", re.I) or re.search(
        rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:2048], re.I
    )
    codec = _codec(m.group(1).decode("ascii")) if m else None
    return _decode_name(body, tuple(filter(None, (codec, "utf-8", "cp949"))))
