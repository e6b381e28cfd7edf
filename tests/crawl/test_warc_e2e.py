"""Every fetch of a crawl as WARC records (``crawler/warc.py``), end to end on the demo board:
the requests the records hold are the requests the board received, one each; the files pass
``warcio check`` and have their CDXJ index; a second run starts new files of its own and
writes the payloads the first run wrote as revisits of them."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
import zlib
from collections import Counter
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from surt import surt
from warcio.archiveiterator import ArchiveIterator

from archive.models import CrawlRun, FileStatus, Post, PostVersion, RunStatus, VersionFile
from archive.runstats import RunStats, Stat
from archive.warcindex import index_path
from board_archive.demoboard import DemoServer, generate_board
from tests.archive.test_warcfiles import warcio_check
from tests.crawl.test_end_to_end import cli, crawl

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def read(paths: list[Path]) -> list[tuple[str, str, str, bytes]]:
    """(type, URI, request target or status, payload) of every record but warcinfo."""
    out = []
    for path in paths:
        with path.open("rb") as fh:
            for r in ArchiveIterator(fh):
                if r.rec_type == "warcinfo":
                    continue
                uri = r.rec_headers.get_header("WARC-Target-URI")
                line = r.http_headers.statusline if r.http_headers else ""
                out.append((r.rec_type, uri, line.split(" ")[0], r.content_stream().read()))
    return out


def digests(paths: list[Path]) -> list[str | None]:
    """The WARC-Payload-Digest of every response and revisit record."""
    out = []
    for path in paths:
        with path.open("rb") as fh:
            for r in ArchiveIterator(fh):
                if r.rec_type in ("response", "revisit"):
                    out.append(r.rec_headers.get_header("WARC-Payload-Digest"))
    return out


def read_member(member: bytes, folder: Path) -> list[tuple[str, str, str, bytes]]:
    path = folder / "one.warc.gz"
    path.write_bytes(member)
    return read([path])


def runs(engine: Engine) -> list[CrawlRun]:
    with Session(engine) as s:
        return list(s.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def test_every_fetch_of_a_crawl_is_in_the_warc_files(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = generate_board(25, seed=3)
    folder = tmp_path / "var" / "warc" / "press"
    with DemoServer(board) as srv:
        site = srv.list_url
        result = crawl(tmp_path, db_url, site)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        sent = Counter({t: n for t, n in srv.target_counts.items() if "/adm/" not in t})
        first = sorted(folder.glob("press-*.warc.gz"))
        records = read(first)
        assert first and all(warcio_check(p).returncode == 0 for p in first)
        requests = Counter(target for kind, _, target, _ in records if kind == "request")
        assert requests == sent  # every request the board received, once
        responses = [r for r in records if r[0] == "response"]
        assert len(responses) == sum(sent.values())
        views = {uri: body for _, uri, _, body in responses if "wr_id=" in uri}
        post = next(p for p in board.posts() if not p.secret)
        [page] = [body for uri, body in views.items() if uri.endswith(f"wr_id={post.wr_id}")]
        assert post.title.encode() in page  # the page as the board served it
        # robots.txt, list pages, view pages, attachments and body images alike
        fetched = {uri.split("/", 3)[3].split("?")[0] for _, uri, _, _ in responses}
        assert {"robots.txt", "bbs/board.php", "bbs/download.php", "img/logo.png"} <= fetched
        assert any("wr_id=" not in uri for _, uri, _, _ in responses if "board.php" in uri)
        assert all(digests(first)), "a response or revisit record without WARC-Payload-Digest"

        srv.reset_counts()
        again = crawl(tmp_path, db_url, srv.list_url)
        assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-3000:]
        sent_again = Counter({t: n for t, n in srv.target_counts.items() if "/adm/" not in t})
    second = sorted(set(folder.glob("press-*.warc.gz")) - set(first))
    assert second  # a run never appends to an earlier run's file
    later = read(second)
    assert all(warcio_check(p).returncode == 0 for p in second) and all(digests(second))
    assert all(index_path(p).exists() for p in first + second)
    revisits = {uri for kind, uri, _, _ in later if kind == "revisit"}
    assert any(uri.endswith("/robots.txt") for uri in revisits)  # the same bytes as last run
    assert Counter(t for kind, _, t, _ in later if kind == "request") == sent_again
    full, rerun = runs(engine)
    assert (full.status, rerun.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED)
    stats = RunStats.of(full.stats)
    assert stats[Stat.WARC_RECORDS] + stats[Stat.WARC_REVISITS] == len(responses)
    assert stats[Stat.WARC_ERRORS] == 0 and stats[Stat.WARC_BYTES] > 0
    assert RunStats.of(rerun.stats)[Stat.WARC_REVISITS] >= 1
    # every version points at the record of the response it was read from
    with Session(engine) as s:
        versions = s.execute(select(Post.url, PostVersion).join(PostVersion)).all()
    assert len(versions) >= 20
    for url, version in versions:
        assert version.warc_file is not None, url
        with (folder / version.warc_file).open("rb") as fh:
            fh.seek(version.warc_offset)
            member = fh.read(version.warc_length)
        [(kind, uri, _, payload)] = read_member(member, tmp_path)
        assert (kind, uri) == ("response", url)
        assert payload == zlib.decompress(version.raw_page)

    # board-archive export: the second run's records, with the captures its revisits refer to
    assert rerun.started_at is not None
    since = rerun.started_at.replace(tzinfo=UTC).isoformat()
    exported = cli(tmp_path, db_url, "export", "press", "--warc", "out", "--since", since)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    [out] = (tmp_path / "out").glob("press-*.warc.gz")
    assert warcio_check(out).returncode == 0
    kinds = Counter(kind for kind, _, _, _ in read([out]))
    second_run = Counter(kind for kind, _, _, _ in later)
    assert (
        kinds["revisit"] == second_run["revisit"]
        and kinds["request"] == kinds["response"] + kinds["revisit"]
    )
    assert kinds["response"] > second_run["response"]  # the first captures came along
    # the files the pages showed, not downloaded again by the second run, came along too
    with Session(engine) as s:
        stored = select(VersionFile.url).where(VersionFile.status == FileStatus.STORED)
        shown = {url for url in s.scalars(stored) if url}
    fetched_again = {surt(u) for kind, u, _, _ in later if kind in ("response", "revisit")}
    captured = {surt(u) for kind, u, _, _ in read([out]) if kind in ("response", "revisit")}
    shown = {surt(url) for url in shown}
    assert shown - fetched_again and shown <= captured, shown - captured
    assert f"{len(shown - fetched_again)} files shown by the pages" in exported.stdout
    # the same packaged as WACZ: valid, listing the post pages it holds with their titles
    packed = cli(tmp_path, db_url, "export", "press", "--wacz", "press.wacz")
    assert packed.returncode == 0, packed.stdout + packed.stderr
    validated = subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(tmp_path / "press.wacz")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 0 and "is valid" in validated.stdout, validated.stdout
    with zipfile.ZipFile(tmp_path / "press.wacz") as z:
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").splitlines()[1:]]
    assert {p["title"] for p in pages} >= {post.title}
    readable = [p for p in board.posts() if not p.secret and p.wr_id in board.live_ids()]
    seeds = [p for p in pages if p.get("seed")]
    assert {p["url"] for p in seeds} == {site}  # the board, as py-wacz lists it
    pages = [p for p in pages if not p.get("seed")]
    assert len({p["url"] for p in pages}) == len(readable)
    assert f"{len(pages)} pages" in packed.stdout
    neither = cli(tmp_path, db_url, "export", "press")
    assert neither.returncode == 2 and "--warc" in neither.stderr
    unknown = cli(tmp_path, db_url, "export", "nope", "--warc", "out")
    assert unknown.returncode == 1 and "nope" in unknown.stderr
