"""``board-archive demo``: the whole loop on the bundled demo board, with no internet.

Starts a GnuBoard-5-compatible demo board on 127.0.0.1, archives it, edits, adds and deletes
posts on it the way a board admin would (GnuBoard changes no date on edit), archives it again,
and shows what the archive saw: the runs, the changed posts' histories and their diffs.

The demo board is made anew each time (its posts dated from now), so the board an earlier demo
archived is removed first (``boards remove``): run again, the demo reports the same changes.
"""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive import queries
from archive.config import Config, load_config
from archive.contents import version_content
from archive.diff import diff_contents
from archive.localtime import zone
from archive.models import Board as ArchivedBoard
from archive.models import CrawlRun
from archive.render import render_diff, render_plain
from board_archive.cli_boards import remove_archived_board
from board_archive.crawl import run_crawl
from board_archive.demoboard.content import Board
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer

BOARD = "demo"


def run_demo(console: Console, cfg: Config, engine: Engine, *, posts: int = 60) -> int:
    board = generate_board(posts, seed=7)
    with DemoServer(board) as server:
        demo_cfg = _demo_config(cfg, server.list_url)
        console.print(Rule("Board Archive demo"))
        console.print(f"demo board: {server.list_url} ({len(board.live_ids())} posts)")
        console.print(f"archive:    {engine.url.render_as_string(hide_password=True)}")
        earlier = _forget_earlier_demo(cfg, engine)
        if earlier:
            console.print(f"            (the board of an earlier demo removed: {earlier})")
        console.print()

        console.print("[bold]1. First crawl[/]: every list page, every post's view page once")
        first = run_crawl(demo_cfg, demo_cfg.board(BOARD), engine, mode="full", log_level="WARNING")
        _report(console, first.run)

        edits = _edit_board(board)
        console.print("\n[bold]2. The board changes[/] (as an admin would; GnuBoard keeps dates):")
        for line in edits:
            console.print(f"   {line}", highlight=False)

        console.print(
            "\n[bold]3. Second crawl[/] (full: every post re-checked; the nightly incremental "
            "run re-checks what the revisit policy picks): only changed content is a new version"
        )
        second = run_crawl(
            demo_cfg, demo_cfg.board(BOARD), engine, mode="full", log_level="WARNING"
        )
        _report(console, second.run)
        _show_changes(console, engine)
    console.print(
        "\nTry: board-archive posts demo · board-archive history demo ID · "
        "board-archive diff demo ID",
        highlight=False,
    )
    return 0 if first.ok and second.ok else 1


def _forget_earlier_demo(cfg: Config, engine: Engine) -> str | None:
    """Remove the demo board an earlier demo archived: the demo board is made anew each time
    (its posts dated from now), so crawling it into the earlier one's archive would report
    edits that never happened. What was removed, or None."""
    with Session(engine) as s:
        board_id = s.scalar(select(ArchivedBoard.id).where(ArchivedBoard.name == BOARD))
    if board_id is None:
        return None
    return remove_archived_board(cfg, engine, board_id, BOARD)


def _demo_config(cfg: Config, list_url: str) -> Config:
    """A config file naming the demo board (its port changes every time), beside the database."""
    folder = cfg.data_dir / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "boards.toml"
    path.write_text(
        "# Written by `board-archive demo`: the bundled demo board on this run's port.\n"
        f'[archive]\ncontact_url = "{cfg.contact_url}"\n\n'
        f'[boards.{BOARD}]\nurl = "{list_url}"\ntitle = "보도자료/업계소식 (demo)"\n'
        "delay = 0\nconcurrency = 8\n",
        encoding="utf-8",
    )
    return load_config(path).model_copy(update={"database_url": cfg.database_url})


def _edit_board(board: Board) -> list[str]:
    regular = [p for p in board.posts() if not p.secret and not p.notice]
    a, b, c, gone = regular[-2], regular[-5], regular[-9], regular[-12]
    board.edit_post(a.wr_id, title=a.title + " (수정)")
    body = b.body_html.replace("</p>", " 일정이 일부 변경되었습니다.</p>", 1)
    board.edit_post(b.wr_id, body_html=body)
    board.edit_post(c.wr_id, title="[정정] " + c.title, author="홍보팀")
    board.delete_post(gone.wr_id)
    new_id = board.add_post(
        "2027년 스마트제조 혁신 지원사업 공고",
        "<p>지원 대상: 도내 중소 제조기업</p><p>접수 기간: 12월 1일 ~ 12월 20일</p>",
    )
    return [
        f"post {a.wr_id}: title edited",
        f"post {b.wr_id}: a sentence added to the body",
        f"post {c.wr_id}: title and author edited",
        f"post {gone.wr_id}: deleted",
        f"post {new_id}: new",
    ]


def _report(console: Console, run: CrawlRun | None) -> None:
    if run is None:
        console.print("   [red]the crawl recorded no run[/]")
        return
    console.print(
        f"   run {run.id}: {run.status.value}, {run.pages} pages, {run.posts_seen} posts seen, "
        f"{run.new_posts} new, {run.new_versions} new versions, {run.deleted_posts} deleted, "
        f"{run.errors} errors",
        highlight=False,
    )


def _show_changes(console: Console, engine: Engine) -> None:
    with Session(engine) as s:
        board = queries.board_by_name(s, BOARD)
        posts = queries.list_posts(s, board, limit=100_000)
        changed = [p for p in posts if p.current_version > 1]
        deleted = [p for p in posts if p.state.value == "deleted"]
        console.print(f"\n[bold]4. What changed[/]: {len(changed)} edited, {len(deleted)} deleted")
        for p in deleted:
            console.print(f"   deleted: post {p.source_id} {p.title}", highlight=False)
        for p in changed:
            old = queries.version(s, p, p.current_version - 1)
            new = queries.version(s, p, p.current_version)
            d = diff_contents(version_content(old), version_content(new), zone(board.timezone))
            header = f"post {p.source_id}: version {old.number} → {new.number}"
            console.print()
            if console.is_terminal:
                console.print(render_diff(d, header=header))
            else:
                console.print(render_plain(d, header=header), highlight=False, markup=False)
