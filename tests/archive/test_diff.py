"""Diffs between versions: field changes, word diffs, attachments, and their rendering."""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from archive.diff import (
    AttachmentChanges,
    FieldChange,
    Segment,
    diff_attachments,
    diff_contents,
    tokenize,
    word_diff,
)
from archive.display import elide
from archive.render import render_diff, render_plain
from archive.versions import Content

UP1, UP2, UP3 = (
    "2024-02-28 10:00:00",
    "2024-02-28 10:00:05",
    "2024-03-02 08:15:30",
)  # upload times as GnuBoard shows them

BASE = Content(
    title="2024학년도 1학기 수강신청 안내",
    author="관리자",
    category="학사",
    posted_at=datetime(2024, 3, 1, 0, 30, tzinfo=UTC),
    body_text="신청 기간은 3월 4일부터입니다.\n\n문의: 교무처 (02-123-4567)",
    body_html="<p>신청 기간은 3월 4일부터입니다.</p><p>문의: 교무처 (02-123-4567)</p>",
    attachments=(("안내문.pdf", "1.2M", UP1), ("양식.hwp", "20K", UP2)),
)


def rebuild(segments: tuple[Segment, ...] | list[Segment]) -> tuple[str, str]:
    old = "".join(s.text for s in segments if s.op != "insert")
    new = "".join(s.text for s in segments if s.op != "delete")
    return old, new


def assert_well_formed(segments: tuple[Segment, ...] | list[Segment]) -> None:
    for seg in segments:
        assert seg.op in ("equal", "insert", "delete")
        assert seg.text
    for a, b in itertools.pairwise(segments):
        assert a.op != b.op, "adjacent segments of the same op are merged"


def test_identical_contents_give_an_empty_diff() -> None:
    diff = diff_contents(BASE, replace(BASE))
    assert diff.is_empty
    assert diff.changes == ()
    assert diff.body_lines == ()
    assert diff.attachments == AttachmentChanges()
    assert all(s.op == "equal" for s in diff.title_words + diff.body_words)
    assert render_plain(diff) == "no changes"


def test_korean_title_edit_yields_exact_segments() -> None:
    diff = diff_contents(BASE, replace(BASE, title="2024학년도 1학기 수강 신청 일정 안내"))
    assert diff.changes == (
        FieldChange(
            "title", "2024학년도 1학기 수강신청 안내", "2024학년도 1학기 수강 신청 일정 안내"
        ),
    )
    assert diff.title_words == (
        Segment("equal", "2024학년도 1학기 "),
        Segment("delete", "수강신청"),
        Segment("insert", "수강 신청 일정"),
        Segment("equal", " 안내"),
    )


def test_tokens_keep_words_whole_and_split_punctuation_spaces_and_digits() -> None:
    assert tokenize("공지: 3월  4일 (수정)!") == [
        "공지",
        ":",
        " ",
        "3",
        "월",
        "  ",
        "4",
        "일",
        " ",
        "(",
        "수정",
        ")",
        "!",
    ]
    assert tokenize("축하 👨\u200d👩\u200d👧 🇰🇷") == ["축하", " ", "👨\u200d👩\u200d👧", " ", "🇰🇷"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", ""),
        ("", "새 글입니다.\n\n첨부 파일을 확인하세요."),
        ("곧 삭제될 글입니다.", ""),
        ("가 나 다", "가  나\t다"),  # whitespace-only changes
        ("첫 줄\n둘째 줄", "첫 줄\n\n둘째 줄\n"),
        ("행사 안내 🎉", "행사 안내 🎉🎊 (종료) 👨\u200d👩\u200d👧"),
        ("a, b, c", "a; b; c"),
        ("수강신청은 3월 4일, 5일 이틀간", "수강 신청은 3월 5일, 6일, 7일 사흘간!!"),
        ("같은 말 같은 말 같은 말", "같은 말 다른 말 같은 말 같은 말"),
        ("완전히 다른 문장입니다.", "Nothing in common here"),
    ],
)
def test_segments_rebuild_old_and_new_exactly(old: str, new: str) -> None:
    for a, b in ((old, new), (new, old)):
        segments = word_diff(a, b)
        assert rebuild(segments) == (a, b)
        assert_well_formed(segments)
    diff = diff_contents(
        replace(BASE, title=old, body_text=old), replace(BASE, title=new, body_text=new)
    )
    assert rebuild(diff.title_words) == (old, new)
    assert rebuild(diff.body_words) == (old, new)


def test_segments_rebuild_random_edits_of_a_long_body() -> None:
    rng = random.Random(55)
    words = [
        "공지",
        "안내",
        "신청",
        "기간",
        "3월",
        "입니다",
        "학생",
        ".",
        ",",
        "!",
        "😀",
        "\n",
        "\n\n",
    ]
    old = " ".join(rng.choice(words) for _ in range(3000))
    for rate in (0.01, 0.2, 0.9):
        new = " ".join(w if rng.random() > rate else rng.choice(words) for w in old.split(" "))
        segments = word_diff(old, new)
        assert rebuild(segments) == (old, new)
        assert_well_formed(segments)


def test_whitespace_only_change_is_a_whitespace_segment() -> None:
    assert word_diff("가 나", "가  나") == [
        Segment("equal", "가"),
        Segment("delete", " "),
        Segment("insert", "  "),
        Segment("equal", "나"),
    ]


def test_attachments_added_removed_and_replaced() -> None:
    new = replace(BASE, attachments=(("안내문.pdf", "1.3M", UP3), ("시간표.xlsx", "45K", UP3)))
    diff = diff_contents(BASE, new)
    assert diff.changed == ("attachments",)
    assert diff.attachments == AttachmentChanges(
        added=(("시간표.xlsx", "45K", UP3),),
        removed=(("양식.hwp", "20K", UP2),),
        replaced=((("안내문.pdf", "1.2M", UP1), ("안내문.pdf", "1.3M", UP3)),),
    )
    assert diff.changes[0].old == f"안내문.pdf (1.2M, {UP1}), 양식.hwp (20K, {UP2})"
    assert diff.changes[0].new == f"안내문.pdf (1.3M, {UP3}), 시간표.xlsx (45K, {UP3})"


def test_a_reupload_of_the_same_size_is_a_replacement() -> None:
    new = replace(BASE, attachments=(("안내문.pdf", "1.2M", UP3), ("양식.hwp", "20K", UP2)))
    diff = diff_contents(BASE, new)
    assert diff.changed == ("attachments",)
    assert diff.attachments == AttachmentChanges(
        replaced=((("안내문.pdf", "1.2M", UP1), ("안내문.pdf", "1.2M", UP3)),)
    )
    # the size is the same, so the upload times tell the two apart
    assert render_plain(diff) == (
        f"attachments:\n  ~ 안내문.pdf: 1.2M, {UP1} → 1.2M, {UP3} (replaced)"
    )


def test_versions_archived_without_upload_times_are_not_changed_by_them() -> None:
    legacy = replace(BASE, attachments=(("안내문.pdf", "1.2M", None), ("양식.hwp", "20K", None)))
    assert diff_contents(legacy, BASE).is_empty
    assert diff_contents(legacy, BASE).attachments.is_empty
    resized = replace(BASE, attachments=(("안내문.pdf", "1.3M", UP3), ("양식.hwp", "20K", UP2)))
    diff = diff_contents(legacy, resized)
    assert diff.attachments == AttachmentChanges(
        replaced=((("안내문.pdf", "1.2M", None), ("안내문.pdf", "1.3M", UP3)),)
    )


def test_attachments_match_as_a_multiset() -> None:
    same = ("사진.jpg", "1M", UP1)
    other = ("a.txt", None, None)
    assert diff_attachments([same, same], [same]) == AttachmentChanges(removed=(same,))
    assert diff_attachments([same], [other, same, same]) == AttachmentChanges(added=(other, same))
    reordered = diff_attachments([same, other], [other, same])
    assert reordered.is_empty


def test_posted_at_is_shown_in_kst() -> None:
    new = replace(BASE, posted_at=datetime(2024, 3, 1, 15, 5, tzinfo=UTC))
    diff = diff_contents(BASE, new)
    # 00:30 UTC is 09:30 in Seoul; 15:05 UTC is 00:05 the next day.
    assert diff.changes == (FieldChange("posted_at", "2024-03-01 09:30", "2024-03-02 00:05"),)
    # a time read on one side only (not shown this time, or first learnt) is no change
    assert diff_contents(BASE, replace(BASE, posted_at=None)).changes == ()
    assert diff_contents(replace(BASE, posted_at=None), BASE).changes == ()


def test_posted_at_is_shown_in_the_zone_given() -> None:
    """A board in another zone: its posting times are shown in its zone (default Asia/Seoul)."""
    new = replace(BASE, posted_at=datetime(2024, 3, 1, 15, 5, tzinfo=UTC))
    utc = diff_contents(BASE, new, ZoneInfo("UTC"))
    assert utc.changes == (FieldChange("posted_at", "2024-03-01 00:30", "2024-03-01 15:05"),)
    ny = diff_contents(BASE, new, ZoneInfo("America/New_York"))
    assert ny.changes == (FieldChange("posted_at", "2024-02-29 19:30", "2024-03-01 10:05"),)


def test_long_body_with_one_word_changed() -> None:
    rng = random.Random(7)
    syllables = [chr(c) for c in range(0xAC00, 0xAC00 + 300)]
    paragraphs: list[str] = []
    while sum(len(p) for p in paragraphs) < 50_000:
        words = ("".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(30))
        paragraphs.append(" ".join(words) + ".")
    old = "\n\n".join(paragraphs)
    middle = old.index(" ", len(old) // 2) + 1
    word_end = old.index(" ", middle)
    new = old[:middle] + "바뀐단어" + old[word_end:]
    diff = diff_contents(replace(BASE, body_text=old), replace(BASE, body_text=new))
    changed = [s for s in diff.body_words if s.op != "equal"]
    assert changed == [Segment("delete", old[middle:word_end]), Segment("insert", "바뀐단어")]
    assert rebuild(diff.body_words) == (old, new)
    assert sum(line.startswith(("-", "+")) for line in diff.body_lines) == 4  # 2 headers, 2 lines


def test_body_lines_is_a_unified_diff_with_two_lines_of_context() -> None:
    old = "\n".join(f"{n}번째 줄" for n in range(1, 11))
    new = old.replace("5번째 줄", "다섯째 줄")
    diff = diff_contents(replace(BASE, body_text=old), replace(BASE, body_text=new))
    assert diff.body_lines == (
        "--- old",
        "+++ new",
        "@@ -3,5 +3,5 @@",
        " 3번째 줄",
        " 4번째 줄",
        "-5번째 줄",
        "+다섯째 줄",
        " 6번째 줄",
        " 7번째 줄",
    )


def test_to_dict_is_json_ready() -> None:
    new = replace(BASE, title="수강신청 안내", attachments=(("안내문.pdf", "1.3M", UP3),))
    data = json.loads(json.dumps(diff_contents(BASE, new).to_dict(), ensure_ascii=False))
    assert [c["field"] for c in data["changes"]] == ["title", "attachments"]
    assert data["title_words"][0] == {"op": "delete", "text": "2024학년도 1학기 "}
    assert data["attachments"] == {
        "added": [],
        "removed": [{"name": "양식.hwp", "size": "20K", "uploaded_at": UP2}],
        "replaced": [
            {
                "name": "안내문.pdf",
                "old_size": "1.2M",
                "new_size": "1.3M",
                "old_uploaded_at": UP1,
                "new_uploaded_at": UP3,
            }
        ],
    }


def test_render_plain_small_case() -> None:
    new = replace(
        BASE,
        title="2024학년도 1학기 수강신청 일정 안내",
        author="교무처",
        category=None,
        body_text=BASE.body_text.replace("4일", "5일"),
        body_html=BASE.body_html.replace("4일", "5일"),
        attachments=(*BASE.attachments, ("시간표.xlsx", None, None)),
    )
    assert render_plain(diff_contents(BASE, new), header="글 #55: v1 → v2") == (
        "글 #55: v1 → v2\n"
        "title: 2024학년도 1학기 수강신청 {+일정 +}안내\n"
        "author: [-관리자-]{+교무처+}\n"
        "category: [-학사-]\n"
        "body_text:\n"
        "신청 기간은 3월 [-4-]{+5+}일부터입니다.\n"
        "\n"
        "문의: 교무처 (02-123-4567)\n"
        "body_html: markup changed\n"
        "attachments:\n"
        "  + 시간표.xlsx"
    )


def test_long_unchanged_runs_are_elided() -> None:
    before = "앞 " * 200
    after = "뒤 " * 200
    segments = word_diff(before + "옛말 " + after, before + "새말 " + after)
    pieces = elide(segments, context=80)
    assert pieces[0] == ("elided", "…")
    assert pieces[-1] == ("elided", "…")
    kept = "".join(text for op, text in pieces if op == "equal")
    assert 150 <= len(kept) <= 200
    assert ("delete", "옛말") in pieces and ("insert", "새말") in pieces


def test_render_diff_shows_old_and_new_words() -> None:
    new = replace(
        BASE,
        title="2024학년도 1학기 수강신청 일정 안내",
        author="교무처",
        posted_at=datetime(2024, 3, 1, 1, 45, tzinfo=UTC),
        body_text=BASE.body_text.replace("4일", "5일"),
        attachments=(("안내문.pdf", "1.3M", UP3),),
    )
    console = Console(record=True, width=100)
    console.print(render_diff(diff_contents(BASE, new), header="글 #55: v1 → v2"))
    out = console.export_text()
    for expected in (
        "글 #55: v1 → v2",
        "일정",
        "관리자",
        "교무처",
        "2024-03-01 09:30",
        "2024-03-01 10:45",
        "3월 45일부터입니다",  # deleted "4" then inserted "5", inline
        "양식.hwp",
        "1.2M → 1.3M",
    ):
        assert expected in out, expected


def test_render_diff_of_no_changes() -> None:
    console = Console(record=True, width=100)
    console.print(render_diff(diff_contents(BASE, BASE), header="v1 → v2"))
    assert console.export_text() == "v1 → v2\nno changes\n"
