"""
### newswire_maintenance — daily housekeeping

- **prune_raw_html** — drops raw HTML fetched more than `NEWSWIRE_RAW_RETENTION_DAYS` (default
  90; 0 keeps everything) before the run's data interval end; the rows and hashes stay.
- **refresh_views** — refreshes the materialised dashboard views, if any.
- **feed_health** — classifies every feed from its polls of the day (healthy, degraded,
  failing, stale, disabled); counts and the names needing attention go to XCom and the task log.

Scoped by the data interval, not the wall clock: re-running a day does the same thing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import CronDataIntervalTimetable, dag, task

from pipeline.services import orchestration as orch


@dag(
    dag_id="newswire_maintenance",
    schedule=CronDataIntervalTimetable("30 3 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["newswire", "maintenance"],
    doc_md=__doc__,
    default_args={
        "owner": "newswire",
        "retries": 2,
        "retry_delay": timedelta(minutes=5),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=30),
        "execution_timeout": timedelta(hours=1),
    },
)
def newswire_maintenance() -> None:
    @task
    def prune_raw_html(data_interval_end: Any = None) -> dict[str, Any]:
        return orch.prune(data_interval_end)

    @task
    def refresh_views() -> list[str]:
        return orch.refresh_views()

    @task
    def feed_health(data_interval_end: Any = None) -> dict[str, Any]:
        return orch.record_feed_health(data_interval_end)

    prune_raw_html() >> refresh_views()
    feed_health()


newswire_maintenance()
