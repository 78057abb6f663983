"""The database layer: migrations, the unreachable-server message, the embedded server."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect

from pipeline.db import DatabaseUnavailableError, current_revisions, make_engine, redact, upgrade


def test_migrations_create_core_tables(engine: Engine) -> None:
    names = set(inspect(engine).get_table_names())
    assert {"feeds", "feed_polls", "feed_entries", "articles", "raw_pages"} <= names
    assert current_revisions(engine)


def test_upgrade_is_idempotent(database_url: str, engine: Engine) -> None:
    before = current_revisions(engine)
    upgrade(database_url)
    assert current_revisions(engine) == before


def test_unreachable_database_gives_clear_error() -> None:
    with pytest.raises(DatabaseUnavailableError) as info:
        make_engine("postgresql://newswire:secret@127.0.0.1:1/nowhere")
    message = str(info.value)
    assert "cannot reach the database" in message
    assert "secret" not in message
    assert "127.0.0.1:1" in message


def test_redact_hides_password() -> None:
    assert "hunter2" not in redact("postgresql://u:hunter2@h/db")


def test_dashboard_views_exist_and_query(engine: Engine) -> None:
    from sqlalchemy import text

    from pipeline.store.views import load_views

    names = {v.name for v in load_views()}
    assert {"stg_articles", "articles_daily", "feed_health", "fetch_failures"} <= names
    assert {"stg_events", "events_gdelt", "events_daily", "stories_overview"} <= names
    with engine.connect() as conn:
        for name in names:
            conn.execute(text(f"SELECT * FROM {name} LIMIT 1")).all()


def test_example_queries_run(engine: Engine) -> None:
    from sqlalchemy import text

    from pipeline.store.views import sql_dir

    queries = sorted((sql_dir() / "queries").glob("*.sql"))
    assert queries
    with engine.connect() as conn:
        for path in queries:
            conn.execute(text(path.read_text())).all()


def test_migrations_have_a_single_head() -> None:
    from alembic.script import ScriptDirectory

    from pipeline.db import alembic_config

    script = ScriptDirectory.from_config(alembic_config("postgresql://unused/unused"))
    assert len(script.get_heads()) == 1
