"""The JSON API on a seeded archive, on SQLite and PostgreSQL: boards, posts (filters, order,
pages), a post, its versions, diffs, runs, errors, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def ids(body: dict[str, Any]) -> list[str]:
    return [p["post_id"] for p in body["posts"]]


def test_boards_have_counts_last_run_and_nights(client: TestClient) -> None:
    boards = {b["name"]: b for b in client.get("/api/boards").json()}
    assert set(boards) == {"notice", "press"}
    press = boards["press"]
    assert (press["posts"], press["versions"], press["deleted"], press["secret"]) == (12, 13, 1, 1)
    last = press["last_run"]
    assert (last["status"], last["health"], last["new_posts"], last["edited_posts"]) == (
        "succeeded",
        "suspect",
        1,
        1,
    )
    assert last["started_at"] == "2026-11-23T17:30:00Z"
    nights = press["nights"]
    assert len(nights) == 30 and nights[-1]["day"] == "2026-11-24"
    assert [(n["new"], n["edited"], n["deleted"]) for n in nights[-4:]] == [
        (11, 0, 0),
        (0, 1, 1),
        (0, 0, 0),
        (1, 1, 0),
    ]


def test_posts_newest_id_first_as_numbers_and_paginated(client: TestClient) -> None:
    body = client.get("/api/boards/press/posts", params={"per_page": 5}).json()
    assert (body["total"], body["pages"], body["page"]) == (12, 3, 1)
    assert ids(body) == ["106", "105", "104", "103", "102"]
    assert body["counts"] == {"active": 10, "deleted": 1, "secret": 1}
    last = client.get("/api/boards/press/posts", params={"per_page": 5, "page": 3}).json()
    assert ids(last) == ["91", "90"]
    first = body["posts"][0]
    assert first["title"] == "신규 협력사 모집" and first["versions"] == 1


def test_post_filters(client: TestClient) -> None:
    def filtered(**params: Any) -> list[str]:
        return ids(client.get("/api/boards/press/posts", params=params).json())

    assert filtered(notice=True) == ["102"]
    assert filtered(secret=True) == ["105"]
    assert filtered(attachments=True) == ["101"]
    assert filtered(deleted_since="2026-11-01") == ["104"]
    assert filtered(deleted_since="2026-12-01") == []
    assert filtered(edited_since="2026-11-22") == ["101"]
    assert filtered(edited_since="2026-11-25") == []
    assert filtered(new_since="2026-11-22") == ["106"]  # a date is midnight in Asia/Seoul
    assert filtered(q="채용") == ["106", "101"]  # substring: 채용과는
    assert filtered(q="채용 연장") == ["101"]
    assert filtered(q="채용", new_since="2026-11-22") == ["106"]


def test_post_sorting(client: TestClient) -> None:
    def order(**params: Any) -> list[str]:
        return ids(client.get("/api/boards/press/posts", params={**params, "per_page": 3}).json())

    assert order(sort="versions") == ["101", "106", "104"]
    assert order(sort="changed") == ["106", "101", "104"]
    assert order(sort="id", order="asc") == ["90", "91", "92"]
    titles = client.get("/api/boards/press/posts", params={"sort": "title", "order": "asc"}).json()
    names = [p["title"] for p in titles["posts"]]
    assert names == sorted(names)


def test_post_with_current_version_versions_and_events(client: TestClient) -> None:
    post = client.get("/api/boards/press/posts/101").json()
    assert post["current_version"] == 3 and post["state"] == "active"
    current = post["current"]
    assert current["number"] == 3 and current["author"] == "인사팀 채용담당"
    assert current["attachments"] == [
        {"name": "채용공고.pdf", "size": "1.4M", "uploaded_at": None},
        {"name": "지원서 양식.hwp", "size": "48K", "uploaded_at": None},
    ]
    assert [v["number"] for v in post["versions"]] == [1, 2, 3]
    v1, v2, v3 = post["versions"]
    assert v1["prev_seen_at"] is None
    # the edit bounds: the failed run of the 23rd saw nothing, so v3 is bounded by the 22nd
    assert (v2["prev_seen_at"], v2["fetched_at"]) == (
        "2026-11-20T17:31:00Z",
        "2026-11-21T17:31:00Z",
    )
    assert (v3["prev_seen_at"], v3["fetched_at"]) == (
        "2026-11-21T17:31:00Z",
        "2026-11-23T17:31:00Z",
    )
    assert "title" in v2["changed_fields"] and "author" in v3["changed_fields"]
    assert (post["views"], post["comment_count"]) == (200, 2)

    assert [(c["comment_id"], c["author"], c["deleted_at"]) for c in post["comments"]] == [
        ("1", "김민수", None),
        ("2", "이영희", "2026-11-23T17:31:00Z"),
        ("3", "인사팀", None),
    ]
    question = post["comments"][0]
    assert [v["number"] for v in question["versions"]] == [1, 2]
    assert question["text"] == question["versions"][1]["text"]
    assert question["text"].endswith("경력직도 지원할 수 있는지 궁금합니다.")
    assert question["versions"][1]["prev_seen_at"] == "2026-11-21T17:31:00Z"

    deleted = client.get("/api/boards/press/posts/104").json()
    assert deleted["state"] == "deleted"
    assert [e["kind"] for e in deleted["events"]] == ["deleted"]
    secret = client.get("/api/boards/press/posts/105").json()
    assert (secret["state"], secret["current"], secret["versions"]) == ("secret", None, [])


def test_version_content_raw_and_sanitised(client: TestClient) -> None:
    v = client.get("/api/boards/press/posts/101/versions/1").json()
    assert v["title"] == "2026년 상반기 신입사원 채용 공고"
    assert v["body_text"].startswith("하늘항공이")
    payload = client.get("/api/boards/press/posts/103/versions/1").json()
    assert "<script>" in payload["body_html"]  # as archived
    safe = payload["body_html_safe"]
    for bad in ("<script", "onerror", "onload", "javascript:", "203.0.113.9", "<iframe", "style="):
        assert bad not in safe
    assert "[이미지: 행사 포스터]" in safe
    summaries = client.get("/api/boards/press/posts/101/versions").json()
    assert [s["number"] for s in summaries] == [1, 2, 3]


def test_diff_latest_change_and_any_two_versions(client: TestClient) -> None:
    latest = client.get("/api/boards/press/posts/101/diff").json()
    assert (latest["old"]["number"], latest["new"]["number"]) == (2, 3)
    assert latest["changed"] == ["author", "category", "posted_at", "body_text", "body_html"]
    inserted = [w["text"] for w in latest["body_words"] if w["op"] == "insert"]
    assert inserted == ["\n문의: 인사팀 채용 담당"]

    d = client.get("/api/boards/press/posts/101/diff", params={"from": 1, "to": 3}).json()
    title = [(w["op"], w["text"]) for w in d["title_words"]]
    assert ("delete", "상반기") in title and ("insert", "하반기") in title
    assert ("insert", " (마감 연장)") in title
    assert {"field": "author", "old": "인사팀", "new": "인사팀 채용담당"} in d["changes"]
    assert d["attachments"] == {
        "added": [{"name": "지원서 양식.hwp", "size": "48K", "uploaded_at": None}],
        "removed": [],
        "replaced": [
            {
                "name": "채용공고.pdf",
                "old_size": "1.2M",
                "new_size": "1.4M",
                "old_uploaded_at": None,
                "new_uploaded_at": None,
            }
        ],
    }
    backwards = client.get("/api/boards/press/posts/101/diff", params={"from": 3, "to": 1}).json()
    assert ("insert", "상반기") in [(w["op"], w["text"]) for w in backwards["title_words"]]


def test_runs_newest_first_with_health_and_filter(client: TestClient) -> None:
    runs = client.get("/api/runs").json()
    assert [r["board"] for r in runs] == ["press", "press", "press", "notice", "press"]
    failed = runs[1]
    assert (failed["status"], failed["health"], failed["errors"]) == ("failed", "failed", 1)
    assert failed["health_notes"] == ["list page 1 failed: HTTP 503"]
    assert runs[0]["duration_seconds"] == 192.0
    assert [r["board"] for r in client.get("/api/runs", params={"board": "notice"}).json()] == [
        "notice"
    ]
    assert len(client.get("/api/runs", params={"limit": 2}).json()) == 2


def test_unknown_things_are_404_with_a_message(client: TestClient) -> None:
    for path in (
        "/api/boards/nope/posts",
        "/api/boards/press/posts/999",
        "/api/boards/press/posts/101/versions/9",
        "/api/boards/press/posts/101/diff?from=1&to=9",
        "/api/runs?board=nope",
    ):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.json()["detail"]
    assert "archived boards: notice, press" in client.get("/api/boards/nope/posts").json()["detail"]


def test_bad_parameters_are_rejected(client: TestClient) -> None:
    assert client.get("/api/boards/press/posts", params={"sort": "evil"}).status_code == 422
    r = client.get("/api/boards/press/posts", params={"new_since": "soon"})
    assert r.status_code == 400 and "new_since" in r.json()["detail"]
    assert client.get("/api/search").status_code == 422  # q is required


def test_openapi_document_and_local_docs_page(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {
        "/api/boards",
        "/api/boards/{board}/posts",
        "/api/boards/{board}/posts/{post_id}",
        "/api/boards/{board}/posts/{post_id}/versions",
        "/api/boards/{board}/posts/{post_id}/versions/{number}",
        "/api/boards/{board}/posts/{post_id}/diff",
        "/api/runs",
        "/api/search",
    } == paths  # the HTML pages are not part of the API
    assert all(set(ops) == {"get"} for ops in spec["paths"].values())  # read-only
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/boards/{board}/posts/{post_id}/diff" in docs.text
    assert "<script" not in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/docs").status_code == 404  # FastAPI's CDN-based Swagger UI is off
