"""
### newswire_ingest — poll every feed, fetch and process what is new

Every 15 minutes (set `NEWSWIRE_INGEST_SCHEDULE` to a cron expression to change it), no catchup:

1. **feeds** — migrates the article database, syncs `NEWSWIRE_FEEDS_FILE` into the `feeds` table
   and lists the enabled feeds.
2. **poll** — one mapped task per feed (conditional GET, entries upserted), in the
   `newswire_http` pool that bounds concurrent HTTP across all DAGs.
3. **plan_fetch** — this run's new articles plus pending ones whose retry is due, in batches of
   `NEWSWIRE_FETCH_BATCH_SIZE` (never one task per article).
4. **fetch** (mapped per batch, in the pool) → **extract** (mapped, offline, catches what
   extraction missed) → **dedup** (one task: story assignment is order-dependent) →
   **events** (mapped per batch, CAMEO coding).
5. **publish** — emits the `newswire://articles` Asset with the run's counts as its extra.

Every task is idempotent (upserts on unique keys) and retried with exponential backoff. XCom
carries counts and article ids only. The article database is the connection `newswire_db`
(`AIRFLOW_CONN_NEWSWIRE_DB`), else `NEWSWIRE_DATABASE_URL`, resolved inside each task.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, dag, task

from pipeline.services import orchestration as orch

ARTICLES = Asset(name="newswire_articles", uri=orch.INGEST_ASSET_URI)


@dag(
    dag_id="newswire_ingest",
    schedule=orch.ingest_schedule(),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=2),
    tags=["newswire", "ingest"],
    doc_md=__doc__,
    default_args={
        "owner": "newswire",
        "retries": 3,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(minutes=10),
        "execution_timeout": timedelta(minutes=45),
    },
)
def newswire_ingest() -> None:
    @task
    def feeds() -> list[str]:
        return orch.sync_feed_list()

    @task(pool=orch.HTTP_POOL, map_index_template="{{ feed }}")
    def poll(name: str) -> dict[str, Any]:
        from airflow.sdk import get_current_context

        get_current_context()["feed"] = name  # type: ignore[typeddict-unknown-key]
        return orch.poll_one(name)

    @task(trigger_rule="none_failed")
    def plan_fetch(polls: list[dict[str, Any]]) -> list[list[int]]:
        return orch.plan_fetch(polls)

    @task(pool=orch.HTTP_POOL)
    def fetch(article_ids: list[int]) -> dict[str, Any]:
        return orch.fetch_batch(article_ids)

    @task
    def extract(article_ids: list[int]) -> dict[str, Any]:
        return orch.extract_batch(article_ids)

    @task(trigger_rule="none_failed")
    def dedup(fetched: list[dict[str, Any]], extracted: list[dict[str, Any]]) -> list[list[int]]:
        from airflow.sdk import get_current_context

        result = orch.dedup_ids(orch.extracted_ids(orch.as_list(fetched), orch.as_list(extracted)))
        get_current_context()["ti"].xcom_push(key="summary", value=result["summary"])
        batches: list[list[int]] = result["batches"]
        return batches

    @task
    def events(article_ids: list[int]) -> dict[str, Any]:
        return orch.code_batch(article_ids)

    @task(outlets=[ARTICLES], trigger_rule="none_failed")
    def publish(fetched: list[dict[str, Any]], coded: list[dict[str, Any]]) -> dict[str, int]:
        from airflow.sdk import get_current_context

        context = get_current_context()
        deduped = context["ti"].xcom_pull(task_ids="dedup", key="summary") or {}
        counts = orch.totals(
            fetch=orch.as_list(fetched), dedup=[deduped], events=orch.as_list(coded)
        )
        context["outlet_events"][ARTICLES].extra = counts
        return counts

    batches = plan_fetch(poll.expand(name=feeds()))
    fetched = fetch.expand(article_ids=batches)
    extracted = extract.expand(article_ids=batches)
    fetched >> extracted
    event_batches = dedup(fetched, extracted)
    coded = events.expand(article_ids=event_batches)
    publish(fetched, coded)


newswire_ingest()
