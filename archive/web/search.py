"""Full-text search over the current version of each post, for Korean: substring matching.

Korean has no spaces between a word and its particles ("공고를", "공고가"), so whole-word
indexes miss most matches; trigram indexes find any substring of three characters or more.
The index (migration 0004) is kept in step with ``post_versions`` by database triggers:

- SQLite: the FTS5 virtual table ``post_search(title, body)`` with the ``trigram`` tokenizer,
  ``rowid`` = ``posts.id``. Terms of three characters or more go through ``MATCH``; shorter ones
  (``공고``) through ``LIKE`` on the same table, which scans it.
- PostgreSQL: the table ``post_search(post_id, title, body, doc, grams)``, ``doc`` being
  ``lower(title || ' ' || body)`` (migration 0006). A term of three characters or more is a
  ``doc LIKE '%term%'`` that its ``pg_trgm`` GIN index answers; a shorter one (most Korean
  words are two syllables) gives no trigram and is matched against ``grams`` (each pair of
  adjacent characters, as a ``tsvector``) through its GIN index: a two-character term is one of
  its lexemes, a one-character term the prefix of one. Both are exact.

A query is split at whitespace; a post matches when it contains every term (case-insensitive).
Results come newest change first: the index on ``posts.last_changed_at`` lets the database walk
posts in that order for a common term instead of sorting all its matches.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    cast,
    column,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from archive.models import Board, Post, PostState

MAX_TERMS = 8
MAX_TERM_LENGTH = 64
COUNT_CAP = 1000  # results counted at most; more show as "1000+"
WALK_CHUNK = 256  # posts checked at first when walking for the newest matches (then doubled)
SNIPPET = 80  # characters of context on each side of the first match

SEARCH_TABLE = "post_search"
_fts = table(SEARCH_TABLE, column("rowid"), column("title"), column("body"))
_pg = table(
    SEARCH_TABLE, column("post_id"), column("title"), column("body"), column("doc"), column("grams")
)


def terms_of(query: str) -> list[str]:
    """The distinct terms of a query, at most ``MAX_TERMS``, each cut to ``MAX_TERM_LENGTH``."""
    seen: dict[str, None] = {}
    for word in query.split():
        seen.setdefault(word[:MAX_TERM_LENGTH].lower(), None)  # as PostgreSQL's lower()
    return list(seen)[:MAX_TERMS]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_ids(dialect: str, terms: Sequence[str]) -> Select[Any]:
    """``posts.id`` of the posts whose current title or body contains every term."""
    if dialect == "postgresql":
        return select(_pg.c.post_id.label("id")).where(*(_pg_match(t) for t in terms))
    long_terms = [t for t in terms if len(t) >= 3]
    query = select(_fts.c.rowid.label("id"))
    if long_terms:
        expr = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        query = query.where(literal_column(SEARCH_TABLE).op("MATCH")(expr))
    for t in terms:
        if len(t) < 3:
            pattern = _like(t)
            query = query.where(
                or_(_fts.c.title.like(pattern, escape="\\"), _fts.c.body.like(pattern, escape="\\"))
            )
    return query


def _pg_match(term: str) -> Any:
    if len(term) >= 3:
        return _pg.c.doc.like(_like(term), escape="\\")
    lexeme = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
    query = lexeme if len(term) == 2 else lexeme + ":*"
    return _pg.c.grams.op("@@")(cast(literal(query), TSQUERY))


def documents(s: Session, dialect: str, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """The indexed (current) title and body of some posts."""
    if not ids:
        return {}
    key = _pg.c.post_id if dialect == "postgresql" else _fts.c.rowid
    src = _pg if dialect == "postgresql" else _fts
    rows = s.execute(select(key, src.c.title, src.c.body).where(key.in_(list(ids))))
    return {int(i): (title or "", body or "") for i, title, body in rows}


Piece = tuple[bool, str]  # (is a match, text)


def highlight(text: str, terms: Sequence[str]) -> list[Piece]:
    """``text`` cut into pieces, the case-insensitive occurrences of any term marked."""
    if not terms or not text:
        return [(False, text)] if text else []
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    pieces: list[Piece] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            pieces.append((False, text[pos : m.start()]))
        pieces.append((True, m.group(0)))
        pos = m.end()
    if pos < len(text):
        pieces.append((False, text[pos:]))
    return pieces


def snippet(body: str, terms: Sequence[str], context: int = SNIPPET) -> list[Piece]:
    """A window of the body around the first match (or its beginning), matches marked."""
    flat = " ".join(body.split())
    lowered = flat.casefold()
    hits = [i for i in (lowered.find(t) for t in terms) if i >= 0]
    first = min(hits) if hits else 0
    start = max(0, first - context)
    end = min(len(flat), (first if hits else 0) + context * 2)
    text = ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")
    return highlight(text, terms)


# A match has a version, so last_changed_at is never NULL: a plain DESC walks its index.
NEWEST_FIRST = (Post.last_changed_at.desc(), Post.id.desc())


def newest_matches(s: Session, matches: Any, board_id: int | None, want: int) -> list[int]:
    """The ids of the ``want`` most recently changed matches: posts newest first, in chunks
    that double, each checked against the search index by id. The planner is not trusted with
    this walk: its guess of a term's frequency is often far off, and then it reads every
    document."""
    found: list[int] = []
    after: tuple[datetime | None, int] | None = None
    size = WALK_CHUNK
    while len(found) < want:
        chunk_query = select(Post.id, Post.last_changed_at).where(Post.last_changed_at.is_not(None))
        if board_id is not None:
            chunk_query = chunk_query.where(Post.board_id == board_id)
        if after is not None:
            chunk_query = chunk_query.where(tuple_(Post.last_changed_at, Post.id) < after)
        chunk = s.execute(chunk_query.order_by(*NEWEST_FIRST).limit(size)).all()
        if not chunk:
            break
        ids = [post_id for post_id, _ in chunk]
        with planner(s, enable_bitmapscan=False, enable_seqscan=False):  # by id, not index
            hit = set(s.scalars(select(matches.c.id).where(matches.c.id.in_(ids))))
        found += [post_id for post_id in ids if post_id in hit]
        after = (chunk[-1][1], chunk[-1][0])
        size = min(size * 2, 8192)
    return found[:want]


@contextmanager
def planner(s: Session, **settings: bool) -> Iterator[None]:
    """PostgreSQL planner settings for the statements inside (``SET LOCAL``, then back)."""
    if s.get_bind().dialect.name != "postgresql":
        yield
        return
    for name, value in settings.items():
        s.execute(text(f"SET LOCAL {name} = {'on' if value else 'off'}"))
    try:
        yield
    finally:
        for name in settings:
            s.execute(text(f"SET LOCAL {name} = DEFAULT"))


@dataclass(frozen=True, slots=True)
class Hit:
    board: str
    source_id: str
    title: list[Piece]
    snippet: list[Piece]
    state: str
    posted_at: datetime | None
    last_changed_at: datetime | None
    versions: int


@dataclass(frozen=True, slots=True)
class Results:
    query: str
    terms: list[str]
    board: str | None
    hits: list[Hit]
    total: int  # capped at COUNT_CAP + 1
    page: int
    pages: int

    @property
    def total_text(self) -> str:
        return f"{COUNT_CAP:,}+" if self.total > COUNT_CAP else f"{self.total:,}"


def search(
    s: Session, query: str, board: str | None = None, page: int = 1, per_page: int = 20
) -> Results:
    """Posts whose current version contains every term, most recently changed first."""
    terms = terms_of(query)
    if not terms:
        return Results(query, [], board, [], 0, 1, 1)
    dialect = s.get_bind().dialect.name
    matches = matching_ids(dialect, terms).subquery()
    on_board = select(Post.id).join(Board, Board.id == Post.board_id).where(Board.name == board)
    first = select(matches.c.id)
    if board is not None:
        first = first.where(matches.c.id.in_(on_board))
    # The matches come from the search indexes, whatever the planner guesses of a term's
    # frequency (its guess can make it read every document instead).
    with planner(s, enable_seqscan=False, enable_indexscan=False):
        ids = s.scalars(first.limit(COUNT_CAP + 1)).all()
    total = len(ids)
    pages = max(1, math.ceil(min(total, COUNT_CAP) / per_page))
    page = min(max(1, page), pages)
    offset = (page - 1) * per_page
    if total <= COUNT_CAP:  # a few: sort them
        wanted = list(ids)
    else:  # many: the newest, walking posts newest first
        board_id = s.scalar(select(Board.id).where(Board.name == board)) if board else None
        wanted = newest_matches(s, matches, board_id, offset + per_page)
    order = select(Post.id).where(Post.id.in_(wanted)).order_by(*NEWEST_FIRST)
    page_ids = list(s.scalars(order.limit(per_page).offset(offset)))
    loaded = {
        post.id: (post, name)
        for post, name in s.execute(
            select(Post, Board.name)
            .join(Board, Board.id == Post.board_id)
            .where(Post.id.in_(page_ids))
        )
    }
    rows = [loaded[i] for i in page_ids]
    docs = documents(s, dialect, [post.id for post, _ in rows])
    hits = []
    for post, board_name in rows:
        title, body = docs.get(post.id, (post.title or "", ""))
        hits.append(
            Hit(
                board=board_name,
                source_id=post.source_id,
                title=highlight(title, terms),
                snippet=snippet(body, terms),
                state=PostState(post.state).value,
                posted_at=post.posted_at,
                last_changed_at=post.last_changed_at,
                versions=post.current_version,
            )
        )
    return Results(query, terms, board, hits, total, page, pages)


def pieces_text(pieces: Sequence[Piece]) -> str:
    return "".join(text for _, text in pieces)
