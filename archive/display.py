"""Word-diff pieces for display, shared by the terminal renderer, the web UI and notifications.

A piece is (op, text): a diff segment, or an "elided" marker standing for a long unchanged run
cut down to some context next to each change. In plain text, changes are marked like
``git diff --word-diff=plain``: ``[-deleted-]{+inserted+}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from archive.diff import Segment

ELLIPSIS = "…"
#: Characters of unchanged body text kept on each side of a change.
CONTEXT = 80
# How far past CONTEXT a cut may move to land on whitespace instead of inside a word.
_SNAP = 20

PieceOp = Literal["equal", "insert", "delete", "elided"]
Piece = tuple[PieceOp, str]


def elide(segments: Sequence[Segment], context: int = CONTEXT) -> list[Piece]:
    """The segments as (op, text) pieces, long unchanged runs cut down to ``context`` chars
    next to each change and an "elided" piece ("…", or "…" on a line of its own when the
    cut-out text spans lines) in place of the rest."""
    pieces: list[Piece] = []
    last = len(segments) - 1
    for k, seg in enumerate(segments):
        text = seg.text
        head = context if k > 0 else 0  # context after the change before
        tail = context if k < last else 0  # context before the change after
        if seg.op != "equal" or len(text) <= head + tail + _SNAP:
            pieces.append((seg.op, text))
            continue
        cut_start = _snap_forward(text, head) if head else 0
        cut_end = _snap_backward(text, len(text) - tail) if tail else len(text)
        if cut_end - cut_start <= _SNAP:
            pieces.append((seg.op, text))
            continue
        if cut_start:
            pieces.append(("equal", text[:cut_start]))
        marker = ELLIPSIS
        if "\n" in text[cut_start:cut_end]:  # keep the marker on a line of its own
            if cut_start and text[cut_start - 1] != "\n":
                marker = "\n" + marker
            if cut_end < len(text) and text[cut_end] != "\n":
                marker += "\n"
        pieces.append(("elided", marker))
        if cut_end < len(text):
            pieces.append(("equal", text[cut_end:]))
    return pieces


def plain_words(pieces: Iterable[Segment | Piece]) -> str:
    """Word-diff pieces (segments or ``elide`` output) with ``[-…-]{+…+}`` markers."""
    return "".join(plain_piece(*as_piece(piece)) for piece in pieces)


def plain_piece(op: PieceOp, text: str) -> str:
    """One piece in plain text: ``[-deleted-]``, ``{+inserted+}``, or the text itself."""
    if op == "delete":
        return f"[-{text}-]"
    if op == "insert":
        return f"{{+{text}+}}"
    return text


def as_piece(piece: Segment | Piece) -> Piece:
    """A segment as a piece (a piece as itself)."""
    return (piece.op, piece.text) if isinstance(piece, Segment) else piece


def _snap_forward(text: str, pos: int) -> int:
    """``pos`` moved forward to just after the next whitespace, if one is near."""
    for i in range(pos, min(pos + _SNAP, len(text))):
        if text[i].isspace():
            return i + 1
    return pos


def _snap_backward(text: str, pos: int) -> int:
    """``pos`` moved back to the start of a word, if a whitespace is near."""
    for i in range(pos - 1, max(pos - 1 - _SNAP, -1), -1):
        if text[i].isspace():
            return i + 1
    return pos
