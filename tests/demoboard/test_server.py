"""The HTTP server: routes, status codes, headers, sessions, downloads and counters."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from parsel import Selector

from board_archive.demoboard import Board, DemoServer, Post
from tests.demoboard.conftest import Client


def _pick(
    board: Board, *, secret: bool = False, files: bool = False, comments: bool = False
) -> Post:
    return next(
        p
        for p in reversed(board.posts())
        if p.secret == secret
        and (not files or p.attachments)
        and (not comments or p.comments)
        and not p.notice
    )


def test_urls(server: DemoServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
    assert server.port > 0
    assert server.list_url == f"{server.url}/bbs/board.php?bo_table=press"
    assert server.view_url(5) == f"{server.list_url}&wr_id=5"


def test_list_page(server: DemoServer, board: Board, client: Client) -> None:
    resp = client.get(server.list_url)
    assert resp.status == 200
    assert resp.header("Content-Type") == "text/html; charset=utf-8"
    assert any(c.startswith("PHPSESSID=") for c in resp.cookies())
    doc = Selector(text=resp.text)
    assert "Total 119건" in " ".join(doc.css("#bo_list_total ::text").getall())
    notices = doc.css("tr.bo_notice")
    assert len(notices) == 2
    links = doc.css("td.td_subject a[href*=wr_id]::attr(href)").getall()
    assert len(links) == 15
    ids = [int(re.search(r"wr_id=(\d+)", h).group(1)) for h in links]  # type: ignore[union-attr]
    assert ids[:2] == board.notice_ids()
    assert ids[2:] == [p.wr_id for p in board.list_page(1).rows]
    assert doc.css("nav.pg_wrap a.pg_end::attr(href)").get() == (
        f"{server.url}/bbs/board.php?bo_table=press&page=8"
    )
    assert doc.css("td.td_datetime::text").getall()[2] == board.list_page(1).rows[
        0
    ].posted_at.strftime("%H:%M")
    secret_rows = [p.wr_id for p in board.list_page(1).rows if p.secret]
    assert len(doc.css("td.td_subject .fa-lock")) == len(secret_rows)


def test_page_past_the_end(server: DemoServer, client: Client) -> None:
    resp = client.get(server.page_url(9))
    doc = Selector(text=resp.text)
    assert resp.status == 200
    assert doc.css("td.empty_table::text").get() == "게시물이 없습니다."
    assert not doc.css("td.td_subject a")
    assert doc.css("title::text").get() == "보도자료/업계소식 9 페이지 | 그누보드5"


def test_page_two_links_carry_the_page(server: DemoServer, client: Client) -> None:
    doc = Selector(text=client.get(server.page_url(2)).text)
    links = doc.css("td.td_subject a[href*=wr_id]::attr(href)").getall()
    assert links and all(link.endswith("&page=2") for link in links)
    assert doc.css("td.td_num2::text").get().strip() == "104"  # type: ignore[union-attr]


def test_view_page(server: DemoServer, board: Board, client: Client) -> None:
    post = _pick(board, files=True, comments=True)
    resp = client.get(server.view_url(post.wr_id))
    assert resp.status == 200
    doc = Selector(text=resp.text)
    assert doc.css("#bo_v_title .bo_v_tit::text").get().strip() == post.title  # type: ignore[union-attr]
    assert doc.css("#bo_v_con").get() is not None
    info = " ".join(t.strip() for t in doc.css("#bo_v_info ::text").getall())
    assert post.posted_at.strftime("%y-%m-%d %H:%M") in info
    assert f"{len(post.comments)}건" in info and f"{post.views:,}회" in info
    files = doc.css("#bo_v_file li a.view_file_download")
    assert len(files) == len(post.attachments)
    assert files[0].css("strong::text").get() == post.attachments[0].name
    articles = doc.css("#bo_vc article")
    assert [a.attrib["id"] for a in articles] == [f"c_{c.comment_id}" for c in post.comments]


def test_views_count_once_per_session(
    server: DemoServer, board: Board, session_client: Client
) -> None:
    post = _pick(board)
    url = server.view_url(post.wr_id)
    first = Selector(text=session_client.get(url).text)
    shown = first.css("#bo_v_info strong:contains('회')").get() or ""
    assert f"{post.views:,}회" in shown, "the page shows the count before this view, like GnuBoard"
    session_client.get(url)
    assert board.live(post.wr_id).views == post.views + 1  # type: ignore[union-attr]
    Client().get(url)  # a new session counts again
    assert board.live(post.wr_id).views == post.views + 2  # type: ignore[union-attr]


def test_views_not_counted_when_disabled(board: Board) -> None:
    post = _pick(board)
    with DemoServer(board, count_views=False) as srv:
        Client().get(srv.view_url(post.wr_id))
    assert board.live(post.wr_id).views == post.views  # type: ignore[union-attr]


def test_not_found(server: DemoServer, board: Board, client: Client) -> None:
    deleted = next(p for p in board.posts(include_deleted=True) if p.deleted)
    for wr_id in (deleted.wr_id, 99_999):
        resp = client.get(server.view_url(wr_id))
        assert resp.status == 200
        assert (
            'alert("글이 존재하지 않습니다.\\n\\n글이 삭제되었거나 이동된 경우입니다.");'
            in resp.text
        )
    assert (
        client.get(server.view_url(deleted.wr_id)).body == client.get(server.view_url(99_999)).body
    )


def test_secret_post_redirects_to_password_form(
    server: DemoServer, board: Board, client: Client
) -> None:
    post = _pick(board, secret=True)
    resp = client.get(server.view_url(post.wr_id))
    assert resp.status == 302
    location = resp.header("Location")
    assert location == f"{server.url}/bbs/password.php?w=s&bo_table=press&wr_id={post.wr_id}"
    assert resp.body == b""
    form = client.get(location)
    doc = Selector(text=form.text)
    assert form.status == 200
    assert doc.css("#pw_confirm h1::text").get() == post.title
    assert doc.css('input[name="wr_id"]::attr(value)').get() == str(post.wr_id)
    assert board.live(post.wr_id).views == post.views  # type: ignore[union-attr]


def test_comment_id_redirects_to_its_post(server: DemoServer, board: Board, client: Client) -> None:
    post = _pick(board, comments=True)
    cid = post.comments[0].comment_id
    resp = client.get(server.view_url(cid))
    assert resp.status == 302
    assert resp.header("Location") == f"./board.php?bo_table=press&wr_id={post.wr_id}#c_{cid}"


def test_download_needs_the_session_that_opened_the_post(
    server: DemoServer, board: Board, session_client: Client
) -> None:
    post = _pick(board, files=True)
    file = post.attachments[0]
    url = f"{server.url}/bbs/download.php?bo_table=press&wr_id={post.wr_id}&no={file.no}"
    refused = Client().get(url)
    assert refused.status == 200
    assert 'alert("잘못된 접근입니다.");' in refused.text
    assert f"board.php?bo_table=press\\u0026wr_id={post.wr_id}" in refused.text
    view = Selector(text=session_client.get(server.view_url(post.wr_id)).text)
    href = view.css("#bo_v_file a.view_file_download::attr(href)").get() or ""
    assert "nonce=" in href
    resp = session_client.get(href)
    assert resp.status == 200
    assert resp.body == file.data()
    assert resp.header("content-type") == "file/unknown"
    assert resp.header("content-length") == str(file.nbytes)
    disposition = resp.header("content-disposition") or ""
    m = re.fullmatch(r'attachment; filename="([^"]+)"', disposition)
    assert m and unquote(m.group(1)) == file.name and "%" in m.group(1)
    session_client.get(href)  # counted once per session
    assert board.live(post.wr_id).attachments[0].downloads == file.downloads + 1  # type: ignore[union-attr]
    missing = session_client.get(url.replace(f"no={file.no}", "no=7"))
    assert "파일 정보가 존재하지 않습니다." in missing.text


def test_unknown_board(server: DemoServer, client: Client) -> None:
    for url in (f"{server.url}/bbs/board.php?bo_table=nope", f"{server.url}/bbs/board.php"):
        resp = client.get(url)
        assert resp.status == 200
        assert 'alert("존재하지 않는 게시판입니다.");' in resp.text


def test_robots(board: Board, server: DemoServer, client: Client) -> None:
    assert client.get(f"{server.url}/robots.txt").text == "User-agent: *\nDisallow:\n"
    with DemoServer(board, robots_disallow=["/bbs/download.php"]) as srv:
        text = Client().get(f"{srv.url}/robots.txt").text
    assert text == "User-agent: *\nDisallow: /bbs/download.php\n"


def test_request_counters(server: DemoServer, board: Board, client: Client) -> None:
    server.reset_counts()
    client.get(server.list_url)
    client.get(server.page_url(2))
    client.get(server.view_url(_pick(board).wr_id))
    client.get(server.view_url(_pick(board).wr_id))
    client.get(f"{server.url}/bbs/download.php?bo_table=press&wr_id=1&no=0")
    counts = server.counts
    assert (counts["list"], counts["view"], counts["download"]) == (2, 2, 1)
    targets = server.target_counts
    assert targets[f"/bbs/board.php?bo_table=press&wr_id={_pick(board).wr_id}"] == 2
    assert max(c for t, c in targets.items() if "wr_id" not in t) == 1


def test_head_request(server: DemoServer, client: Client) -> None:
    resp = client.get(server.list_url, method="HEAD")
    assert resp.status == 200 and resp.body == b""
    assert int(resp.header("Content-Length") or 0) > 10_000


def test_unknown_path_is_404(server: DemoServer, client: Client) -> None:
    assert client.get(f"{server.url}/nothing.php").status == 404


@pytest.mark.parametrize("in_header", [True, False])
def test_euc_kr(board: Board, in_header: bool) -> None:
    with DemoServer(board, charset="euc-kr", charset_in_header=in_header) as srv:
        resp = Client().get(srv.list_url)
    expected = "text/html; charset=euc-kr" if in_header else "text/html"
    assert resp.header("Content-Type") == expected
    text = resp.body.decode("cp949")
    assert '<meta charset="euc-kr">' in text
    assert "보도자료/업계소식" in text


def test_legacy_skin(board: Board) -> None:
    post = _pick(board, files=True)
    with DemoServer(board, skin="legacy") as srv:
        client = Client(keep_session=True)
        listing = Selector(text=client.get(srv.list_url).text)
        view = Selector(text=client.get(srv.view_url(post.wr_id)).text)
        href = view.css("#bo_v_file a.view_file_download::attr(href)").get() or ""
        assert href.startswith("./download.php?") and "nonce" not in href
        download = client.get(f"{srv.url}/bbs/{href.removeprefix('./')}")
    assert len(listing.css("tr.bo_notice")) == 2
    assert listing.css("nav.pg_wrap a.pg_end")
    assert view.css("h1#bo_v_title::text").get().strip() == post.title  # type: ignore[union-attr]
    info = " ".join(view.css("#bo_v_info ::text").getall())
    assert "작성자" in info and f"조회{post.views:,}회" in re.sub(r"\s+", "", info)
    assert download.body == post.attachments[0].data()


def test_rss_feed(server: DemoServer, board: Board, client: Client) -> None:
    resp = client.get(f"{server.url}/bbs/rss.php?bo_table=press")
    assert resp.status == 200
    assert resp.header("Content-type") == "text/xml;charset=UTF-8"
    ids = [int(i) for i in re.findall(r"wr_id=(\d+)</link>", resp.text)]
    expected = [p.wr_id for p in reversed(board.posts()) if not p.secret][:15]
    assert ids == expected
    assert server.counts["rss"] == 1


def test_rhymix_answers_secret_403_and_missing_404(board: Board, client: Client) -> None:
    """As Rhymix 2.1 does (../shared/rhymix-samples): a secret document is a 403 with its
    header and a password form, a deleted or missing one a 404 with the not-found text."""
    secret = next(p for p in board.posts() if p.secret)
    gone = next(p for p in board.posts() if not p.secret and not p.notice)
    board.delete_post(gone.wr_id)
    with DemoServer(board, engine="rhymix") as srv:
        base = f"{srv.url}/index.php?mid={board.bo_table}&document_srl="
        hidden = client.get(f"{base}{secret.wr_id}")
        deleted = client.get(f"{base}{gone.wr_id}")
        never = client.get(f"{base}999999")
    assert hidden.status == 403
    page = Selector(text=hidden.text)
    assert page.css(".read_header h1 a::text").get() == secret.title
    assert page.css('.read_body form input[name="password"]')
    assert "비밀글입니다" in hidden.text and secret.body_html not in hidden.text
    for answer in (deleted, never):
        assert answer.status == 404 and "대상을 찾을 수 없습니다." in answer.text
