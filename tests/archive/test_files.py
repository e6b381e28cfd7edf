"""Files of versions on the real databases: a row per attachment and body image, files linked
when their downloads arrive, reused (no download) while the entry is the same, a re-upload is
a new version, the crawl plan knows what is stored, versions from before files were archived
get their rows."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from archive import items as it
from archive.files import FileEntry, entry_key, file_entries, files_of, stored_file_keys
from archive.models import Blob, FileKind, Post, PostVersion, VersionFile
from archive.revisit import RevisitPolicy, make_plan
from archive.store import IngestCounts, ensure_board, ingest_batch
from archive.versions import Content
from tests.archive.test_store import BOARD, make_post

T0 = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
UP = "2026-11-17 23:14:05"
IMG = "http://127.0.0.1:1/data/editor/2611/a1b2c3.png"
PDF, HWP = b"%PDF-1.4 press", b"HWP Document File"


def with_files(post_id: str = "130", **changes: object) -> it.Post:
    values: dict[str, object] = {
        "attachments": (
            it.Attachment("자료.pdf", "1.2M", f"http://x/download.php?wr_id={post_id}&no=0", 3, UP),
            it.Attachment("양식.hwp", "20K", f"http://x/download.php?wr_id={post_id}&no=1", 0, UP),
        ),
        "images": (IMG,),
        "body_html": f'<p>행사는 서울 코엑스에서 사흘간 진행된다.</p><p><img src="{IMG}"></p>',
    }
    return make_post(post_id, **{**values, **changes})


def batch(
    engine: Engine, items: list[it.ViewOutcome | it.FileOutcome], at: datetime = T0
) -> IngestCounts:
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, BOARD, at)
        return ingest_batch(s, board_id, None, items, at, RevisitPolicy())


def keys(post: it.Post) -> list[str]:
    return [e.key for e in file_entries(post)]


def stored(post: it.Post, n: int, data: bytes, filename: str | None = None) -> it.FileOutcome:
    e = file_entries(post)[n]
    return it.FileOutcome(
        post.post_id,
        e.kind.value,
        e.key,
        e.url or "",
        "stored",
        filename=filename,
        content_type="application/pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def rows(engine: Engine, post_id: str = "130") -> dict[int, list[tuple[object, ...]]]:
    with Session(engine) as s:
        post = s.scalars(select(Post).where(Post.source_id == post_id)).one()
        out: dict[int, list[tuple[object, ...]]] = {}
        for number, r in files_of(s, post):
            out.setdefault(number, []).append(
                (r.kind.value, r.position, r.name, r.status.value, r.sha256 and r.sha256[:8])
            )
        return out


SHA_PDF, SHA_HWP = (hashlib.sha256(d).hexdigest()[:8] for d in (PDF, HWP))
SHA_IMG = hashlib.sha256(b"PNG").hexdigest()[:8]


def test_entries_and_keys() -> None:
    post = with_files()
    entries = file_entries(post)
    assert [(e.kind, e.position, e.name, e.size_text, e.uploaded_at) for e in entries] == [
        (FileKind.ATTACHMENT, 0, "자료.pdf", "1.2M", UP),
        (FileKind.ATTACHMENT, 1, "양식.hwp", "20K", UP),
        (FileKind.IMAGE, 0, "a1b2c3.png", None, None),
    ]
    # the download link (nonce, counter) is not part of the entry; a re-upload is
    other_link = dataclasses.replace(entries[0], url="http://x/download.php?nonce=zz")
    assert entry_key(other_link) == entries[0].key
    assert entry_key(dataclasses.replace(entries[0], uploaded_at="2026-12-01 10:00:00")) != (
        entries[0].key
    )
    assert entry_key(dataclasses.replace(entries[0], position=1)) != entries[0].key
    image = FileEntry(FileKind.IMAGE, 5, "x", IMG)
    assert image.key == entries[2].key  # an image is its URL, wherever it is
    assert entries[0].key.startswith("a:") and image.key.startswith("i:")


def test_rows_wait_for_downloads_and_get_their_files(engine: Engine) -> None:
    post = with_files()
    counts = batch(engine, [post])
    assert counts.new_versions == 1
    assert rows(engine) == {
        1: [
            ("attachment", 0, "자료.pdf", "pending", None),
            ("attachment", 1, "양식.hwp", "pending", None),
            ("image", 0, "a1b2c3.png", "pending", None),
        ]
    }
    e = file_entries(post)
    refused = it.FileOutcome("130", "attachment", e[1].key, "u", "refused", "the board refused")
    counts = batch(
        engine,
        [stored(post, 0, PDF, filename="보도 자료(원본).pdf"), refused, stored(post, 2, b"PNG")],
    )
    assert (counts.files_downloaded, counts.bytes_downloaded, counts.files_skipped) == (
        2,
        len(PDF) + 3,
        0,
    )
    assert rows(engine)[1] == [
        ("attachment", 0, "보도 자료(원본).pdf", "stored", SHA_PDF),  # the original name
        ("attachment", 1, "양식.hwp", "refused", None),
        ("image", 0, "a1b2c3.png", "stored", SHA_IMG),
    ]
    with Session(engine) as s:
        blob = s.get_one(Blob, hashlib.sha256(PDF).hexdigest())
        assert (blob.size, blob.content_type) == (len(PDF), "application/pdf")
        assert stored_file_keys(s, 1) == ({"130": frozenset({e[0].key})}, frozenset({e[2].key}))
        plan = make_plan(s, 1, T0, 0)
    assert plan.file_stored("130", e[0].key) and not plan.file_stored("130", e[1].key)
    assert plan.file_stored("999", e[2].key)  # images are the board's
    assert not plan.file_stored("999", e[0].key)


def test_same_entries_are_reused_a_reupload_is_a_new_version(engine: Engine) -> None:
    post = with_files()
    batch(engine, [post, stored(post, 0, PDF), stored(post, 2, b"PNG")])
    # Nothing changed but the counters: no version, no rows, nothing to download.
    again = with_files(
        attachments=tuple(dataclasses.replace(a, download_count=99) for a in post.attachments)
    )
    assert batch(engine, [again], T0 + timedelta(days=1)).new_versions == 0
    assert list(rows(engine)) == [1]
    # The body is edited: version 2 reuses the stored files, the one never stored waits.
    edited = with_files(body_text="바뀐 본문")
    assert batch(engine, [edited], T0 + timedelta(days=2)).new_versions == 1
    assert rows(engine)[2] == [
        ("attachment", 0, "자료.pdf", "stored", SHA_PDF),
        ("attachment", 1, "양식.hwp", "pending", None),
        ("image", 0, "a1b2c3.png", "stored", SHA_IMG),
    ]
    # A download of the waiting entry fills every row of it.
    batch(engine, [stored(edited, 1, HWP)], T0 + timedelta(days=2))
    assert [r[3:] for r in (rows(engine)[1][1], rows(engine)[2][1])] == [
        ("stored", SHA_HWP),
        ("stored", SHA_HWP),
    ]
    # The PDF is uploaded again (same name and size, a new upload time): a new version.
    reup = (dataclasses.replace(post.attachments[0], uploaded_at="2026-12-01 09:00:00"),)
    replaced = with_files(body_text="바뀐 본문", attachments=reup + post.attachments[1:])
    assert batch(engine, [replaced], T0 + timedelta(days=3)).new_versions == 1
    with Session(engine) as s:
        v3 = s.scalars(select(PostVersion).where(PostVersion.number == 3)).one()
        assert v3.changed_fields == ["attachments"]
    assert rows(engine)[3][0] == ("attachment", 0, "자료.pdf", "pending", None)
    assert rows(engine)[3][1][3:] == ("stored", SHA_HWP)


def test_an_image_another_post_stored_is_not_fetched_again(engine: Engine) -> None:
    first = with_files("130")
    batch(engine, [first, stored(first, 2, b"PNG")])
    second = with_files("131", attachments=())
    batch(engine, [second])
    assert rows(engine, "131") == {1: [("image", 0, "a1b2c3.png", "stored", SHA_IMG)]}
    # and an image download arriving later fills every post's row of it
    third, fourth = with_files("132", attachments=()), with_files("133", attachments=())
    other = "http://127.0.0.1:1/data/editor/2611/new.png"
    third = dataclasses.replace(third, images=(other,))
    fourth = dataclasses.replace(fourth, images=(other,))
    batch(engine, [third, fourth, stored(third, 0, b"NEW")])
    assert rows(engine, "133")[1][0][3] == "stored"


def test_a_batch_of_new_versions_reuses_files_as_one_at_a_time(engine: Engine) -> None:
    """Stored rows are read once per batch: an image is reused by every post, an attachment
    only by its own post, whatever else the batch holds."""
    first = with_files("130")
    batch(engine, [first, stored(first, 0, PDF), stored(first, 2, b"PNG")])
    others = [with_files(str(i)) for i in range(131, 135)]
    batch(engine, [*others, with_files("130", body_text="바뀐 본문")], T0 + timedelta(days=1))
    for post in others:
        assert rows(engine, post.post_id) == {
            1: [
                ("attachment", 0, "자료.pdf", "pending", None),
                ("attachment", 1, "양식.hwp", "pending", None),
                ("image", 0, "a1b2c3.png", "stored", SHA_IMG),
            ]
        }
    assert rows(engine)[2] == [
        ("attachment", 0, "자료.pdf", "stored", SHA_PDF),
        ("attachment", 1, "양식.hwp", "pending", None),
        ("image", 0, "a1b2c3.png", "stored", SHA_IMG),
    ]


def test_skips_and_failures_are_recorded_and_counted(engine: Engine) -> None:
    post = with_files()
    e = file_entries(post)
    skipped = it.FileOutcome("130", "attachment", e[0].key, "u", "skipped", "too large: 60.0M")
    failed = it.FileOutcome("130", "attachment", e[1].key, "u", "failed", "connection refused")
    other = it.FileOutcome("130", "image", e[2].key, IMG, "skipped", "other host")
    counts = batch(engine, [post, skipped, failed, other])
    assert counts.files_skipped == 2 and counts.files_downloaded == 0
    with Session(engine) as s:
        found = s.execute(select(VersionFile.status, VersionFile.reason)).all()
        assert sorted((st.value, r) for st, r in found) == [
            ("failed", "connection refused"),
            ("skipped", "other host"),
            ("skipped", "too large: 60.0M"),
        ]
        assert s.scalar(select(func.count()).select_from(Blob)) == 0


def test_the_same_bytes_are_one_blob(engine: Engine) -> None:
    a, b = with_files("130"), with_files("131")
    batch(engine, [a, b, stored(a, 0, PDF), stored(b, 0, PDF)])
    batch(engine, [stored(b, 1, PDF)])
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 1
        assert s.scalar(select(func.count()).where(VersionFile.sha256.is_not(None))) == 3


def test_versions_from_before_files_keep_their_hash_and_get_rows(engine: Engine) -> None:
    """A version archived with (name, size) attachments and no rows: the same page later is
    not an edit (the upload times are new to the archive, not to the post), and the version
    gets its rows, so its files are downloaded."""
    post = with_files()
    batch(engine, [post])
    with Session(engine) as s, s.begin():
        legacy = Content.from_post(post).legacy_hash()
        s.execute(
            update(PostVersion).values(
                attachments=[["자료.pdf", "1.2M"], ["양식.hwp", "20K"]], content_hash=legacy
            )
        )
        s.execute(update(Post).values(current_hash=legacy))
        s.execute(delete(VersionFile))
    counts = batch(engine, [post], T0 + timedelta(days=1))
    assert (counts.new_versions, counts.unchanged) == (0, 1)
    assert [r[3] for r in rows(engine)[1]] == ["pending", "pending", "pending"]
    with Session(engine) as s:
        assert s.scalars(select(Post.current_hash)).one() == Content.from_post(post).content_hash()
    # the next real change names only what changed
    batch(engine, [with_files(title="새 제목")], T0 + timedelta(days=2))
    with Session(engine) as s:
        v2 = s.scalars(select(PostVersion).where(PostVersion.number == 2)).one()
        assert v2.changed_fields == ["title"]
