"""The DAG folder as Airflow's dag-processor sees it: it parses, cheaply, and says what it does.

Like Airflow's own ``tests/unit/always/test_example_dags.py``: loading the folder must issue no
database query and no connection look-up — the dag-processor re-parses every file every
``min_file_process_interval`` seconds, so anything done at import time is done constantly.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from tests.airflow.conftest import DAG_IDS

DAGS = Path(__file__).resolve().parents[2] / "dags"
HTTP_TASKS = {"newswire_ingest": {"poll", "fetch"}, "newswire_backfill": {"discover", "fetch"}}


def load_dagbag() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


@pytest.fixture(scope="module")
def dagbag() -> Any:
    return load_dagbag()


def core_timetable(dag: Any) -> Any:
    """The scheduler's view of a DAG's timetable (the SDK object is only a definition)."""
    from airflow.serialization.encoders import coerce_to_core_timetable

    return coerce_to_core_timetable(dag.timetable)


class _Spy:
    """Records calls instead of letting a forbidden operation happen."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.calls: list[str] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append(f"{self.name}{args!r:.120}")
        raise AssertionError(f"{self.name} called while parsing the DAG folder")


@pytest.fixture
def parse_watch(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[str]]]:
    """Every SQL statement and connection attempt made while the fixture is active."""
    import psycopg
    import psycopg2
    from airflow.sdk import BaseHook, Connection
    from airflow.sdk.execution_time import context as task_context

    import pipeline.db
    import pipeline.services.orchestration

    seen: dict[str, list[str]] = {"queries": []}

    def on_query(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen["queries"].append(statement)

    spies = {
        "psycopg.connect": _Spy("psycopg.connect"),
        "psycopg2.connect": _Spy("psycopg2.connect"),
        "Connection.get": _Spy("Connection.get"),
        "BaseHook.get_connection": _Spy("BaseHook.get_connection"),
        "_get_connection": _Spy("_get_connection"),
        "embedded_url": _Spy("embedded_url"),
        "task_database_url": _Spy("task_database_url"),
    }
    monkeypatch.setattr(psycopg, "connect", spies["psycopg.connect"])
    monkeypatch.setattr(psycopg2, "connect", spies["psycopg2.connect"])
    monkeypatch.setattr(Connection, "get", spies["Connection.get"])
    monkeypatch.setattr(BaseHook, "get_connection", spies["BaseHook.get_connection"])
    monkeypatch.setattr(task_context, "_get_connection", spies["_get_connection"])
    monkeypatch.setattr(pipeline.db, "embedded_url", spies["embedded_url"])
    monkeypatch.setattr(
        pipeline.services.orchestration, "task_database_url", spies["task_database_url"]
    )
    for name, spy in spies.items():
        seen[name] = spy.calls
    event.listen(Engine, "before_cursor_execute", on_query)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", on_query)


def test_dag_folder_parses_without_queries_or_connection_lookups(
    parse_watch: dict[str, list[str]],
) -> None:
    bag = load_dagbag()
    assert bag.import_errors == {}
    assert set(bag.dag_ids) == set(DAG_IDS)
    assert {k: v for k, v in parse_watch.items() if v} == {}


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_dag_is_documented_tagged_and_retried(dagbag: Any, dag_id: str) -> None:
    dag = dagbag.dags[dag_id]
    assert "newswire" in dag.tags
    assert dag.doc_md
    assert dag_id in dag.doc_md
    assert dag.catchup is False
    assert dag.max_active_runs == 1
    for task in dag.tasks:
        assert task.retries >= 2, task.task_id
        assert task.retry_exponential_backoff > 0, task.task_id
        assert task.execution_timeout is not None, task.task_id


@pytest.mark.parametrize("dag_id", sorted(HTTP_TASKS))
def test_network_tasks_run_in_the_http_pool(dagbag: Any, dag_id: str) -> None:
    from pipeline.services.orchestration import HTTP_POOL

    dag = dagbag.dags[dag_id]
    in_pool = {t.task_id for t in dag.tasks if t.pool == HTTP_POOL}
    assert in_pool == HTTP_TASKS[dag_id]


def test_ingest_maps_per_feed_and_per_batch(dagbag: Any) -> None:
    from airflow.sdk.definitions.mappedoperator import MappedOperator

    dag = dagbag.dags["newswire_ingest"]
    mapped = {t.task_id for t in dag.tasks if isinstance(t, MappedOperator)}
    assert mapped == {"poll", "fetch", "extract", "events"}
    # poll is mapped over the feed list, the batch tasks over planned batches of ids
    assert dag.task_dict["poll"].upstream_task_ids == {"feeds"}
    assert dag.task_dict["fetch"].upstream_task_ids == {"plan_fetch"}
    assert dag.task_dict["events"].upstream_task_ids == {"dedup"}
    assert [o.name for o in dag.task_dict["publish"].outlets] == ["newswire_articles"]


def test_ingest_runs_every_15_minutes_unless_configured(
    dagbag: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert core_timetable(dagbag.dags["newswire_ingest"]).summary == "*/15 * * * *"
    monkeypatch.setenv("NEWSWIRE_INGEST_SCHEDULE", "*/5 * * * *")
    assert core_timetable(load_dagbag().dags["newswire_ingest"]).summary == "*/5 * * * *"


@pytest.mark.parametrize("dag_id", ["newswire_backfill", "newswire_maintenance"])
def test_daily_dags_have_one_day_data_intervals(dagbag: Any, dag_id: str) -> None:
    import pendulum

    timetable = core_timetable(dagbag.dags[dag_id])
    after = pendulum.datetime(2026, 11, 3, 12, tz="UTC")
    interval = timetable.infer_manual_data_interval(run_after=after)
    assert interval.end - interval.start == pendulum.duration(days=1)


def test_pipeline_package_is_the_installed_distribution() -> None:
    """DAGs import ``pipeline`` by name; it must be this project's, not a stray module."""
    import pipeline

    dist = importlib.metadata.distribution("newswire")
    assert dist.read_text("direct_url.json") is None or "file://" in (
        dist.read_text("direct_url.json") or ""
    )
    assert Path(pipeline.__file__).resolve().parent == DAGS.parent / "pipeline"
    assert dist.entry_points.select(group="console_scripts", name="newswire")


def test_the_watch_catches_parse_time_queries_and_lookups(
    parse_watch: dict[str, list[str]], tmp_path: Path, database_url: str
) -> None:
    """The guard above is only worth something if a DAG file doing the wrong thing trips it."""
    from airflow.dag_processing.dagbag import DagBag

    (tmp_path / "bad_lookup.py").write_text(
        "from airflow.sdk import Connection, dag\nConnection.get('newswire_db')\n"
    )
    (tmp_path / "bad_query.py").write_text(
        "from airflow.sdk import dag\nfrom pipeline.db import make_engine\n"
        f"make_engine({database_url!r})\n"
    )
    bag = DagBag(dag_folder=str(tmp_path))
    assert set(bag.import_errors) == {
        str(tmp_path / "bad_lookup.py"),
        str(tmp_path / "bad_query.py"),
    }
    assert len(parse_watch["Connection.get"]) == 1
    assert len(parse_watch["psycopg.connect"]) == 1
    assert parse_watch["queries"] == []  # the connect attempt was stopped before any SQL
