"""``python -m board_archive.demoboard``: serve a generated demo board (or pre-render it to
static files)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from board_archive.demoboard.clock import SettableClock
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.prerender import prerender
from board_archive.demoboard.render import SKINS
from board_archive.demoboard.server import DemoServer

PROG = "python -m board_archive.demoboard"


def serve(
    posts: Annotated[int, typer.Option(help="Posts to generate")] = 120,
    seed: Annotated[int, typer.Option(help="Generator seed")] = 1,
    host: Annotated[str, typer.Option(help="Address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks one)")] = 8056,
    skin: Annotated[
        str,
        typer.Option(
            help="Page markup: basic (GnuBoard 5.6), legacy (5.4/5.2), or webzine, cards (skins "
            "laid out like third-party ones: no list table, other paging or none)"
        ),
    ] = "basic",
    bo_table: Annotated[str, typer.Option(help="Board table name")] = "press",
    page_rows: Annotated[int, typer.Option(help="Rows per list page")] = 15,
    admin: Annotated[bool, typer.Option(help="Enable the JSON admin API at /_admin/")] = False,
    no_count_views: Annotated[
        bool, typer.Option("--no-count-views", help="Do not count views (for benchmarks)")
    ] = False,
    robots_disallow: Annotated[
        list[str] | None,
        typer.Option(metavar="PATH", help="A path robots.txt disallows (repeatable)"),
    ] = None,
    charset: Annotated[
        str, typer.Option(help="Page encoding: utf-8, or euc-kr (CP949 and a matching meta tag)")
    ] = "utf-8",
    charset_meta_only: Annotated[
        bool, typer.Option(help="Name the charset only in the meta tag, not in the header")
    ] = False,
    categories: Annotated[str, typer.Option(help="Comma-separated categories to use")] = "",
    public_url: Annotated[
        str | None, typer.Option(help="Base URL pages link to (default http://HOST:PORT)")
    ] = None,
    js_list: Annotated[
        bool,
        typer.Option(help="Build the list with JavaScript from /bbs/list.json (render = browser)"),
    ] = False,
    prerender_dir: Annotated[
        str | None,
        typer.Option(
            "--prerender", metavar="DIR", help="Write every page as static files under DIR, exit"
        ),
    ] = None,
) -> None:
    """Serve a local GnuBoard-5-compatible board filled with generated Korean press releases
    (deterministic for a given --seed). Prints the list URL, then serves until interrupted."""
    if skin not in SKINS:
        raise typer.BadParameter(f"{skin!r}: one of {', '.join(SKINS)}", param_hint="--skin")
    if charset not in ("utf-8", "euc-kr"):
        raise typer.BadParameter(f"{charset!r}: utf-8 or euc-kr", param_hint="--charset")
    chosen = tuple(c.strip() for c in categories.split(",") if c.strip())
    board = generate_board(posts, seed, clock=SettableClock(), bo_table=bo_table, categories=chosen)
    if prerender_dir:
        base = public_url or f"http://{host}:{port}"
        result = prerender(board, prerender_dir, base, skin=skin, page_rows=page_rows)
        print(
            f"wrote {result.list_pages} list pages and {result.view_pages} view pages "
            f"to {result.out_dir} (nginx snippet: {result.out_dir}/nginx.conf)"
        )
        return
    server = DemoServer(
        board,
        host,
        port,
        skin=skin,
        page_rows=page_rows,
        count_views=not no_count_views,
        admin=admin,
        robots_disallow=robots_disallow or [],
        charset="euc-kr" if charset == "euc-kr" else "utf-8",
        charset_in_header=not charset_meta_only,
        public_url=public_url,
        js_list=js_list,
    )
    print(server.list_url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m board_archive.demoboard``: the :func:`serve` command's exit code."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    app.command()(serve)
    try:
        app(args=list(argv) if argv is not None else None, prog_name=PROG)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
