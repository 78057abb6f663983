"""Freshness: adaptive, due-only polling against the fixed 15-minute schedule, same publisher.

A simulated publisher on 127.0.0.1 adds entries to 50 feeds at varied rates (Poisson, nominal
means from one every 2 minutes to one every 12 hours, log-spaced; seeded, so both policies see
the same timeline) and serves each entry's article page. Two policies run over it, one after
the other, each on a fresh database, each for the same duration:

* **stream** — what ``newswire_stream`` + ``newswire_stream_process`` do, as the same service
  functions in a loop with the same cadence (no Airflow: on this shared 2-core machine a local
  Airflow's task start-up would dominate; the Airflow path itself is tested in
  tests/e2e/test_stream_dags.py): every 30 s ``poll_feeds(due_only=True)``, then fetch +
  extract, dedup and events for the new ids.
* **fixed** — ``newswire_ingest``'s cadence: every 15 minutes poll every feed, then the same.

Time is compressed by ``--speedup`` (default 10): every duration (publisher gaps, the 30 s and
15 min cadences, min/max poll interval, the rate window) is divided by it, so a 5-minute run
covers 50 nominal minutes. Lags are measured in real seconds from the publisher's own record of
when each entry appeared, and reported multiplied back to nominal seconds — which inflates the
pipeline's own processing time by the same factor (conservative for both policies).

Prints, per policy: lag p50/p95 publication → discovered / stored / coded, for all feeds and for
the feeds publishing at least hourly; feed requests in total and per feed; then the ratios.

Usage: ``python bench/bench_freshness.py [--minutes 5] [--speedup 10]`` with
``NEWSWIRE_BENCH_DATABASE_URL`` (an admin URL) or an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import email.utils
import math
import os
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from pipeline.config import Settings, get_settings  # noqa: E402
from pipeline.db import make_engine, upgrade  # noqa: E402
from pipeline.stages.feeds.feedfile import FeedConfig  # noqa: E402

FEEDS = 50
WORDS = (  # noqa: SIM905 - a sentence reads better than a list
    "minister envoy talks summit border trade sanctions treaty ceasefire delegation parliament "
    "election protest agreement embassy officials statement meeting security council region "
    "government opposition economy aid negotiations capital visit president foreign policy"
).split()


@dataclass
class Publisher:
    """Feeds whose entries appear on a precomputed timeline (offsets from ``start``)."""

    timelines: list[list[float]]
    start: float = 0.0
    requests: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def published(self, feed: int, now: float) -> list[int]:
        """Indexes of the entries of *feed* published by *now* (newest last)."""
        t = now - self.start
        return [i for i, offset in enumerate(self.timelines[feed]) if offset <= t]

    def when(self, feed: int, entry: int) -> float:
        return self.start + self.timelines[feed][entry]


def timelines(seed: int, duration: float, speedup: float) -> tuple[list[list[float]], list[float]]:
    """Per feed: publication offsets (real seconds) and the nominal mean gap."""
    rng = random.Random(seed)
    gaps = [120 * (360 ** (i / (FEEDS - 1))) for i in range(FEEDS)]  # 2 min .. 12 h
    out = []
    for gap in gaps:
        t, offsets = 0.0, []
        # a history before the start, so a first poll sees entries with dates
        for k in range(3, 0, -1):
            offsets.append(-k * gap / speedup)
        while True:
            t += rng.expovariate(1.0) * gap / speedup
            if t > duration:
                break
            offsets.append(t)
        out.append(offsets)
    return out, gaps


def make_handler(pub: Publisher) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            now = time.time()
            if parts[0] == "robots.txt":
                self._send(404, b"", "text/plain")
            elif parts[0] == "feed":
                feed = int(parts[1].removesuffix(".xml"))
                with pub.lock:
                    pub.requests[feed] += 1
                entries = pub.published(feed, now)[-20:]
                etag = f'"{feed}-{len(entries) and entries[-1]}"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", None, etag)
                    return
                items = "".join(
                    f"<item><title>Feed {feed} story {i}</title>"
                    f"<link>http://{self.headers['Host']}/a/{feed}/{i}</link>"
                    f"<guid>f{feed}-{i}</guid><pubDate>"
                    f"{email.utils.formatdate(pub.when(feed, i), usegmt=True)}</pubDate></item>"
                    for i in reversed(entries)
                )
                body = (
                    f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}'
                    f"</title><link>http://example.invalid/</link>{items}</channel></rss>"
                ).encode()
                self._send(200, body, "application/rss+xml", etag)
            elif parts[0] == "a":
                feed, entry = int(parts[1]), int(parts[2])
                rng = random.Random(feed * 100_003 + entry)
                paras = "".join(
                    "<p>" + " ".join(rng.choice(WORDS) for _ in range(60)) + ".</p>"
                    for _ in range(5)
                )
                body = (
                    f"<html><head><title>Feed {feed} story {entry}</title></head><body>"
                    f"<article><h1>Feed {feed} story {entry}</h1>{paras}</article></body></html>"
                ).encode()
                self._send(200, body, "text/html; charset=utf-8")
            else:
                self._send(404, b"", "text/plain")

        def _send(
            self, status: int, body: bytes, ctype: str | None, etag: str | None = None
        ) -> None:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def process(engine: Any, settings: Settings, ids: list[int]) -> None:
    from pipeline.stages.dedup import dedup_pending
    from pipeline.stages.events import code_pending
    from pipeline.stages.fetch.stage import fetch_pending

    if not ids:
        return
    summary = fetch_pending(engine, settings, article_ids=ids)
    done = list(getattr(summary, "extracted_ids", None) or ids)
    dedup_pending(engine, settings, article_ids=done)
    code_pending(engine, settings, article_ids=done)


def run_policy(
    policy: str, admin: str, pub_timelines: list[list[float]], args: argparse.Namespace
) -> dict[str, Any]:
    from devtools.local_airflow import ensure_database
    from pipeline.stages.feeds.poll import poll_feeds

    k = args.speedup
    name = f"newswire_d_fresh_{os.getpid()}_{policy}"
    url = ensure_database(admin, name)
    upgrade(url)
    engine = make_engine(url)
    pub = Publisher(pub_timelines, requests=[0] * FEEDS)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(pub))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feeds = [
        FeedConfig(name=f"f{i:02d}", url=f"{base}/feed/{i}.xml", outlet=f"o{i}")
        for i in range(FEEDS)
    ]
    settings = get_settings(
        allowed_hosts="127.0.0.1",
        per_host_delay=0.0,
        per_host_concurrency=16,
        respect_robots=False,
        retries=0,
        workers=2,
        min_poll_seconds=60 / k,
        max_poll_seconds=3600 / k,
        poll_rate_window_seconds=21600 / k,
    )
    cadence = (30 if policy == "stream" else 900) / k
    cycles = 0
    try:
        # warm-up, not measured: the history every feed lists at the start is discovered and
        # processed first (the same for both policies), then the clock starts
        pub.start = time.time()
        process(engine, settings, poll_feeds(engine, settings, feeds).new_article_ids)
        pub.start = time.time()
        end = pub.start + args.minutes * 60
        while time.time() < end:
            tick = time.time()
            summary = poll_feeds(engine, settings, feeds, due_only=policy == "stream")
            process(engine, settings, summary.new_article_ids)
            cycles += 1
            time.sleep(max(0.0, cadence - (time.time() - tick)))
        # what was published before the end, and when the pipeline saw, stored, coded it
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT a.url, extract(epoch from a.discovered_at), "
                    "extract(epoch from a.extracted_at), extract(epoch from ec.coded_at) "
                    "FROM articles a LEFT JOIN event_codings ec ON ec.article_id = a.id"
                )
            ).all()
            view = (
                conn.execute(text("SELECT * FROM freshness WHERE feed_id IS NULL"))
                .mappings()
                .first()
            )
    finally:
        server.shutdown()
        engine.dispose()
        from devtools.local_airflow import drop_database

        drop_database(admin, name)
    seen = {r[0]: r[1:] for r in rows}
    lags: dict[str, dict[str, list[float]]] = {"all": {}, "hourly+": {}}
    missed = 0
    for feed in range(FEEDS):
        hourly = args.gaps[feed] <= 3600
        for i, offset in enumerate(pub.timelines[feed]):
            if offset < 0 or offset > args.minutes * 60:
                continue  # history before the start: no publication lag to measure
            got = seen.get(f"{base}/a/{feed}/{i}")  # articles.url: the link as listed
            published = pub.start + offset
            for stage, value in zip(
                ("discovered", "stored", "coded"), got or (None,) * 3, strict=True
            ):
                # not seen by the end: censored at the end (a lower bound on its lag)
                lag = (float(value if value is not None else end) - published) * k
                for scope in ("all", "hourly+") if hourly else ("all",):
                    lags[scope].setdefault(stage, []).append(max(lag, 0.0))
            missed += got is None
    return {
        "lags": lags,
        "requests": sum(pub.requests),
        "per_feed": sum(pub.requests) / FEEDS,
        "cycles": cycles,
        "not_discovered": missed,
        "view": dict(view) if view else {},
    }


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="real minutes per policy")
    parser.add_argument("--speedup", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    admin = os.environ.get("NEWSWIRE_BENCH_DATABASE_URL")
    if not admin:
        import pgserver

        admin = str(pgserver.get_server(Path(tempfile.mkdtemp(prefix="bench-pg-"))).get_uri())
    pub_timelines, args.gaps = timelines(args.seed, args.minutes * 60, args.speedup)
    published = sum(1 for t in pub_timelines for o in t if 0 <= o <= args.minutes * 60)
    hourly = sum(1 for g in args.gaps if g <= 3600)
    print(
        f"load before: {os.getloadavg()}; {FEEDS} feeds ({hourly} publish at least hourly), "
        f"{published} entries in {args.minutes} min real = {args.minutes * args.speedup:.0f} "
        f"nominal min (speedup {args.speedup})"
    )
    results = {p: run_policy(p, admin, pub_timelines, args) for p in ("stream", "fixed")}
    print(f"load after: {os.getloadavg()}")
    print("nominal seconds from publication; p50 / p95")
    for scope in ("all", "hourly+"):
        for policy, r in results.items():
            cells = "  ".join(
                f"{stage} {pct(v, 0.5):7.0f} / {pct(v, 0.95):7.0f}"
                for stage, v in r["lags"][scope].items()
            )
            print(f"{scope:8} {policy:7} {cells}")
    for policy, r in results.items():
        print(
            f"{policy:7} feed requests {r['requests']} ({r['per_feed']:.1f} per feed), "
            f"{r['cycles']} cycles, {r['not_discovered']} entries never discovered; "
            f"freshness view (all, real s): {r['view'].get('stored_p95_s')}"
        )
    s, f = results["stream"], results["fixed"]
    for scope in ("all", "hourly+"):
        ratio = pct(s["lags"][scope]["stored"], 0.95) / pct(f["lags"][scope]["stored"], 0.95)
        print(f"p95 publication->stored, {scope}: stream/fixed = {ratio:.3f}")
    print(f"feed requests: stream/fixed = {s['requests'] / f['requests']:.2f}")


if __name__ == "__main__":
    main()
