"""bench_freshness's report: lag percentiles per scope, requests, ratios against the fixed
schedule over the same feeds (split from ``bench/bench_freshness.py``)."""

from __future__ import annotations

import argparse
import math
from typing import Any

FEEDS = 50


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


SCOPES = ("all", "hourly+", "hourly+ hub", "hourly+ no hub")


def scope_feeds(scope: str, hubbed: frozenset[int], gaps: list[float]) -> list[int]:
    """The feeds a report line covers."""
    if scope == "all":
        return list(range(FEEDS))
    hourly = [f for f in range(FEEDS) if gaps[f] <= 3600]
    if scope == "hourly+ hub":
        return [f for f in hourly if f in hubbed]
    if scope == "hourly+ no hub":
        return [f for f in hourly if f not in hubbed]
    return hourly


def scope_lags(run: dict[str, Any], feeds: list[int]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for feed in feeds:
        for stage, values in run["feed_lags"].get(feed, {}).items():
            out.setdefault(stage, []).extend(values)
    return out


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    """Print every stream run next to the fixed run (``results["fixed"]``), same feeds."""
    print("nominal seconds from publication; p50 / p95 (n = entries)")
    print("(hub / no hub: the hourly+ feeds with / without a hub in that stream run; the fixed")
    print(" schedule's line for the same feeds follows each)")
    fixed = results["fixed"]
    for label, r in results.items():
        for scope in SCOPES:
            feeds = scope_feeds(scope, r["hubbed_set"], args.gaps)
            if not feeds or label == "fixed":
                continue  # the fixed schedule is printed under each stream run, same feeds
            for name, run in (
                ((label, r), ("  fixed", fixed)) if label != "fixed" else ((label, r),)
            ):
                lags = scope_lags(run, feeds)
                cells = "  ".join(
                    f"{stage} {pct(v, 0.5):7.0f} / {pct(v, 0.95):7.0f}" for stage, v in lags.items()
                )
                n = len(lags.get("stored", []))
                print(f"{scope:15} {name:11} n={n:4}  {cells}")
    for label, r in results.items():
        print(
            f"{label:11} requests {r['requests']} ({r['per_feed']:.1f} per feed: feed polls "
            f"{r['feed_requests']}, hub subscription requests {r['hub_requests']}); "
            f"hubbed feeds {r['hubbed']} ({r['hubbed_hourly']} hourly+), pushes sent "
            f"{r['pushes']}, stored {r['pushes_stored']}, subscriptions {r['subscriptions']}; "
            f"{r['cycles']} cycles, {r['not_discovered']} entries never discovered; "
            f"freshness view (all, real s): {r['view'].get('stored_p95_s')}"
        )
    f = results["fixed"]
    for label, r in results.items():
        if label == "fixed":
            continue
        cells = []
        for scope in SCOPES:
            feeds = scope_feeds(scope, r["hubbed_set"], args.gaps)
            mine = scope_lags(r, feeds).get("stored")
            if mine:
                p95 = pct(mine, 0.95)
                ratio = p95 / pct(scope_lags(f, feeds)["stored"], 0.95)
                cells.append(f"{scope} {ratio:.3f} (p95 {p95:.0f} s)")
        print(
            f"stream {label} vs fixed: p95 publication->stored ratio: {'; '.join(cells)}; "
            f"requests ratio {r['requests'] / f['requests']:.2f}"
        )


def read_lags(conn: Any) -> tuple[list[Any], dict[str, Any] | None]:
    """What the pipeline stored of the published entries — (url, discovered, extracted, coded)
    epochs per article — and the ``freshness`` view's overall row; both policies and the
    Airflow mode read them the same way."""
    from sqlalchemy import text

    rows = conn.execute(
        text(
            "SELECT a.url, extract(epoch from a.discovered_at), "
            "extract(epoch from a.extracted_at), extract(epoch from ec.coded_at) "
            "FROM articles a LEFT JOIN event_codings ec ON ec.article_id = a.id"
        )
    ).all()
    view = conn.execute(text("SELECT * FROM freshness WHERE feed_id IS NULL")).mappings().first()
    return list(rows), dict(view) if view else None


def publication_lags(
    rows: list[Any],
    timelines: list[list[float]],
    start: float,
    base: str,
    minutes: float,
    end: float,
    scale: float = 1.0,
) -> tuple[dict[int, dict[str, list[float]]], int]:
    """Each published article's lag to discovered / stored / coded, per feed, and the missed.

    *rows* are ``read_lags`` rows (url, discovered, stored, coded as epoch seconds). An article
    not seen by *end* is censored at the end (a lower bound on its lag); *scale* turns the
    service loop's compressed seconds back into real ones.
    """
    seen = {r[0]: r[1:] for r in rows}
    feed_lags: dict[int, dict[str, list[float]]] = {}
    missed = 0
    for feed, timeline in enumerate(timelines):
        for i, offset in enumerate(timeline):
            if offset < 0 or offset > minutes * 60:
                continue  # history before the start: no publication lag to measure
            got = seen.get(f"{base}/a/{feed}/{i}")  # articles.url: the link as listed
            published = start + offset
            for stage, value in zip(
                ("discovered", "stored", "coded"), got or (None,) * 3, strict=True
            ):
                lag = (float(value if value is not None else end) - published) * scale
                feed_lags.setdefault(feed, {}).setdefault(stage, []).append(max(lag, 0.0))
            missed += got is None
    return feed_lags, missed
