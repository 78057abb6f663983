"""The read-only dashboard role: it reads every view and nothing else, and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from pipeline.config import get_settings
from pipeline.db import make_engine, readonly_url
from pipeline.store.views import load_views


@pytest.fixture
def reader(clean_db: Engine) -> Iterator[Engine]:
    owner = clean_db.url.render_as_string(hide_password=False)
    engine = make_engine(readonly_url(owner, get_settings()))
    yield engine
    engine.dispose()


def _fails(engine: Engine, sql: str, *, read_write: bool = False) -> str:
    with engine.connect() as conn:
        if read_write:  # the role's sessions start read-only; take that away, privileges remain
            conn.execute(text("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"))
            conn.commit()
        with pytest.raises(DBAPIError) as info:
            conn.execute(text(sql))
        conn.rollback()
    return str(info.value.orig)


def test_reader_is_the_configured_role(reader: Engine) -> None:
    with reader.connect() as conn:
        assert conn.execute(text("SELECT current_user")).scalar() == get_settings().readonly_user
    assert make_url(str(reader.url)).username == "newswire_reader"


def test_reader_can_select_every_view(reader: Engine) -> None:
    with reader.connect() as conn:
        for view in load_views():
            conn.execute(text(f"SELECT * FROM {view.name} LIMIT 1")).all()


@pytest.mark.parametrize(
    "table", ["articles", "events", "feeds", "feed_polls", "stories", "raw_pages", "dedup_docs"]
)
def test_reader_cannot_read_a_table(reader: Engine, table: str) -> None:
    assert "permission denied" in _fails(reader, f"SELECT * FROM {table} LIMIT 1")


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO feeds (name, url, outlet) VALUES ('x', 'http://127.0.0.1:9/', 'x')",
        "UPDATE articles SET title = 'x'",
        "DELETE FROM events",
        "TRUNCATE feeds",
        "CREATE TABLE mine (a int)",
        "CREATE TEMPORARY TABLE mine (a int)",
        "CREATE VIEW mine AS SELECT 1",
        "REFRESH MATERIALIZED VIEW events_timeline",
        "DROP VIEW events_daily",
        "ALTER VIEW events_daily RENAME TO x",
        "SELECT nextval('articles_id_seq')",
    ],
)
def test_reader_cannot_write(reader: Engine, sql: str) -> None:
    # in its default read-only session, and with read-write asked for: refused either way
    assert _fails(reader, sql)
    message = _fails(reader, sql, read_write=True)
    assert "permission denied" in message or "must be owner" in message, message


def test_upgrade_is_idempotent_and_keeps_the_grants(clean_db: Engine, reader: Engine) -> None:
    from pipeline.db import upgrade

    upgrade(clean_db.url.render_as_string(hide_password=False))
    with reader.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events_daily")).scalar() == 0
    assert "permission denied" in _fails(reader, "SELECT * FROM articles")
