"""What changed between two versions of a post: field changes, word diffs, attachments.

Pure functions, no I/O. Word diffs tokenise so Korean works: runs of whitespace and each
punctuation mark (or emoji) are tokens of their own, words (Hangul, Latin; digit runs apart)
stay whole.
Long texts are diffed by lines first, then by words within the changed lines, and big blocks
are cut at units found once on each side (patience diff) before ``difflib.SequenceMatcher``
sees them, so its quadratic (with popular units, cubic) behaviour only meets small blocks.

Reconstruction invariant: joining the ``equal`` and ``delete`` segments gives the old text
exactly, joining the ``equal`` and ``insert`` segments gives the new text exactly.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

from archive.localtime import DEFAULT_ZONE, format_local
from archive.versions import AttachmentEntry, Content, changed_fields, with_upload_times

Op = Literal["equal", "insert", "delete"]

# Digits and letters are separate words ("3월" is "3" + "월"), so a changed date or number
# shows as just that. A symbol token keeps emoji sequences (ZWJ joins, variation selectors,
# skin tones, keycaps, tag sequences) and regional-indicator flag pairs whole.
_TOKEN = re.compile(
    r"\s+"
    r"|\d+(?:[\ufe0e\ufe0f]?\u20e3)?"
    r"|[^\W\d]+"
    r"|[\U0001F1E6-\U0001F1FF]{2}"
    r"|[^\w\s](?:\u200d[^\w\s]|[\ufe0e\ufe0f\u20e3\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F])*"
)
_WORD_CHAR = re.compile(r"\w")

# Largest len(a) * len(b) handed to SequenceMatcher, for lines and for tokens; low for tokens,
# where popular ones (spaces, commas) abound.
_MAX_LINE_WORK = 1_000_000
_MAX_TOKEN_WORK = 40_000
_MAX_DEPTH = 40  # of patience cuts within cuts; past it a block is shown as replaced whole


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text that is unchanged, inserted or deleted."""

    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    """A content field that differs, with both values as display strings."""

    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class AttachmentChanges:
    """Attachments added, removed, or replaced, in page order. An entry is (name, size, upload
    time) as shown; replaced means the same name with another size or upload time (a new
    upload), given as (old entry, new entry)."""

    added: tuple[AttachmentEntry, ...] = ()
    removed: tuple[AttachmentEntry, ...] = ()
    replaced: tuple[tuple[AttachmentEntry, AttachmentEntry], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.replaced)


@dataclass(frozen=True, slots=True)
class ContentDiff:
    """Everything that changed between two versions of a post."""

    changes: tuple[FieldChange, ...]
    title_words: tuple[Segment, ...]
    body_words: tuple[Segment, ...]
    body_lines: tuple[str, ...]  # unified diff of body_text, no trailing newlines
    attachments: AttachmentChanges

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def changed(self) -> tuple[str, ...]:
        """Names of the changed fields, in ``CONTENT_FIELDS`` order."""
        return tuple(change.field for change in self.changes)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in self.changes],
            "title_words": [{"op": s.op, "text": s.text} for s in self.title_words],
            "body_words": [{"op": s.op, "text": s.text} for s in self.body_words],
            "body_lines": list(self.body_lines),
            "attachments": {
                "added": [_entry_dict(e) for e in self.attachments.added],
                "removed": [_entry_dict(e) for e in self.attachments.removed],
                "replaced": [
                    {
                        "name": old[0],
                        "old_size": old[1],
                        "new_size": new[1],
                        "old_uploaded_at": old[2],
                        "new_uploaded_at": new[2],
                    }
                    for old, new in self.attachments.replaced
                ],
            },
        }


def _entry_dict(entry: AttachmentEntry) -> dict[str, str | None]:
    return {"name": entry[0], "size": entry[1], "uploaded_at": entry[2]}


def diff_contents(old: Content, new: Content, tz: tzinfo = DEFAULT_ZONE) -> ContentDiff:
    """Compare two versions of a post's content (a changed posting time shown in ``tz``, the
    board's zone)."""
    old = with_upload_times(old, new)
    changes = tuple(
        FieldChange(name, display_value(old, name, tz), display_value(new, name, tz))
        for name in changed_fields(old, new)
    )
    return ContentDiff(
        changes=changes,
        title_words=tuple(word_diff(old.title, new.title)),
        body_words=tuple(word_diff(old.body_text, new.body_text)),
        body_lines=tuple(line_diff(old.body_text, new.body_text)),
        attachments=diff_attachments(old.attachments, new.attachments),
    )


def display_value(content: Content, name: str, tz: tzinfo = DEFAULT_ZONE) -> str:
    """One field of ``content`` as a display string ("" when absent; times in ``tz``)."""
    if name == "posted_at":
        return format_local(content.posted_at, tz)
    if name == "attachments":
        return ", ".join(format_attachment(*entry) for entry in content.attachments)
    value = getattr(content, name)
    return "" if value is None else str(value)


def format_attachment(name: str, size: str | None, uploaded_at: str | None = None) -> str:
    """ "name (size, upload time)", leaving out what is not known."""
    details = ", ".join(filter(None, (size, uploaded_at)))
    return f"{name} ({details})" if details else name


def format_entry_change(old: AttachmentEntry, new: AttachmentEntry) -> tuple[str, str]:
    """The old and new sides of a replaced attachment: its size, and the upload time too when
    the size is the same (or either is unknown)."""
    if old[1] and new[1] and old[1] != new[1]:
        return old[1], new[1]
    return (
        ", ".join(filter(None, (old[1], old[2]))) or "?",
        ", ".join(filter(None, (new[1], new[2]))) or "?",
    )


def diff_attachments(
    old: Sequence[AttachmentEntry], new: Sequence[AttachmentEntry]
) -> AttachmentChanges:
    """Match attachments as multisets: exact entries first, then the same name with another size
    or upload time (replaced)."""
    rest_new = list(new)
    unmatched_old = []
    for item in old:
        if item in rest_new:
            rest_new.remove(item)
        else:
            unmatched_old.append(item)
    removed: list[AttachmentEntry] = []
    replaced: list[tuple[AttachmentEntry, AttachmentEntry]] = []
    for item in unmatched_old:
        match = next((i for i, other in enumerate(rest_new) if other[0] == item[0]), None)
        if match is None:
            removed.append(item)
        else:
            replaced.append((item, rest_new.pop(match)))
    return AttachmentChanges(
        added=tuple(rest_new), removed=tuple(removed), replaced=tuple(replaced)
    )


def line_diff(old: str, new: str) -> list[str]:
    """A unified diff of two texts by line, two lines of context."""
    if old == new:
        return []
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), fromfile="old", tofile="new", n=2, lineterm=""
        )
    )


def tokenize(text: str) -> list[str]:
    """Words (letter runs, digit runs) whole; whitespace runs, punctuation marks, emoji apart."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level diff of two texts as merged segments (see the module docstring)."""
    segments: list[Segment] = []
    _diff(old, new, 0, segments)
    return _tidy(segments)


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _is_junk(line: str) -> bool:
    return _WORD_CHAR.search(line) is None


# (split, max work, junk). Lines without a letter or digit (blank, "-----") may not anchor a
# match, only extend one: they are popular, and anchoring on them is slow and reads badly.
# Tokens get no junk: a junk space or comma would cut every run of matching words.
_Junk = Callable[[str], bool] | None
_LEVELS: tuple[tuple[Callable[[str], list[str]], int, _Junk], ...] = (
    (_lines, _MAX_LINE_WORK, _is_junk),
    (tokenize, _MAX_TOKEN_WORK, None),
)

# (equal?, old units, new units)
_Block = tuple[bool, Sequence[str], Sequence[str]]


def _diff(old: str, new: str, level: int, out: list[Segment]) -> None:
    if old == new:
        out.append(Segment("equal", old))
        return
    if not old or not new or level >= len(_LEVELS):
        out.append(Segment("delete", old))
        out.append(Segment("insert", new))
        return
    split, max_work, junk = _LEVELS[level]
    for same, a, b in _align(split(old), split(new), max_work, junk):
        if same:
            out.append(Segment("equal", "".join(a)))
        else:
            _diff("".join(a), "".join(b), level + 1, out)


def _align(
    a: Sequence[str], b: Sequence[str], max_work: int, junk: _Junk, depth: int = 0
) -> list[_Block]:
    """Equal and changed blocks of two unit sequences, in order."""
    start, limit = 0, min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[len(a) - 1 - end] == b[len(b) - 1 - end]:
        end += 1
    blocks: list[_Block] = [(True, a[:start], b[:start])]
    a_mid, b_mid = a[start : len(a) - end], b[start : len(b) - end]
    if not a_mid or not b_mid:
        blocks.append((False, a_mid, b_mid))
    elif len(a_mid) * len(b_mid) <= max_work:
        matcher = difflib.SequenceMatcher(junk, a_mid, b_mid, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            blocks.append((tag == "equal", a_mid[i1:i2], b_mid[j1:j2]))
    else:
        anchors = _unique_anchors(a_mid, b_mid) if depth < _MAX_DEPTH else []
        if not anchors:
            blocks.append((False, a_mid, b_mid))
        i = j = 0
        for ai, bj in anchors:
            blocks.extend(_align(a_mid[i:ai], b_mid[j:bj], max_work, junk, depth + 1))
            blocks.append((True, a_mid[ai : ai + 1], b_mid[bj : bj + 1]))
            i, j = ai + 1, bj + 1
        if anchors:
            blocks.extend(_align(a_mid[i:], b_mid[j:], max_work, junk, depth + 1))
    blocks.append((True, a[len(a) - end :], b[len(b) - end :]))
    return [block for block in blocks if block[1] or block[2]]


def _unique_anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of units found exactly once in a and once in b, longest in-order chain."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {unit: j for j, unit in enumerate(b) if count_b[unit] == 1}
    pairs = [
        (i, where_b[unit]) for i, unit in enumerate(a) if count_a[unit] == 1 and unit in where_b
    ]
    # Longest increasing subsequence of the j's (patience sorting).
    tails: list[int] = []  # index into pairs of the smallest tail of each chain length
    tail_js: list[int] = []  # and that tail's j
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tail_js, j)
        back[k] = tails[pos - 1] if pos else -1
        if pos == len(tails):
            tails.append(k)
            tail_js.append(j)
        else:
            tails[pos] = k
            tail_js[pos] = j
    chain: list[tuple[int, int]] = []
    k = tails[-1] if tails else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _tidy(segments: list[Segment]) -> list[Segment]:
    """Drop empty segments, merge runs, and fold short unchanged gaps into the changes around.

    A gap of spaces, or one at most half as long as the changes on both sides, reads better as
    part of the change: "[-가 나-]{+다 라+}" rather than "[-가-]{+다+} [-나-]{+라+}". Line
    breaks are never folded, so paragraphs stay apart.
    """
    items = _merge([s for s in segments if s.text], set())
    for _ in range(3):
        gaps = {i for i in range(1, len(items) - 1) if _is_gap(items, i)}
        if not gaps:
            break
        items = _merge(items, gaps)
    return items


def _is_gap(items: list[Segment], i: int) -> bool:
    text = items[i].text
    if items[i].op != "equal" or "\n" in text:
        return False
    if items[i - 1].op == "equal" or items[i + 1].op == "equal":
        return False
    return text.isspace() or 2 * len(text) <= min(_run_size(items, i, -1), _run_size(items, i, 1))


def _run_size(items: list[Segment], i: int, step: int) -> int:
    """The larger side (deleted or inserted) of the run of changes next to ``items[i]``."""
    sizes = {"delete": 0, "insert": 0}
    i += step
    while 0 <= i < len(items) and items[i].op != "equal":
        sizes[items[i].op] += len(items[i].text)
        i += step
    return max(sizes.values())


def _merge(items: list[Segment], gaps: set[int]) -> list[Segment]:
    """Merge adjacent equal segments and each run of changes into one delete and one insert.

    The equal segments at the indices ``gaps`` join the run of changes they sit in.
    """
    result: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            result.append(Segment("delete", "".join(deleted)))
        if inserted:
            result.append(Segment("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for i, seg in enumerate(items):
        if i in gaps:
            deleted.append(seg.text)
            inserted.append(seg.text)
        elif seg.op == "equal":
            flush()
            if result and result[-1].op == "equal":
                result[-1] = Segment("equal", result[-1].text + seg.text)
            else:
                result.append(seg)
        elif seg.op == "delete":
            deleted.append(seg.text)
        else:
            inserted.append(seg.text)
    flush()
    return result
