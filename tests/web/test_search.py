"""Search on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm, and bigrams for short terms): Korean
substrings, all terms, current versions only, snippets; the index follows the archive through
the triggers of migration 0004, and is rebuilt when the migration runs on an archive that has
content."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select, text
from sqlalchemy.orm import Session

from archive.db import downgrade, upgrade
from archive.models import Post, PostVersion
from archive.web.app import create_app
from tests.web.seed import PRESS, T0, _run, post, seed_archive


def hits(client: TestClient, q: str, **params: Any) -> list[tuple[str, str]]:
    body = client.get("/api/search", params={"q": q, **params}).json()
    return [(h["board"], h["post_id"]) for h in body["hits"]]


def test_korean_substrings_of_any_length_across_boards(client: TestClient) -> None:
    # two syllables (no trigram: scanned), most recently changed first
    assert hits(client, "채용") == [("press", "106"), ("press", "101"), ("notice", "7")]
    assert hits(client, "신입사원") == [("press", "101")]  # inside a title
    assert hits(client, "연장되었") == [("press", "101")]  # inside a body word
    assert hits(client, "사원을 모집") == [("press", "101")]  # every term, anywhere
    assert hits(client, "채용 점검") == [("notice", "7")]
    assert hits(client, "채용", board="notice") == [("notice", "7")]
    assert hits(client, "없는말입니다") == []


def test_case_insensitive_latin_and_odd_characters(client: TestClient) -> None:
    assert hits(client, "HOLIDAY") == [("notice", "8")]
    assert hits(client, "decem") == [("notice", "8")]
    for q in ("%", "_", "%%%", '"', '"채용"', "\\", "AND", "a*", "(채용"):
        assert client.get("/api/search", params={"q": q}).status_code == 200, q
    assert hits(client, "%") == [] and hits(client, "_") == []  # not LIKE wildcards


def test_every_term_length_finds_exactly_the_posts_containing_it(client: TestClient) -> None:
    """Against the documents themselves: one, two and more characters, odd characters."""
    docs: dict[tuple[str, str], str] = {}
    for board in ("press", "notice"):
        for row in client.get(f"/api/boards/{board}/posts", params={"per_page": 500}).json()[
            "posts"
        ]:
            current = client.get(f"/api/boards/{board}/posts/{row['post_id']}").json()["current"]
            if current:
                docs[board, row["post_id"]] = f"{current['title']} {current['body_text']}".lower()
    queries = ["팀", "호", "채", "D", "e", ".", ":", "채용", "담당", "모집", "수출", "점검", "무관"]
    queries += ["25", "2026", "채용 팀", "수출 상담회", "호 지역", "공고 (마감", "(마감", "'", "a'"]
    for q in queries:
        terms = q.lower().split()
        expected = {key for key, doc in docs.items() if all(t in doc for t in terms)}
        body = client.get("/api/search", params={"q": q}).json()
        assert {(h["board"], h["post_id"]) for h in body["hits"]} == expected, q
        assert body["total"] == len(expected), q


def test_many_matches_are_walked_newest_first_like_a_few_are_sorted(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past COUNT_CAP matches the newest are found by walking posts in chunks (both shrunk here,
    so the walk goes on from chunk to chunk); the order must be the one sorting all matches
    gives."""
    # "수출": six posts changed at the same moment (ties go by id)
    queries = [("다", {}), ("채용", {}), (".", {"board": "press"}), ("수출", {})]
    sorted_hits = {q: hits(client, q, **kw) for q, kw in queries}
    assert all(len(found) > 2 for found in sorted_hits.values()), sorted_hits
    monkeypatch.setattr("archive.web.search.COUNT_CAP", 2)
    monkeypatch.setattr("archive.web.search.WALK_CHUNK", 2)
    for q, kw in queries:
        body = client.get("/api/search", params={"q": q, **kw}).json()
        assert (body["total"], body["more_than_cap"]) == (2, True), q
        assert hits(client, q, **kw) == sorted_hits[q], q


def test_only_the_current_version_is_searched(client: TestClient) -> None:
    assert hits(client, "상반기") == []  # only in version 1's title
    assert hits(client, "30일까지") == []  # only in version 1's body
    assert hits(client, "하반기") == [("press", "101")]
    assert hits(client, "담당") == [("press", "101")]  # added in version 3


def test_results_carry_highlighted_title_and_snippet(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "채용 담당"}).json()
    assert (body["total"], body["more_than_cap"], body["terms"]) == (1, False, ["채용", "담당"])
    [hit] = body["hits"]
    assert hit["title"] == "2026년 하반기 신입사원 채용 공고 (마감 연장)"
    assert [p["text"] for p in hit["title_pieces"] if p["match"]] == ["채용"]
    assert "인사팀 채용 담당" in hit["snippet"]
    marked = [p["text"] for p in hit["snippet_pieces"] if p["match"]]
    assert marked == ["채용", "담당"]


def test_index_follows_new_versions_and_deletions(archive: Engine) -> None:
    app_client = TestClient(create_app(archive))
    assert hits(app_client, "협력사") == [("press", "106")]
    edited = post("press", "106", "신규 협력사 모집 (재공고)", "파트너 기업을 다시 모집합니다.")
    _run(archive, PRESS, T0 + timedelta(days=5), [edited])
    assert hits(app_client, "재공고") == [("press", "106")]
    assert hits(app_client, "무관합니다") == []  # the old body is gone from the index
    assert hits(app_client, "파트너") == [("press", "106")]
    with Session(archive) as s, s.begin():
        s.execute(delete(Post).where(Post.source_id == "106"))  # cascades to the versions
    assert hits(app_client, "협력사") == []
    with Session(archive) as s, s.begin():  # a version removed by hand: the previous one counts
        pid = s.scalar(select(Post.id).where(Post.source_id == "101"))
        s.execute(delete(PostVersion).where(PostVersion.post_id == pid, PostVersion.number == 3))
    assert hits(app_client, "담당") == []
    assert hits(app_client, "하반기") == [("press", "101")]


def test_migration_builds_the_index_from_existing_content(engine: Engine) -> None:
    seed_archive(engine)  # at the newest schema, then back to before the index: rows stay
    downgrade(engine, "0003")
    with engine.connect() as conn:
        assert "post_search" not in {
            r[0] for r in conn.execute(text(_TABLES[engine.dialect.name])).all()
        }
    upgrade(engine)
    client = TestClient(create_app(engine))
    assert hits(client, "채용") == [("press", "106"), ("press", "101"), ("notice", "7")]
    assert hits(client, "상반기") == []


_TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
}
