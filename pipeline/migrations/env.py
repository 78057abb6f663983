"""Alembic environment: runs online against the URL set by :func:`pipeline.db.alembic_config`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from pipeline.models import Base
from pipeline.store import locks

config = context.config
target_metadata = Base.metadata

# One migration at a time across processes (Airflow workers and the CLI may start together);
# the dashboard views are recreated under the same lock (pipeline.store.views.apply_views).


def run_migrations_online() -> None:
    """Apply migrations under a PostgreSQL advisory lock so concurrent starters serialise."""
    url = config.get_main_option("sqlalchemy.url")
    assert url
    engine = create_engine(url, poolclass=pool.NullPool)
    # The lock belongs to the session; session_lock ends the transaction the SELECT opened, so
    # the migrations get (and commit) a transaction of their own *before* the lock is released:
    # unlocking first let a second process migrate while the first had not yet committed, and it
    # failed on the first process's half-created tables. A failed migration is rolled back so
    # the unlock can run.
    with (
        engine.connect() as connection,
        locks.session_lock(connection, locks.SCHEMA, locks.MIGRATE),
    ):
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        if connection.in_transaction():
            connection.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("newswire migrations run online only: use `newswire db upgrade`")
run_migrations_online()
