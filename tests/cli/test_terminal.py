"""What ``board-archive crawl`` prints (the real command and crawl process, a demo board on
127.0.0.1): on a 150-post board a few lines (the log file's path and the report), the whole
Scrapy log in that file; on a terminal (a pseudo-terminal here) a progress display of list and
view pages; an unreachable site is one line naming the cause, no traceback; ``-v`` shows the
log live."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from board_archive.demoboard import DemoServer, generate_board
from tests.crawl.test_end_to_end import cli, write_config

pytestmark = [
    pytest.mark.parametrize("backend", ["sqlite"], indirect=True),
    pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning"),
]


def test_a_crawl_prints_a_few_lines_and_logs_to_a_file(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    with DemoServer(generate_board(150, seed=4)) as server:
        config = write_config(tmp_path, server.list_url)
        result = cli(tmp_path, db_url, "crawl", "press", "-c", str(config), "--full")
        live = cli(tmp_path, db_url, "crawl", "press", "-c", str(config), "-v")
    assert result.returncode == 0, result.stderr[-3000:]
    printed = (result.stdout + result.stderr).splitlines()
    assert len(printed) <= 30, printed
    assert "Traceback" not in result.stdout + result.stderr
    found = re.search(r"^log: (\S+\.log)$", result.stderr, re.M)
    assert found, result.stderr
    log = (tmp_path / found.group(1)).read_text(encoding="utf-8")
    assert "Spider opened" in log and "Dumping Scrapy stats" in log  # Scrapy's whole log
    assert re.search(r"run \d+ \(full\) of press: succeeded, health ok", result.stdout)
    # -v: the log live, no file
    assert live.returncode == 0 and "Spider opened" in live.stderr and "log: " not in live.stderr


def test_an_unreachable_site_is_one_line(tmp_path: Path, db_url: str, engine: Engine) -> None:
    url = "http://127.0.0.1:9/bbs/board.php?bo_table=press"  # discard: nothing listens
    result = cli(tmp_path, db_url, "crawl", "--url", url)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert out.count("cannot connect to 127.0.0.1:9: connection refused") == 1, out
    assert len(out.splitlines()) <= 6, out


def test_a_terminal_shows_the_progress(tmp_path: Path, db_url: str, engine: Engine) -> None:
    with DemoServer(generate_board(60, seed=4)) as server:
        config = write_config(tmp_path, server.list_url)
        main, child = pty.openpty()
        env = {**os.environ, "DATABASE_URL": db_url, "COLUMNS": "120", "TERM": "xterm"}
        args = [sys.executable, "-m", "board_archive.cli", "crawl", "press", "-c", str(config)]
        proc = subprocess.Popen(
            [*args, "--full"], stdin=child, stdout=child, stderr=child, env=env, cwd=tmp_path
        )
        os.close(child)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            shown += chunk
        os.close(main)
        assert proc.wait(timeout=120) == 0
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode("utf-8", "replace"))  # colours
    assert "list pages" in text and "view pages" in text, text[-2000:]
    assert re.search(r"\b60/60\b", text), text[-2000:]  # every view page, of those planned
    assert "succeeded" in text
