"""``python -m board_archive.demoboard``: serve a generated demo board (or pre-render it to
static files)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from board_archive.demoboard.clock import SettableClock
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.prerender import prerender
from board_archive.demoboard.render import SKINS
from board_archive.demoboard.server import DemoServer


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m board_archive.demoboard",
        description=(
            "Serve a local GnuBoard-5-compatible board filled with generated Korean press "
            "releases (deterministic for a given --seed). Prints the list URL, then serves "
            "until interrupted."
        ),
    )
    p.add_argument("--posts", type=int, default=120, help="posts to generate (default 120)")
    p.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8056, help="port (default 8056; 0 picks one)")
    p.add_argument(
        "--skin",
        choices=SKINS,
        default="basic",
        help=(
            "page markup: basic (GnuBoard 5.6), legacy (5.4/5.2), or webzine, cards (skins laid "
            "out like third-party ones: no list table, other paging or none; default basic)"
        ),
    )
    p.add_argument("--bo-table", default="press", help="board table name (default press)")
    p.add_argument("--page-rows", type=int, default=15, help="rows per list page (default 15)")
    p.add_argument("--admin", action="store_true", help="enable the JSON admin API at /_admin/")
    p.add_argument(
        "--no-count-views", action="store_true", help="do not count views (for benchmarks)"
    )
    p.add_argument(
        "--robots-disallow",
        action="append",
        default=[],
        metavar="PATH",
        help="a path robots.txt disallows (repeatable; default: allow all)",
    )
    p.add_argument(
        "--charset",
        choices=("utf-8", "euc-kr"),
        default="utf-8",
        help="page encoding (euc-kr: CP949 bytes and a matching meta tag)",
    )
    p.add_argument(
        "--charset-meta-only",
        action="store_true",
        help="name the charset only in the meta tag, not in the Content-Type header",
    )
    p.add_argument(
        "--categories", default="", help="comma-separated categories to use (default none)"
    )
    p.add_argument("--public-url", help="base URL pages link to (default http://HOST:PORT)")
    p.add_argument(
        "--js-list",
        action="store_true",
        help="build the list with JavaScript from /bbs/list.json (crawl with render = browser)",
    )
    p.add_argument(
        "--prerender",
        metavar="DIR",
        help="write every page as static files under DIR (see prerender) and exit",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    categories = tuple(c.strip() for c in args.categories.split(",") if c.strip())
    board = generate_board(
        args.posts, args.seed, clock=SettableClock(), bo_table=args.bo_table, categories=categories
    )
    if args.prerender:
        base = args.public_url or f"http://{args.host}:{args.port}"
        result = prerender(board, args.prerender, base, skin=args.skin, page_rows=args.page_rows)
        print(
            f"wrote {result.list_pages} list pages and {result.view_pages} view pages "
            f"to {result.out_dir} (nginx snippet: {result.out_dir}/nginx.conf)"
        )
        return 0
    server = DemoServer(
        board,
        args.host,
        args.port,
        skin=args.skin,
        page_rows=args.page_rows,
        count_views=not args.no_count_views,
        admin=args.admin,
        robots_disallow=args.robots_disallow,
        charset=args.charset,
        charset_in_header=not args.charset_meta_only,
        public_url=args.public_url,
        js_list=args.js_list,
    )
    print(server.list_url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
