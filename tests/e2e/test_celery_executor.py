"""newswire_ingest on the CeleryExecutor: Redis broker, PostgreSQL result backend, two workers.

The configuration is the one ``docker-compose.yml`` runs (executor, broker, result backend,
default queue), started here as local processes: api-server, scheduler, dag-processor and two
``airflow celery worker`` processes. The run ingests the sample corpus plus a replay of 300
generated feeds that list the sample articles again (every article under up to 40 feeds), so
the work is spread over hundreds of task instances. It must succeed, both workers must have run
tasks (the counts are printed), no article page may be fetched twice and no story duplicated.

Redis: the one on 127.0.0.1:6379 if it answers, else a ``redis-server`` of our own on a free
loopback port. Tasks go to a queue named after this test process, so another Airflow sharing
the Redis never takes them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, func, select, text

from devtools.demo import DEMO_OVERRIDES, SAMPLE_DIR, sample_feeds
from devtools.local_airflow import (
    AirflowClient,
    AirflowLayout,
    LocalAirflow,
    drop_database,
    ensure_database,
    prepare,
)
from devtools.replay import ReplayServer, load_special_responses
from pipeline.models import Article, ArticleStatus, FeedEntry, RawPage
from pipeline.stages.feeds.feedfile import FeedConfig

pytestmark = [pytest.mark.airflow, pytest.mark.celery]

REPLAY_FEEDS = int(os.environ.get("NEWSWIRE_E2E_REPLAY_FEEDS", "300"))
WORKERS = ("celery-worker-1", "celery-worker-2")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The machine's Redis on 6379, else one started for this module on a free port."""
    if redis_answers(6379):
        yield "redis://127.0.0.1:6379/0"
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("no Redis on 127.0.0.1:6379 and no redis-server to start one")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not redis_answers(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server on port {port} did not start")
            time.sleep(0.2)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def write_replay_feeds(root: Path, article_urls: list[str], count: int) -> None:
    """*count* RSS feeds under ``root/replay.example/``, feed i listing three of the articles."""
    folder = root / "replay.example" / "feeds"
    folder.mkdir(parents=True)
    for i in range(count):
        items = "".join(
            f"<item><title>Item {j}</title><link>{url}</link><guid>replay-{i}-{j}</guid></item>"
            for j, url in enumerate(article_urls[(i + k) % len(article_urls)] for k in range(3))
        )
        (folder / f"f{i:03d}.xml").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Replay {i}</title>'
            f"<link>https://replay.example/</link>{items}</channel></rss>",
            encoding="utf-8",
        )


@pytest.fixture
def celery_layout(
    pg_admin_url: str,
    database_url: str,
    redis_url: str,
    tmp_path: Path,
) -> Iterator[tuple[AirflowLayout, ReplayServer]]:
    with ReplayServer(SAMPLE_DIR) as sample:
        feeds = sample_feeds(sample.base_url)
        article_urls = list_sample_articles(sample)
        replay_root = tmp_path / "replay"
        write_replay_feeds(replay_root, article_urls, REPLAY_FEEDS)
        with ReplayServer(replay_root) as replay:
            feeds += [
                FeedConfig(
                    name=f"replay-{i:03d}",
                    url=replay.url_for(f"replay.example/feeds/f{i:03d}.xml"),
                    outlet="Replay",
                )
                for i in range(REPLAY_FEEDS)
            ]
            feeds_file = tmp_path / "feeds.yaml"
            feeds_file.write_text(yaml.safe_dump([f.model_dump(exclude_none=True) for f in feeds]))
            env = {f"NEWSWIRE_{k.upper()}": str(v) for k, v in DEMO_OVERRIDES.items()}
            env.update(
                NEWSWIRE_FEEDS_FILE=str(feeds_file),
                NEWSWIRE_DATA_DIR=str(tmp_path / "data"),
                NEWSWIRE_WORKERS="1",
                NEWSWIRE_LOG_FORMAT="json",
                NEWSWIRE_ALLOWED_HOSTS="127.0.0.1",
                # only newswire_ingest is unpaused (below): the other DAGs would compete
                AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
            )
            name = f"airflow_celery_{os.getpid()}_{free_port()}"
            layout = AirflowLayout(
                home=tmp_path / "home",
                metadata_url=ensure_database(pg_admin_url, name),
                article_url=database_url,
                port=free_port(),
                extra_env=env,
                executor="CeleryExecutor",
                broker_url=redis_url,
                queue=f"newswire_e2e_{os.getpid()}",
                pool_slots=8,
            )
            try:
                prepare(layout)
                yield layout, sample
            finally:
                drop_database(pg_admin_url, name)


def list_sample_articles(sample: ReplayServer) -> list[str]:
    """Every article URL the sample feeds list, at the replay server (feed links rewritten)."""
    import feedparser

    urls: list[str] = []
    for rel in sample.feed_paths():
        body = sample.rewrite((SAMPLE_DIR / rel).read_bytes())
        urls += [e.link for e in feedparser.parse(body).entries if e.get("link")]
    return sorted(set(urls))


def first_run(client: AirflowClient, wait: float = 90) -> str:
    """The run the scheduler creates on unpause (the latest interval); triggered if none comes.

    One run only: a second would queue behind it (max_active_runs=1) and poll every feed again.
    """
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        runs = client.runs("newswire_ingest")
        if runs:
            return str(runs[0]["dag_run_id"])
        time.sleep(3)
    return client.trigger("newswire_ingest")


def failed_task_logs(home: Path, tis: list[dict[str, Any]], lines: int = 40) -> str:
    """The last log lines of every failed task instance, for the assertion message."""
    out = []
    for ti in tis:
        if ti["state"] not in {"failed", "up_for_retry"}:
            continue
        for path in (home / "logs").glob(f"dag_id={ti['dag_id']}/*/task_id={ti['task_id']}/**/*"):
            if path.is_file():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                out.append(f"== {path}\n" + "\n".join(tail))
    return "\n".join(out)[-20000:] or "no failed task logs found"


@pytest.mark.timeout(3600)
def test_ingest_on_two_celery_workers(
    clean_db: Engine, celery_layout: tuple[AirflowLayout, ReplayServer]
) -> None:
    layout, sample = celery_layout
    components = ("api-server", "scheduler", "dag-processor", *WORKERS)
    with LocalAirflow(layout, components) as airflow:
        airflow.wait_healthy(timeout=300)
        client = AirflowClient(layout.base_url, *layout.login())
        try:
            client.wait_for_dag("newswire_ingest")
            client.set_paused("newswire_ingest", False)
            run_id = first_run(client)
            state = client.wait_for_run("newswire_ingest", run_id, timeout=3000)
            tis = client.task_instances("newswire_ingest", run_id)
        finally:
            client.close()
        states = Counter(f"{ti['task_id']}:{ti['state']}" for ti in tis)
        assert state == "success", (states, failed_task_logs(layout.home, tis))
    per_worker = Counter(str(ti["hostname"]).split("@", 1)[0] for ti in tis)
    print(f"task instances per worker: {dict(per_worker)} of {len(tis)}")
    assert set(per_worker) == set(WORKERS), per_worker
    assert all(per_worker[w] >= 5 for w in WORKERS), per_worker
    assert sum(1 for ti in tis if ti["task_id"] == "poll") == 4 + REPLAY_FEEDS

    with clean_db.connect() as conn:
        extracted = conn.execute(
            select(Article.id, Article.url).where(Article.status == ArticleStatus.EXTRACTED.value)
        ).all()
        pages_per_article = dict(
            conn.execute(
                select(RawPage.article_id, func.count()).group_by(RawPage.article_id)
            ).all()
        )
        entries = conn.execute(select(func.count()).select_from(FeedEntry)).scalar_one()
        # one story per distinct text: two live stories for the same text would be a duplicate
        text_stories = conn.execute(
            text(
                "SELECT text_hash, count(DISTINCT story_id) FROM articles "
                "WHERE text_hash IS NOT NULL AND duplicate_of_id IS NULL "
                "GROUP BY text_hash HAVING count(DISTINCT story_id) > 1"
            )
        ).all()
        unstoried = conn.execute(
            text("SELECT count(*) FROM articles WHERE status = 'extracted' AND story_id IS NULL")
        ).scalar_one()
    assert len(extracted) >= 10
    assert entries >= 3 * REPLAY_FEEDS
    assert max(pages_per_article.values()) == 1
    # every extracted page was requested once, plus the in-request retries the corpus
    # scripts (a 503 answered `times` times before the page): never by two tasks
    special = load_special_responses(SAMPLE_DIR)
    for _, url in extracted:
        path = url.split("/", 3)[3]  # http://127.0.0.1:PORT/<host>/<path>
        scripted = special.get(path)
        expected = 1 + (scripted.times or 0 if scripted and scripted.status else 0)
        assert sample.requests_for(path) == expected, url
    assert text_stories == []
    assert unstoried == 0
