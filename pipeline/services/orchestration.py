"""The DAG adapter: where the database is inside a task, batching, XCom shapes — and one task
function per DAG task, each resolving settings and an engine and making one call to one use case
of :mod:`pipeline.services.ingest` (the same calls the CLI and ``run_once`` make).

The DAG files in ``dags/`` stay thin: every task body is one call into this module, so the logic
is testable without Airflow. Nothing here runs
at import time — Airflow parses DAG files constantly, and a parse must never open a connection,
read a secret or query a database (Airflow's own best practice, tested in
``tests/airflow/test_dag_integrity.py``).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import URL, Engine

from pipeline.config import Settings, get_settings
from pipeline.db import database_url, make_engine, redact, upgrade
from pipeline.store import locks

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
    """An engine for one task, disposed afterwards so no connection outlives the task.

    With *migrate*, migrations (and the dashboard views they recreate) are applied first under
    a PostgreSQL advisory lock: the first tasks of several DAGs start at the same moment, and
    two concurrent upgrades would fight over the same DDL.
    """
    url = database_url(settings)
    engine = make_engine(url)
    LOGGER.debug("task database %s", redact(url))
    try:
        if migrate:
            # autocommit: the lock holder must not sit in an open transaction while DDL runs
            with (
                engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn,
                locks.session_lock(conn, locks.SCHEMA, locks.UPGRADE),
            ):
                upgrade(url)
        yield engine
    finally:
        engine.dispose()


def chunks(ids: Iterable[int], size: int) -> list[list[int]]:
    """Split *ids* (deduplicated, sorted) into batches of at most *size* (see
    :func:`pipeline.services.ingest.chunks`, re-exported here for the DAG tests)."""
    from pipeline.services.ingest import chunks as split

    return split(ids, size)


def flatten(groups: Iterable[Sequence[int] | None]) -> list[int]:
    """Concatenate the id lists of mapped tasks (a mapped XCom arrives as a lazy sequence)."""
    out: set[int] = set()
    for group in groups:
        out.update(group or ())
    return sorted(out)


def as_list(values: Sequence[Any] | None) -> list[Any]:
    """The results of a mapped task as a plain list, fetched in one round trip.

    Airflow hands mapped results over as a lazy sequence; iterating it fetches item by item
    until a miss (logged as an error), while a slice is one request.
    """
    return list(values[:]) if values else []


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


# --- task bodies of newswire_ingest -------------------------------------------------------------
# Each opens its own engine (tasks run in separate processes, possibly on other machines) and
# returns only counts and ids.


def sync_feed_list() -> list[str]:
    """Migrate, sync the feeds file into the feeds table, return the enabled feeds' names.

    The names are what the poll task is mapped over: one task instance per feed. This is the
    run's one read of the YAML; the poll tasks read the feeds from the table.
    """
    from pipeline.services import ingest

    settings = resolve_settings()
    with task_engine(settings, migrate=True) as engine:
        synced = ingest.sync_feeds(engine, settings)
    return synced.enabled


def poll_one(name: str) -> dict[str, XComValue]:
    """Poll one feed by name; the result's ``new_article_ids`` feed the fetch batches."""
    from pipeline.services import ingest

    settings = resolve_settings()
    with task_engine(settings) as engine:
        summary = ingest.poll(engine, settings, [name])
    if not summary.results:  # the feed was disabled after the feeds task listed it
        return {"new_article_ids": []}
    return xcom_summary(summary.results[0])


def plan_fetch(polls: Iterable[Mapping[str, Any] | None]) -> list[list[int]]:
    """Batches to fetch: this run's new articles plus pending ones whose retry is due."""
    from pipeline.services import ingest

    settings = resolve_settings()
    new_ids = flatten(p.get("new_article_ids") if p else None for p in polls)
    with task_engine(settings) as engine:
        return ingest.plan_fetch(engine, settings, new_ids)


def fetch_batch(article_ids: Sequence[int]) -> dict[str, XComValue]:
    """Fetch (and store the raw pages of) one batch; extraction happens in the fetch stage."""
    from pipeline.services import ingest

    settings = resolve_settings()
    with task_engine(settings) as engine:
        return xcom_summary(ingest.fetch(engine, settings, list(article_ids)))


def extract_batch(article_ids: Sequence[int]) -> dict[str, XComValue]:
    """Extract whatever of the batch is fetched but not extracted yet (a no-op normally).

    It catches pages whose extraction failed or was interrupted in the fetch task, from the
    stored raw HTML, without touching the network.
    """
    from pipeline.services import ingest

    settings = resolve_settings()
    with task_engine(settings) as engine:
        return xcom_summary(ingest.extract(engine, settings, list(article_ids)))


def extracted_ids(*results: Iterable[Mapping[str, Any] | None]) -> list[int]:
    """The ids the fetch and extract tasks report as extracted."""
    return flatten(r.get("extracted_ids") if r else None for group in results for r in group)


def dedup_ids(article_ids: Sequence[int]) -> dict[str, Any]:
    """Deduplicate the extracted articles in one task, then plan the event-coding batches.

    One task, not one per batch: assigning stories is order-dependent, and two concurrent
    tasks could each open a story for the same syndicated copy.
    """
    from pipeline.services import ingest

    settings = resolve_settings()
    ids = sorted(set(article_ids))
    summary: dict[str, XComValue] = {"articles": 0}
    if ids:
        with task_engine(settings) as engine:
            summary = xcom_summary(ingest.dedup(engine, settings, ids))
    return {"summary": summary, "batches": chunks(ids, settings.fetch_batch_size)}


def code_batch(article_ids: Sequence[int]) -> dict[str, XComValue]:
    """Code the CAMEO events of one batch of articles."""
    from pipeline.services import ingest

    settings = resolve_settings()
    with task_engine(settings) as engine:
        return xcom_summary(ingest.code_events(engine, settings, list(article_ids)))


def totals(**groups: Iterable[Mapping[str, Any] | None]) -> dict[str, int]:
    """Sum the integer counts of each stage's mapped results, keyed ``stage.count``.

    What the run's Asset event carries, so a consumer sees what changed without a query.
    """
    out: dict[str, int] = {}
    for stage, group in groups.items():
        for result in group:
            for key, value in (result or {}).items():
                if isinstance(value, int) and not isinstance(value, bool):
                    name = f"{stage}.{key}"
                    out[name] = out.get(name, 0) + value
    return out


# --- task bodies of newswire_backfill -----------------------------------------------------------


def _interval(start: Any, end: Any) -> tuple[datetime, datetime]:
    """The data interval as aware datetimes (Airflow hands pendulum datetimes or ISO strings)."""
    out = []
    for value in (start, end):
        if value is None:
            raise ValueError("this task needs a data interval (schedule the DAG, or backfill it)")
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
        out.append(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))
    return out[0], out[1]


def backfill_discover(start: Any, end: Any) -> dict[str, Any]:
    """Find the interval's articles (sitemaps + stored feed entries); plan fetch batches."""
    from pipeline.services import ingest

    begin, finish = _interval(start, end)
    settings = resolve_settings()
    with task_engine(settings, migrate=True) as engine:
        summary = ingest.discover(engine, settings, begin, finish)
    counts = xcom_summary(summary)
    to_fetch = counts.pop("to_fetch", [])
    return {
        "summary": counts,
        "batches": chunks(
            to_fetch if isinstance(to_fetch, list) else [], settings.fetch_batch_size
        ),
    }


def interval_ids(start: Any, end: Any) -> list[int]:
    """Stored articles published in the data interval."""
    from pipeline.stages.feeds.backfill import interval_article_ids

    begin, finish = _interval(start, end)
    settings = resolve_settings()
    with task_engine(settings) as engine:
        return interval_article_ids(engine, begin, finish)


def reextract_interval(start: Any, end: Any) -> dict[str, XComValue]:
    """Re-extract the interval's stored raw pages where the extractor version changed."""
    ids = interval_ids(start, end)
    if not ids:
        return {"articles": 0}
    return extract_batch(ids)


# --- task bodies of newswire_maintenance --------------------------------------------------------


def prune(as_of: Any) -> dict[str, XComValue]:
    """Drop raw HTML older than the retention, counted from the data interval's end."""
    from pipeline.services import ingest

    when = _interval(as_of, as_of)[0]
    settings = resolve_settings()
    with task_engine(settings, migrate=True) as engine:
        return xcom_summary(ingest.prune_raw_html(engine, settings, when))


def refresh_views() -> list[str]:
    """Refresh the materialised dashboard views, if any (their names go to XCom)."""
    from pipeline.services import ingest

    settings = resolve_settings()
    with task_engine(settings) as engine:
        return ingest.refresh_views(engine)


def record_feed_health(as_of: Any) -> dict[str, Any]:
    """Feed health over the day before *as_of*: counts, plus the names needing attention."""
    from pipeline.services import ingest

    when = _interval(as_of, as_of)[0]
    settings = resolve_settings()
    with task_engine(settings) as engine:
        health = ingest.check_feed_health(engine, when)
    counts: dict[str, Any] = xcom_summary(health)
    counts["attention"] = [f"{h.name}:{h.status}" for h in health.attention]
    return counts
