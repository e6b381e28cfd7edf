# ruff: noqa: E101, E501, W291, W293
"""GnuBoard 5.4 basic theme (the legacy skin's list page): head, list, tail.

Generated from the pages in /work/shared/gnuboard5-samples. Slots are written ⟦name⟧; a ¶
before a line break marks a CRLF line (the skin files are CRLF, the theme head is LF)."""

HEAD = r"""
<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta http-equiv="imagetoolbar" content="no">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>⟦title⟧ | 그누보드5</title>
<link rel="stylesheet" href="⟦g5_url⟧/theme/basic/css/default.css?ver=191202">
<link rel="stylesheet" href="⟦g5_url⟧/js/font-awesome/css/font-awesome.min.css?ver=191202">
<link rel="stylesheet" href="⟦g5_url⟧/theme/basic/skin/connect/basic/style.css?ver=191202">
<link rel="stylesheet" href="⟦g5_url⟧/theme/basic/skin/popular/basic/style.css?ver=191202">
<link rel="stylesheet" href="⟦g5_url⟧/skin/board/basic/style.css?ver=191202">
<link rel="stylesheet" href="⟦g5_url⟧/theme/basic/skin/outlogin/basic/style.css?ver=191202">
<link rel="stylesheet" href="⟦g5_url⟧/theme/basic/skin/latest/notice/style.css?ver=191202">
<link rel="stylesheet" href="⟦g5_url⟧/theme/basic/skin/visit/basic/style.css?ver=191202">
<link rel="stylesheet" href="⟦g5_url⟧/js/owlcarousel/owl.carousel.min.css?ver=191202">
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
<script src="⟦g5_url⟧/js/jquery-1.12.4.min.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/jquery-migrate-1.4.1.min.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/jquery.menu.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/common.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/wrest.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/placeholders.min.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/owlcarousel/owl.carousel.min.js?ver=191202"></script>
<script src="⟦g5_url⟧/js/jquery.bxslider.js?ver=191202"></script>
</head>
<body>

<!-- 상단 시작 { -->
<div id="hd">
    <h1 id="hd_h1">⟦title⟧</h1>
    <div id="skip_to_container"><a href="#container">본문 바로가기</a></div>

        <div id="tnb">
    	<div class="inner">
			<ul id="hd_qnb">
	            <li><a href="⟦g5_url⟧/bbs/faq.php">FAQ</a></li>
	            <li><a href="⟦g5_url⟧/bbs/qalist.php">Q&A</a></li>
	            <li><a href="⟦g5_url⟧/bbs/new.php">새글</a></li>
	            <li><a href="⟦g5_url⟧/bbs/current_connect.php" class="visit">접속자<strong class="visit-num">
⟦visit⟧</strong></a></li>
	        </ul>
		</div>
    </div>
    <div id="hd_wrapper">

        <div id="logo">
            <a href="⟦g5_url⟧"><img src="⟦g5_url⟧/img/logo.png" alt="그누보드5"></a>
        </div>
    
        <div class="hd_sch_wr">
            <fieldset id="hd_sch">
                <legend>사이트 내 전체검색</legend>
                <form name="fsearchbox" method="get" action="⟦g5_url⟧/bbs/search.php" onsubmit="return fsearchbox_submit(this);">
                <input type="hidden" name="sfl" value="wr_subject||wr_content">
                <input type="hidden" name="sop" value="and">
                <label for="sch_stx" class="sound_only">검색어 필수</label>
                <input type="text" name="stx" id="sch_stx" maxlength="20" placeholder="검색어를 입력해주세요">
                <button type="submit" id="sch_submit" value="검색"><i class="fa fa-search" aria-hidden="true"></i><span class="sound_only">검색</span></button>
                </form>

                <script>
                function fsearchbox_submit(f)
                {
                    if (f.stx.value.length < 2) {
                        alert("검색어는 두글자 이상 입력하십시오.");
                        f.stx.select();
                        f.stx.focus();
                        return false;
                    }

                    // 검색에 많은 부하가 걸리는 경우 이 주석을 제거하세요.
                    var cnt = 0;
                    for (var i=0; i<f.stx.value.length; i++) {
                        if (f.stx.value.charAt(i) == ' ')
                            cnt++;
                    }

                    if (cnt > 1) {
                        alert("빠른 검색을 위하여 검색어에 공백은 한개만 입력할 수 있습니다.");
                        f.stx.select();
                        f.stx.focus();
                        return false;
                    }

                    return true;
                }
                </script>

            </fieldset>
                
            
<!-- 인기검색어 시작 { -->
<section id="popular">
    <h2>인기검색어</h2>
    <div class="popular_inner">
	    <ul>
	    	    </ul>
        <span class="popular_btns">
            <a href="#" class="pp-next"><i class="fa fa-angle-right" aria-hidden="true"></i></a>
            <a href="#" class="pp-prev"><i class="fa fa-angle-left" aria-hidden="true"></i></a>
        </span>
    </div>
</section>

<!-- } 인기검색어 끝 -->        </div>
        <ul class="hd_login">        
                        <li><a href="⟦g5_url⟧/bbs/register.php">회원가입</a></li>
            <li><a href="⟦g5_url⟧/bbs/login.php">로그인</a></li>
            
        </ul>
    </div>
    
    <nav id="gnb">
        <h2>메인메뉴</h2>
        <div class="gnb_wrap">
            <ul id="gnb_1dul">
                <li class="gnb_1dli gnb_mnal"><button type="button" class="gnb_menu_btn" title="전체메뉴"><i class="fa fa-bars" aria-hidden="true"></i><span class="sound_only">전체메뉴열기</span></button></li>
                                    <li class="gnb_empty">메뉴 준비 중입니다.</li>
                            </ul>
            <div id="gnb_all">
                <h2>전체메뉴</h2>
                <ul class="gnb_al_ul">
                                            <li class="gnb_empty">메뉴 준비 중입니다.</li>
                                    </ul>
                <button type="button" class="gnb_close_btn"><i class="fa fa-times" aria-hidden="true"></i></button>
            </div>
            <div id="gnb_all_bg"></div>
        </div>
    </nav>
    <script>
    
    $(function(){
        $(".gnb_menu_btn").click(function(){
            $("#gnb_all, #gnb_all_bg").show();
        });
        $(".gnb_close_btn, #gnb_all_bg").click(function(){
            $("#gnb_all, #gnb_all_bg").hide();
        });
    });

    </script>
</div>
<!-- } 상단 끝 -->


<hr>

<!-- 콘텐츠 시작 { -->
<div id="wrapper">
    <div id="container_wr">
   
    <div id="container">
"""

LIST_TOP = r"""
        <h2 id="container_title"><span title="⟦title_attr⟧">⟦bo_subject⟧</span></h2>¶
<!-- 게시판 목록 시작 { -->¶
<div id="bo_list" style="width:100%">¶
¶
    <!-- 게시판 카테고리 시작 { -->¶
    ⟦category_nav⟧    <!-- } 게시판 카테고리 끝 -->¶
    ¶
    <form name="fboardlist" id="fboardlist" action="⟦g5_url⟧/bbs/board_list_update.php" onsubmit="return fboardlist_submit(this);" method="post">¶
    ¶
    <input type="hidden" name="bo_table" value="⟦bo_table⟧">¶
    <input type="hidden" name="sfl" value="">¶
    <input type="hidden" name="stx" value="">¶
    <input type="hidden" name="spt" value="">¶
    <input type="hidden" name="sca" value="">¶
    <input type="hidden" name="sst" value="wr_num, wr_reply">¶
    <input type="hidden" name="sod" value="">¶
    <input type="hidden" name="page" value="⟦page⟧">¶
    <input type="hidden" name="sw" value="">¶
¶
    <!-- 게시판 페이지 정보 및 버튼 시작 { -->¶
    <div id="bo_btn_top">¶
        <div id="bo_list_total">¶
            <span>Total ⟦total⟧건</span>¶
            ⟦page⟧ 페이지¶
        </div>¶
¶
        <ul class="btn_bo_user">¶
        	            <li><a href="⟦g5_url⟧/bbs/rss.php?bo_table=⟦bo_table⟧" class="btn_b01 btn" title="RSS"><i class="fa fa-rss" aria-hidden="true"></i><span class="sound_only">RSS</span></a></li>            <li>¶
            	<button type="button" class="btn_bo_sch btn_b01 btn" title="게시판 검색"><i class="fa fa-search" aria-hidden="true"></i><span class="sound_only">게시판 검색</span></button>¶
            </li>¶
            <li><a href="⟦g5_url⟧/bbs/write.php?bo_table=⟦bo_table⟧" class="btn_b01 btn" title="글쓰기"><i class="fa fa-pencil" aria-hidden="true"></i><span class="sound_only">글쓰기</span></a></li>        	        </ul>¶
    </div>¶
    <!-- } 게시판 페이지 정보 및 버튼 끝 -->¶
        	¶
    <div class="tbl_head01 tbl_wrap">¶
        <table>¶
        <caption>⟦bo_subject⟧ 목록</caption>¶
        <thead>¶
        <tr>¶
                        <th scope="col">번호</th>¶
            <th scope="col">제목</th>¶
            <th scope="col">글쓴이</th>¶
            <th scope="col"><a href="⟦sort_hit⟧">조회 </a></th>¶
                                    <th scope="col"><a href="⟦sort_date⟧">날짜  </a></th>¶
        </tr>¶
        </thead>¶
        <tbody>¶
"""

ROW = r"""
                <tr class="⟦tr_class⟧">¶
                        <td class="td_num2">¶
            ⟦num⟧            </td>¶
¶
            <td class="td_subject" style="padding-left:0px">¶
                ⟦category⟧                <div class="bo_tit">¶
                    <a href="⟦href⟧">¶
                        ⟦reply⟧                        ⟦secret⟧                        ⟦subject⟧                    </a>¶
                    ⟦icons⟧                    ⟦comments⟧                </div>¶
            </td>¶
            <td class="td_name sv_use">⟦name⟧</td>¶
            <td class="td_num">⟦hit⟧</td>¶
                                    <td class="td_datetime">⟦date⟧</td>¶
¶
        </tr>¶
"""

LIST_BOTTOM = r"""
                ⟦empty_row⟧        </tbody>¶
        </table>¶
    </div>¶
	<!-- 페이지 -->¶
	⟦paging⟧	<!-- 페이지 -->¶
	¶
        <div class="bo_fx">¶
                <ul class="btn_bo_user">¶
        	            <li><a href="⟦g5_url⟧/bbs/rss.php?bo_table=⟦bo_table⟧" class="btn_b01 btn" title="RSS"><i class="fa fa-rss" aria-hidden="true"></i><span class="sound_only">RSS</span></a></li>            <li><a href="⟦g5_url⟧/bbs/write.php?bo_table=⟦bo_table⟧" class="btn_b01 btn" title="글쓰기"><i class="fa fa-pencil" aria-hidden="true"></i><span class="sound_only">글쓰기</span></a></li>        </ul>	¶
            </div>¶
       ¶
    </form>¶
¶
    <!-- 게시판 검색 시작 { -->¶
    <div class="bo_sch_wrap">¶
        <fieldset class="bo_sch">¶
            <h3>검색</h3>¶
            <form name="fsearch" method="get">¶
            <input type="hidden" name="bo_table" value="⟦bo_table⟧">¶
            <input type="hidden" name="sca" value="">¶
            <input type="hidden" name="sop" value="and">¶
            <label for="sfl" class="sound_only">검색대상</label>¶
            <select name="sfl" id="sfl">¶
                <option value="wr_subject" >제목</option><option value="wr_content" >내용</option><option value="wr_subject||wr_content" >제목+내용</option><option value="wr_name,1" >글쓴이</option><option value="wr_name,0" >글쓴이(코)</option>            </select>¶
            <label for="stx" class="sound_only">검색어<strong class="sound_only"> 필수</strong></label>¶
            <div class="sch_bar">¶
                <input type="text" name="stx" value="" required id="stx" class="sch_input" size="25" maxlength="20" placeholder=" 검색어를 입력해주세요">¶
                <button type="submit" value="검색" class="sch_btn"><i class="fa fa-search" aria-hidden="true"></i><span class="sound_only">검색</span></button>¶
            </div>¶
            <button type="button" class="bo_sch_cls" title="닫기"><i class="fa fa-times" aria-hidden="true"></i><span class="sound_only">닫기</span></button>¶
            </form>¶
        </fieldset>¶
        <div class="bo_sch_bg"></div>¶
    </div>¶
    <script>¶
    jQuery(function($){¶
        // 게시판 검색¶
        $(".btn_bo_sch").on("click", function() {¶
            $(".bo_sch_wrap").toggle();¶
        })¶
        $('.bo_sch_bg, .bo_sch_cls').click(function(){¶
            $('.bo_sch_wrap').hide();¶
        });¶
    });¶
    </script>¶
    <!-- } 게시판 검색 끝 --> ¶
</div>¶
¶
¶
<!-- } 게시판 목록 끝 -->¶

    </div>
"""

TAIL = r"""
    <div id="aside">
        
<!-- 로그인 전 아웃로그인 시작 { -->
<section id="ol_before" class="ol">
	<div id="ol_be_cate">
    	<h2><span class="sound_only">회원</span>로그인</h2>
    	<a href="⟦g5_url⟧/bbs/register.php" class="join">회원가입</a>
    </div>
    <form name="foutlogin" action="⟦g5_url⟧/bbs/login_check.php" onsubmit="return fhead_submit(this);" method="post" autocomplete="off">
    <fieldset>
        <div class="ol_wr">
            <input type="hidden" name="url" value="⟦ol_url⟧">
            <label for="ol_id" id="ol_idlabel" class="sound_only">회원아이디<strong>필수</strong></label>
            <input type="text" id="ol_id" name="mb_id" required maxlength="20" placeholder="아이디">
            <label for="ol_pw" id="ol_pwlabel" class="sound_only">비밀번호<strong>필수</strong></label>
            <input type="password" name="mb_password" id="ol_pw" required maxlength="20" placeholder="비밀번호">
            <input type="submit" id="ol_submit" value="로그인" class="btn_b02">
        </div>
        <div class="ol_auto_wr"> 
            <div id="ol_auto" class="chk_box">
                <input type="checkbox" name="auto_login" value="1" id="auto_login" class="selec_chk">
                <label for="auto_login" id="auto_login_label"><span></span>자동로그인</label>
            </div>
            <div id="ol_svc">
                <a href="⟦g5_url⟧/bbs/password_lost.php" id="ol_password_lost">정보찾기</a>
            </div>
        </div>
        
    </fieldset>
    </form>
</section>

<script>
jQuery(function($) {

    var $omi = $('#ol_id'),
        $omp = $('#ol_pw'),
        $omi_label = $('#ol_idlabel'),
        $omp_label = $('#ol_pwlabel');

    $omi_label.addClass('ol_idlabel');
    $omp_label.addClass('ol_pwlabel');

    $("#auto_login").click(function(){
        if ($(this).is(":checked")) {
            if(!confirm("자동로그인을 사용하시면 다음부터 회원아이디와 비밀번호를 입력하실 필요가 없습니다.\n\n공공장소에서는 개인정보가 유출될 수 있으니 사용을 자제하여 주십시오.\n\n자동로그인을 사용하시겠습니까?"))
                return false;
        }
    });
});

function fhead_submit(f)
{
    if( $( document.body ).triggerHandler( 'outlogin1', [f, 'foutlogin'] ) !== false ){
        return true;
    }
    return false;
}
</script>
<!-- } 로그인 전 아웃로그인 끝 -->
            </div>
</div>

</div>
<!-- } 콘텐츠 끝 -->

<hr>

<!-- 하단 시작 { -->
<div id="ft">

    <div id="ft_wr">
        <div id="ft_link" class="ft_cnt">
            <a href="⟦g5_url⟧/bbs/content.php?co_id=company">회사소개</a>
            <a href="⟦g5_url⟧/bbs/content.php?co_id=privacy">개인정보처리방침</a>
            <a href="⟦g5_url⟧/bbs/content.php?co_id=provision">서비스이용약관</a>
            <a href="⟦g5_url⟧/bbs/board.php?⟦mobile_qs⟧device=mobile">모바일버전</a>
        </div>
        <div id="ft_company" class="ft_cnt">
        	<h2>사이트 정보</h2>
	        <p class="ft_info">
	        	회사명 : 회사명 / 대표 : 대표자명<br>
				주소  : OO도 OO시 OO구 OO동 123-45<br>
				사업자 등록번호  : 123-45-67890<br>
				전화 :  02-123-4567  팩스  : 02-123-4568<br>
				통신판매업신고번호 :  제 OO구 - 123호<br>
				개인정보관리책임자 :  정보책임자명<br>
			</p>
	    </div>
        
<div class="notice ft_cnt">
    <h2><a href="⟦g5_url⟧/bbs/board.php?bo_table=notice">공지사항</a></h2>
    <ul>
            <li>
            <span class="new_icon">N<span class="sound_only">새글</span></span><a href="⟦g5_url⟧/bbs/board.php?bo_table=notice&amp;wr_id=14">[공지] 홈페이지 리뉴얼…</a>        </li>
            <li>
            <span class="new_icon">N<span class="sound_only">새글</span></span><a href="⟦g5_url⟧/bbs/board.php?bo_table=notice&amp;wr_id=13">[공지] 보안 업데이트 …</a>        </li>
            <li>
            <span class="new_icon">N<span class="sound_only">새글</span></span><a href="⟦g5_url⟧/bbs/board.php?bo_table=notice&amp;wr_id=12"><strong>[공지] 홈페이지 리뉴얼…</strong></a>        </li>
            <li>
            <span class="lock_icon"><i class="fa fa-lock" aria-hidden="true"></i></span> <span class="new_icon">N<span class="sound_only">새글</span></span><a href="⟦g5_url⟧/bbs/board.php?bo_table=notice&amp;wr_id=11">[공지] 시스템 정기 점…</a>        </li>
            </ul>
</div>
        
		
<!-- 접속자집계 시작 { -->
<section id="visit" class="ft_cnt">
    <h2>접속자집계</h2>
    <dl>
        <dt><span></span> 오늘</dt>
        <dd><strong>1</strong></dd>
        <dt><span></span> 어제</dt>
        <dd><strong>0</strong></dd>
        <dt><span></span> 최대</dt>
        <dd><strong>1</strong></dd>
        <dt><span></span> 전체</dt>
        <dd><strong>1</strong></dd>
    </dl>
    </section>
<!-- } 접속자집계 끝 -->	</div>      
        <!-- <div id="ft_catch"><img src="⟦g5_url⟧/img/ft_logo.png" alt="그누보드5"></div> -->
        <div id="ft_copy">Copyright &copy; <b>소유하신 도메인.</b> All rights reserved.</div>
    
    
    <button type="button" id="top_btn">
    	<i class="fa fa-arrow-up" aria-hidden="true"></i><span class="sound_only">상단으로</span>
    </button>
    <script>
    $(function() {
        $("#top_btn").on("click", function() {
            $("html, body").animate({scrollTop:0}, '500');
            return false;
        });
    });
    </script>
</div>


<!-- } 하단 끝 -->

<script>
$(function() {
    // 폰트 리사이즈 쿠키있으면 실행
    font_resize("container", get_cookie("ck_font_resize_rmv_class"), get_cookie("ck_font_resize_add_class"));
});
</script>



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

<!-- 사용스킨 : basic -->
"""
