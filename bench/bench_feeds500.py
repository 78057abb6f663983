"""One poll cycle over 500 feeds on 100 loopback hosts, cold and warm: wall, requests, bytes, CPU.

The hosts are 127.0.1.1 … 127.0.1.100 (one replay server each, all loopback), five feeds per
host. The feed bodies are the real feeds of ``../shared/corpus/feeds`` (read from there into a
scratch folder outside the project), repeated under distinct URLs, so 500 feeds are 500
distinct (URL, body) pairs to fetch, parse and store, with articles shared between feeds.

*cold*: an empty database, no validators: every feed downloaded, parsed and stored.
*warm*: the next cycle: conditional GET (ETag / Last-Modified), so 304s and nothing to parse.

Each configuration runs on a fresh database and the figures are printed side by side:
``one-by-one`` is the poller without its two cycle-level mechanisms (feedparser on a thread of
the main process, one transaction per feed: what ``main`` did before ``pool+batch`` existed),
``pool+batch`` parses on worker processes (both cores) and writes the polls of many feeds in a
few statements. CPU is user + system of this process and all its descendants (the parsing
workers, under their fork server, included) and, separately, of the PostgreSQL backends
serving the bench's database (the server's share of the machine).

Where the time goes, each part alone over the same 500 bodies: HTTP (the same requests,
nothing parsed), parsing on one core (feedparser itself, and our normalisation on top of it),
and storing the parsed polls into a fresh database, batched and one by one (client and server
CPU).

Usage: ``python bench/bench_feeds500.py [--feeds 500] [--hosts 100]``; needs
``NEWSWIRE_BENCH_DATABASE_URL`` (an admin URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres)
or runs on an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools.replay import ReplayServer  # noqa: E402
from pipeline.config import Settings, get_settings  # noqa: E402
from pipeline.db import make_engine, upgrade  # noqa: E402
from pipeline.http.client import HttpClient  # noqa: E402
from pipeline.stages.feeds.feedfile import FeedConfig  # noqa: E402
from pipeline.stages.feeds.poll import parse_feed, poll_feeds  # noqa: E402

SHARED_FEEDS = (ROOT / ".." / "shared" / "corpus" / "feeds").resolve()


def cpu_seconds() -> float:
    """User + system CPU of this process and every descendant, live or reaped.

    A live process counts its own time; a reaped one is in its parent's ``children_*`` times
    (ours, or the fork server's for the parsing workers it started), so each is counted once.
    """
    me = psutil.Process()
    total = 0.0
    for proc in [me, *me.children(recursive=True)]:
        try:
            t = proc.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system + t.children_user + t.children_system
    return total


def backend_cpu(engine: Any) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to *engine*'s database."""
    from sqlalchemy import text

    with engine.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars()
        out = {}
        for pid in pids:
            try:
                t = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            out[pid] = t.user + t.system
    return out


def server_seconds(before: dict[int, float], after: dict[int, float]) -> float:
    """Server CPU between two :func:`backend_cpu` snapshots (a backend that closed between them
    is missed: the engine's pool keeps its connections, so there are hardly any)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def build_hosts(scratch: Path, hosts: int, per_host: int) -> list[tuple[str, Path]]:
    """``scratch/<ip>/feeds/f<j>.xml``, bodies cycling through the shared corpus' feeds."""
    sources = sorted(p for p in SHARED_FEEDS.iterdir() if p.is_file())
    if not sources:
        raise SystemExit(f"no feeds in {SHARED_FEEDS}")
    out = []
    k = 0
    for h in range(1, hosts + 1):
        ip = f"127.0.1.{h}"
        folder = scratch / ip / "feeds"
        folder.mkdir(parents=True)
        for j in range(per_host):
            shutil.copyfile(sources[k % len(sources)], folder / f"f{j}.xml")
            k += 1
        out.append((ip, scratch / ip))
    return out


def scratch_db(admin_url: str, name: str) -> str:
    from devtools.local_airflow import ensure_database

    url = ensure_database(admin_url, name)
    upgrade(url)
    return url


def drop_db(admin_url: str, name: str) -> None:
    from devtools.local_airflow import drop_database

    drop_database(admin_url, name)


def cycle(
    engine: Any, settings: Settings, feeds: list[FeedConfig], servers: list[ReplayServer], **kw: Any
) -> dict[str, float]:
    hits0 = sum(sum(s._state.hits.values()) for s in servers)
    server0 = backend_cpu(engine)
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    summary = poll_feeds(engine, settings, feeds, **kw)
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    server = server_seconds(server0, backend_cpu(engine))
    from sqlalchemy import text

    with engine.connect() as conn:
        body = conn.execute(
            text(
                "SELECT coalesce(sum(body_bytes), 0) FROM feed_polls WHERE started_at > now() - "
                "make_interval(secs => :s)"
            ),
            {"s": wall + 1},
        ).scalar_one()
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "pg_cpu_s": server,
        "requests": sum(sum(s._state.hits.values()) for s in servers) - hits0,
        "body_MB": body / 1e6,
        "ok": summary.feeds_ok + summary.feeds_partial,
        "unchanged": summary.feeds_unchanged,
        "failed": summary.feeds_failed,
        "new_articles": summary.articles_new,
    }


async def http_only(settings: Settings, feeds: list[FeedConfig]) -> tuple[float, list[Any]]:
    t0 = time.perf_counter()
    async with HttpClient(settings) as client:
        responses = await asyncio.gather(*(client.get(f.url, expect="feed") for f in feeds))
    return time.perf_counter() - t0, list(responses)


def parse_alone(responses: list[Any], settings: Settings) -> tuple[float, float, list[Any]]:
    """CPU on one core of feedparser alone, and of :func:`parse_feed` (feedparser + ours)."""
    import feedparser

    t0 = time.process_time()
    for r in responses:
        feedparser.parse(
            r.body,
            response_headers={"content-location": r.final_url},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    fp = time.process_time() - t0
    t0 = time.process_time()
    parsed = [parse_feed(r.body, r.final_url, settings) for r in responses]
    return fp, time.process_time() - t0, parsed


def store_alone(
    admin: str,
    settings: Settings,
    feeds: list[FeedConfig],
    responses: list[Any],
    parsed: list[Any],
    *,
    batched: bool,
) -> tuple[float, float, float]:
    """Wall, client CPU and server CPU of writing already parsed polls into a fresh database:
    in batches of :data:`WRITE_BATCH` through one writer, or one transaction per feed."""
    import hashlib
    from datetime import UTC, datetime

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from pipeline.models import Feed
    from pipeline.stages.feeds.poll import WRITE_BATCH
    from pipeline.store.feeds import sync_feeds
    from pipeline.store.poll_batch import record_batch
    from pipeline.store.polls import _Outcome, _record_isolated

    name = f"newswire_d_bench500_{os.getpid()}_store_{int(batched)}"
    engine = make_engine(scratch_db(admin, name))
    try:
        sync_feeds(engine, feeds)
        with Session(engine, expire_on_commit=False) as session:
            rows = {f.name: f for f in session.scalars(select(Feed))}
            session.expunge_all()
        now = datetime.now(UTC)
        polls = [
            (
                rows[f.name],
                now,
                _Outcome(
                    p.outcome,
                    r,
                    p,
                    http_status=r.status,
                    body_hash=hashlib.sha256(r.body).hexdigest(),
                ),
            )
            for f, r, p in zip(feeds, responses, parsed, strict=True)
        ]
        server0 = backend_cpu(engine)
        t0, c0 = time.perf_counter(), time.process_time()
        if batched:
            for i in range(0, len(polls), WRITE_BATCH):
                record_batch(engine, settings, polls[i : i + WRITE_BATCH])
        else:
            for feed, started, outcome in polls:
                _record_isolated(engine, settings, feed, started, outcome)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        return wall, cpu, server_seconds(server0, backend_cpu(engine))
    finally:
        engine.dispose()
        drop_db(admin, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=100)
    args = parser.parse_args()
    per_host = max(1, args.feeds // args.hosts)
    admin = os.environ.get("NEWSWIRE_BENCH_DATABASE_URL")
    if not admin:
        import pgserver

        admin = str(pgserver.get_server(Path(tempfile.mkdtemp(prefix="bench-pg-"))).get_uri())
    print(f"load before: {os.getloadavg()}; cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory(prefix="newswire-feeds500-") as tmp, ExitStack() as stack:
        hosts = build_hosts(Path(tmp), args.hosts, per_host)
        servers = [stack.enter_context(ReplayServer(root, host=ip)) for ip, root in hosts]
        feeds = [
            FeedConfig(name=f"h{h:03d}-f{j}", url=srv.url_for(f"feeds/f{j}.xml"), outlet=f"h{h}")
            for h, srv in enumerate(servers, 1)
            for j in range(per_host)
        ]
        settings = get_settings(
            allowed_hosts="127.0.1.0/24",
            per_host_delay=0.0,
            per_host_concurrency=5,
            global_concurrency=64,
            respect_robots=False,
            retries=0,
        )
        c0 = time.process_time()
        wall_http, responses = asyncio.run(http_only(settings, feeds))
        cpu_http = time.process_time() - c0
        fp_cpu, parse_cpu, parsed = parse_alone(responses, settings)
        print(
            f"{len(feeds)} feeds on {len(servers)} hosts, "
            f"{sum(len(r.body) for r in responses) / 1e6:.1f} MB of feed bodies, "
            f"{sum(len(p.entries) for p in parsed)} entries"
        )
        print("where the time goes (each part alone, one process):")
        print(f"  HTTP, 500 requests:         {wall_http:5.1f} s wall, {cpu_http:5.1f} s CPU")
        print(
            f"  parsing, one core:          {parse_cpu:5.1f} s CPU "
            f"(feedparser {fp_cpu:.1f} s, our normalisation {parse_cpu - fp_cpu:.1f} s)"
        )
        for batched in (True, False):
            wall, cpu, server = store_alone(
                admin, settings, feeds, responses, parsed, batched=batched
            )
            label = "batched" if batched else "one by one"
            print(
                f"  storing, {label + ':':18}{wall:5.1f} s wall, {cpu:5.1f} s CPU client, "
                f"{server:5.1f} s CPU PostgreSQL"
            )
        results: dict[str, dict[str, dict[str, float]]] = {}
        for label, kw in (
            ("one-by-one", {"parse_pool": False, "batch_writes": False}),
            ("pool+batch", {}),
        ):
            name = f"newswire_d_bench500_{os.getpid()}_{label.replace('+', '_').replace('-', '_')}"
            url = scratch_db(admin, name)
            engine = make_engine(url)
            try:
                cold = cycle(engine, settings, feeds, servers, **kw)
                warm = cycle(engine, settings, feeds, servers, **kw)
                results[label] = {"cold": cold, "warm": warm}
            finally:
                engine.dispose()
                drop_db(admin, name)
        keys = [
            "wall_s",
            "cpu_s",
            "pg_cpu_s",
            "requests",
            "body_MB",
            "ok",
            "unchanged",
            "failed",
            "new_articles",
        ]
        print(f"{'':22}" + "".join(f"{k:>13}" for k in keys))
        for label, phases in results.items():
            for phase, figures in phases.items():
                row = "".join(
                    f"{figures[k]:>13.2f}" if isinstance(figures[k], float) else f"{figures[k]:>13}"
                    for k in keys
                )
                print(f"{label + ' ' + phase:22}{row}")
        print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
