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
from sqlalchemy import Engine, func, insert, select, text

from devtools.local_airflow import AirflowLayout
from pipeline.models import Article, ArticleStatus, Feed, RawPage

RUNNER = Path(__file__).with_name("dag_runner.py")

pytestmark = pytest.mark.airflow


def run_dag(
    layout: AirflowLayout,
    dag_id: str,
    logical_dates: list[datetime] | None = None,
    *,
    runs: int = 1,
) -> list[Any]:
    """``dag.test()`` runs of *dag_id* in one subprocess; each must succeed."""
    args = [sys.executable, str(RUNNER), dag_id, "--runs", str(runs)]
    for date in logical_dates or []:
        args += ["--logical-date", date.isoformat()]
    proc = subprocess.run(
        args, env=layout.env(), capture_output=True, text=True, timeout=900, check=False
    )
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith('{"state"')]
    assert results, f"no result from {dag_id}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    for result in results:
        assert result["state"] == "success", (result, proc.stdout[-5000:])
    assert len(results) == (len(logical_dates) if logical_dates else runs)
    return results


def counts(engine: Engine) -> dict[str, int]:
    tables = ["articles", "feed_entries", "raw_pages", "feed_polls"]
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


def test_ingest_dag(clean_db: Engine, airflow_layout: AirflowLayout) -> None:
    first = run_dag(airflow_layout, "newswire_ingest")[0]
    assert first["tasks"]["poll"] == ["success"] * 4  # one mapped instance per sample feed
    with clean_db.connect() as conn:
        extracted = conn.execute(
            select(func.count()).where(Article.status == ArticleStatus.EXTRACTED.value)
        ).scalar_one()
        feeds = conn.execute(select(func.count()).select_from(Feed)).scalar_one()
        pages = conn.execute(select(func.count()).select_from(RawPage)).scalar_one()
        events = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
    assert feeds == 4
    assert extracted >= 10
    assert pages >= extracted
    assert events > 0
    before = counts(clean_db)
    run_dag(airflow_layout, "newswire_ingest")
    after = counts(clean_db)
    # a second run polls again (new feed_polls rows) but stores nothing new
    assert {k: v for k, v in after.items() if k != "feed_polls"} == {
        k: v for k, v in before.items() if k != "feed_polls"
    }


def test_backfill_three_days_twice_adds_nothing_the_second_time(
    clean_db: Engine, airflow_layout: AirflowLayout
) -> None:
    days = [datetime(2026, 11, d, tzinfo=UTC) for d in (2, 3, 4)]
    # dag.test covers the last complete interval before the logical date: day D for D + 1
    dates = [day + timedelta(days=1) for day in days]
    first_runs = run_dag(airflow_layout, "newswire_backfill", dates)
    assert [r["data_interval"][0][:10] for r in first_runs] == [d.date().isoformat() for d in days]
    first = counts(clean_db)
    run_dag(airflow_layout, "newswire_backfill", dates)
    second = counts(clean_db)
    assert first["articles"] >= 10
    assert first["raw_pages"] >= 8
    assert second == first
    with clean_db.connect() as conn:
        from_sitemaps = (
            conn.execute(select(Article.url).where(Article.source == "sitemap")).scalars().all()
        )
        published = conn.execute(
            select(func.min(Article.published_at), func.max(Article.published_at))
        ).one()
    assert any("senate-panel-advances-bill" in url for url in from_sitemaps)  # sitemap-only
    assert published[0] >= days[0] - timedelta(hours=12)
    assert published[1] < days[-1] + timedelta(days=1, hours=12)


def test_maintenance_dag(clean_db: Engine, airflow_layout: AirflowLayout) -> None:
    with clean_db.begin() as conn:
        article_id = conn.execute(
            insert(Article)
            .values(canonical_url="https://a.example/old", url="https://a.example/old")
            .returning(Article.id)
        ).scalar_one()
        conn.execute(
            insert(RawPage).values(
                article_id=article_id,
                fetched_at=datetime.now(UTC) - timedelta(days=400),
                requested_url="https://a.example/old",
                final_url="https://a.example/old",
                http_status=200,
                body_sha256="0" * 64,
                body_bytes=3,
                body_gzip=b"old",
            )
        )
    result = run_dag(airflow_layout, "newswire_maintenance")[0]
    assert result["tasks"] == {
        "prune_raw_html": ["success"],
        "refresh_views": ["success"],
        "feed_health": ["success"],
    }
    with clean_db.connect() as conn:
        assert conn.execute(select(RawPage.body_gzip)).scalar_one() is None
