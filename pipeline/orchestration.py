"""What the Airflow DAGs need besides the stages: where the database is, batching, XCom shapes.

The DAG files in ``dags/`` stay thin: every task body is one call into this module or a stage,
so the logic is testable without Airflow and the same code runs from the CLI. Nothing here runs
at import time — Airflow parses DAG files constantly, and a parse must never open a connection,
read a secret or query a database (Airflow's own best practice, tested in
``tests/airflow/test_dag_integrity.py``).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import URL, Engine, select
from sqlalchemy.engine import make_url

from pipeline.config import Settings, get_settings
from pipeline.db import database_url, make_engine, normalise_url, redact, upgrade
from pipeline.models import Article, ArticleStatus

LOGGER = logging.getLogger(__name__)

CONN_ID = "newswire_db"
"""The Airflow connection holding the article database (``AIRFLOW_CONN_NEWSWIRE_DB``)."""
HTTP_POOL = "newswire_http"
"""The Airflow pool every task doing network I/O runs in, bounding concurrent HTTP."""
INGEST_ASSET_URI = "newswire://articles"
"""The Asset the ingest and backfill DAGs update; downstream DAGs can schedule on it."""
DEFAULT_SCHEDULE = "*/15 * * * *"
SCHEDULE_ENV = "NEWSWIRE_INGEST_SCHEDULE"

XComValue = int | float | str | bool | list[int] | None


def ingest_schedule() -> str:
    """The ingest cron (``NEWSWIRE_INGEST_SCHEDULE``, default every 15 minutes).

    Read from the environment only — cheap enough for parse time, unlike anything that needs
    the database or a connection.
    """
    return os.environ.get(SCHEDULE_ENV, "").strip() or DEFAULT_SCHEDULE


def _connection_url(conn: Any) -> str:
    """A SQLAlchemy URL from an Airflow connection's fields.

    Built from the fields rather than ``conn.get_uri()`` because a socket directory as host (the
    embedded server's) does not survive Airflow's URI round-trip.
    """
    if conn.conn_type not in {"postgres", "postgresql"}:
        raise ValueError(
            f"connection {CONN_ID!r} has type {conn.conn_type!r}; newswire needs a postgres one"
        )
    query: dict[str, str] = {
        str(k): str(v) for k, v in (conn.extra_dejson or {}).items() if isinstance(v, str | int)
    }
    host = conn.host or None
    if host and host.startswith("/"):
        query["host"] = host
        host = None
    url = URL.create(
        "postgresql+psycopg",
        username=conn.login or None,
        password=conn.password or None,
        host=host,
        port=conn.port or None,
        database=conn.schema or None,
        query=query,
    )
    return url.render_as_string(hide_password=False)


def task_database_url() -> str | None:
    """The article database URL from the Airflow connection ``newswire_db``, if it is defined.

    Call only inside a running task: the lookup goes through the worker's secrets backends
    (environment, the metadata database via the API server, Vault, …).
    """
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = Connection.get(CONN_ID)
    except AirflowNotFoundException:
        return None
    return _connection_url(conn)


def resolve_settings(*, use_airflow: bool = True, **overrides: Any) -> Settings:
    """Settings whose ``database_url`` is the connection's, else ``NEWSWIRE_DATABASE_URL``.

    With neither, ``database_url`` stays unset and the embedded server is used.
    """
    settings = get_settings(**overrides)
    url = task_database_url() if use_airflow else None
    if url:
        settings = settings.model_copy(update={"database_url": url})
    return settings


@contextmanager
def task_engine(settings: Settings, *, migrate: bool = False) -> Iterator[Engine]:
    """An engine for one task, disposed afterwards so no connection outlives the task."""
    url = database_url(settings)
    if migrate:
        upgrade(url)
    engine = make_engine(url)
    LOGGER.debug("task database %s", redact(url))
    try:
        yield engine
    finally:
        engine.dispose()


def chunks(ids: Iterable[int], size: int) -> list[list[int]]:
    """Split *ids* (deduplicated, sorted) into batches of at most *size*.

    Tasks are mapped over batches, never over single articles: one task per article would
    swamp the scheduler with thousands of task instances per run.
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    ordered = sorted(set(ids))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def due_article_ids(engine: Engine, *, limit: int | None = None) -> list[int]:
    """Pending articles whose next attempt is due — left over from earlier runs or retries."""
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    stmt = (
        select(Article.id)
        .where(Article.status == ArticleStatus.PENDING)
        .where((Article.next_attempt_at.is_(None)) | (Article.next_attempt_at <= now))
        .order_by(Article.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    with engine.connect() as conn:
        return list(conn.execute(stmt).scalars())


def flatten(groups: Iterable[Sequence[int] | None]) -> list[int]:
    """Concatenate the id lists of mapped tasks (a mapped XCom arrives as a lazy sequence)."""
    out: set[int] = set()
    for group in groups:
        out.update(group or ())
    return sorted(out)


def xcom_summary(summary: Any) -> dict[str, XComValue]:
    """A stage summary reduced to what XCom may carry: counts, flags and lists of ids.

    Anything else (texts, nested records) is dropped so a task can never push a payload.
    """
    if not dataclasses.is_dataclass(summary) or isinstance(summary, type):
        raise TypeError(f"expected a summary dataclass instance, got {type(summary).__name__}")
    out: dict[str, XComValue] = {}
    for key, value in dataclasses.asdict(summary).items():
        if isinstance(value, bool | int | float) or value is None:
            out[key] = value
        elif isinstance(value, list | tuple) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            out[key] = [int(v) for v in value]
        elif isinstance(value, dict) and all(isinstance(v, int) for v in value.values()):
            for sub, count in value.items():
                out[f"{key}.{sub}"] = int(count)
    return out


def redacted(url: str) -> str:
    """*url* normalised, password hidden — what task logs may show."""
    return redact(normalise_url(url))


def database_name(url: str) -> str | None:
    """The database part of *url* (for log lines)."""
    return make_url(normalise_url(url)).database
