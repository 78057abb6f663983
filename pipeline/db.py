"""Database connection: the configured server, or an embedded PostgreSQL started on demand.

The embedded server (pgserver) keeps its data under ``NEWSWIRE_DATA_DIR/pgdata`` so a newcomer
needs nothing installed; pgserver reference-counts its users, so the CLI, Airflow task processes
and tests can share one data directory at once.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from pipeline.config import PACKAGE_DIR, Settings

LOGGER = logging.getLogger(__name__)

MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
_EMBEDDED: dict[Path, Any] = {}


class DatabaseUnavailableError(RuntimeError):
    """The article database cannot be reached; the message says which and why, without secrets."""


# SQLSTATE classes that mean "the server or the connection went away", not "this row is bad"
_CONNECTION_STATES = ("08", "57P", "53")


def is_connection_loss(exc: BaseException) -> bool:
    """Whether *exc* is a lost or refused database connection (rather than a data error).

    Per-feed and per-article isolation records data errors and goes on; a lost connection is
    the whole run's problem and ends it with the same clean message as at start-up.
    """
    import psycopg

    if isinstance(exc, DatabaseUnavailableError):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        exc = exc.orig if exc.orig is not None else exc
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        state = getattr(exc, "sqlstate", None)
        return state is None or state.startswith(_CONNECTION_STATES)
    return False


def describe_connection_loss(exc: BaseException, url: str | None = None) -> str:
    """One line saying the database went away, without a traceback or a password."""
    if isinstance(exc, DatabaseUnavailableError):
        return str(exc)
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    reason = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    where = f" at {redact(url)}" if url else ""
    return f"lost the connection to the database{where}: {reason}"


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs (Airflow connections use them)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redact(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database URL>"


def embedded_url(data_dir: Path) -> str:
    """Start (or join) the embedded PostgreSQL under *data_dir* and return its URL."""
    import pgserver  # imported lazily: it is only needed when no server is configured

    pgdata = (data_dir / "pgdata").resolve()
    if pgdata not in _EMBEDDED:
        pgdata.mkdir(parents=True, exist_ok=True)
        LOGGER.info("starting embedded PostgreSQL in %s", pgdata)
        _EMBEDDED[pgdata] = pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
    server = _EMBEDDED[pgdata]
    server.psql("SELECT 1;")  # fails loudly here rather than at the first query
    return normalise_url(str(server.get_uri()))


def database_url(settings: Settings) -> str:
    """The configured database URL, or the embedded server's."""
    if settings.database_url:
        return normalise_url(settings.database_url)
    return embedded_url(settings.data_dir)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for *url* that fails fast with :class:`DatabaseUnavailableError`."""
    url = normalise_url(url)
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("postgresql+psycopg"):
        options["connect_args"] = {"connect_timeout": 10, "application_name": "newswire"}
    options.update(kwargs)
    engine = create_engine(url, **options)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailableError(
            f"cannot reach the database at {redact(url)}: {reason}"
        ) from None
    return engine


def get_engine(settings: Settings, **kwargs: Any) -> Engine:
    """The engine for the configured (or embedded) database."""
    return make_engine(database_url(settings), **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep attribute values after commit, for returning summaries."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with session_factory(engine)() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str) -> Any:
    """An Alembic config pointing at the packaged migrations, with no alembic.ini needed."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads", settings: Settings | None = None) -> None:
    """Apply migrations up to *revision* (all heads by default), then the dashboard views, and
    create the read-only dashboard role (``NEWSWIRE_READONLY_USER``) with SELECT on the views.

    Safe to call on every run: Alembic skips applied revisions and unchanged views are kept.
    """
    from alembic import command

    from pipeline.config import get_settings
    from pipeline.store.views import apply_views, ensure_readonly_role

    settings = settings or get_settings()
    command.upgrade(alembic_config(url), revision)
    engine = create_engine(normalise_url(url), poolclass=NullPool)
    try:
        reader = settings.readonly_user
        has_role = ensure_readonly_role(engine, reader, settings.readonly_password)
        apply_views(engine, readonly_user=reader if has_role else None)
    finally:
        engine.dispose()


def readonly_url(url: str, settings: Settings) -> str:
    """*url* with the read-only role's name and password in place of the owner's."""
    return (
        make_url(normalise_url(url))
        .set(username=settings.readonly_user, password=settings.readonly_password)
        .render_as_string(hide_password=False)
    )


def current_revisions(engine: Engine) -> set[str]:
    """The migration revisions the database is at (empty when never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


@contextmanager
def scratch_database(
    admin_url: str, prefix: str = "newswire_scratch", *, fast: bool = False
) -> Iterator[str]:
    """A new, migrated database on *admin_url*'s server, dropped on exit whatever happens.

    Tests, benchmarks and `newswire dedup --jsonl` use it so they never touch the user's data.
    *fast* turns off synchronous commits: a throw-away database needs no durability.
    """
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        normalise_url(admin_url), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        if fast:
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = (
        make_url(normalise_url(admin_url)).set(database=name).render_as_string(hide_password=False)
    )
    try:
        upgrade(url)
        LOGGER.info("scratch database %s created", name)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        LOGGER.info("scratch database %s dropped", name)
