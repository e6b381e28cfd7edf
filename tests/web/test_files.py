"""Archived files on the pages and in the API, and ``/files/{sha256}`` serving them out of the
blob store, on SQLite and PostgreSQL: links and states, names made safe, types from the bytes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from archive.blobs import CHUNK, BlobError, BlobStore
from archive.models import Blob, FileKind, FileStatus, Post, PostVersion, VersionFile
from archive.web.app import create_app
from archive.web.files import FILE_CSP, content_disposition
from tests.web.seed import MAP_PNG, PDF_V1, PDF_V2, REFUSED, png, sha256

FILE_LINK = re.compile(r'href="(/files/([0-9a-f]{64})\?file=(\d+))"')


def add_file(
    engine: Engine,
    store: BlobStore,
    data: bytes,
    name: str,
    content_type: str | None = None,
    *,
    post_id: str = "101",
    number: int = 3,
    position: int = 7,
) -> int:
    """A stored attachment row on a version, as a crawl would leave it; returns its id."""
    store.put(data)
    at = datetime(2026, 11, 25, tzinfo=UTC)
    with Session(engine) as s, s.begin():
        version = s.scalars(
            select(PostVersion)
            .join(Post, Post.id == PostVersion.post_id)
            .where(Post.source_id == post_id, PostVersion.number == number)
        ).one()
        if s.get(Blob, sha256(data)) is None:
            s.add(
                Blob(sha256=sha256(data), size=len(data), content_type=content_type, stored_at=at)
            )
            s.flush()
        row = VersionFile(
            version=version,
            kind=FileKind.ATTACHMENT,
            position=position,
            entry_key=f"a:test{position}",
            name=name,
            sha256=sha256(data),
            status=FileStatus.STORED,
            fetched_at=at,
        )
        s.add(row)
        s.flush()
        return row.id


def test_post_page_links_stored_files_and_says_why_others_are_not(client: TestClient) -> None:
    html = client.get("/boards/press/posts/101").text
    links = FILE_LINK.findall(html)
    assert [sha for _, sha, _ in links] == [sha256(PDF_V2)]
    assert "채용공고.pdf</a>" in html and "(1.4M)" in html
    assert f"{len(PDF_V2)} bytes" in html
    form = html[html.index("지원서 양식.hwp") :]
    assert 'class="badge file-refused">refused' in form and REFUSED in form
    old = client.get("/boards/press/posts/101?v=1").text
    assert [sha for _, sha, _ in FILE_LINK.findall(old)] == [sha256(PDF_V1)]

    images = client.get("/boards/press/posts/106").text
    body = images[images.index('id="post-body"') : images.index("</article>")]
    assert re.findall(r"<img [^>]*>", body) == [
        f'<img src="/files/{sha256(MAP_PNG)}" alt="모집 지역 지도">'
    ]
    assert "[이미지: 배너]" in body and body.count('class="archived-image"') == 2
    assert "203.0.113.9/banner.jpg" not in images  # the remote image is named, never linked
    listed = images[images.index("Body images") :]
    assert "on another host: 203.0.113.9" in listed and "HTTP 404" in listed
    assert re.findall(r'class="file file-(\w+)"', listed) == ["stored", "skipped", "failed"]


def test_versions_archived_before_files_list_names_only(
    archive: Engine, client: TestClient
) -> None:
    with Session(archive) as s, s.begin():
        v1 = s.scalar(
            select(PostVersion.id)
            .join(Post, Post.id == PostVersion.post_id)
            .where(Post.source_id == "101", PostVersion.number == 1)
        )
        s.execute(delete(VersionFile).where(VersionFile.version_id == v1))
    html = client.get("/boards/press/posts/101?v=1").text
    assert "채용공고.pdf" in html and "archived before files were" in html
    assert not FILE_LINK.search(html)


def test_downloads_are_the_archived_bytes_named_as_archived(client: TestClient) -> None:
    html = client.get("/boards/press/posts/101").text
    link = FILE_LINK.search(html)
    assert link is not None
    r = client.get(link.group(1))
    assert r.status_code == 200 and r.content == PDF_V2
    assert r.headers["content-type"] == "application/octet-stream"  # not the board's claim
    assert r.headers["content-disposition"] == (
        'attachment; filename="____.pdf"; '
        "filename*=UTF-8''%EC%B1%84%EC%9A%A9%EA%B3%B5%EA%B3%A0.pdf"
    )
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"] == FILE_CSP and "sandbox" in FILE_CSP

    image = client.get(f"/files/{sha256(MAP_PNG)}")
    assert image.status_code == 200 and image.content == MAP_PNG
    assert image.headers["content-type"] == "image/png"
    assert image.headers["content-disposition"].startswith('inline; filename="map.png"')


def test_api_versions_carry_their_files(client: TestClient) -> None:
    v2 = client.get("/api/boards/press/posts/101/versions/2").json()
    pdf, form = v2["files"]
    assert (pdf["kind"], pdf["name"], pdf["size_text"], pdf["status"]) == (
        "attachment",
        "채용공고.pdf",
        "1.4M",
        "stored",
    )
    assert (pdf["sha256"], pdf["size"]) == (sha256(PDF_V2), len(PDF_V2))
    assert pdf["download_url"] == f"/files/{sha256(PDF_V2)}?file={pdf['id']}"
    assert client.get(pdf["download_url"]).content == PDF_V2
    assert (form["status"], form["reason"], form["sha256"], form["download_url"]) == (
        "refused",
        REFUSED,
        None,
        None,
    )
    current = client.get("/api/boards/press/posts/106").json()["current"]
    assert [(f["kind"], f["status"]) for f in current["files"]] == [
        ("image", "stored"),
        ("image", "skipped"),
        ("image", "failed"),
    ]
    assert f'src="/files/{sha256(MAP_PNG)}"' in current["body_html_safe"]
    assert "203.0.113.9" not in current["body_html_safe"]
    assert current["files"][1]["url"] == "http://203.0.113.9/banner.jpg"  # as data


HOSTILE = '..\\..\\지원서 "양식";\r\n\x1b\u202e%00.hwp'  # PostgreSQL text holds no NUL


def test_hostile_names_and_claimed_types_are_made_safe(
    archive: Engine, client: TestClient, blob_dir: Path
) -> None:
    store = BlobStore(blob_dir)
    page = b"<html><script>alert(document.cookie)</script></html>"
    row = add_file(archive, store, page, HOSTILE, "text/html")
    r = client.get(f"/files/{sha256(page)}", params={"file": row})
    assert r.status_code == 200 and r.content == page
    assert r.headers["content-type"] == "application/octet-stream"
    disposition = r.headers["content-disposition"]
    fallback = re.fullmatch(
        r'attachment; filename="([^"]*)"; filename\*=UTF-8\'\'(\S+)', disposition
    )
    assert fallback is not None, disposition
    assert fallback.group(1) == "_..____ ______00.hwp"  # ASCII, no quote, slash or control
    assert unquote(fallback.group(2), errors="strict") == '_.._지원서 "양식";%00.hwp'
    assert not re.search(r"[\x00-\x1f\x7f/\\]", disposition)

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    add_file(archive, store, svg, "logo.svg", "image/svg+xml", position=8)
    r = client.get(f"/files/{sha256(svg)}")
    assert r.headers["content-type"] == "application/octet-stream"  # SVG can carry script
    assert r.headers["content-disposition"].startswith('attachment; filename="logo.svg"')
    gif = b"GIF89a" + bytes(20)
    add_file(archive, store, gif, "사진", "text/html", position=9)
    r = client.get(f"/files/{sha256(gif)}")
    assert r.headers["content-type"] == "image/gif"  # what the bytes are


@pytest.mark.parametrize(
    ("name", "fallback", "decoded"),
    [
        ("report.pdf", "report.pdf", "report.pdf"),
        ("../../etc/passwd", "_.._etc_passwd", "_.._etc_passwd"),
        ("공지 사항.hwp", "__ __.hwp", "공지 사항.hwp"),
        ('a"b;c%d.txt', "a_b_c_d.txt", 'a"b;c%d.txt'),
        ("\u3000탭\t이름\u200b.txt ", "___.txt", "탭이름.txt"),
        ("...", "file", "file"),
    ],
)
def test_content_disposition_of_archived_names(name: str, fallback: str, decoded: str) -> None:
    value = content_disposition(name)
    m = re.fullmatch(r'attachment; filename="([ -~]*)"; filename\*=UTF-8\'\'([!-~]+)', value)
    assert m is not None, value
    assert not set(m.group(1)) & set('"\\/;%')
    assert unquote(m.group(2), errors="strict") == decoded
    assert m.group(1) == fallback


def test_unknown_missing_and_damaged_files(
    archive: Engine, client: TestClient, blob_dir: Path
) -> None:
    unknown = "0" * 64
    assert client.get(f"/files/{unknown}").status_code == 404
    assert client.get("/files/..%2F..%2Fetc%2Fpasswd").status_code in (400, 404)
    assert client.get("/files/ABC").status_code == 400  # not a SHA-256: no lookup at all
    pdf_row = FILE_LINK.search(client.get("/boards/press/posts/101").text)
    assert pdf_row is not None
    other = client.get(f"/files/{sha256(MAP_PNG)}", params={"file": pdf_row.group(3)})
    assert other.status_code == 404  # a row names only its own blob

    store = BlobStore(blob_dir)
    store.path(sha256(PDF_V1)).unlink()
    gone = client.get(f"/files/{sha256(PDF_V1)}")
    assert gone.status_code == 404 and "not in the store" in gone.text
    assert "not in this server's blob store" in client.get("/boards/press/posts/101?v=1").text

    store.path(sha256(MAP_PNG)).write_bytes(png(rgb=(255, 0, 0)))  # other bytes
    damaged = client.get(f"/files/{sha256(MAP_PNG)}")
    assert damaged.status_code == 500 and "damaged" in damaged.text

    big = bytes(range(256)) * (CHUNK // 256 * 2 + 3)
    add_file(archive, store, big, "big.bin")
    assert client.get(f"/files/{sha256(big)}").content == big  # streamed in chunks, whole
    path = store.path(sha256(big))
    path.write_bytes(big[:-1] + b"\x00")  # its last byte changed
    with pytest.raises(BlobError, match="damaged"):  # the response ends before its last chunk
        client.get(f"/files/{sha256(big)}")

    with TestClient(create_app(archive)) as no_store:
        r = no_store.get(f"/files/{sha256(PDF_V2)}")
        assert r.status_code == 404 and "no blob store" in r.text
        html = no_store.get("/boards/press/posts/101").text
        assert not FILE_LINK.search(html) and "<img" not in html
