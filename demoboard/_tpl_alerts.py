# ruff: noqa: E501, W293
"""GnuBoard alert pages (5.6 and 5.4) and the secret post's password page.

Generated from the pages in /work/shared/gnuboard5-samples. Slots are written ⟦name⟧; a ¶
before a line break marks a CRLF line (the skin files are CRLF, the theme head is LF)."""

ALERT = r"""
<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta http-equiv="imagetoolbar" content="no">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>오류안내 페이지 | 그누보드5</title>
<link rel="stylesheet" href="⟦g5_url⟧/theme/basic/css/default.css?ver=2303229">
<link rel="stylesheet" href="⟦g5_url⟧/js/font-awesome/css/font-awesome.min.css?ver=2303229">
<!--[if lte IE 8]>
<script src="⟦g5_url⟧/js/html5.js"></script>
<![endif]-->
<script>
// 자바스크립트에서 사용하는 전역변수 선언
var g5_url       = "⟦g5_url⟧";
var g5_bbs_url   = "⟦g5_url⟧/bbs";
var g5_is_member = "";
var g5_is_admin  = "";
var g5_is_mobile = "";
var g5_bo_table  = "";
var g5_sca       = "";
var g5_editor    = "";
var g5_cookie_domain = "";
</script>
<script src="⟦g5_url⟧/js/jquery-1.12.4.min.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/jquery-migrate-1.4.1.min.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/jquery.menu.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/common.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/wrest.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/placeholders.min.js?ver=2605291"></script>
</head>
<body>

<script>
alert("⟦js_msg⟧");
document.location.replace("⟦js_url⟧");
</script>

<noscript>
<div id="validation_check">
    <h1>다음 항목에 오류가 있습니다.</h1>
    <p class="cbg">
        ⟦html_msg⟧    </p>
        <div class="btn_confirm">
        <a href="⟦url⟧">돌아가기</a>
    </div>
    
</div>
</noscript>




</body>
</html>
"""

ALERT_LEGACY = r"""
<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta http-equiv="imagetoolbar" content="no">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>오류안내 페이지 | 그누보드5</title>
<link rel="stylesheet" href="⟦g5_url⟧/theme/basic/css/default.css?ver=191202">
<link rel="stylesheet" href="⟦g5_url⟧/js/font-awesome/css/font-awesome.min.css?ver=191202">
<!--[if lte IE 8]>
<script src="⟦g5_url⟧/js/html5.js"></script>
<![endif]-->
<script>
// 자바스크립트에서 사용하는 전역변수 선언
var g5_url       = "⟦g5_url⟧";
var g5_bbs_url   = "⟦g5_url⟧/bbs";
var g5_is_member = "";
var g5_is_admin  = "";
var g5_is_mobile = "";
var g5_bo_table  = "";
var g5_sca       = "";
var g5_editor    = "";
var g5_cookie_domain = "";
</script>
<script src="⟦g5_url⟧/js/jquery-1.12.4.min.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/jquery-migrate-1.4.1.min.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/jquery.menu.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/common.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/wrest.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/placeholders.min.js?ver=191202"></script>
</head>
<body>
¶
<script>¶
alert("⟦js_msg⟧");¶
document.location.replace("⟦js_url⟧");¶
</script>¶
¶
<noscript>¶
<div id="validation_check">¶
    <h1>다음 항목에 오류가 있습니다.</h1>¶
    <p class="cbg">¶
        ⟦html_msg⟧    </p>¶
        <div class="btn_confirm">¶
        <a href="⟦url⟧">돌아가기</a>¶
    </div>¶
    ¶
</div>¶
</noscript>¶
¶


<!-- ie6,7에서 사이드뷰가 게시판 목록에서 아래 사이드뷰에 가려지는 현상 수정 -->
<!--[if lte IE 7]>
<script>
$(function() {
    var $sv_use = $(".sv_use");
    var count = $sv_use.length;

    $sv_use.each(function() {
        $(this).css("z-index", count);
        $(this).css("position", "relative");
        count = count - 1;
    });
});
</script>
<![endif]-->


</body>
</html>
"""

PASSWORD = r"""
<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta http-equiv="imagetoolbar" content="no">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>비밀번호 입력 | 그누보드5</title>
<link rel="stylesheet" href="⟦g5_url⟧/theme/basic/css/default.css?ver=2303229">
<link rel="stylesheet" href="⟦g5_url⟧/js/font-awesome/css/font-awesome.min.css?ver=2303229">
<link rel="stylesheet" href="⟦g5_url⟧/skin/member/basic/style.css?ver=2303229">
<!--[if lte IE 8]>
<script src="⟦g5_url⟧/js/html5.js"></script>
<![endif]-->
<script>
// 자바스크립트에서 사용하는 전역변수 선언
var g5_url       = "⟦g5_url⟧";
var g5_bbs_url   = "⟦g5_url⟧/bbs";
var g5_is_member = "";
var g5_is_admin  = "";
var g5_is_mobile = "";
var g5_bo_table  = "⟦bo_table⟧";
var g5_sca       = "";
var g5_editor    = "";
var g5_cookie_domain = "";
</script>
<script src="⟦g5_url⟧/js/jquery-1.12.4.min.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/jquery-migrate-1.4.1.min.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/jquery.menu.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/common.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/wrest.js?ver=2605291"></script>
<script src="⟦g5_url⟧/js/placeholders.min.js?ver=2605291"></script>
</head>
<body>

<!-- 비밀번호 확인 시작 { -->
<div id="pw_confirm" class="mbskin">
    <h1>⟦subject⟧</h1>
    <p>
                <strong>비밀글 기능으로 보호된 글입니다.</strong>
        작성자와 관리자만 열람하실 수 있습니다.<br> 본인이라면 비밀번호를 입력하세요.
            </p>

    <form name="fboardpassword" action="⟦g5_url⟧/bbs/password_check.php" method="post">
    <input type="hidden" name="w" value="s">
    <input type="hidden" name="bo_table" value="⟦bo_table⟧">
    <input type="hidden" name="wr_id" value="⟦wr_id⟧">
    <input type="hidden" name="comment_id" value="0">
    <input type="hidden" name="sfl" value="">
    <input type="hidden" name="stx" value="">
    <input type="hidden" name="page" value="">

    <fieldset>
        <label for="pw_wr_password" class="sound_only">비밀번호<strong>필수</strong></label>
        <input type="password" name="wr_password" id="password_wr_password" required class="frm_input required" size="15" maxLength="20" placeholder="비밀번호">
        <input type="submit" value="확인" class="btn_submit">
    </fieldset>
    </form>

</div>
<!-- } 비밀번호 확인 끝 -->


</body>
</html>
"""
