"""Alembic environment: runs online against the URL set by :func:`pipeline.db.alembic_config`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool, text

from pipeline.models import Base
from pipeline.views import MIGRATION_LOCK_KEY

config = context.config
target_metadata = Base.metadata

# One migration at a time across processes (Airflow workers and the CLI may start together);
# the dashboard views are recreated under the same lock (pipeline.views.apply_views).


def run_migrations_online() -> None:
    """Apply migrations under a PostgreSQL advisory lock so concurrent starters serialise."""
    url = config.get_main_option("sqlalchemy.url")
    assert url
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        try:
            context.configure(connection=connection, target_metadata=target_metadata)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            connection.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("newswire migrations run online only: use `newswire db upgrade`")
run_migrations_online()
