"""Orchestration helpers: batching, XCom shapes, the article database from an Airflow connection."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from sqlalchemy.engine import make_url

from devtools.local_airflow import connection_json
from pipeline.services.orchestration import _connection_url, chunks, flatten, totals, xcom_summary


def test_chunks_sorts_dedupes_and_bounds() -> None:
    assert chunks([5, 3, 3, 1, 9, 7], 2) == [[1, 3], [5, 7], [9]]
    assert chunks([], 10) == []
    with pytest.raises(ValueError, match="at least 1"):
        chunks([1], 0)


@dataclass(frozen=True)
class _Summary:
    articles: int = 3
    ratio: float = 0.5
    ids: list[int] = field(default_factory=lambda: [4, 2])
    reasons: dict[str, int] = field(default_factory=lambda: {"http_4xx": 1})
    detail: str | None = "long text that must not reach XCom"
    rows: list[dict[str, str]] = field(default_factory=lambda: [{"text": "payload"}])


def test_xcom_summary_keeps_counts_and_ids_only() -> None:
    out = xcom_summary(_Summary())
    assert out == {"articles": 3, "ratio": 0.5, "ids": [4, 2], "reasons.http_4xx": 1}
    json.dumps(out)
    with pytest.raises(TypeError, match="summary dataclass"):
        xcom_summary({"articles": 1})


def test_flatten_and_totals_over_mapped_results() -> None:
    assert flatten([[3, 1], None, [1, 2]]) == [1, 2, 3]
    assert totals(fetch=[{"fetched": 2, "ids": [1]}, None, {"fetched": 3, "ok": True}]) == {
        "fetch.fetched": 5
    }


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://news:s3cr%40t@db.internal:5433/newswire?sslmode=require",
        "postgresql+psycopg://postgres@/postgres?host=/var/run/pgdata",
    ],
    ids=["tcp", "socket"],
)
def test_connection_round_trip(url: str) -> None:
    """A URL → AIRFLOW_CONN_ JSON → Airflow Connection → the same SQLAlchemy URL."""
    from airflow.sdk import Connection

    conn = Connection.from_json(connection_json(url), conn_id="newswire_db")
    back = make_url(_connection_url(conn))
    want = make_url(url)
    assert back.drivername == "postgresql+psycopg"
    assert (back.username, back.password, back.host, back.port, back.database) == (
        want.username,
        want.password,
        want.host,
        want.port,
        want.database,
    )
    assert dict(back.query) == dict(want.query)


def test_connection_of_another_type_is_refused() -> None:
    from airflow.sdk import Connection

    conn = Connection(conn_id="newswire_db", conn_type="mysql", host="db")
    with pytest.raises(ValueError, match="postgres"):
        _connection_url(conn)


def test_concurrent_task_migrations_are_serialised(database_url: str) -> None:
    """The first tasks of several DAGs start together; their upgrades must not collide."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import text

    from pipeline.config import get_settings
    from pipeline.services.orchestration import task_engine

    settings = get_settings(database_url=database_url)

    def migrate_and_count(_: int) -> int:
        with task_engine(settings, migrate=True) as engine, engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one())

    with ThreadPoolExecutor(max_workers=3) as pool:
        heads = list(pool.map(migrate_and_count, range(3)))
    assert heads[0] >= 1
    assert len(set(heads)) == 1
