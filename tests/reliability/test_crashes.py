"""Why 4 and 6 (and 7's lost database): kill -9 at every stage, SIGTERM, a database restart
mid-run — then a rerun heals everything: no row lost, duplicated or stuck, no orphan left.

Each stage is caught for certain, not by timing: the poll by a feed that waits on a gate, the
fetch by articles that do, dedup and events by a table lock this test holds (the stage blocks on
it, visible in ``pg_stat_activity``, and is killed there).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import psutil
import pytest
from reliability_harness import (
    Server,
    article_html,
    cli_env,
    engine_for,
    rss,
    run_cli,
    scalar,
    send,
    spawn_cli,
    wait_for,
    write_feeds,
)
from sqlalchemy import text

N_ARTICLES = 12


@dataclass
class Site:
    server: Server
    feeds_file: Path
    feed_gate: threading.Event
    article_gate: threading.Event

    def article_hits(self) -> int:
        return sum(1 for h in self.server.hits if h.startswith("/story/"))


def _gated(gate: threading.Event, body: bytes, ctype: str):  # type: ignore[no-untyped-def]
    def handler(h: BaseHTTPRequestHandler) -> None:
        gate.wait(timeout=120)
        send(h, 200, body, ctype)

    return handler


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    server = Server()
    feed_gate, article_gate = threading.Event(), threading.Event()
    server.start()
    items = []
    for i in range(N_ARTICLES):
        # pairs of near-identical texts, so dedup has real work (and events have sentences)
        title = f"Harbour terminal report {i // 2}"
        server.add(f"/story/{i}", _gated(article_gate, article_html(title), "text/html"))
        items.append({"title": f"Story {i}", "link": f"{server.base}/story/{i}"})
    feed = server.add("/feed.xml", _gated(feed_gate, rss(items), "application/rss+xml"))
    feeds_file = write_feeds(tmp_path / "feeds.yaml", {"gated": feed})
    try:
        yield Site(server, feeds_file, feed_gate, article_gate)
    finally:
        feed_gate.set()
        article_gate.set()
        server.stop()


def _env(url: str, tmp: Path, site: Site) -> dict[str, str]:
    return cli_env(url, tmp, allowed_hosts=f"127.0.0.1:{site.server.port}", request_deadline=60)


def _lock_waiters(url: str) -> int:
    return int(
        scalar(
            url,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'newswire'"
            " AND wait_event_type = 'Lock'",
        )
    )


def _kill9(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def _gone(pids: list[int]) -> bool:
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                return False
        except psutil.NoSuchProcess:
            continue
    return True


def _invariants(url: str) -> dict[str, int]:
    """Rows lost / duplicated / stuck after the healing run."""
    return {
        "articles": scalar(url, "SELECT count(*) FROM articles"),
        "distinct_urls": scalar(url, "SELECT count(DISTINCT canonical_url) FROM articles"),
        "not_extracted": scalar(url, "SELECT count(*) FROM articles WHERE status <> 'extracted'"),
        "claimed": scalar(url, "SELECT count(*) FROM articles WHERE claimed_until IS NOT NULL"),
        "raw_pages": scalar(url, "SELECT count(*) FROM raw_pages"),
        "not_deduped": scalar(url, "SELECT count(*) FROM articles WHERE deduped_at IS NULL"),
        "not_coded": scalar(
            url,
            "SELECT count(*) FROM articles a LEFT JOIN event_codings c ON c.article_id = a.id"
            " WHERE a.duplicate_of_id IS NULL AND c.article_id IS NULL",
        ),
        "duplicate_events": scalar(
            url,
            "SELECT count(*) - count(DISTINCT (article_id, event_index)) FROM events",
        ),
    }


def _hold_lock(url: str, tables: str) -> tuple[object, object]:
    engine = engine_for(url)
    conn = engine.connect()
    conn.execute(text(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE"))
    return engine, conn


def test_kill_9_at_every_stage_then_one_rerun_heals_everything(
    own_pg, site: Site, tmp_path: Path
) -> None:
    url = own_pg.fresh_database(migrate=True)
    env = _env(url, tmp_path, site)
    args = ["run", "--feeds", str(site.feeds_file)]
    report: dict[str, object] = {}

    # 1. poll: the feed request is in flight
    proc = spawn_cli(args, env)
    wait_for(lambda: "/feed.xml" in site.server.hits, 90, "the poll")
    _kill9(proc)
    site.feed_gate.set()

    # 2. fetch: articles are claimed and in flight; the lease names this process
    proc = spawn_cli(args, env)
    wait_for(lambda: site.article_hits() >= 2, 90, "the fetch")
    stats = run_cli(["stats"], env)
    assert f":{proc.pid}:" in stats.stdout, stats.stdout
    workers = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    assert workers, "expected extraction workers"
    claimed = scalar(url, "SELECT count(*) FROM articles WHERE claimed_until IS NOT NULL")
    _kill9(proc)
    started = time.monotonic()
    wait_for(lambda: _gone(workers), 15, f"workers {workers} to die with their parent")
    report["orphans_after_kill9_s"] = round(time.monotonic() - started, 2)
    report["leases_left_by_kill9"] = claimed
    site.article_gate.set()

    # 3. dedup, 4. events: the stage blocks on a table this test locks, and is killed there
    for stage, tables in (
        ("dedup", "dedup_docs, dedup_keys, dedup_bands, dedup_host_lines, article_revisions"),
        ("events", "event_codings"),
    ):
        engine, conn = _hold_lock(url, tables)
        try:
            proc = spawn_cli(args, env)
            wait_for(
                lambda running=proc: _lock_waiters(url) > 0 or running.poll() is not None,
                120,
                stage,
            )
            assert proc.poll() is None, proc.communicate()[1][-3000:]
            _kill9(proc)
            if stage == "dedup":  # its fetch freed the killed fetch's leases at once, and said so
                err = proc.stderr.read() if proc.stderr else ""
                assert "no longer running" in err, err[-3000:]
        finally:
            conn.rollback()  # type: ignore[attr-defined]
            conn.close()  # type: ignore[attr-defined]
            engine.dispose()  # type: ignore[attr-defined]

    # 5. one ordinary run heals everything
    started = time.monotonic()
    final = run_cli(args, env)
    report["healing_run_s"] = round(time.monotonic() - started, 1)
    assert final.returncode == 0, final.stderr[-3000:]
    assert "Traceback" not in final.stderr
    found = _invariants(url)
    assert found == {
        "articles": N_ARTICLES,
        "distinct_urls": N_ARTICLES,
        "not_extracted": 0,
        "claimed": 0,
        "raw_pages": N_ARTICLES,
        "not_deduped": 0,
        "not_coded": 0,
        "duplicate_events": 0,
    }, found
    report["after_heal"] = found
    print(json.dumps({"kill9_stages": ["poll", "fetch", "dedup", "events"], **report}))


def test_sigterm_releases_leases_and_stops_workers(own_pg, site: Site, tmp_path: Path) -> None:
    url = own_pg.fresh_database(migrate=True)
    env = _env(url, tmp_path, site)
    site.feed_gate.set()
    proc = spawn_cli(["run", "--feeds", str(site.feeds_file)], env)
    wait_for(lambda: site.article_hits() >= 2, 90, "the fetch")
    workers = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err
    assert scalar(url, "SELECT count(*) FROM articles WHERE claimed_until IS NOT NULL") == 0
    wait_for(lambda: _gone(workers), 15, "workers to stop")


def test_database_restart_mid_run_exits_cleanly_and_the_rerun_heals(
    own_pg, site: Site, tmp_path: Path
) -> None:
    url = own_pg.fresh_database(migrate=True)
    env = _env(url, tmp_path, site)
    site.feed_gate.set()
    args = ["run", "--feeds", str(site.feeds_file)]
    proc = spawn_cli(args, env)
    wait_for(lambda: site.article_hits() >= 2, 90, "the fetch")
    own_pg.stop()
    try:
        site.article_gate.set()  # the fetched pages now need writing: the database is gone
        _, err = proc.communicate(timeout=120)
        at_start = run_cli(["stats"], env)
    finally:
        own_pg.start()
    assert proc.returncode == 3, err[-3000:]
    assert "Traceback" not in err
    assert "lost the connection to the database" in err
    # the same advice and exit code as a database that is down at start-up
    assert at_start.returncode == 3, at_start.stderr[-2000:]
    advice = "Check NEWSWIRE_DATABASE_URL"
    assert advice in err
    assert advice in at_start.stderr
    assert "Traceback" not in at_start.stderr
    healed = run_cli(args, env)
    assert healed.returncode == 0, healed.stderr[-3000:]
    found = _invariants(url)
    assert found["not_extracted"] == 0, found
    assert found["claimed"] == 0, found
    assert found["articles"] == found["distinct_urls"] == N_ARTICLES, found
    print(json.dumps({"database_restart": found, "pid": os.getpid()}))
