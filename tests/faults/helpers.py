"""Crawls for the fault tests: the real crawl process the CLI starts
(``board_archive.crawl.run_crawl``), with Scrapy settings a test chooses, into the test's
database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.config import load_config
from archive.models import CrawlRun, Post, PostVersion
from board_archive.crawl import CrawlResult, run_crawl

#: Quick retries for tests: 0.1 s, 0.2 s, … (the defaults wait 1 s, 2 s, …).
FAST = {"RETRY_BACKOFF_BASE": "0.1", "DOWNLOAD_TIMEOUT": "3"}


def write_config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "boards.toml"
    data = tmp_path / "var"  # the crawl's files (blobs, WARC, logs) in the test's folder
    path.write_text(
        f'[archive]\ndata_dir = "{data}"\n'
        f'[boards.press]\nurl = "{url}"\ndelay = 0\nconcurrency = 8\n',
        encoding="utf-8",
    )
    return path


def crawl(
    tmp_path: Path,
    engine: Engine,
    url: str,
    *,
    mode: str = "full",
    settings: dict[str, str] | None = None,
) -> CrawlResult:
    cfg = load_config(write_config(tmp_path, url))
    return run_crawl(
        cfg,
        cfg.board("press"),
        engine,
        mode=mode,
        log_level="WARNING",
        extra_settings={**FAST, **(settings or {})},
        timeout=240,
    )


def crawl_peak_rss(tmp_path: Path, engine: Engine, url: str, settings: dict[str, str]) -> int:
    """Peak resident memory (bytes) of one crawl's process, measured in a fresh process whose
    only child it is (``RUSAGE_CHILDREN`` holds the largest of its reaped descendants). The
    crawl's log goes to this process's stderr (``capfd`` reads it)."""
    write_config(tmp_path, url)
    code = (
        "import json, resource, sys\n"
        "from sqlalchemy import create_engine\n"
        "from archive.config import load_config\n"
        "from board_archive.crawl import run_crawl\n"
        "cfg = load_config(sys.argv[1])\n"
        "engine = create_engine(sys.argv[2])\n"
        "run_crawl(cfg, cfg.board('press'), engine, mode='full', log_level='WARNING',\n"
        "          extra_settings=json.loads(sys.argv[3]), timeout=240)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)\n"
    )
    args = [str(tmp_path / "boards.toml"), engine.url.render_as_string(hide_password=False)]
    out = subprocess.run(
        [sys.executable, "-c", code, *args, json.dumps({**FAST, **settings})],
        stdout=subprocess.PIPE,
        text=True,
        timeout=300,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return int(out.stdout.strip().splitlines()[-1])


def last_run(engine: Engine) -> CrawlRun:
    with Session(engine, expire_on_commit=False) as s:
        run = s.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        assert run is not None
        return run


def versions(engine: Engine) -> dict[str, list[PostVersion]]:
    """Each archived post's versions, by post id, oldest first."""
    out: dict[str, list[PostVersion]] = {}
    with Session(engine, expire_on_commit=False) as s:
        rows = s.execute(
            select(Post.source_id, PostVersion)
            .join(PostVersion, PostVersion.post_id == Post.id)
            .order_by(PostVersion.number)
        ).all()
    for source_id, version in rows:
        out.setdefault(source_id, []).append(version)
    return out


def posts(engine: Engine) -> dict[str, Post]:
    with Session(engine, expire_on_commit=False) as s:
        return {p.source_id: p for p in s.scalars(select(Post))}


def version_count(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(PostVersion)) or 0


def stat(run: CrawlRun, key: str) -> int:
    """A counter of the run's Scrapy stats (0 when absent)."""
    value = (run.stats or {}).get(key, 0)
    return int(value) if isinstance(value, int | float | str) else 0
