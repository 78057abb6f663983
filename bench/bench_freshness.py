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

WebSub (``--hub-share``, default ``0,real,1``): the stream policy runs once per share, with
that share of the feeds announcing a loopback hub (``devtools/websub_hub.py``) that pushes
every new entry, signed, to our receiver (``pipeline.services.websub``, processing in-process)
as soon as the publisher adds it. ``real`` is the share of the shared corpus's real feeds
(``../shared/corpus/feeds``) that announce a hub, computed by our own discovery code (4 of
38 when measured); without the corpus it falls back to 0.1 and says so. The stream policy
also runs the dispatcher's subscription upkeep every cycle (the lease, ``--lease-minutes``,
is 30 nominal minutes by default, so renewals happen, and are counted, within the run). The
fixed policy ignores hubs (a 15-minute poller). Requests = every HTTP request the publisher
receives for feeds: feed polls and subscription requests to its hub (article pages are the
same for every policy and not counted); pushes (sent by the hub) are counted apart.

Time is compressed by ``--speedup`` (default 10): every duration (publisher gaps, the 30 s and
15 min cadences, min/max poll interval, the rate window) is divided by it, so a 5-minute run
covers 50 nominal minutes. Lags are measured in real seconds from the publisher's own record of
when each entry appeared, and reported multiplied back to nominal seconds — which inflates the
pipeline's own processing time by the same factor (conservative for both policies).

Prints, per policy: lag p50/p95 publication → discovered / stored / coded, for all feeds and for
the feeds publishing at least hourly; feed requests in total and per feed; then the ratios.

``--airflow`` runs the stream DAGs in a real local Airflow instead, in real time
(bench/freshness_airflow.py says how, and how the fixed baseline is computed there).

Usage: ``python bench/bench_freshness.py [--minutes 5] [--speedup 10] [--hub-share 0,real,1]
[--airflow --rate-scale 10]`` with
``NEWSWIRE_BENCH_DATABASE_URL`` (an admin URL) or an embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import email.utils
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from freshness_report import FEEDS, publication_lags, read_lags, report  # noqa: E402

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
    hubbed: frozenset[int] = frozenset()
    hub_url: str | None = None

    def body(self, feed: int, host: str, now: float) -> tuple[bytes, str]:
        """The feed's body at *now* (its last 20 entries) and its ETag."""
        entries = self.published(feed, now)[-20:]
        etag = f'"{feed}-{len(entries) and entries[-1]}"'
        items = "".join(
            f"<item><title>Feed {feed} story {i}</title>"
            f"<link>http://{host}/a/{feed}/{i}</link>"
            f"<guid>f{feed}-{i}</guid><pubDate>"
            f"{email.utils.formatdate(self.when(feed, i), usegmt=True)}</pubDate></item>"
            for i in reversed(entries)
        )
        links = (
            f'<atom:link rel="hub" href="{self.hub_url}"/>'
            f'<atom:link rel="self" href="http://{host}/feed/{feed}.xml"/>'
            if feed in self.hubbed and self.hub_url
            else ""
        )
        body = (
            '<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
            f"<channel><title>Feed {feed}</title><link>http://example.invalid/</link>{links}"
            f"{items}</channel></rss>"
        ).encode()
        return body, etag

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
                body, etag = pub.body(feed, self.headers["Host"], now)
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", None, etag)
                    return
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


def hubbed_feeds(share: float) -> frozenset[int]:
    """Which feeds announce a hub at *share*: ``round(share × 50)`` feeds, a stable spread over
    all publication rates (ordered by the golden-ratio sequence), so a share mixes fast and
    slow feeds."""
    order = sorted(range(FEEDS), key=lambda i: (i * 0.6180339887) % 1.0)
    return frozenset(order[: round(share * FEEDS)])


def corpus_hub_share() -> tuple[float, str]:
    """The share of the shared corpus's real feeds that announce a hub, by our discovery."""
    from pipeline.stages.feeds.parsing import parse_feed
    from pipeline.stages.feeds.websub import discover

    folder = ROOT.parent / "shared" / "corpus" / "feeds"
    files = sorted(folder.glob("*.xml")) if folder.is_dir() else []
    if not files:
        return 0.1, f"{folder} absent: real-world share assumed 0.1"
    settings = get_settings()
    found = 0
    for path in files:
        url = f"https://example.invalid/{path.name}"
        parsed = parse_feed(path.read_bytes(), url, settings)
        found += discover([], [{"rel": r, "href": h} for r, h in parsed.links], url) is not None
    return found / len(files), f"{found} of {len(files)} real feeds in {folder} announce a hub"


class Notifier:
    """The publisher's side of WebSub: at each new entry of a hubbed feed, the hub pushes."""

    def __init__(self, pub: Publisher, hub: Any, base: str, duration: float) -> None:
        self.pub, self.hub, self.base = pub, hub, base
        self.events = sorted(
            (offset, feed)
            for feed in pub.hubbed
            for offset in pub.timelines[feed]
            if 0 <= offset <= duration
        )
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        host = self.base.removeprefix("http://")
        for offset, feed in self.events:
            wait = self.pub.start + offset - time.time()
            if wait > 0 and self.stop.wait(wait):
                return
            body, _ = self.pub.body(feed, host, time.time())
            self.hub.publish(f"{self.base}/feed/{feed}.xml", body)


def run_policy(
    policy: str,
    admin: str,
    pub_timelines: list[list[float]],
    args: argparse.Namespace,
    share: float = 0.0,
) -> dict[str, Any]:
    from devtools.local_airflow import ensure_database
    from devtools.websub_hub import LoopbackHub
    from pipeline.services.streaming import maintain_websub
    from pipeline.services.websub import Receiver
    from pipeline.stages.feeds.poll import poll_feeds

    k = args.speedup
    name = f"newswire_d_fresh_{os.getpid()}_{policy}_{round(share * 1000)}"
    url = ensure_database(admin, name)
    upgrade(url)
    engine = make_engine(url)
    hubbed = hubbed_feeds(share) if policy == "stream" else frozenset()
    pub = Publisher(pub_timelines, requests=[0] * FEEDS, hubbed=hubbed)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(pub))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    hub = LoopbackHub().start() if hubbed else None
    pub.hub_url = hub.url if hub else None
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
        websub_lease_seconds=max(1, round(args.lease_minutes * 60 / k)),
        websub_verify_timeout_seconds=600 / k,
    )
    receiver = None
    if hub is not None:
        receiver = Receiver(
            engine,
            settings,
            "127.0.0.1",
            0,
            processor=lambda ids: process(engine, settings, list(ids)),
        ).start()
        host, port = receiver.address
        settings = settings.model_copy(update={"websub_callback_url": f"http://{host}:{port}"})
    cadence = (30 if policy == "stream" else 900) / k
    cycles = 0
    notifier = None
    try:
        # warm-up, not measured: the history every feed lists at the start is discovered and
        # processed first (the same for both policies), hubs are subscribed to, then the clock
        # starts
        pub.start = time.time()
        process(engine, settings, poll_feeds(engine, settings, feeds).new_article_ids)
        if hub is not None:
            maintain_websub(engine, settings)
            deadline = time.time() + 30
            while len(hub.subscriptions) < len(hubbed) and time.time() < deadline:
                time.sleep(0.1)
        pub.start = time.time()
        end = pub.start + args.minutes * 60
        if hub is not None:
            notifier = Notifier(pub, hub, base, args.minutes * 60)
            notifier.thread.start()
        while time.time() < end:
            tick = time.time()
            summary = poll_feeds(engine, settings, feeds, due_only=policy == "stream")
            if policy == "stream":
                maintain_websub(engine, settings)
            process(engine, settings, summary.new_article_ids)
            cycles += 1
            time.sleep(max(0.0, min(cadence - (time.time() - tick), end - time.time())))
        if notifier is not None:
            notifier.stop.set()
        # what was published before the end, and when the pipeline saw, stored, coded it
        with engine.connect() as conn:
            rows, view = read_lags(conn)
            states = dict(
                conn.execute(
                    text("SELECT state, count(*) FROM websub_subscriptions GROUP BY state")
                ).all()
            )
            pushes_stored = conn.scalar(text("SELECT count(*) FROM feed_polls WHERE kind='push'"))
    finally:
        if notifier is not None:
            notifier.stop.set()
        if receiver is not None:
            receiver.close()
        if hub is not None:
            hub.close()
        server.shutdown()
        engine.dispose()
        from devtools.local_airflow import drop_database

        drop_database(admin, name)
    feed_lags, missed = publication_lags(
        rows, pub.timelines[:FEEDS], pub.start, base, args.minutes, end, k
    )
    hub_requests = hub.requests if hub is not None else 0
    return {
        "feed_lags": feed_lags,
        "hubbed_set": hubbed,
        "feed_requests": sum(pub.requests),
        "hub_requests": hub_requests,
        "requests": sum(pub.requests) + hub_requests,
        "per_feed": (sum(pub.requests) + hub_requests) / FEEDS,
        "pushes": len(hub.pushes) if hub is not None else 0,
        "pushes_stored": int(pushes_stored or 0),
        "subscriptions": states,
        "hubbed": len(hubbed),
        "hubbed_hourly": sum(1 for f in hubbed if args.gaps[f] <= 3600),
        "cycles": cycles,
        "not_discovered": missed,
        "view": dict(view) if view else {},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="real minutes per policy")
    parser.add_argument("--speedup", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--hub-share",
        default="0,real,1",
        help="comma-separated shares of feeds with a WebSub hub for the stream policy; "
        "'real' = the shared corpus's share",
    )
    parser.add_argument(
        "--lease-minutes",
        type=float,
        default=30.0,
        help="nominal WebSub lease the subscriber asks for (short by default so that renewals "
        "happen, and are counted, within the run; real hubs grant days)",
    )
    parser.add_argument(
        "--airflow",
        action="store_true",
        help="poll with a running local Airflow in real time (bench/freshness_airflow.py) "
        "instead of the service loop; no hubs, fixed baseline analytic",
    )
    parser.add_argument(
        "--rate-scale",
        type=float,
        default=10.0,
        help="--airflow only: divide every publisher mean gap by this (the clock is real)",
    )
    parser.add_argument(
        "--drain-seconds",
        type=float,
        default=120.0,
        help="--airflow only: keep Airflow running this long after the publisher stops, so "
        "late entries are seen (their polls are not counted)",
    )
    args = parser.parse_args()
    admin = os.environ.get("NEWSWIRE_BENCH_DATABASE_URL")
    if not admin:
        import pgserver

        admin = str(pgserver.get_server(Path(tempfile.mkdtemp(prefix="bench-pg-"))).get_uri())
    if args.airflow:
        from freshness_airflow import run_under_airflow

        run_under_airflow(admin, args)
        return
    shares: list[float] = []
    for part in args.hub_share.split(","):
        if part.strip() == "real":
            share, note = corpus_hub_share()
            print(f"real-world hub share {share:.3f}: {note}")
            shares.append(share)
        else:
            shares.append(float(part))
    pub_timelines, args.gaps = timelines(args.seed, args.minutes * 60, args.speedup)
    published = sum(1 for t in pub_timelines for o in t if 0 <= o <= args.minutes * 60)
    hourly = sum(1 for g in args.gaps if g <= 3600)
    print(
        f"load before: {os.getloadavg()}; {FEEDS} feeds ({hourly} publish at least hourly), "
        f"{published} entries in {args.minutes} min real = {args.minutes * args.speedup:.0f} "
        f"nominal min (speedup {args.speedup})"
    )
    results: dict[str, dict[str, Any]] = {}
    results["fixed"] = run_policy("fixed", admin, pub_timelines, args)
    print(f"load after fixed: {os.getloadavg()}", flush=True)
    for share in shares:
        label = f"hub {share:.3f}"
        results[label] = run_policy("stream", admin, pub_timelines, args, share)
        print(f"load after stream, {label}: {os.getloadavg()}", flush=True)
    report(results, args)


if __name__ == "__main__":
    main()
