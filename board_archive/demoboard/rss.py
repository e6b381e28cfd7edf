"""``bbs/rss.php?bo_table=x``: the board's RSS 2.0 feed as GnuBoard 5 writes it.

The 15 newest posts in list order, secret posts left out (notices in their normal place); the
channel title and item links come out double-escaped (``&amp;gt;``, ``&amp;amp;wr_id``) because
GnuBoard escapes text that is already HTML. Bodies are CDATA, dates ISO 8601 in +09:00.
"""

from __future__ import annotations

from board_archive.demoboard.content import Board
from board_archive.demoboard.text import seoul

FEED_ROWS = 15


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_rss(
    board: Board, base_url: str, *, site: str = "그누보드5", group: str = "커뮤니티"
) -> str:
    """The feed text (UTF-8 XML)."""
    with board.lock:
        ids = board.live_ids()
        posts = []
        for wr_id in reversed(ids):
            post = board.live(wr_id)
            if post is not None and not post.secret:
                posts.append(post)
                if len(posts) == FEED_ROWS:
                    break
    link = f"{base_url}/bbs/board.php?bo_table={board.bo_table}"
    title = _xml(f"{site} &gt; {group} &gt; {board.subject}")
    now = seoul(board.now()).strftime("%Y-%m-%d %H:%M:%S")
    out = [
        '<?xml version="1.0" encoding="utf-8" ?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "<channel>\n"
        f"<title>{title}</title>\n"
        f"<link>{link}</link>\n"
        "<language>ko</language>\n"
        f"<description>{_xml(board.subject)} ({now})</description>\n"
    ]
    for post in posts:
        body = post.body_html.replace("]]>", "]]&gt;")
        out.append(
            "\n<item>\n"
            f"<title>{_xml(post.title)}</title>\n"
            f"<link>{_xml(link)}&amp;amp;wr_id={post.wr_id}</link>\n"
            f"<description><![CDATA[{body}]]></description>\n"
            f"<dc:creator>{_xml(post.author)}</dc:creator>\n"
            f"<dc:date>{seoul(post.posted_at).strftime('%Y-%m-%dT%H:%M:%S+09:00')}</dc:date>\n"
            "</item>\n\n"
        )
    out.append("</channel>\n</rss>\n")
    return "".join(out)
