"""Each DAG end-to-end through ``dag.test()``: real PostgreSQL, the sample corpus over loopback.

``dag.test()`` runs every task in one process without a scheduler, against a real (migrated)
Airflow metadata database; the article database is handed over as the connection
``newswire_db`` exactly as in production.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from pipeline.local_airflow import AirflowLayout
from pipeline.models import Article, ArticleStatus, Feed, RawPage

RUNNER = Path(__file__).with_name("dag_runner.py")

pytestmark = pytest.mark.airflow


def run_dag(layout: AirflowLayout, dag_id: str, logical_date: datetime | None = None) -> Any:
    args = [sys.executable, str(RUNNER), dag_id]
    if logical_date is not None:
        args += ["--logical-date", logical_date.isoformat()]
    proc = subprocess.run(
        args, env=layout.env(), capture_output=True, text=True, timeout=600, check=False
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith('{"state"')]
    assert lines, f"no result from {dag_id}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    result = json.loads(lines[-1])
    assert result["state"] == "success", (result, proc.stderr[-5000:])
    return result


def counts(engine: Engine) -> dict[str, int]:
    tables = ["articles", "feed_entries", "raw_pages", "feed_polls"]
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


def test_ingest_dag(clean_db: Engine, airflow_layout: AirflowLayout) -> None:
    result = run_dag(airflow_layout, "newswire_ingest")
    assert len(result["tasks"]["poll"]) == 4  # one mapped instance per sample feed
    assert set(result["tasks"]["poll"]) == {"success"}
    with clean_db.connect() as conn:
        extracted = conn.execute(
            select(func.count()).where(Article.status == ArticleStatus.EXTRACTED.value)
        ).scalar_one()
        feeds = conn.execute(select(func.count()).select_from(Feed)).scalar_one()
        pages = conn.execute(select(func.count()).select_from(RawPage)).scalar_one()
    assert feeds == 4
    assert extracted >= 10
    assert pages >= extracted
    before = counts(clean_db)
    again = run_dag(airflow_layout, "newswire_ingest")
    after = counts(clean_db)
    # a second run polls again (new feed_polls rows) but finds nothing new to store
    assert {k: v for k, v in after.items() if k != "feed_polls"} == {
        k: v for k, v in before.items() if k != "feed_polls"
    }
    assert "fetch" not in again["tasks"] or set(again["tasks"]["fetch"]) <= {"skipped", "success"}


def test_backfill_three_days_twice_adds_nothing_the_second_time(
    clean_db: Engine, airflow_layout: AirflowLayout
) -> None:
    days = [datetime(2026, 11, d, tzinfo=UTC) for d in (2, 3, 4)]
    snapshots = []
    for _ in range(2):
        for day in days:
            # dag.test covers the last complete interval before the logical date: day D
            result = run_dag(airflow_layout, "newswire_backfill", day + timedelta(days=1))
            assert result["data_interval"][0].startswith(day.date().isoformat())
        snapshots.append(counts(clean_db))
    first, second = snapshots
    assert first["articles"] >= 10
    assert first["raw_pages"] >= 8
    assert second == first
    with clean_db.connect() as conn:
        sitemap_only = conn.execute(
            select(func.count()).where(Article.source == "sitemap")
        ).scalar_one()
    assert sitemap_only >= 2


def test_maintenance_dag(clean_db: Engine, airflow_layout: AirflowLayout) -> None:
    result = run_dag(airflow_layout, "newswire_maintenance")
    assert set(result["tasks"]) == {"prune_raw_html", "refresh_views", "feed_health"}
