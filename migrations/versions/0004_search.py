"""full-text search over each post's current version (Korean: trigram substring matching)

SQLite: the FTS5 virtual table ``post_search(title, body)`` with the trigram tokenizer, ``rowid``
= ``posts.id``. PostgreSQL: the table ``post_search(post_id, title, body)`` with a ``pg_trgm``
GIN index over ``title || ' ' || body``. On both, triggers on ``post_versions`` keep it holding
the newest version of each post (and ``posts`` deletions remove it), so the ingest needs no
change. Neither is in the models' metadata (``migrations/env.py`` leaves them out of
autogenerate). Downgrade drops the table and triggers but leaves the ``pg_trgm`` extension,
which other objects of the database may use.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Index the newest version of post ``pid`` (none if it has no version left).
_SQLITE_REINDEX = """
    DELETE FROM post_search WHERE rowid = {pid};
    INSERT INTO post_search (rowid, title, body)
        SELECT post_id, title, body_text FROM post_versions
        WHERE post_id = {pid} ORDER BY number DESC LIMIT 1;
"""

SQLITE_UP = [
    "CREATE VIRTUAL TABLE post_search USING fts5(title, body, tokenize = 'trigram')",
    # A new version is the newest unless a higher number exists (versions are append-only).
    """CREATE TRIGGER post_search_version_insert AFTER INSERT ON post_versions
    WHEN NOT EXISTS (
        SELECT 1 FROM post_versions v WHERE v.post_id = NEW.post_id AND v.number > NEW.number
    )
    BEGIN
        DELETE FROM post_search WHERE rowid = NEW.post_id;
        INSERT INTO post_search (rowid, title, body)
            VALUES (NEW.post_id, NEW.title, NEW.body_text);
    END""",
    "CREATE TRIGGER post_search_version_update AFTER UPDATE OF title, body_text, number, post_id"
    " ON post_versions BEGIN"
    + _SQLITE_REINDEX.format(pid="OLD.post_id")
    + _SQLITE_REINDEX.format(pid="NEW.post_id")
    + "END",
    "CREATE TRIGGER post_search_version_delete AFTER DELETE ON post_versions BEGIN"
    + _SQLITE_REINDEX.format(pid="OLD.post_id")
    + "END",
    """CREATE TRIGGER post_search_post_delete AFTER DELETE ON posts BEGIN
        DELETE FROM post_search WHERE rowid = OLD.id;
    END""",
    """INSERT INTO post_search (rowid, title, body)
        SELECT v.post_id, v.title, v.body_text FROM post_versions v
        JOIN posts p ON p.id = v.post_id AND p.current_version = v.number""",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS post_search_post_delete",
    "DROP TRIGGER IF EXISTS post_search_version_delete",
    "DROP TRIGGER IF EXISTS post_search_version_update",
    "DROP TRIGGER IF EXISTS post_search_version_insert",
    "DROP TABLE IF EXISTS post_search",
]

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE post_search (
        post_id integer NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        CONSTRAINT pk_post_search PRIMARY KEY (post_id),
        CONSTRAINT fk_post_search_post_id_posts FOREIGN KEY (post_id)
            REFERENCES posts (id) ON DELETE CASCADE
    )""",
    """CREATE FUNCTION post_search_reindex(pid integer) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM post_search WHERE post_id = pid;
        INSERT INTO post_search (post_id, title, body)
            SELECT v.post_id, v.title, v.body_text FROM post_versions v
            JOIN posts p ON p.id = v.post_id
            WHERE v.post_id = pid ORDER BY v.number DESC LIMIT 1;
    END $$""",
    """CREATE FUNCTION post_search_on_version() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NOT EXISTS (
                SELECT 1 FROM post_versions v
                WHERE v.post_id = NEW.post_id AND v.number > NEW.number
            ) THEN
                INSERT INTO post_search (post_id, title, body)
                    VALUES (NEW.post_id, NEW.title, NEW.body_text)
                ON CONFLICT (post_id)
                    DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body;
            END IF;
        ELSE
            PERFORM post_search_reindex(OLD.post_id);
            IF TG_OP = 'UPDATE' AND NEW.post_id <> OLD.post_id THEN
                PERFORM post_search_reindex(NEW.post_id);
            END IF;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER post_search_version_insert AFTER INSERT ON post_versions
        FOR EACH ROW EXECUTE FUNCTION post_search_on_version()""",
    """CREATE TRIGGER post_search_version_change
        AFTER UPDATE OF title, body_text, number, post_id OR DELETE ON post_versions
        FOR EACH ROW EXECUTE FUNCTION post_search_on_version()""",
    """INSERT INTO post_search (post_id, title, body)
        SELECT v.post_id, v.title, v.body_text FROM post_versions v
        JOIN posts p ON p.id = v.post_id AND p.current_version = v.number""",
    """CREATE INDEX ix_post_search_trgm ON post_search
        USING gin ((title || ' ' || body) gin_trgm_ops)""",
]

POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS post_search_version_change ON post_versions",
    "DROP TRIGGER IF EXISTS post_search_version_insert ON post_versions",
    "DROP FUNCTION IF EXISTS post_search_on_version()",
    "DROP FUNCTION IF EXISTS post_search_reindex(integer)",
    "DROP TABLE IF EXISTS post_search",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_UP if postgres else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_DOWN if postgres else SQLITE_DOWN:
        op.execute(statement)
