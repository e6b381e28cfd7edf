"""``board-archive``: set up the archive, crawl boards, read posts, versions and diffs.

Exit codes: 0 success, 1 a failed run (or a missing archive record), 2 bad usage or configuration.
"""

from __future__ import annotations

import signal
import sys
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from archive import queries, reports
from archive.comments import CommentChange, comment_changes
from archive.config import ConfigError, adhoc_board
from archive.contents import version_content
from archive.db import current_revision, upgrade
from archive.diff import diff_contents
from archive.localtime import format_local, parse_since, zone, zone_label
from archive.models import PostState
from archive.render import comment_lines, render_diff, render_plain
from board_archive import (
    cli_boards,
    cli_export,
    cli_files,
    cli_fleet,
    cli_probe,
    cli_web,
    schedule_cli,
)
from board_archive.cli_common import ConfigOpt, console, err, fail, opened, state_note
from board_archive.cli_crawl import crawl_several, report_run
from board_archive.crawl import run_crawl
from board_archive.demo import run_demo
from board_archive.notify import notify_run
from board_archive.progress import crawl_shown

app = typer.Typer(
    name="board-archive",
    help="Keep a complete, versioned history of web notice boards (GnuBoard 5).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: options and their values, no type labels on flags
)


@app.command()
def init(config: ConfigOpt = None) -> None:
    """Create the archive database, or upgrade it to the newest schema (Alembic upgrade head)."""
    with opened(config, need_schema=False) as (_cfg, engine):
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
        where = engine.url.render_as_string(hide_password=True)
        state = "up to date" if before == after else f"upgraded {before or 'empty'} → {after}"
        console.print(f"archive database {where}: {state}")


@app.command()
def crawl(
    board: Annotated[
        list[str] | None,
        typer.Argument(help="Boards named in the config file (several: crawled at once)"),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Crawl a GnuBoard list URL not in the config (ad hoc)")
    ] = None,
    config: ConfigOpt = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Walk every list page and re-check every post (default: incremental)"
        ),
    ] = False,
    log_level: Annotated[str, typer.Option(help="Scrapy log level")] = "INFO",
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Show the crawl's log live instead of a progress display"
        ),
    ] = False,
) -> None:
    """Crawl a board and store what changed.

    Incremental (the default): list pages until past the newest archived post, the view pages
    of new posts, of posts whose list row changed, and of the posts the revisit policy picks.
    --full: every list page and every post's view page, once each.

    The crawl's log (Scrapy's) goes to a file under the data dir (logs/BOARD/, its path
    printed); the terminal shows a progress display and a short report. -v: the log live.

    Ctrl-C (or SIGTERM) stops the crawl as Scrapy does: the run is closed as interrupted and
    the board's lock released; a second Ctrl-C stops it at once, a third kills it, and the lock
    is released all the same. Exit 130 after Ctrl-C (143 after SIGTERM).

    Several boards are crawled at once in one crawl process (one Scrapy crawler each, each
    with its own run and lock): a report line each, exit 1 if any run was not ok.
    """
    if bool(board) == bool(url):
        fail("give a board name or --url, not both and not neither", 2)
    with opened(config) as (cfg, engine):
        try:
            boards = [cfg.board(name) for name in dict.fromkeys(board or [])]
            board_cfg = boards[0] if boards else adhoc_board(url or "")
        except ConfigError as exc:
            fail(str(exc), 2)
        adhoc, mode = url is not None, "full" if full else "incremental"
        if len(boards) > 1:
            crawl_several(cfg, boards, engine, mode, log_level, verbose)
            return
        if verbose:
            result = run_crawl(cfg, board_cfg, engine, adhoc=adhoc, mode=mode, log_level=log_level)
        else:
            result = crawl_shown(
                err, cfg, board_cfg, engine, adhoc=adhoc, mode=mode, log_level=log_level
            )
        report_run(board_cfg.name, result)
        if result.run is not None:
            notify_run(cfg, board_cfg, engine, result.run.id)
        if result.signum is not None:
            name = signal.Signals(result.signum).name
            err.print(f"stopped by {name}; the board's lock is released", highlight=False)
            raise typer.Exit(128 + result.signum)
        if not result.ok:
            raise typer.Exit(1)


@app.command()
def posts(
    board: Annotated[str, typer.Argument(help="Board name")],
    state: Annotated[PostState | None, typer.Option(help="Only posts in this state")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many posts")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many")] = 0,
    config: ConfigOpt = None,
) -> None:
    """List a board's archived posts: id, title, posted, versions, last change, state (times
    in the board's zone)."""
    with opened(config) as (_cfg, engine), Session(engine) as s:
        b = queries.board_by_name(s, board)
        tz = zone(b.timezone)
        rows = queries.list_posts(s, b, state=state, limit=limit, offset=offset)
        counts = queries.count_posts(s, b)
        table = Table(title=f"{b.name} — " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        for col in ("id", "title", "posted", "versions", "last change", "state"):
            table.add_column(col, overflow="fold")
        for p in rows:
            table.add_row(
                p.source_id,
                p.title or "",
                format_local(p.posted_at, tz),
                str(p.current_version),
                format_local(p.last_changed_at, tz),
                p.state.value,
            )
        console.print(table)


@app.command()
def history(
    board: Annotated[str, typer.Argument(help="Board name")],
    post_id: Annotated[str, typer.Argument(help="The board's post id (GnuBoard wr_id)")],
    config: ConfigOpt = None,
) -> None:
    """Versions of one post: when each was fetched and which fields changed (times in the
    board's zone)."""
    with opened(config) as (_cfg, engine), Session(engine) as s:
        b = queries.board_by_name(s, board)
        post = queries.post_by_source_id(s, b, post_id)
        tz = zone(b.timezone)
        label = zone_label(tz)
        table = Table(title=f"{board} post {post_id}: {post.title or ''} [{post.state.value}]")
        for col in ("version", f"edited between ({label})", "run", "changed", "title"):
            table.add_column(col, overflow="fold")
        previous = None
        for v in queries.versions_of(s, post):
            changed = "first version" if v.number == 1 else ", ".join(v.changed_fields)
            if previous is not None and "attachments" in v.changed_fields:
                changed += "\n" + cli_files.attachment_summary(previous, v)
            previous = v
            fetched = format_local(v.fetched_at, tz)
            bounds = f"{format_local(v.prev_seen_at, tz)} … {fetched}" if v.prev_seen_at else ""
            table.add_row(str(v.number), bounds or fetched, str(v.run_id or ""), changed, v.title)
        console.print(table)
        for e in queries.events_of(s, post):
            console.print(f"{format_local(e.at, tz)} {e.kind.value}", highlight=False)
        comments = queries.comments_of(s, post)
        if comments:
            ctable = Table(title=f"comments ({len(comments)})")
            for col in ("id", "author", f"posted ({label})", "versions", "state"):
                ctable.add_column(col, overflow="fold")
            for c in comments:
                gone = f"deleted {format_local(c.deleted_at, tz)}" if c.deleted_at else "active"
                ctable.add_row(
                    c.source_id,
                    c.author or "",
                    format_local(c.posted_at, tz),
                    str(c.current_version),
                    gone + (" (secret)" if c.secret else ""),
                )
            console.print(ctable)
        seen = (format_local(post.first_seen_at, tz), format_local(post.last_seen_at, tz))
        console.print(
            f"first seen {seen[0]}, last seen {seen[1]}"
            + (f", deleted {format_local(post.deleted_at, tz)}" if post.deleted_at else ""),
            highlight=False,
        )


@app.command()
def diff(
    board: Annotated[str, typer.Argument(help="Board name")],
    post_id: Annotated[str, typer.Argument(help="The board's post id (GnuBoard wr_id)")],
    from_: Annotated[int | None, typer.Option("--from", help="Older version number")] = None,
    to: Annotated[int | None, typer.Option("--to", help="Newer version number")] = None,
    plain: Annotated[
        bool,
        typer.Option(
            help="Plain [-deleted-]{+inserted+} text (the default when not on a terminal)"
        ),
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """What changed in a post: the latest change, or any two versions (--from N --to M); times
    in the board's zone."""
    with opened(config) as (_cfg, engine), Session(engine) as s:
        b = queries.board_by_name(s, board)
        post = queries.post_by_source_id(s, b, post_id)
        tz = zone(b.timezone)
        note = state_note(post, tz)
        if note:
            console.print(note, highlight=False, markup=False)
        newest = post.current_version
        new_n = to or newest
        old_n = from_ or new_n - 1
        if newest < 2 and from_ is None:
            console.print(f"post {post_id} has {newest} version(s): nothing to compare")
            if newest == 1:
                since = queries.version(s, post, 1).fetched_at
                _print_comment_changes(comment_changes(s, post, since, None))
            return
        old, new = queries.version(s, post, old_n), queries.version(s, post, new_n)
        d = diff_contents(version_content(old), version_content(new), tz)
        header = (
            f"{board} post {post_id}: version {old_n} ({format_local(old.fetched_at, tz)}) → "
            f"{new_n} ({format_local(new.fetched_at, tz)})"
        )
        if plain or not console.is_terminal:
            sys.stdout.write(render_plain(d, header=header) + "\n")
        else:
            console.print(render_diff(d, header=header))
        # comments changed between the two fetches (up to now, for the current version)
        until = None if new_n == newest else new.fetched_at
        _print_comment_changes(comment_changes(s, post, old.fetched_at, until))


def _print_comment_changes(changes: list[CommentChange]) -> None:
    if changes:
        lines = comment_lines(changes)
        console.print("comments:", *lines, sep="\n", highlight=False, markup=False)


@app.command()
def runs(
    board: Annotated[str | None, typer.Argument(help="Only this board")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many runs")] = 20,
    config: ConfigOpt = None,
) -> None:
    """Recent runs: start, duration, mode, who ran it (worker), status, health, requests,
    new/edited/deleted (times in the board's zone, or in [archive] timezone for all boards)."""
    with opened(config) as (cfg, engine), Session(engine) as s:
        if board is not None:
            queries.board_by_name(s, board)  # an unknown board is an error, not an empty table
        tz = reports.zone_of(s, board, zone(cfg.timezone))
        table = Table(title="crawl runs")
        for col in (
            "run",
            "board",
            f"started ({zone_label(tz)})",
            "took",
            "mode",
            "worker",
            "status",
            "health",
            "requests",
            "new",
            "edited",
            "deleted",
            "errors",
            "notes",
        ):
            table.add_column(col, overflow="fold")
        for name, r in reports.recent_runs(s, board, limit):
            took = r.finished_at - r.started_at if r.finished_at else None
            notes = "; ".join(filter(None, [r.message, *(r.health_notes or [])]))
            table.add_row(
                str(r.id),
                name,
                format_local(r.started_at, tz),
                f"{took.total_seconds():.0f}s" if took else "",
                r.mode.value,
                r.worker or "",
                r.status.value,
                r.health.value if r.health else "",
                str(r.requests),
                str(r.new_posts),
                str(r.edited_posts),
                str(r.deleted_posts),
                str(r.errors),
                notes,
            )
        console.print(table)


@app.command()
def changes(
    since: Annotated[str, typer.Option(help="7d, 12h, 2w, or a date such as 2026-11-01")] = "7d",
    board: Annotated[str | None, typer.Option(help="Only this board")] = None,
    config: ConfigOpt = None,
) -> None:
    """New, edited and deleted posts (and other state changes) across boards since a time.

    A date is midnight, and times are shown, in [archive] timezone (Asia/Seoul by default), or
    with --board in that board's zone; the web UI reads its "since" filters the same way.
    """
    with opened(config) as (cfg, engine), Session(engine) as s:
        if board is not None:
            queries.board_by_name(s, board)  # an unknown board is an error, not an empty table
        tz = reports.zone_of(s, board, zone(cfg.timezone))
        try:
            start = parse_since(since, tz)
        except ValueError:
            fail(f"--since takes e.g. 7d, 12h, 2w or 2026-11-01, not {since!r}", 2)
        found = reports.changes_since(s, start, board)
        label = zone_label(tz)
        table = Table(title=f"changes since {format_local(start, tz)} {label}: {len(found)}")
        for col in (f"when ({label})", "board", "id", "change", "title", "fields"):
            table.add_column(col, overflow="fold")
        for c in found:
            table.add_row(format_local(c.at, tz), c.board, c.post_id, c.kind, c.title, c.detail)
        console.print(table)


@app.command()
def demo(
    posts: Annotated[int, typer.Option(min=10, help="Posts on the demo board")] = 60,
    config: ConfigOpt = None,
) -> None:
    """Start the bundled demo board, crawl it, edit posts on it, crawl again, show the diffs."""
    with opened(config, need_schema=False) as (cfg, engine):
        upgrade(engine)
        code = run_demo(console, cfg, engine, posts=posts)
    raise typer.Exit(code)


app.command()(cli_files.attachments)
app.command()(cli_files.blob)
app.command()(cli_web.serve)
app.command()(cli_probe.probe)
app.command()(cli_export.export)
app.command()(schedule_cli.schedule)
app.command()(cli_fleet.worker)
app.command()(cli_fleet.fleet)
app.add_typer(cli_boards.app, name="boards")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
