"""A tiny slot template for the page fragments in the ``_tpl_*`` modules.

The fragments are GnuBoard's own output cut from real pages, so they are full of ``{``, ``$`` and
``%``; slots are therefore written ``⟦name⟧``. In the module source a ``¶`` before a line break
marks a CRLF line (GnuBoard's skin files are CRLF, its theme head is LF, and pages mix both).

A ``Template`` is split once into literal parts and slot names; constants known when a server
starts (its base URL, the board table) are folded in by ``bind`` so a request only joins strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_SLOT = re.compile(r"⟦(\w+)⟧")


def decode(source: str) -> str:
    """Module source text to page text: drop the leading newline, ``¶\\n`` becomes CRLF."""
    if source.startswith("\n"):
        source = source[1:]
    return source.replace("¶\n", "\r\n")


class Template:
    """Literal parts with named slots between them."""

    __slots__ = ("_literals", "_names")

    def __init__(self, source: str, *, raw: bool = False) -> None:
        text = source if raw else decode(source)
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
        return Template("".join(out), raw=True)

    def render(self, values: Mapping[str, str]) -> str:
        """The text with every slot filled; a missing value is a ``KeyError``."""
        literals = self._literals
        buf = [literals[0]]
        for i, name in enumerate(self._names, 1):
            buf.append(values[name])
            buf.append(literals[i])
        return "".join(buf)
