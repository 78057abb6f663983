"""One real Airflow: scheduler, API server and dag-processor as separate processes.

The DAGs must be picked up from the project's folder, show up unpaused, and a run triggered
through the REST API (JWT from ``POST /auth/token``) must succeed and store articles, and a
three-day ``airflow backfill create`` must run one daily interval per run. Every
process started is in one process group, killed on the way out even when the test fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from devtools.local_airflow import AirflowClient, AirflowLayout, LocalAirflow, run_airflow
from pipeline.models import Article, ArticleStatus, Feed
from tests.airflow.conftest import DAG_IDS, fresh_layout

pytestmark = pytest.mark.airflow


@pytest.fixture
def own_layout(
    pg_admin_url: str, database_url: str, sample_feeds_file: Path, tmp_path: Path
) -> Iterator[AirflowLayout]:
    """A metadata database of its own: runs left by the dag.test() tests would make the
    backfill skip those days (its default reprocess behaviour is "none")."""
    with fresh_layout(pg_admin_url, database_url, sample_feeds_file, tmp_path) as layout:
        yield layout


@pytest.mark.timeout(1800)
def test_real_airflow_runs_ingest_triggered_through_the_rest_api(
    clean_db: Engine, own_layout: AirflowLayout
) -> None:
    airflow_layout = own_layout
    airflow = LocalAirflow(airflow_layout, ("api-server", "scheduler", "dag-processor"))
    with airflow:
        pgid = airflow.pgid
        assert pgid is not None
        airflow.wait_healthy(timeout=300)
        client = AirflowClient(airflow_layout.base_url, *airflow_layout.login())
        try:
            for dag_id in DAG_IDS:
                dag = client.wait_for_dag(dag_id)
                assert dag["is_paused"] is False, dag_id
            run_id = client.trigger("newswire_ingest")
            state = client.wait_for_run("newswire_ingest", run_id, timeout=600)
            tasks = client.task_states("newswire_ingest", run_id)
            assert state == "success", (tasks, airflow.log_tail("scheduler"))
            assert tasks["poll"] == ["success"] * 4
            events = client.http.get(
                "/assets/events", params={"source_dag_id": "newswire_ingest"}
            ).json()
            assert events["total_entries"] >= 1
            # the scheduled run created at unpause, or the stream DAGs (every 30 s, on the same
            # feeds), may have done the work before ours: what counts is that it is done, once
            with clean_db.connect() as conn:
                after_ingest = conn.execute(select(func.count()).select_from(Article)).scalar_one()
                extracted_now = conn.execute(
                    select(func.count()).where(Article.status == ArticleStatus.EXTRACTED.value)
                ).scalar_one()
            assert extracted_now >= 10

            # a three-day backfill from the CLI, as a user would start it
            run_airflow(
                airflow_layout,
                [
                    "backfill",
                    "create",
                    "--dag-id",
                    "newswire_backfill",
                    "--from-date",
                    "2026-11-02",
                    "--to-date",
                    "2026-11-04",
                ],
            )
            runs = client.wait_for_runs("newswire_backfill", "backfill", 3, timeout=900)
            assert [r["state"] for r in runs] == ["success"] * 3, airflow.log_tail("scheduler")
            assert sorted(r["data_interval_start"][:10] for r in runs) == [
                "2026-11-02",
                "2026-11-03",
                "2026-11-04",
            ]
        finally:
            client.close()
    # the whole group is gone: components and any task process they started
    with pytest.raises(ProcessLookupError):
        os.killpg(pgid, 0)
    with clean_db.connect() as conn:
        feeds = conn.execute(select(func.count()).select_from(Feed)).scalar_one()
        extracted = conn.execute(
            select(func.count()).where(Article.status == ArticleStatus.EXTRACTED.value)
        ).scalar_one()
        from_sitemaps = (
            conn.execute(select(Article.url).where(Article.source == "sitemap")).scalars().all()
        )
        total = conn.execute(select(func.count()).select_from(Article)).scalar_one()
    assert feeds == 4
    assert extracted >= 10
    assert total > after_ingest  # the backfill found articles the feeds no longer list
    assert any("senate-panel-advances-bill" in url for url in from_sitemaps)


def test_a_component_that_dies_is_reported_and_the_group_cleaned_up(
    airflow_layout: AirflowLayout,
) -> None:
    """The API server cannot bind (port taken): start fails naming it, nothing is left behind."""
    import dataclasses
    import socket

    from devtools.local_airflow import AirflowStartError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        layout = dataclasses.replace(airflow_layout, port=taken.getsockname()[1])
        airflow = LocalAirflow(layout)
        with pytest.raises(AirflowStartError, match="api-server exited"), airflow:
            pytest.fail("Airflow started on a port that was taken")
    assert list(airflow.procs) == ["api-server"]  # the others never started
    assert airflow.pgid is None
    assert all(proc.poll() is not None for proc in airflow.procs.values())
