"""Pre-rendering to static files, and ``python -m board_archive.demoboard``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from parsel import Selector

from board_archive.demoboard import Board, DemoServer, prerender
from board_archive.demoboard.__main__ import main
from tests.demoboard.conftest import Client


def test_prerender_writes_every_page(board: Board, tmp_path: Path) -> None:
    result = prerender(board, tmp_path, "http://127.0.0.1:8080")
    assert result.list_pages == 8
    secret = [p.wr_id for p in board.posts() if p.secret]
    readable = [p.wr_id for p in board.posts() if not p.secret]
    assert list(result.secret_ids) == secret and result.view_pages == len(readable)
    assert sorted(int(p.stem) for p in (tmp_path / "view").glob("*.html")) == readable
    assert sorted(int(p.stem) for p in (tmp_path / "list").glob("[0-9]*.html")) == list(range(1, 9))
    for name in (
        "list/index.html",
        "list/empty.html",
        "notfound.html",
        "noboard.html",
        "robots.txt",
    ):
        assert (tmp_path / name).exists(), name
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert manifest["base_url"] == "http://127.0.0.1:8080"
    conf = (tmp_path / "nginx.conf").read_text("utf-8")
    assert "|".join(map(str, secret)) in conf and "rewrite ^ /view/$arg_wr_id.html last;" in conf
    page2 = Selector(text=(tmp_path / "list/2.html").read_text("utf-8"))
    links = page2.css("td.td_subject a::attr(href)").getall()
    assert links[0].startswith("http://127.0.0.1:8080/bbs/board.php?bo_table=press&wr_id=")
    raw = (tmp_path / "list/1.html").read_bytes()
    assert b"\r\n" in raw and b'<tr class="bo_notice even">' in raw


def test_prerendered_view_equals_served_view(board: Board, tmp_path: Path) -> None:
    post = next(p for p in board.posts() if not p.secret and not p.attachments)
    with DemoServer(board, count_views=False) as srv:
        served = Client().get(srv.view_url(post.wr_id)).text
        prerender(board, tmp_path, srv.url)
    assert (tmp_path / f"view/{post.wr_id}.html").read_bytes().decode("utf-8") == served


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--posts", "--port", "--skin", "--seed", "--admin", "--prerender"):
        assert option in out


def test_main_prerender(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--posts", "30", "--prerender", str(tmp_path / "out")]) == 0
    assert "list pages" in capsys.readouterr().out
    assert (tmp_path / "out/list/1.html").exists()


def test_python_m_demoboard_serves(tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "board_archive.demoboard",
        "--posts",
        "40",
        "--port",
        "0",
        "--seed",
        "2",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/bbs/board.php?bo_table=press")
        resp = Client().get(url)
        assert resp.status == 200 and "Total" in resp.text
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
    assert proc.returncode == 0
