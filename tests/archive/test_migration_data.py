"""Every Alembic revision upgrades a populated database of the previous one with its data intact,
and its downgrade gives the data back, on SQLite and PostgreSQL.

For each step (previous revision → revision) a fresh database is brought to the previous
revision and filled with representative rows of every table that revision has (inserted
through the tables as reflected from that database, so they match that revision's schema
exactly); after the upgrade, and again after the downgrade, every row reads back the same.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, select, text

from archive.db import current_revision, downgrade, make_engine, upgrade
from tests.conftest import _Postgres

T0 = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
HASH = "ab" * 32
RAW = bytes(range(256)) * 4  # a raw page: any bytes

# (revision that created the table, table, rows) in insertion order (foreign keys first)
SEED: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("0001", "boards", [dict(id=1, name="press", url="https://x.or.kr/bbs/board.php?bo_table=press",
                             engine="gnuboard5", created_at=T0)]),
    ("0001", "crawl_runs", [
        dict(id=1, board_id=1, started_at=T0, finished_at=T0 + timedelta(minutes=3),
             status="succeeded", pid=4242, pages=12, posts_seen=30, new_posts=30, new_versions=29,
             deleted_posts=0, errors=1, message=None, stats={"downloader/request_count": 12}),
        dict(id=2, board_id=1, started_at=T0 + timedelta(days=1), finished_at=None,
             status="interrupted", pid=4243, pages=0, posts_seen=0, new_posts=0, new_versions=0,
             deleted_posts=0, errors=0, message="the crawl process ended", stats=None),
    ]),
    ("0001", "posts", [
        dict(id=1, board_id=1, source_id="123", url="https://x.or.kr/bbs/board.php?wr_id=123",
             title="2026년 지원사업 공고 (정정)", posted_at=T0 - timedelta(days=3), notice=True,
             state="active", first_seen_at=T0, last_seen_at=T0, deleted_at=None,
             current_version=2, current_hash=HASH, last_changed_at=T0),
        dict(id=2, board_id=1, source_id="124", url="https://x.or.kr/bbs/board.php?wr_id=124",
             title=None, posted_at=None, notice=False, state="deleted", first_seen_at=T0,
             last_seen_at=T0, deleted_at=T0 + timedelta(days=1), current_version=0,
             current_hash=None, last_changed_at=None),
    ]),
    ("0001", "observations", [dict(id=1, post_id=1, run_id=1, observed_at=T0, views=1234,
                                   comment_count=None)]),
    ("0001", "post_versions", [
        dict(id=1, post_id=1, number=1, fetched_at=T0, run_id=1, content_hash="cd" * 32,
             title="2026년 지원사업 공고", author="관리자", category="공지", posted_at=T0,
             body_html="<p onclick=\"x()\">본문 &amp; 첨부</p>", body_text="본문 & 첨부",
             attachments=[["공고문.hwp", "1.2M", "2026-03-01 10:00"]], changed_fields=[],
             raw_page=RAW, raw_encoding="euc-kr"),
        dict(id=2, post_id=1, number=2, fetched_at=T0 + timedelta(days=1), run_id=None,
             content_hash=HASH, title="2026년 지원사업 공고 (정정)", author=None, category=None,
             posted_at=None, body_html="", body_text="정정 공고", attachments=[],
             changed_fields=["title", "body_text"], raw_page=None, raw_encoding=None),
    ]),
    ("0002", "board_locks", [dict(board_id=1, owner="host:99", run_id=2, acquired_at=T0,
                                  heartbeat_at=T0 + timedelta(seconds=60))]),
    ("0002", "post_events", [dict(id=1, post_id=2, run_id=1, at=T0, kind="deleted")]),
    ("0003", "comments", [dict(id=1, post_id=1, source_id="77", author="민원인", posted_at=T0,
                               secret=False, first_seen_at=T0, last_seen_at=T0, deleted_at=None,
                               current_version=1, current_hash=HASH)]),
    ("0003", "comment_versions", [dict(id=1, comment_id=1, number=1, fetched_at=T0,
                                       prev_seen_at=None, run_id=1, content_hash=HASH,
                                       author="민원인", text="문의드립니다.", secret=False)]),
    ("0005", "blobs", [dict(sha256=HASH, size=3 * 2**31, content_type="application/x-hwp",
                            stored_at=T0)]),
    ("0005", "version_files", [dict(id=1, version_id=1, kind="attachment", position=0,
                                    entry_key="e" * 40, name="../../공고문.hwp", url=None,
                                    size_text="1.2M", uploaded_at="2026-03-01 10:00",
                                    sha256=HASH, status="stored", reason=None, fetched_at=T0)]),
    ("0007", "posts", [
        dict(id=3, board_id=1, source_id="125", url="https://x.or.kr/bbs/board.php?wr_id=125",
             title="비밀글 문의", posted_at=None, posted_on=date(2026, 2, 27), notice=False,
             state="secret", first_seen_at=T0, last_seen_at=T0, deleted_at=None,
             current_version=0, current_hash=None, last_changed_at=None),
    ]),
    ("0008", "boards", [dict(id=2, name="tokyo", url="https://x.jp/bbs/board.php?bo_table=news",
                             engine="gnuboard5", timezone="Asia/Tokyo", created_at=T0)]),
    ("0009", "boards", [dict(id=3, name="cards", url="https://y.kr/bbs/board.php?bo_table=n",
                             engine="gnuboard5", timezone="Asia/Seoul",
                             body_selector="div.card-body > div:nth-of-type(2)", created_at=T0)]),
]  # fmt: skip
REVISIONS = ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009"]
STEPS = list(itertools.pairwise(REVISIONS))


@pytest.fixture
def empty_engine(backend: str, tmp_path: Any, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A database with no schema at all."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path}/archive.sqlite3")
        yield engine
        engine.dispose()
        return
    pg: _Postgres = request.getfixturevalue("postgres")
    if pg.error:
        pytest.skip(pg.error)
    name = f"ba_test_{uuid.uuid4().hex[:12]}"
    pg._exec(f'CREATE DATABASE "{name}"')
    pg.created.append(name)
    engine = make_engine(pg.url(name))
    yield engine
    engine.dispose()
    pg.drop(pg.url(name))


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):  # SQLite gives naive UTC back, PostgreSQL aware
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, str) and value[:1] in "[{":  # JSON read back as text
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _seeded(revision: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The rows of each table up to ``revision``, in the order the tables were first seeded."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for rev, table, rows in SEED:
        if rev <= revision:
            tables.setdefault(table, []).extend(rows)
    return list(tables.items())


def _populate(engine: Engine, revision: str) -> None:
    meta = MetaData()
    with engine.begin() as conn:
        for table_name, rows in _seeded(revision):
            table = Table(table_name, meta, autoload_with=conn)
            for row in rows:  # one at a time: a later revision's rows may have more columns
                conn.execute(table.insert(), row)


def _check(engine: Engine, revision: str) -> None:
    meta = MetaData()
    with engine.connect() as conn:
        for table_name, rows in _seeded(revision):
            table = Table(table_name, meta, autoload_with=conn)
            key = next(iter(rows[0]))
            got = {r[key]: r for r in conn.execute(select(table).order_by(table.c[key])).mappings()}
            assert len(got) == len(rows), table_name
            for row in rows:
                stored = got[row[key]]
                assert {c: _norm(stored[c]) for c in row} == row, (table_name, row[key])


@pytest.mark.parametrize(("previous", "revision"), STEPS)
def test_each_revision_keeps_the_data_of_the_previous_one(
    empty_engine: Engine, previous: str, revision: str
) -> None:
    engine = empty_engine
    upgrade(engine, previous)
    _populate(engine, previous)
    _check(engine, previous)

    upgrade(engine, revision)
    assert current_revision(engine) == revision
    _check(engine, previous)
    if revision == "0004":  # the search index is filled from the posts' current versions
        with engine.connect() as conn:
            sql = (
                "SELECT title FROM post_search"
                if engine.dialect.name == "postgresql"
                else ("SELECT title FROM post_search WHERE rowid = 1")
            )
            assert conn.execute(text(sql)).scalars().all() == ["2026년 지원사업 공고 (정정)"]
    if revision == "0008":  # boards crawled before it were crawled in the default zone
        with engine.connect() as conn:
            zones = conn.execute(text("SELECT name, timezone FROM boards")).all()
            assert [tuple(z) for z in zones] == [("press", "Asia/Seoul")]
    if revision == "0009":  # no board has a body container found yet: its next run finds it
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT name, body_selector FROM boards ORDER BY id")).all()
            assert [tuple(k) for k in kept] == [("press", None), ("tokyo", None)]

    downgrade(engine, previous)
    assert current_revision(engine) == previous
    _check(engine, previous)
    if engine.dialect.name == "sqlite":  # migrations switch them off; they are back on
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
