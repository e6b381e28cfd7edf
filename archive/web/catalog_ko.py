"""The web UI in Korean: the Korean text of each English message the pages show.

Keys are the English message ids written in the templates (``_('Boards')``) and the terms
:func:`archive.web.i18n.terms` lists; ``%(name)s`` placeholders must be kept as they are.
``tests/web/test_korean.py`` fails when a message has no entry here.
"""

from __future__ import annotations

KO: dict[str, str] = {
    # the frame of every page
    "Boards": "게시판",
    "Runs": "수집 기록",
    "Search all boards": "모든 게시판 검색",
    "Search": "검색",
    "Language": "언어",
    "Read-only view of the archive. Times are %(zone)s. Archived HTML is sanitised; images are "
    "shown only from the archive's own copies.": "아카이브 읽기 전용 화면입니다. 시각은 "
    "%(zone)s 기준입니다. 보관된 HTML은 안전하게 정리되어 표시되며, 이미지는 아카이브에 저장된 "
    "사본만 보여 줍니다.",
    "pages": "페이지",
    "‹ Newer": "‹ 최신",
    "page %(page)s of %(pages)s": "%(pages)s쪽 중 %(page)s쪽",
    "Older ›": "이전 ›",
    "unchanged text left out": "바뀌지 않은 부분 생략",
    "notice": "공지",
    "Notice": "공지",
    # the boards overview
    "Nothing archived yet: run %(command)s.": "아직 보관된 것이 없습니다. %(command)s 를 "
    "실행하세요.",
    "Board": "게시판",
    "Posts": "게시물",
    "Versions": "버전",
    "Deleted": "삭제",
    "Last run (%(zone)s)": "마지막 수집 (%(zone)s)",
    "New / edited / deleted per night": "밤별 새 글 / 수정 / 삭제",
    "%(n)s secret": "비밀글 %(n)s",
    "never": "없음",
    "%(n)s new": "새 글 %(n)s",
    "%(n)s edited": "수정 %(n)s",
    "%(n)s deleted": "삭제 %(n)s",
    "%(n)s nights to %(day)s": "%(day)s까지 %(n)s일",
    "new, edited and deleted posts per night": "밤별 새 글, 수정된 글, 삭제된 글",
    "%(day)s: %(new)s new, %(edited)s edited, %(deleted)s deleted": "%(day)s: 새 글 %(new)s, "
    "수정 %(edited)s, 삭제 %(deleted)s",
    # a board's posts
    "title and body": "제목·본문",
    "New since": "새 글 (이후)",
    "Edited since": "수정 (이후)",
    "Deleted since": "삭제 (이후)",
    "2026-11-01 or 7d": "2026-11-01 또는 7d",
    "attachments": "첨부파일",
    "Filter": "적용",
    "reset": "초기화",
    "%(num)s post": "게시물 %(num)s건",
    "%(num)s posts": "게시물 %(num)s건",
    "ID": "번호",
    "Title": "제목",
    "Posted": "작성일",
    "Last change": "마지막 변경",
    "First seen": "처음 수집",
    "latest change": "최근 변경",
    "(no title)": "(제목 없음)",
    "No post matches.": "조건에 맞는 게시물이 없습니다.",
    # a post
    "You are looking at version %(n)s of %(of)s (fetched %(at)s).": "전체 %(of)s개 버전 중 "
    "%(n)s번째 버전입니다 (%(at)s 수집).",
    "Current version": "현재 버전",
    "Author": "작성자",
    "Category": "분류",
    "Views / comments": "조회 / 댓글",
    "on %(at)s": "%(at)s 기준",
    "First / last seen": "처음 / 마지막 수집",
    "On the board": "원문",
    "A secret post: the board shows no content without its password, so none is archived.": (
        "비밀글입니다. 게시판이 비밀번호 없이는 내용을 보여 주지 않으므로 내용은 보관되지 "
        "않았습니다."
    ),
    "No content archived.": "보관된 내용이 없습니다.",
    "Attachments": "첨부파일",
    "Names and sizes as the board listed them: this version was archived before files were, "
    "so its files are not in the archive.": "게시판에 표시된 파일 이름과 크기입니다. 이 버전은 "
    "파일 보관 기능 이전에 보관되어 파일 자체는 아카이브에 없습니다.",
    "None.": "없음.",
    "Body images": "본문 이미지",
    "Comments": "댓글",
    "(no name)": "(이름 없음)",
    "gone by %(at)s": "%(at)s까지 삭제됨",
    "%(n)s versions": "%(n)s개 버전",
    "seen %(at)s": "%(at)s 수집",
    "None archived; the board showed %(n)s.": "보관된 댓글이 없습니다. 게시판에는 %(n)s개로 "
    "표시되었습니다.",
    "None archived.": "보관된 댓글이 없습니다.",
    "Timeline": "변경 이력",
    "first archived": "처음 보관",
    "between %(start)s and %(end)s": "%(start)s ~ %(end)s 사이",
    "found %(at)s": "%(at)s 발견",
    "Compare any two versions": "두 버전 비교",
    "Show diff": "비교 보기",
    "%(n)s bytes": "%(n)s바이트",
    "not in this server's blob store": "이 서버의 파일 저장소에 없음",
    "not downloaded yet": "아직 내려받지 않음",
    # a diff
    "Diff": "비교",
    "diff": "비교",
    "fetched %(at)s": "%(at)s 수집",
    "edited between %(start)s and %(end)s": "%(start)s ~ %(end)s 사이 수정",
    "from": "이전",
    "to": "이후",
    "Compare": "비교",
    "Side by side": "나란히",
    "Inline": "한 줄로",
    "Same version on both sides: pick two versions to compare.": "양쪽이 같은 버전입니다. 비교할 "
    "두 버전을 고르세요.",
    "No differences in content.": "내용에 차이가 없습니다.",
    "Changed:": "바뀐 항목:",
    "Field": "항목",
    "(none)": "(없음)",
    "added": "추가",
    "removed": "삭제",
    "replaced": "교체",
    "Only the body's HTML markup changed; its text is the same.": "본문의 HTML 마크업만 바뀌었고 "
    "글 내용은 같습니다.",
    # runs
    "Runs of %(board)s": "%(board)s 수집 기록",
    "all boards": "모든 게시판",
    "Show": "보기",
    "Run": "번호",
    "Started (%(zone)s)": "시작 (%(zone)s)",
    "Took": "소요",
    "Mode": "방식",
    "Worker": "실행한 곳",
    "Status / health": "상태 / 점검",
    "Requests": "요청",
    "New": "새 글",
    "Edited": "수정",
    "Errors": "오류",
    "Notes": "메모",
    "No runs yet.": "아직 수집 기록이 없습니다.",
    # search
    "Terms": "검색어",
    "e.g. 채용 공고": "예: 채용 공고",
    "Titles and bodies of each post's current version; every term must appear (any part of a "
    "word, so 공고 finds 공고를 and 채용공고).": "각 게시물 현재 버전의 제목과 본문에서 찾습니다. "
    "모든 검색어가 들어 있어야 하며, 단어의 일부도 찾습니다 (공고로 공고를, 채용공고도 찾음).",
    "%(num)s result for": "검색 결과 %(num)s건:",
    "%(num)s results for": "검색 결과 %(num)s건:",
    "posted %(at)s": "%(at)s 작성",
    "%(n)s versions, last change %(at)s": "버전 %(n)s개, 마지막 변경 %(at)s",
    "Nothing found.": "찾은 게시물이 없습니다.",
    # errors
    "Not in the archive": "아카이브에 없음",
    "Server error": "서버 오류",
    "Bad request": "잘못된 요청",
    "All boards": "모든 게시판",
    # the API reference
    "Read-only JSON API over the archive: boards, posts, versions, diffs, runs.": "아카이브를 "
    "읽는 JSON API: 게시판, 게시물, 버전, 비교, 수집 기록.",
    "The OpenAPI document: %(link)s. Times are UTC (ISO 8601). Read-only: every endpoint is a "
    "GET.": "OpenAPI 문서: %(link)s. 시각은 UTC(ISO 8601)입니다. 읽기 전용이며 모든 엔드포인트는 "
    "GET입니다.",
    "Each endpoint's and field's description below is the OpenAPI document's own text, in "
    "English.": "아래 엔드포인트와 필드 설명은 OpenAPI 문서의 원문(영어)입니다.",
    "Returns %(type)s.": "%(type)s 을 돌려줍니다.",
    "Parameter": "매개변수",
    "In": "위치",
    "Type": "형식",
    "Description": "설명",
    "required": "필수",
    "Schemas": "스키마",
    # terms: post states, run status, mode and health, events, file states, fields
    "active": "게시 중",
    "deleted": "삭제됨",
    "secret": "비밀글",
    "running": "진행 중",
    "succeeded": "완료",
    "failed": "실패",
    "interrupted": "중단됨",
    "skipped": "건너뜀",
    "full": "전체",
    "incremental": "증분",
    "ok": "정상",
    "suspect": "의심",
    "restored": "복원됨",
    "pinned": "공지로 고정",
    "unpinned": "공지 해제",
    "secret_on": "비밀글로 전환",
    "secret_off": "비밀글 해제",
    "pending": "대기",
    "stored": "저장됨",
    "refused": "거부됨",
    "title": "제목",
    "author": "작성자",
    "category": "분류",
    "posted": "작성일",
    "body": "본문",
    "HTML": "HTML",
    "first": "처음 보관",
    "edit": "수정",
    "edited": "수정됨",
}
