"""A tiny slot template, and the page fragments of the demo board it is filled from.

The fragments are GnuBoard's own output cut from real pages (the ones in
/work/shared/gnuboard5-samples), one file per fragment under ``demoboard/templates/``:

- ``basic/``: GnuBoard 5.6's basic theme and board skin: page ``head``/``tail``, the list
  (``list_top``, ``row``, ``list_bottom``), the view (``view_body``, ``comment``, the
  attachment list ``files_head``/``file_item``/``files_tail``, ``nb_prev``/``nb_next``) and the
  ``alert`` page.
- ``legacy/``: the list page of GnuBoard 5.4 (``head``, ``list_top``, ``row``, ``list_bottom``,
  ``tail``) and its ``alert`` page; the 2017-era 5.2 view page (``view``, ``nb``, ``nb_prev``,
  ``nb_next``, ``files_*``, ``comment``, ``comments_empty``), rebuilt after
  ``v5.2-seed/press_view_seed.html`` (its comment list follows the 5.2 skin's
  ``view_comment.skin.php``, the seed page having no comments).
- ``webzine/`` and ``cards/``: board skins of the demo board's own, written after third-party
  skins (``gnuboard5-samples/skins``) rather than cut from a page: the list body and the view
  body with their parts (``skin_webzine``, ``skin_cards``). They use the basic theme's ``head``
  (linking their own stylesheet), ``tail`` and ``alert``, and are LF-only.
- ``password.html``: the secret post's password page (every skin).

The files hold the page text exactly as served, in UTF-8, with the line ends GnuBoard mixes
(its skin files are CRLF, its theme head LF); the folder's ``.gitattributes`` keeps git from
normalising them, and they are read as bytes. Being full of ``{``, ``$`` and ``%``, they write
slots as ``⟦name⟧``. All are read once, when this module is imported.

A ``Template`` is split once into literal parts and slot names; constants known when a server
starts (its base URL, the board table) are folded in by ``bind`` so a request only joins strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable

_SLOT = re.compile(r"⟦(\w+)⟧")
_SUFFIX = ".html"


class Template:
    """Literal parts with named slots between them."""

    __slots__ = ("_literals", "_names")

    def __init__(self, text: str) -> None:
        pieces = _SLOT.split(text)
        self._literals: tuple[str, ...] = tuple(pieces[0::2])
        self._names: tuple[str, ...] = tuple(pieces[1::2])

    @property
    def slots(self) -> frozenset[str]:
        return frozenset(self._names)

    def bind(self, constants: Mapping[str, str]) -> Template:
        """A copy with the slots named in ``constants`` filled in."""
        out: list[str] = [self._literals[0]]
        for name, literal in zip(self._names, self._literals[1:], strict=True):
            if name in constants:
                out.append(constants[name])
            else:
                out.append(f"⟦{name}⟧")
            out.append(literal)
        return Template("".join(out))

    def render(self, values: Mapping[str, str]) -> str:
        """The text with every slot filled; a missing value is a ``KeyError``."""
        literals = self._literals
        buf = [literals[0]]
        for i, name in enumerate(self._names, 1):
            buf.append(values[name])
            buf.append(literals[i])
        return "".join(buf)


def fragment(name: str) -> Template:
    """The fragment ``name`` (``"basic/head"`` is ``templates/basic/head.html``) as a template."""
    try:
        return Template(FRAGMENTS[name])
    except KeyError:
        raise KeyError(f"no page fragment {name!r} in demoboard/templates") from None


def _load(folder: Traversable, prefix: str = "") -> dict[str, str]:
    """Text of every ``*.html`` file below ``folder`` by its path without the suffix."""
    found: dict[str, str] = {}
    for entry in folder.iterdir():
        if entry.is_dir():
            found |= _load(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(_SUFFIX):
            # bytes, not read_text(): text mode would turn the CRLF lines into LF
            found[prefix + entry.name[: -len(_SUFFIX)]] = entry.read_bytes().decode("utf-8")
    return found


FRAGMENTS: Mapping[str, str] = _load(resources.files("board_archive.demoboard") / "templates")
"""Page text of every fragment by name (``"basic/head"``, ``"password"``, …)."""
