"""The event-driven DAGs through ``dag.test()``: the dispatcher polls only due feeds and emits
the new article ids as an Asset event; the processing DAG takes ids and runs every stage.

``dag.test()`` runs in a fresh interpreter (Airflow fixes its configuration at import) with the
environment of a throw-away Airflow layout; the sample corpus is served on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.pool import NullPool

from devtools.demo import DEMO_OVERRIDES, SAMPLE_DIR, sample_feeds
from devtools.local_airflow import (
    AirflowLayout,
    drop_database,
    ensure_database,
    metadata_url,
    prepare,
)
from devtools.replay import ReplayServer
from pipeline.models import Article, ArticleStatus, Feed
from pipeline.stages.events.models import EventCoding

pytestmark = pytest.mark.airflow

RUNNER = """
import json, os, sys
from airflow.dag_processing.dagbag import DagBag
from airflow.sdk import timezone
bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
assert not bag.import_errors, bag.import_errors
run = bag.dags[sys.argv[1]].test(logical_date=timezone.utcnow(), run_conf=json.loads(sys.argv[2]))
print(json.dumps({"state": str(run.state),
                  "tasks": {ti.task_id: str(ti.state) for ti in run.get_task_instances()}}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def stream_layout(
    pg_admin_url: str, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AirflowLayout]:
    home = tmp_path_factory.mktemp("stream_home")
    with ReplayServer(SAMPLE_DIR) as replay:
        feeds_file = home / "feeds.yaml"
        feeds_file.write_text(
            yaml.safe_dump([f.model_dump(exclude_none=True) for f in sample_feeds(replay.base_url)])
        )
        env = {f"NEWSWIRE_{k.upper()}": str(v) for k, v in DEMO_OVERRIDES.items()}
        env.update(
            NEWSWIRE_FEEDS_FILE=str(feeds_file),
            NEWSWIRE_DATA_DIR=str(home / "data"),
            NEWSWIRE_WORKERS="1",
            NEWSWIRE_MIN_POLL_SECONDS="600",  # nothing comes due again during the test
        )
        name = f"airflow_stream_{os.getpid()}_{free_port()}"
        layout = AirflowLayout(
            home=home,
            metadata_url=ensure_database(pg_admin_url, name),
            article_url=database_url,
            port=free_port(),
            extra_env=env,
        )
        try:
            prepare(layout)
            yield layout
        finally:
            drop_database(pg_admin_url, name)


def dag_test(layout: AirflowLayout, dag_id: str, conf: dict[str, Any] | None = None) -> Any:
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, dag_id, json.dumps(conf or {})],
        env=layout.env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith('{"state"')]
    assert lines, f"{dag_id}: no result\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return json.loads(lines[-1])


@pytest.mark.timeout(1800)
def test_dispatcher_polls_due_feeds_and_processing_takes_the_ids(
    clean_db: Engine, stream_layout: AirflowLayout
) -> None:
    first = dag_test(stream_layout, "newswire_stream")
    assert first == {"state": "success", "tasks": {"poll_due": "success"}}
    with clean_db.connect() as conn:
        pending = list(
            conn.execute(
                select(Article.id).where(Article.status == ArticleStatus.PENDING.value)
            ).scalars()
        )
        unscheduled = conn.execute(
            select(func.count()).where(Feed.next_poll_at.is_(None))
        ).scalar_one()
    assert len(pending) >= 20
    assert unscheduled == 0
    # the Asset event carries exactly the new articles
    meta = create_engine(metadata_url(stream_layout.metadata_url), poolclass=NullPool)
    with meta.connect() as conn:
        extras = conn.execute(
            text(
                "SELECT e.extra FROM asset_event e JOIN asset a ON a.id = e.asset_id "
                "WHERE a.uri = 'newswire://articles/new'"
            )
        ).scalars()
        assert [sorted(x["article_ids"]) for x in extras] == [sorted(pending)]
    meta.dispose()

    # nothing is due again: the poll is skipped, no event, the run still succeeds
    second = dag_test(stream_layout, "newswire_stream")
    assert second == {"state": "success", "tasks": {"poll_due": "skipped"}}

    processed = dag_test(stream_layout, "newswire_stream_process", {"article_ids": pending})
    assert processed == {"state": "success", "tasks": {"process": "success"}}
    with clean_db.connect() as conn:
        extracted = conn.execute(
            select(func.count()).where(Article.status == ArticleStatus.EXTRACTED.value)
        ).scalar_one()
        left = conn.execute(
            select(func.count()).where(Article.status == ArticleStatus.PENDING.value)
        ).scalar_one()
        coded = conn.execute(select(func.count()).select_from(EventCoding)).scalar_one()
        storied = conn.execute(
            select(func.count()).where(
                Article.status == ArticleStatus.EXTRACTED.value, Article.story_id.is_not(None)
            )
        ).scalar_one()
    assert left == 0
    assert extracted >= 10
    assert storied == extracted
    assert coded >= 1
