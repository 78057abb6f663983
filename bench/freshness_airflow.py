"""bench_freshness ``--airflow``: the same simulated publisher, polled by a running local Airflow.

Airflow is started the way ``devtools/local_airflow.py`` and tests/airflow start it
(LocalExecutor; api-server, scheduler, dag-processor; our ``dags/``; metadata in a scratch
database of its own next to a scratch article database). DAGs are created paused; only
``newswire_stream`` (the 30 s dispatcher) and ``newswire_stream_process`` are unpaused —
``newswire_ingest`` (the 15-minute safety net) stays **paused**, so every article stored was
found by the stream path. The tasks read the bench's feeds file (50 loopback feeds) and the
production poll settings (``NEWSWIRE_MIN_POLL_SECONDS`` 60 … ``MAX`` 3600, rate window 6 h):
nothing is compressed, Airflow's cadence is real.

Because the clock is real, the publisher's log-spaced mix is scaled instead: every mean gap
is divided by ``--rate-scale`` (default 10: one entry every 12 s … every 72 min), so a few
real minutes hold enough entries. "hourly+" here means a *real* mean gap ≤ 1 h. Lags are in
real seconds. After the publisher stops, Airflow runs ``--drain-seconds`` (120) more so that
late entries are seen; requests are counted up to the end of publishing only.

The fixed 15-minute baseline needs no Airflow and is not re-run: over any publisher timeline
a 15-minute poll at an unknown phase finds an entry after a uniform 0 … 900 s, so its
discovery lag is p50 450 s / p95 855 s (processing time excluded, which only adds), and it
sends 50 × run / 900 s requests. Its measured service-loop figures are in the README.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

FIXED_INTERVAL = 900.0
STREAM_DAGS = ("newswire_stream", "newswire_stream_process")


def fixed_baseline(feed_lags: dict[int, dict[str, list[float]]], minutes: float) -> dict[str, Any]:
    """The fixed 15-minute schedule over the same entries: discovery lag uniform in 0 … 900 s
    (an unknown phase), so each entry's lag is the matching quantile of that uniform law;
    requests = one poll per feed per 900 s of the run."""
    from freshness_report import FEEDS

    out: dict[int, dict[str, list[float]]] = {}
    for feed, stages in feed_lags.items():
        n = len(stages.get("stored", []))
        lags = [FIXED_INTERVAL * (i + 0.5) / n for i in range(n)]
        out[feed] = {"discovered": lags, "stored": lags, "coded": lags}
    requests = FEEDS * minutes * 60 / FIXED_INTERVAL
    return {
        "feed_lags": out,
        "hubbed_set": frozenset(),
        "feed_requests": round(requests),
        "hub_requests": 0,
        "requests": requests,
        "per_feed": requests / FEEDS,
        "pushes": 0,
        "pushes_stored": 0,
        "subscriptions": {},
        "hubbed": 0,
        "hubbed_hourly": 0,
        "cycles": round(minutes * 60 / FIXED_INTERVAL, 2),
        "not_discovered": 0,
        "view": {},
    }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_airflow_policy(
    admin: str, pub_timelines: list[list[float]], args: argparse.Namespace
) -> dict[str, Any]:
    """One stream run under a real local Airflow; lags per feed read from the database."""
    from bench_freshness import Publisher, make_handler, process
    from freshness_report import FEEDS, publication_lags, read_lags

    from devtools.local_airflow import (
        AirflowClient,
        AirflowLayout,
        LocalAirflow,
        drop_database,
        ensure_database,
        prepare,
    )
    from pipeline.config import get_settings
    from pipeline.db import make_engine, upgrade
    from pipeline.stages.feeds.feedfile import FeedConfig
    from pipeline.stages.feeds.poll import poll_feeds
    from pipeline.store.feeds import sync_feeds

    tag = f"{os.getpid()}_{free_port()}"
    article_db, meta_db = f"newswire_d_fresh_af_{tag}", f"airflow_fresh_{tag}"
    url = ensure_database(admin, article_db)
    upgrade(url)
    engine = make_engine(url)
    pub = Publisher(pub_timelines, requests=[0] * FEEDS)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(pub))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    home = Path(tempfile.mkdtemp(prefix="bench-fresh-airflow-"))
    feeds = [
        FeedConfig(name=f"f{i:02d}", url=f"{base}/feed/{i}.xml", outlet=f"o{i}")
        for i in range(FEEDS)
    ]
    feeds_file = home / "feeds.yaml"
    feeds_file.write_text(
        yaml.safe_dump([{"name": f.name, "url": f.url, "outlet": f.outlet} for f in feeds])
    )
    politeness = {
        "allowed_hosts": "127.0.0.1",
        "per_host_delay": 0.0,
        "per_host_concurrency": 16,
        "respect_robots": False,
        "retries": 0,
    }
    env = {f"NEWSWIRE_{k.upper()}": str(v) for k, v in politeness.items()}
    env.update(
        {
            "NEWSWIRE_FEEDS_FILE": str(feeds_file),
            "NEWSWIRE_DATA_DIR": str(home / "data"),
            "NEWSWIRE_WORKERS": "1",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        }
    )
    layout = AirflowLayout(
        home=home,
        metadata_url=ensure_database(admin, meta_db),
        article_url=url,
        port=free_port(),
        extra_env=env,
    )
    airflow = LocalAirflow(layout, ("api-server", "scheduler", "dag-processor"))
    client: AirflowClient | None = None
    try:
        # warm-up, not measured (as the service-loop bench): the history every feed lists is
        # discovered and processed first, and each feed's first next-poll time is learned
        settings = get_settings(**politeness)
        pub.start = time.time()  # the history only: entries at offsets <= 0
        sync_feeds(engine, feeds)
        process(engine, settings, poll_feeds(engine, settings, feeds).new_article_ids)
        t0 = time.time()
        prepare(layout)
        airflow.start()
        airflow.wait_healthy(timeout=600)
        client = AirflowClient(layout.base_url, *layout.login())
        for dag_id in STREAM_DAGS:
            client.wait_for_dag(dag_id, timeout=600)
        print(f"airflow up in {time.time() - t0:.0f} s; load {os.getloadavg()}", flush=True)
        with pub.lock:
            pub.start = time.time()
            pub.requests[:] = [0] * FEEDS
        for dag_id in STREAM_DAGS:
            client.set_paused(dag_id, False)
        end = pub.start + args.minutes * 60
        while time.time() < end:
            airflow.check_alive()
            time.sleep(min(10.0, max(0.0, end - time.time())))
        requests = list(pub.requests)  # the run's polls; the drain's are not counted
        # drain: entries published before the end get ``--drain-seconds`` more to be seen, so
        # fewer lags are censored (a lower bound) at the end
        drained = end + args.drain_seconds
        while time.time() < drained:
            airflow.check_alive()
            time.sleep(min(10.0, max(0.0, drained - time.time())))
        end = drained
        runs = {d: len(client.runs(d)) for d in STREAM_DAGS}
        ingest_paused = client.dag("newswire_ingest")["is_paused"]
        with engine.connect() as conn:
            rows, view = read_lags(conn)
    finally:
        if client is not None:
            client.close()
        airflow.stop()
        server.shutdown()
        engine.dispose()
        drop_database(admin, article_db)
        drop_database(admin, meta_db)
        shutil.rmtree(home, ignore_errors=True)
    feed_lags, missed = publication_lags(
        rows, pub.timelines[:FEEDS], pub.start, base, args.minutes, end
    )
    print(f"dag runs {runs}; newswire_ingest paused: {ingest_paused}", flush=True)
    return {
        "feed_lags": feed_lags,
        "hubbed_set": frozenset(),
        "feed_requests": sum(requests),
        "hub_requests": 0,
        "requests": sum(requests),
        "per_feed": sum(requests) / FEEDS,
        "pushes": 0,
        "pushes_stored": 0,
        "subscriptions": {},
        "hubbed": 0,
        "hubbed_hourly": 0,
        "cycles": runs["newswire_stream"],
        "not_discovered": missed,
        "view": dict(view) if view else {},
    }


def run_under_airflow(admin: str, args: argparse.Namespace) -> None:
    """``--airflow``: one stream run under a local Airflow, next to the analytic fixed schedule."""
    from bench_freshness import timelines
    from freshness_report import FEEDS, report

    pub_timelines, gaps = timelines(args.seed, args.minutes * 60, args.rate_scale)
    args.gaps = [g / args.rate_scale for g in gaps]  # real seconds: the clock is not compressed
    published = sum(1 for t in pub_timelines for o in t if 0 <= o <= args.minutes * 60)
    hourly = sum(1 for g in args.gaps if g <= 3600)
    print(
        f"load before: {os.getloadavg()}; {FEEDS} feeds, mean gaps / {args.rate_scale:g} "
        f"({hourly} publish at least hourly, real time), {published} entries in "
        f"{args.minutes} real min; under a running Airflow, no compression"
    )
    stream = run_airflow_policy(admin, pub_timelines, args)
    print(f"load after airflow: {os.getloadavg()}", flush=True)
    fixed = fixed_baseline(stream["feed_lags"], args.minutes)
    print("(--airflow: no compression, so the lags below are real seconds)")
    report({"fixed": fixed, "airflow": stream}, args)
