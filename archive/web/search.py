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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, cast, column, literal, literal_column, or_, select, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from archive.models import Board, Post, PostState

MAX_TERMS = 8
MAX_TERM_LENGTH = 64
COUNT_CAP = 1000  # results counted at most; more show as "1000+"
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
    base = select(Post, Board.name).join(Board, Board.id == Post.board_id)
    if board is not None:
        base = base.where(Board.name == board)
    found = base.join(matches, matches.c.id == Post.id)
    ids = s.scalars(found.with_only_columns(Post.id).limit(COUNT_CAP + 1)).all()
    total = len(ids)
    pages = max(1, math.ceil(min(total, COUNT_CAP) / per_page))
    page = min(max(1, page), pages)
    # A few matches: sort those (walking posts by recency would read them all when a term the
    # planner thinks common matches little). Many: walk posts newest first (the index on
    # last_changed_at) until a page is full. A match has a version, so last_changed_at is never
    # NULL and a plain DESC walks that index.
    ordered = base.where(Post.id.in_(ids)) if total <= COUNT_CAP else found
    rows = s.execute(
        ordered.order_by(Post.last_changed_at.desc(), Post.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
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
