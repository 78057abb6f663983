"""One poll cycle over 500 feeds on 100 loopback hosts, cold and warm: wall, requests, bytes, CPU.

The hosts are 127.0.1.1 … 127.0.1.100 (one replay server each, all loopback), five feeds per
host. The feed bodies are the real feeds of ``../shared/corpus/feeds`` (read from there into a
scratch folder outside the project), repeated under distinct URLs, so 500 feeds are 500
distinct (URL, body) pairs to fetch, parse and store, with articles shared between feeds.

*cold*: an empty database, no validators: every feed downloaded, parsed and stored.
*warm*: the next cycle: conditional GET (ETag / Last-Modified), so 304s and nothing to parse.

Each configuration runs on a fresh database and the figures are printed side by side:
``baseline`` is the poller as it was (feedparser on threads of the main process, one
transaction per feed), ``pool+batch`` parses on a process pool (both cores) and writes the
polls in batches. Where the time goes: HTTP alone (the same requests, nothing parsed), parsing
alone (single core, in process), and the rest (storing) by difference.

Usage: ``python bench/bench_feeds500.py [--feeds 500] [--hosts 100]``; needs
``NEWSWIRE_BENCH_DATABASE_URL`` (an admin URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres)
or runs on an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
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
    """User + system CPU of this process and every child (pool workers included)."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:
            continue
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return total + children.ru_utime + children.ru_stime


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
    cpu0, t0 = cpu_seconds(), time.perf_counter()
    summary = poll_feeds(engine, settings, feeds, **kw)
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
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
        "requests": sum(sum(s._state.hits.values()) for s in servers) - hits0,
        "body_MB": body / 1e6,
        "ok": summary.feeds_ok + summary.feeds_partial,
        "unchanged": summary.feeds_unchanged,
        "failed": summary.feeds_failed,
        "new_articles": summary.articles_new,
    }


async def http_only(settings: Settings, feeds: list[FeedConfig]) -> tuple[float, list[tuple]]:
    t0 = time.perf_counter()
    async with HttpClient(settings) as client:
        responses = await asyncio.gather(*(client.get(f.url, expect="feed") for f in feeds))
    return time.perf_counter() - t0, [(r.body, r.final_url) for r in responses]


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
        wall_http, bodies = asyncio.run(http_only(settings, feeds))
        t0 = time.process_time()
        for body, url in bodies:
            parse_feed(body, url, settings)
        parse_cpu = time.process_time() - t0
        print(
            f"{len(feeds)} feeds on {len(servers)} hosts, "
            f"{sum(len(b) for b, _ in bodies) / 1e6:.1f} MB of feed bodies"
        )
        print(
            f"where the time goes: HTTP alone {wall_http:.1f} s wall; "
            f"parsing alone {parse_cpu:.1f} s CPU on one core"
        )
        results: dict[str, dict[str, dict[str, float]]] = {}
        for label, kw in (
            ("baseline", {"parse_pool": False, "batch_writes": False}),
            ("pool+batch", {}),
        ):
            name = f"newswire_d_bench500_{os.getpid()}_{label.replace('+', '_')}"
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
