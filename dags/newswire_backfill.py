"""
### newswire_backfill — recover and re-process one day at a time

Each run covers one daily data interval (00:00–24:00 UTC). Run it over a range from the UI
(the DAG's **Trigger ▸ Backfill** dialog: pick the dates, "missing and errored" or "all" runs) or
from the CLI:

    airflow backfill create --dag-id newswire_backfill \
        --from-date 2026-11-20 --to-date 2026-11-23

Scheduled daily without catchup, it also sweeps yesterday for anything the feeds missed.

1. **discover** (in the `newswire_http` pool) — reads the outlets' sitemaps (robots.txt
   `Sitemap:` lines; news sitemaps and dated archive sitemaps, filtered by publication date,
   the date in the URL or `lastmod`) plus the feed entries stored for the interval, inserts
   missing articles and plans fetch batches of the pending ones.
2. **fetch** — mapped per batch, in the pool.
3. **reextract** → **dedup** → **events** — re-process every stored article of the interval
   from its raw page, offline; each stage skips what is already current (same extractor,
   dedup and coder versions), so running a range twice changes nothing the second time.
4. **publish** — emits the `newswire://articles` Asset.

The article database is the connection `newswire_db`, else `NEWSWIRE_DATABASE_URL`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, CronDataIntervalTimetable, dag, task

from pipeline.services import orchestration as orch

ARTICLES = Asset(name="newswire_articles", uri=orch.INGEST_ASSET_URI)


@dag(
    dag_id="newswire_backfill",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=6),
    tags=["newswire", "backfill"],
    doc_md=__doc__,
    default_args={
        "owner": "newswire",
        "retries": 3,
        "retry_delay": timedelta(minutes=1),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=20),
        "execution_timeout": timedelta(hours=2),
    },
)
def newswire_backfill() -> None:
    @task(pool=orch.HTTP_POOL)
    def discover(
        data_interval_start: Any = None, data_interval_end: Any = None, ti: Any = None
    ) -> list[list[int]]:
        result = orch.backfill_discover(data_interval_start, data_interval_end)
        ti.xcom_push(key="summary", value=result["summary"])
        batches: list[list[int]] = result["batches"]
        return batches

    @task(pool=orch.HTTP_POOL)
    def fetch(article_ids: list[int]) -> dict[str, Any]:
        return orch.fetch_batch(article_ids)

    @task(trigger_rule="none_failed")
    def reextract(data_interval_start: Any = None, data_interval_end: Any = None) -> dict[str, Any]:
        return orch.reextract_interval(data_interval_start, data_interval_end)

    @task
    def dedup(
        data_interval_start: Any = None, data_interval_end: Any = None, ti: Any = None
    ) -> list[list[int]]:
        result = orch.dedup_ids(orch.interval_ids(data_interval_start, data_interval_end))
        ti.xcom_push(key="summary", value=result["summary"])
        batches: list[list[int]] = result["batches"]
        return batches

    @task
    def events(article_ids: list[int]) -> dict[str, Any]:
        return orch.code_batch(article_ids)

    @task(outlets=[ARTICLES], trigger_rule="none_failed")
    def publish(
        fetched: list[dict[str, Any]], coded: list[dict[str, Any]], ti: Any = None
    ) -> dict[str, int]:
        from airflow.sdk import get_current_context

        found = ti.xcom_pull(task_ids="discover", key="summary") or {}
        deduped = ti.xcom_pull(task_ids="dedup", key="summary") or {}
        counts = orch.totals(
            discover=[found],
            fetch=orch.as_list(fetched),
            dedup=[deduped],
            events=orch.as_list(coded),
        )
        get_current_context()["outlet_events"][ARTICLES].extra = counts
        return counts

    batches = discover()
    fetched = fetch.expand(article_ids=batches)
    extracted = reextract()
    fetched >> extracted
    event_batches = dedup()
    extracted >> event_batches
    coded = events.expand(article_ids=event_batches)
    publish(fetched, coded)


newswire_backfill()
