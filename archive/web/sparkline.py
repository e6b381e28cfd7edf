"""A small inline SVG chart of new, edited and deleted posts per night (no script, no style)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from archive.web.browse import Night
from archive.web.i18n import Gettext

BAR = 6  # width of a night's bar, gap included
HEIGHT = 36
COLOURS = (("new", "#2f7d32"), ("edited", "#c77700"), ("deleted", "#b3261e"))


def sparkline(nights: Sequence[Night], _: Gettext = str, height: int = HEIGHT) -> Markup:
    """Stacked bars, one per night; each bar's tooltip gives the date and the three counts, in
    the language of ``_`` (a gettext)."""
    if not nights:
        return Markup("")
    peak = max((n.new + n.edited + n.deleted for n in nights), default=0) or 1
    width = BAR * len(nights)
    parts = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width * 2}" '
        f'height="{height}" role="img" preserveAspectRatio="none" '
        f'aria-label="{escape(_("new, edited and deleted posts per night"))}">'
    ]
    counts = _("%(day)s: %(new)s new, %(edited)s edited, %(deleted)s deleted")
    for i, night in enumerate(nights):
        x = i * BAR
        numbers = {"new": night.new, "edited": night.edited, "deleted": night.deleted}
        tip = escape(counts % {"day": f"{night.day:%Y-%m-%d}", **numbers})
        parts.append(f"<g><title>{tip}</title>")
        parts.append(
            f'<rect x="{x}" y="0" width="{BAR - 1}" height="{height}" fill="#000" '
            f'fill-opacity="0.03"/>'
        )
        y = float(height)
        for (name, colour), value in zip(
            COLOURS, (night.new, night.edited, night.deleted), strict=True
        ):
            if not value:
                continue
            h = max(1.0, value / peak * (height - 2))
            y -= h
            parts.append(
                f'<rect class="{name}" x="{x}" y="{y:.1f}" width="{BAR - 1}" height="{h:.1f}" '
                f'fill="{colour}"/>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
