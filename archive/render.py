"""Showing a ``ContentDiff`` on the command line: Rich renderables for terminals, plain text
for everything else.

Plain text marks changes like ``git diff --word-diff=plain``: ``[-deleted-]{+inserted+}``.
Long unchanged runs of the body are elided to "…", keeping some context next to each change
(the pieces are ``archive/display.py``'s, shared with the web UI and notifications).
Display width of Korean text is left to Rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from archive.comments import CommentChange
from archive.diff import (
    AttachmentChanges,
    ContentDiff,
    Segment,
    format_attachment,
    format_entry_change,
    word_diff,
)
from archive.display import ELLIPSIS, Piece, PieceOp, as_piece, elide, plain_piece, plain_words

STYLES: dict[PieceOp, str] = {
    "equal": "",
    "delete": "red strike",
    "insert": "bold underline green",
    "elided": "dim",
}
_LABEL = "bold cyan"


def render_diff(diff: ContentDiff, *, header: str) -> Group:
    """A Rich renderable: the header, then each changed field."""
    parts: list[RenderableType] = [Text(header, style="bold")]
    if diff.is_empty:
        parts.append(Text("no changes", style="dim"))
    for change in diff.changes:
        label = Text(f"{change.field}: ", style=_LABEL)
        if change.field == "title":
            parts.append(Text.assemble(label, _words(diff.title_words)))
        elif change.field == "body_text":
            parts.append(label)
            parts.append(_words(elide(diff.body_words)))
        elif change.field == "body_html":
            parts.append(Text.assemble(label, ("markup changed", "dim")))
        elif change.field == "attachments":
            parts.append(label)
            parts.extend(_attachment_lines(diff.attachments))
        else:
            old, new = _value(change.old, "delete"), _value(change.new, "insert")
            parts.append(Text.assemble(label, old, (" → ", "dim"), new))
    return Group(*parts)


def render_plain(diff: ContentDiff, *, header: str | None = None) -> str:
    """The diff as plain text with ``[-deleted-]{+inserted+}`` markers."""
    lines: list[str] = [header] if header is not None else []
    if diff.is_empty:
        lines.append("no changes")
    for change in diff.changes:
        label = f"{change.field}:"
        if change.field == "title":
            lines.append(f"{label} {plain_words(diff.title_words)}")
        elif change.field == "body_text":
            lines.append(label)
            lines.append(plain_words(elide(diff.body_words)))
        elif change.field == "body_html":
            lines.append(f"{label} markup changed")
        elif change.field == "attachments":
            lines.append(label)
            lines.extend(line.plain for line in _attachment_lines(diff.attachments))
        else:
            old = plain_piece("delete", change.old) if change.old else ""
            new = plain_piece("insert", change.new) if change.new else ""
            lines.append(f"{label} {old}{new}")
    return "\n".join(lines)


def comment_lines(changes: Sequence[CommentChange], *, width: int = 120) -> list[str]:
    """Comment changes as plain lines: ``+`` added, ``~`` edited (word diff), ``-`` deleted."""
    lines: list[str] = []
    for ch in changes:
        who = f"#{ch.source_id} {ch.author or ''}".rstrip() + (" (secret)" if ch.secret else "")
        if ch.kind == "added":
            lines.append(f"+ {who}: {_clip(ch.new_text or '', width)}")
        elif ch.kind == "edited":
            words = plain_words(elide(word_diff(ch.old_text or "", ch.new_text or ""), 40))
            lines.append(f"~ {who}: {words}")
        else:
            lines.append(f"- {who}")
    return lines


def _clip(text: str, width: int) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[: width - 1] + ELLIPSIS


def _words(pieces: Iterable[Segment | Piece]) -> Text:
    text = Text()
    for piece in pieces:
        op, chunk = as_piece(piece)
        text.append(chunk, style=STYLES[op])
    return text


def _value(value: str, op: PieceOp) -> Text:
    return Text(value, style=STYLES[op]) if value else Text("(none)", style="dim")


def _attachment_lines(changes: AttachmentChanges) -> list[Text]:
    """One line per removed, added or replaced attachment; "(reordered)" when none is."""
    lines: list[Text] = []
    for entry in changes.removed:
        lines.append(Text(f"  - {format_attachment(*entry)}", style="red"))
    for entry in changes.added:
        lines.append(Text(f"  + {format_attachment(*entry)}", style="green"))
    for old_entry, new_entry in changes.replaced:
        old, new = format_entry_change(old_entry, new_entry)
        lines.append(
            Text.assemble(
                f"  ~ {old_entry[0]}: ", (old, "red"), " → ", (new, "green"), " (replaced)"
            )
        )
    if not lines:
        lines.append(Text("  (reordered)", style="dim"))
    return lines
