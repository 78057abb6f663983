"""
### newswire_stream — poll only the feeds that are due, every 30 seconds

The event-driven path (see `docs/airflow.md`, *Streaming*). Every
`NEWSWIRE_STREAM_INTERVAL_SECONDS` (default 30), no catchup, one run at a time:

1. **poll_due** — polls the feeds whose adaptive next-poll time has come (learned per feed from
   its history of new entries, publisher hints, back-off; within
   `NEWSWIRE_POLL_BUDGET_PER_MINUTE`), in the `newswire_http` pool. When new articles turn up it
   emits the `newswire://articles/new` Asset with their ids; otherwise it is skipped and emits
   nothing.

### newswire_stream_process — process just the new articles

Scheduled on `newswire://articles/new`: **process** fetches, extracts, deduplicates and codes
the ids of the triggering events (events queued during a run are folded into the next run;
a manual run takes `{"article_ids": [...]}` as its conf),
through the same functions as `newswire_ingest`, which keeps running every 15 minutes as the
safety net (pending retries, anything a stream run missed).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, dag, task

from pipeline.services import orchestration as orch
from pipeline.services import streaming

NEW_ARTICLES = Asset(name="newswire_new_articles", uri=streaming.NEW_ARTICLES_ASSET_URI)

DEFAULT_ARGS = {
    "owner": "newswire",
    "retries": 2,
    "retry_delay": timedelta(seconds=10),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=5),
    "execution_timeout": timedelta(minutes=20),
}


@dag(
    dag_id="newswire_stream",
    schedule=timedelta(seconds=streaming.stream_interval_seconds()),
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=30),
    tags=["newswire", "stream"],
    doc_md=__doc__,
    default_args=DEFAULT_ARGS,
)
def newswire_stream() -> None:
    @task(pool=orch.HTTP_POOL, outlets=[NEW_ARTICLES])
    def poll_due() -> dict[str, Any]:
        from airflow.sdk import get_current_context
        from airflow.sdk.exceptions import AirflowSkipException

        counts = streaming.poll_due()
        ids = counts.get("new_article_ids") or []
        if not ids:
            raise AirflowSkipException(f"{counts.get('feeds_polled', 0)} feeds polled, none new")
        get_current_context()["outlet_events"][NEW_ARTICLES].extra = {"article_ids": ids}
        return counts

    poll_due()


@dag(
    dag_id="newswire_stream_process",
    schedule=[NEW_ARTICLES],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=1),
    tags=["newswire", "stream"],
    doc_md=__doc__,
    default_args=DEFAULT_ARGS,
)
def newswire_stream_process() -> None:
    @task(pool=orch.HTTP_POOL)
    def process() -> dict[str, int]:
        from airflow.sdk import get_current_context

        context = get_current_context()
        events = context["triggering_asset_events"].get(NEW_ARTICLES, [])
        # a manual run (or `dag.test`) names its articles in the run conf instead
        conf = context["dag_run"].conf or {}
        return streaming.process_ids(
            streaming.event_article_ids([*(e.extra for e in events), conf])
        )

    process()


newswire_stream()
newswire_stream_process()
