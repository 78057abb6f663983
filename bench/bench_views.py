"""Dashboard queries at scale: 2 M articles, 10 M events, 500 feeds, one year, loaded with COPY.

    .venv/bin/python bench/bench_views.py                  # load once (kept), refresh, time
    .venv/bin/python bench/bench_views.py --drop           # ... and drop the database at the end
    .venv/bin/python bench/bench_views.py --events 200000 --articles 40000   # a quick small run

Synthetic but shaped like the pipeline's output: feeds polled hourly (mostly unchanged, some
feeds failing for days), articles following a daily cycle with a log-normal lag from publication
to storage, about a third of them syndicated copies folded into stories, events on canonical
articles only with a Zipf-like spread of countries and GDELT-like shares of CAMEO root codes.
The database (default ``newswire_bench_views`` on 127.0.0.1:5432) is migrated with the real
migrations and views; it is kept between runs so indexes can be iterated on without reloading
(`--reload` rebuilds it, `--drop` removes it).

Each typical dashboard query is run once to warm the cache, then timed ``--repeat`` times
(client-side, median and best), and its ``EXPLAIN (ANALYZE, BUFFERS)`` plan is saved under
``bench/out/views/``. The baseline, measured in the same run, answers the same questions from the
live (non-materialized) views, and feed health without the indexes migration 0008 adds.
This is not a labelled benchmark (no tune/report split applies): the numbers are timings.
"""

from __future__ import annotations

import argparse
import io
import itertools
import math
import random
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.db import normalise_url, upgrade  # noqa: E402
from pipeline.store.views import load_views, refresh_materialized  # noqa: E402

OUT = ROOT / "bench" / "out" / "views"

_CODES = (
    "USA CHN RUS UKR GBR FRA DEU ISR IRN IND PAK JPN KOR PRK TUR SYR IRQ SAU EGY BRA MEX CAN AUS "
    "ITA ESP POL NGA ZAF KEN ETH AFG VEN COL ARG IDN PHL VNM THA MMR BGD LBN JOR QAT ARE YEM LBY "
    "SDN SOM MLI NER HTI CUB NLD BEL SWE NOR FIN GRC SRB HUN TWN"
)
COUNTRIES = _CODES.split()  # ordered by how often they appear in the news (roughly)
ROLES = ("", "", "GOV", "GOV", "MIL", "OPP", "BUS", "MED")
# CAMEO root code -> (share of events, Goldstein of its typical code)
ROOTS = {
    "01": (10, 0.0), "02": (8, 3.0), "03": (9, 4.0), "04": (20, 1.0), "05": (7, 3.5),
    "06": (3, 6.0), "07": (3, 7.0), "08": (3, 5.0), "09": (2, -2.0), "10": (3, -5.0),
    "11": (6, -2.0), "12": (3, -4.0), "13": (3, -6.0), "14": (3, -6.5), "15": (1, -7.2),
    "16": (2, -4.0), "17": (4, -7.0), "18": (4, -9.0), "19": (5, -10.0), "20": (1, -10.0),
}  # fmt: skip
MODALITIES = (("asserted", 80), ("reported", 8), ("future", 6), ("negated", 4), ("hypothetical", 2))
REASONS = (("http_4xx", 40), ("http_5xx", 10), ("timeout", 15), ("blocked_or_paywall", 15),
           ("empty_extraction", 10), ("not_html", 5), ("robots_disallowed", 5))  # fmt: skip


def quad(root: str) -> int:
    """CAMEO quad class of a root code."""
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


def _zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (i + 1) ** s for i in range(n)]


class _Copy:
    """Buffered text for COPY ... FROM STDIN (tab-separated, \\N for NULL)."""

    def __init__(self) -> None:
        self.buf = io.StringIO()
        self.rows = 0

    def row(self, *values: object) -> None:
        self.rows += 1
        self.buf.write("\t".join("\\N" if v is None else str(v) for v in values))
        self.buf.write("\n")


def _copy(conn: psycopg.Connection, sql: str, rows: Iterator[_Copy]) -> None:
    with conn.cursor() as cur, cur.copy(sql) as copy:
        for chunk in rows:
            copy.write(chunk.buf.getvalue())


def load(url: str, n_articles: int, n_events: int, n_feeds: int, days: int, seed: int) -> None:
    """Fill a migrated, empty database with synthetic rows (COPY), then index and analyse."""
    rng = random.Random(seed)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(days=days)
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # no FK triggers while loading
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '256MB'")
        dropped = _drop_secondary_indexes(conn, ("articles", "events", "feed_polls", "stories"))
        t0 = time.perf_counter()
        outlets = [f"outlet{i:03d}" for i in range(max(1, n_feeds * 3 // 10))]
        feed_outlet = [outlets[i % len(outlets)] for i in range(n_feeds)]
        feed_cum = list(itertools.accumulate(_zipf_weights(n_feeds, 0.8)))
        chunk = _Copy()
        for f in range(n_feeds):
            chunk.row(f + 1, f"feed{f:03d}", f"http://127.0.0.1:9/feed{f}.xml", feed_outlet[f],
                      "en", "t", 60, end, end - timedelta(hours=1 if f % 20 else 72),
                      0 if f % 20 else 72, start, end)  # fmt: skip
        _copy(conn, "COPY feeds (id, name, url, outlet, language, enabled, poll_interval_minutes, "
              "last_polled_at, last_success_at, consecutive_failures, created_at, updated_at) "
              "FROM STDIN", iter([chunk]))  # fmt: skip
        print(f"  feeds {n_feeds}", flush=True)

        def polls() -> Iterator[_Copy]:
            hours = days * 24
            for f in range(n_feeds):
                out = _Copy()
                chronic = f % 20 == 0  # one feed in 20 failing for its last three days
                for h in range(hours):
                    t = start + timedelta(hours=h, minutes=f % 60)
                    r = rng.random()
                    if chronic and h > hours - 72:
                        outcome, status, err = "failed", 503, "HTTP 503"
                    elif r < 0.04:
                        outcome, status, err = "failed", None, "timeout"
                    elif r < 0.05:
                        outcome, status, err = "partial", 200, None
                    elif r < 0.75:
                        outcome, status, err = "unchanged", 304, None
                    else:
                        outcome, status, err = "ok", 200, None
                    new = rng.randint(1, 6) if outcome in ("ok", "partial") else 0
                    out.row(f + 1, t, t + timedelta(seconds=1), status, new + 20, new, outcome, err)
                yield out

        _copy(conn, "COPY feed_polls (feed_id, started_at, finished_at, http_status, "
              "entries_seen, entries_new, outcome, error) FROM STDIN", polls())  # fmt: skip
        print(
            f"  feed_polls {n_feeds * days * 24:,} ({time.perf_counter() - t0:.0f} s)", flush=True
        )

        # articles: stories of 1 canonical + a geometric number of syndicated copies
        canon: list[tuple[int, datetime]] = []  # extracted canonical articles, for events
        story_rows = _Copy()
        span = (end - start).total_seconds()

        def articles() -> Iterator[_Copy]:
            aid = 0
            story = 0
            out = _Copy()
            while aid < n_articles:
                story += 1
                # daily cycle: more articles in the (UTC) daytime
                while True:
                    pub = start + timedelta(seconds=rng.random() * span)
                    if rng.random() < 0.55 + 0.45 * math.sin(math.pi * pub.hour / 24):
                        break
                copies = 0
                while rng.random() < 0.32 and copies < 12:
                    copies += 1
                first = aid + 1
                for k in range(copies + 1):
                    aid += 1
                    if aid > n_articles:
                        break
                    feed = rng.choices(range(n_feeds), cum_weights=feed_cum)[0]
                    r = rng.random()
                    status = "extracted" if r < 0.88 else "failed" if r < 0.97 else "pending"
                    p = pub + timedelta(minutes=5 * k) if status == "extracted" else None
                    lag = rng.lognormvariate(math.log(20), 1.0)
                    ext = pub + timedelta(minutes=5 * k + lag) if status == "extracted" else None
                    reason = _pick(rng, REASONS) if status == "failed" else None
                    dup = first if k and status == "extracted" else None
                    method = rng.choice(("text", "near", "near")) if dup else None
                    disc = pub + timedelta(minutes=5 * k)
                    sid = story if status == "extracted" else None
                    out.row(aid, f"https://{feed_outlet[feed]}.example/{aid}",
                            f"https://{feed_outlet[feed]}.example/{aid}", "{}", feed + 1,
                            feed_outlet[feed], f"Story {story} copy {k}", p,
                            "page" if p else None, "en", 600 if p else None, status, reason,
                            f"{reason} detail" if reason else None, sid, dup, method,
                            "AP" if copies and k == 0 else None, ext, disc, disc,
                            ext or disc)  # fmt: skip
                    if status == "extracted" and k == 0:
                        canon.append((aid, pub))
                if aid >= first:
                    story_rows.row(story, first, pub, pub)
                if out.rows >= 50_000:
                    yield out
                    out = _Copy()
            yield out

        _copy(conn, "COPY articles (id, canonical_url, url, original_urls, feed_id, outlet, "
              "title, published_at, date_source, language, word_count, status, failure_reason, "
              "failure_detail, story_id, duplicate_of_id, dedup_method, wire_source, "
              "extracted_at, discovered_at, fetched_at, updated_at) FROM STDIN",
              articles())  # fmt: skip
        _copy(
            conn,
            "COPY stories (id, canonical_article_id, created_at, updated_at) FROM STDIN",
            iter([story_rows]),
        )
        print(f"  articles {n_articles:,}, canonical {len(canon):,} "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)  # fmt: skip

        ccum = list(itertools.accumulate(_zipf_weights(len(COUNTRIES), 1.0)))
        roots = list(ROOTS)
        rcum = list(itertools.accumulate(ROOTS[r][0] for r in roots))

        def events() -> Iterator[_Copy]:
            out = _Copy()
            per = n_events / max(1, len(canon))
            made = 0
            for i, (aid, pub) in enumerate(canon):
                target_total = round((i + 1) * per)
                k = 0
                while made < target_total:
                    src = rng.choices(COUNTRIES, cum_weights=ccum)[0]
                    tgt = rng.choices(COUNTRIES, cum_weights=ccum)[0]
                    if tgt == src:
                        tgt = COUNTRIES[(COUNTRIES.index(src) + 1) % len(COUNTRIES)]
                    root = rng.choices(roots, cum_weights=rcum)[0]
                    cameo = f"{root}{rng.randint(0, 4)}"
                    day = (pub - timedelta(days=1 if rng.random() < 0.1 else 0)).date()
                    out.row(aid, k, k, day, "day", "source", src + rng.choice(ROLES), src,
                            "target", tgt + rng.choice(ROLES), tgt, cameo, cameo[:3], root,
                            quad(root), ROOTS[root][1], _pick(rng, MODALITIES), "said", 0, 4, 0,
                            80, 0.8, "bench")  # fmt: skip
                    k += 1
                    made += 1
                if out.rows >= 50_000:
                    yield out
                    out = _Copy()
            yield out

        _copy(conn, "COPY events (article_id, event_index, sentence_index, event_date, "
              "date_precision, source_text, source_code, source_country, target_text, "
              "target_code, target_country, cameo_code, base_code, root_code, quad_class, "
              "goldstein, modality, trigger, trigger_start, trigger_end, start_offset, "
              "end_offset, confidence, coder_version) FROM STDIN", events())  # fmt: skip
        print(f"  events {n_events:,} ({time.perf_counter() - t0:.0f} s)", flush=True)
        for statement in dropped:
            conn.execute(statement)
        for table in ("feeds", "feed_polls", "articles", "stories", "events"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT coalesce(max(id), 1) FROM {table}))")  # fmt: skip
        conn.execute("VACUUM ANALYZE")
        print(f"  indexed and analysed ({time.perf_counter() - t0:.0f} s)", flush=True)


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def _drop_secondary_indexes(conn: psycopg.Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop non-unique indexes before a bulk load; returns the statements that recreate them."""
    rows = conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relname = ANY(%s) AND NOT x.indisunique",
        (list(tables),),
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


# The typical dashboard queries (what the shipped Superset dashboard asks) and, for each, the same
# question asked of the live views: the baseline.
QUERIES: dict[str, tuple[str, str | None]] = {
    "last 24 h, all dyads": (
        "SELECT source_country, target_country, sum(events) AS events, sum(mentions) AS mentions, "
        "round(sum(goldstein_sum) / sum(events), 2) AS goldstein_mean FROM dyad_timeline "
        "WHERE day >= (now() - interval '24 hours')::date GROUP BY 1, 2 "
        "ORDER BY mentions DESC LIMIT 100",
        "SELECT source_country, target_country, sum(events) AS events, sum(mentions) AS mentions "
        "FROM events_daily WHERE day >= (now() - interval '24 hours')::date "
        "AND source_country IS NOT NULL AND target_country IS NOT NULL GROUP BY 1, 2 "
        "ORDER BY mentions DESC LIMIT 100",
    ),
    "30 days, one dyad": (
        "SELECT day, events, mentions, goldstein_sum, goldstein_mean FROM dyad_timeline "
        "WHERE source_country = 'USA' AND target_country = 'CHN' "
        "AND day >= current_date - 30 ORDER BY day",
        "SELECT day, sum(events), sum(mentions) FROM events_daily "
        "WHERE source_country = 'USA' AND target_country = 'CHN' "
        "AND day >= current_date - 30 GROUP BY day ORDER BY day",
    ),
    "one year, one root code": (
        "SELECT day, sum(events) AS events, sum(mentions) AS mentions FROM events_timeline "
        "WHERE root_code = '19' AND day >= current_date - 365 GROUP BY day ORDER BY day",
        "SELECT day, sum(events), sum(mentions) FROM events_daily "
        "WHERE root_code = '19' AND day >= current_date - 365 GROUP BY day ORDER BY day",
    ),
    "top actors this week": (
        "SELECT actor_code, actor_country, events, mentions FROM top_actors_weekly "
        "WHERE week = date_trunc('week', current_date)::date ORDER BY events DESC LIMIT 25",
        "SELECT actor1_code, count(*) AS events FROM events_gdelt "
        "WHERE day >= date_trunc('week', current_date)::date "
        "AND modality NOT IN ('negated', 'hypothetical', 'claimed') "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 25",
    ),
    "feed health": ("SELECT * FROM feed_health ORDER BY error_rate_24h DESC NULLS LAST", None),
}
# other dashboard panels, timed and reported too (not in the list of typical queries)
EXTRA: dict[str, str] = {
    "duplicate rate by outlet, 30 days": (
        "SELECT outlet, sum(articles), sum(duplicates), round(sum(duplicates)::numeric / "
        "sum(articles), 4) FROM duplicate_rate_by_outlet WHERE published_date >= current_date - 30 "
        "GROUP BY outlet ORDER BY 3 DESC LIMIT 25"
    ),
    "failures by reason": "SELECT * FROM failures_by_reason ORDER BY articles DESC",
    "ingestion lag, 30 days": "SELECT * FROM ingestion_lag WHERE day >= current_date - 30",
    "real-world events, last 24 h": (
        "SELECT * FROM real_world_events WHERE day >= (now() - interval '24 hours')::date "
        "ORDER BY n_articles DESC LIMIT 25"
    ),
}


def time_query(conn: psycopg.Connection, sql: str, repeat: int) -> tuple[float, float, str]:
    """Warm once, then (median ms, best ms) over *repeat* runs, and the EXPLAIN ANALYZE plan."""
    conn.execute(sql).fetchall()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        conn.execute(sql).fetchall()
        times.append((time.perf_counter() - t) * 1000)
    plan = "\n".join(
        str(r[0]) for r in conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}").fetchall()
    )
    return statistics.median(times), min(times), plan


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name).strip("_")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="newswire_bench_views")
    parser.add_argument("--articles", type=int, default=2_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reload", action="store_true", help="drop and reload the database")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--baseline-repeat", type=int, default=1, help="timed runs per baseline")
    parser.add_argument(
        "--skip-refresh", action="store_true", help="keep the materialized views as they are"
    )
    args = parser.parse_args()

    admin = make_url(args.admin_url)
    host = admin.host or ""
    if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
        print("bench_views only talks to a loopback PostgreSQL", file=sys.stderr)
        return 2
    url = normalise_url(admin.set(database=args.database).render_as_string(hide_password=False))
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    params = f"{args.articles}/{args.events}/{args.feeds}/{args.days}/{args.seed}"
    with psycopg.connect(args.admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (args.database,)
        ).fetchone()
        if exists and args.reload:
            conn.execute(f'DROP DATABASE "{args.database}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{args.database}"')
    loaded = None
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (params text, loaded_at timestamptz)")
        row = conn.execute("SELECT params FROM bench_meta").fetchone()
        loaded = row[0] if row else None
    if loaded not in (None, params):
        print(f"{args.database} holds another load ({loaded}); use --reload", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    upgrade(url)  # migrations and views (kept when unchanged)
    if loaded is None:
        print(f"loading {params} (articles/events/feeds/days/seed) into {args.database}")
        load(url, args.articles, args.events, args.feeds, args.days, args.seed)
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute("INSERT INTO bench_meta VALUES (%s, now())", (params,))
        print(f"loaded in {time.perf_counter() - t0:.0f} s")
    from pipeline.db import make_engine

    engine = make_engine(url)
    t = time.perf_counter()
    if not args.skip_refresh:
        refresh_materialized(engine)
    else:  # statistics at least (a view just recreated by the upgrade has none)
        with engine.begin() as conn:
            for view in load_views():
                if view.materialized:
                    conn.exec_driver_sql(f"ANALYZE {view.name}")
    refresh_s = time.perf_counter() - t
    engine.dispose()
    OUT.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(libpq, autocommit=True) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in ("articles", "events", "feeds", "feed_polls", "stories")
        }
        loadavg = Path("/proc/loadavg")
        load_avg = loadavg.read_text().split()[:3] if loadavg.exists() else []
        print(
            f"rows: {counts}; refresh of the materialized views (concurrently): "
            f"{refresh_s:.1f} s; load average {' '.join(load_avg)}"
        )
        print(f"\n{'query':38} {'median ms':>10} {'best ms':>9}   {'baseline median ms':>18}")
        worst = 0.0
        for name, (sql, baseline) in QUERIES.items():
            median, best, plan = time_query(conn, sql, args.repeat)
            worst = max(worst, median)
            (OUT / f"{_slug(name)}.plan.txt").write_text(f"{sql}\n\n{plan}\n")
            base = ""
            if baseline and not args.no_baseline:
                b_median, _, b_plan = time_query(conn, baseline, args.baseline_repeat)
                (OUT / f"{_slug(name)}.baseline.plan.txt").write_text(f"{baseline}\n\n{b_plan}\n")
                base = f"{b_median:.1f} (live views)"
            elif name == "feed health" and not args.no_baseline:
                base = _feed_health_without_indexes(conn, sql, args.baseline_repeat)
            print(f"{name:38} {median:10.1f} {best:9.1f}   {base:>18}", flush=True)
        for name, sql in EXTRA.items():
            median, best, plan = time_query(conn, sql, args.repeat)
            (OUT / f"{_slug(name)}.plan.txt").write_text(f"{sql}\n\n{plan}\n")
            print(f"{name:38} {median:10.1f} {best:9.1f}   (other panel)", flush=True)
    print(
        f"\nslowest typical query: {worst:.1f} ms (target 200 ms); plans in {OUT.relative_to(ROOT)}"
    )
    if args.drop:
        with psycopg.connect(args.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{args.database}" WITH (FORCE)')
        print(f"dropped {args.database}")
    return 0


def _feed_health_without_indexes(conn: psycopg.Connection, sql: str, repeat: int) -> str:
    """Feed health timed with migration 0008's two indexes dropped (then rebuilt)."""
    names = ("ix_feed_polls_feed_started", "ix_articles_feed_published")
    defs = [
        r[0]
        for r in conn.execute(
            "SELECT pg_get_indexdef(c.oid) FROM pg_class c WHERE c.relname = ANY(%s)",
            (list(names),),
        ).fetchall()
    ]
    if len(defs) != len(names):
        return "n/a"
    result = "n/a"
    with conn.transaction():  # DDL is transactional: the rollback brings the indexes back
        for name in names:
            conn.execute(f"DROP INDEX {name}")
        median, _, plan = time_query(conn, sql, repeat)
        (OUT / "feed_health.baseline.plan.txt").write_text(f"{sql}\n\n{plan}\n")
        result = f"{median:.1f} (no 0008 indexes)"
        raise psycopg.Rollback()
    return result


if __name__ == "__main__":
    raise SystemExit(main())
