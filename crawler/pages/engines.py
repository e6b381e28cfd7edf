"""Which board engine built a page, by the marks every install prints whatever its skin.

GnuBoard 5's ``head.sub.php`` declares ``g5_url``/``g5_bbs_url`` in a script on every page;
Rhymix (and XE before it) prints ``<meta name="generator" content="Rhymix">`` (XE:
``XpressEngine``) and declares ``current_mid``/``default_url``. Short URLs look alike on both
(``/press/12``), so a page's rows alone cannot tell the engines apart; these marks can.
"""

from __future__ import annotations

import re

_MARKS = {
    "gnuboard5": re.compile(r"\bvar\s+g5_(?:bbs_)?url\s*=|/bbs/board\.php\?bo_table="),
    "rhymix": re.compile(
        r"<meta\s+name=[\"']generator[\"']\s+content=[\"'](?:Rhymix|XpressEngine)"
        r"|\bvar\s+current_mid\s*=|\bvar\s+default_url\s*=",
        re.I,
    ),
}


def engines_marked(html: str) -> frozenset[str]:
    """The engines (profile names) whose marks the page carries; empty when none does."""
    return frozenset(name for name, mark in _MARKS.items() if mark.search(html))
