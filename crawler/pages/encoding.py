"""Decoding a fetched page: which charset its bytes are in (pure; no I/O, no Scrapy).

Korean boards are served in UTF-8 or in EUC-KR, which in practice means CP949 (Microsoft's
superset, "UHC": 똠, 뷁 and 8,822 other syllables EUC-KR lacks). Servers often get the
declaration wrong: PHP's ``default_charset`` sends ``charset=UTF-8`` for an EUC-KR page, the
meta tag is missing, or nothing is declared at all. So ``decode_page`` takes the first of these
that decodes the whole body without an error:

1. a byte-order mark;
2. the ``charset`` of the ``Content-Type`` header;
3. the page's own declaration (``<meta charset>``, ``<meta http-equiv="Content-Type">``,
   ``<?xml encoding?>``);
4. UTF-8 (strict: a page in another multi-byte charset almost never passes);
5. CP949.

EUC-KR (and its aliases) is always read as CP949. When nothing decodes cleanly (a page with a
few broken bytes), the candidate that leaves the fewest bytes undecoded (U+FFFD) is used.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

FALLBACKS = ("utf-8", "cp949")
_ALIASES = {"x-windows-949": "cp949", "windows-949": "cp949", "ks_c_5601": "cp949"}


def decode_page(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(encoding, text)`` of a page's ``body`` (see the module notes for the order)."""
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return bom_encoding, body[len(bom) :].decode(bom_encoding, errors="replace")
    declared = [
        normalise(http_content_type_encoding(content_type or "")),
        normalise(html_body_declared_encoding(body)),
    ]
    candidates = [e for e in declared if e] + list(FALLBACKS)
    for encoding in dict.fromkeys(candidates):
        try:
            return encoding, body.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Nothing decodes cleanly: the candidate with the fewest undecodable bytes, in order.
    texts = [(e, body.decode(e, errors="replace")) for e in dict.fromkeys(candidates)]
    return min(texts, key=lambda pair: pair[1].count("\ufffd"))


def normalise(name: str | None) -> str | None:
    """The Python codec for a declared charset name (EUC-KR and its aliases read as CP949), or
    None for a name Python does not know and for UTF-16/32 (only believed with a BOM)."""
    name = (name or "").strip().lower()
    resolved = resolve_encoding(_ALIASES.get(name, name)) if name else None
    if resolved is None:
        return None
    codec = codecs.lookup(resolved).name
    if codec.startswith(("utf-16", "utf-32")):
        return None
    return "cp949" if codec == "euc_kr" else codec
