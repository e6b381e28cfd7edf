# ruff: noqa: E501
"""The legacy skin's view page: the 2017-era (GnuBoard 5.2) basic skin.

Rebuilt after /work/shared/gnuboard5-samples/v5.2-seed/press_view_seed.html: plain-text info
line (작성자 … 작성일 … 조회2,306회 댓글0건), relative ``./board.php`` and ``./download.php``
links without a nonce, the attachment list after the body, share links, and the 5.2 comment
list (``#bo_vc`` with ``article#c_N``; the seed page had no comments, so that part follows the
5.2 skin's ``view_comment.skin.php``). Lines are LF like the seed. Slots are written ⟦name⟧.
"""

VIEW = r"""
<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>⟦subject⟧ &gt; ⟦bo_subject⟧</title>
</head>
<body>
<button type="button" id="gnb_open" class="hd_opener">메뉴토글</button>
<div id="bo_v_table">⟦bo_subject⟧</div>
<div class="sub_tit">NOTICE</div>

<article id="bo_v" style="width:100%">
    <header>
        <h1 id="bo_v_title">
            ⟦category⟧⟦subject⟧        </h1>
    </header>

    <section id="bo_v_info">
        <h2>페이지 정보</h2>
        작성자 <strong>⟦name⟧</strong>
        <span class="sound_only">작성일</span><strong>⟦datetime⟧</strong>
        조회<strong>⟦hit⟧회</strong>
        댓글<strong>⟦comment_count⟧건</strong>
    </section>

    <div id="bo_v_top">
⟦nb⟧        <ul class="bo_v_com">
            <li><a href="./board.php?bo_table=⟦bo_table⟧&amp;page=⟦page⟧" class="btn_b01">목록</a></li>
        </ul>
    </div>

    <section id="bo_v_atc">
        <h2 id="bo_v_atc_title">본문</h2>

        <div id="bo_v_img">
</div>

        <div id="bo_v_con">⟦content⟧</div>
    </section>
⟦files⟧
    <div id="bo_v_share">
        <ul id="bo_v_sns">
            <li><a href="https://www.facebook.com/sharer/sharer.php?u=⟦share_url⟧" target="_blank" class="sns_f"><img src="../img/sns/facebook.png" alt="페이스북으로 보내기"></a></li>
            <li><a href="https://twitter.com/share?url=⟦share_url⟧" target="_blank" class="sns_t"><img src="../img/sns/twitter.png" alt="트위터로 보내기"></a></li>
            <li><a href="https://plus.google.com/share?url=⟦share_url⟧" target="_blank" class="sns_g"><img src="../img/sns/gplus.png" alt="구글플러스로 보내기"></a></li>
        </ul>
    </div>

<!-- 댓글 시작 { -->
<section id="bo_vc">
    <h2>댓글목록</h2>
⟦comments⟧⟦comments_empty⟧</section>
<!-- } 댓글 끝 -->
</article>
</body>
</html>
"""

NB = r"""
        <ul class="bo_v_nb">
⟦prev⟧⟦next⟧        </ul>
"""

NB_PREV = r"""
            <li><a href="./board.php?bo_table=⟦bo_table⟧&amp;wr_id=⟦wr_id⟧" class="btn_b01">이전글</a></li>
"""

NB_NEXT = r"""
            <li><a href="./board.php?bo_table=⟦bo_table⟧&amp;wr_id=⟦wr_id⟧" class="btn_b01">다음글</a></li>
"""

FILES_HEAD = r"""

    <section id="bo_v_file">
        <h2>첨부파일</h2>
        <ul>
"""

FILE_ITEM = r"""
            <li>
                <a href="./download.php?bo_table=⟦bo_table⟧&amp;wr_id=⟦wr_id⟧&amp;no=⟦no⟧" class="view_file_download">
                    <img src="../skin/board/basic/img/icon_file.gif" alt="첨부">
                    <strong>⟦name⟧</strong>
                    ⟦description⟧ (⟦size⟧)
                </a>
                <span class="bo_v_file_cnt">⟦count⟧회 다운로드</span>
                <span>DATE : ⟦date⟧</span>
            </li>
"""

FILES_TAIL = r"""
        </ul>
    </section>
"""

COMMENT = r"""
    <article id="c_⟦cid⟧" >
        <header style="z-index:⟦zindex⟧">
            <h1>⟦author⟧님의 댓글</h1>
            <span class="member">⟦author⟧</span>
            <span class="bo_vc_hdinfo"><span class="sound_only">작성일</span><time datetime="⟦iso⟧">⟦datetime⟧</time></span>
        </header>

        <!-- 댓글 출력 -->
        <p>
            ⟦secret_icon⟧⟦text⟧
        </p>

        <span id="edit_⟦cid⟧"></span><!-- 수정 -->
        <span id="reply_⟦cid⟧"></span><!-- 답변 -->

        <input type="hidden" value="⟦secret⟧" id="secret_comment_⟦cid⟧">
        <textarea id="save_comment_⟦cid⟧" style="display:none">⟦raw⟧</textarea>
    </article>
"""

COMMENTS_EMPTY = r"""
    <p id="bo_vc_empty">등록된 댓글이 없습니다.</p>
"""
