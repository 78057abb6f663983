"""Why 1: one hostile feed must not stop the others, nor every later run (NUL, 10k entries,
9-10 KB URLs and keys); and Why 7's ISO year -0001."""

from __future__ import annotations

import json
import time
from pathlib import Path

from reliability_harness import (
    Server,
    cli_env,
    rows,
    rss,
    run_cli,
    scalar,
    serving,
    static,
    write_feeds,
)


def _hostile_feeds(server: Server) -> dict[str, str]:
    base = "http://news.example.invalid"
    nul_title = rss(
        [
            {"title": "Minister\x00 resigns\x01\x1f", "link": f"{base}/nul", "guid": "nul-1"},
            {"title": "Plain", "link": f"{base}/plain"},
        ]
    )
    # feedparser keeps a NUL that arrives as a character reference in its text
    nul_ref = rss([{"title": "Ref &#0; title", "link": f"{base}/nulref", "description": "x"}])
    many = rss([{"title": f"Item {i}", "link": f"{base}/many/{i}"} for i in range(10_000)])
    long_url = f"{base}/long?" + "q=" + "a" * 9_000
    long_guid = "urn:guid:" + "g" * 10_000
    long_keys = rss(
        [
            {"title": "Long link", "link": long_url},
            {"title": "Long guid", "link": f"{base}/longguid", "guid": long_guid},
            {"title": "Fine", "link": f"{base}/fine"},
        ]
    )
    bad_year = rss(
        [
            {
                "title": "No date",
                "link": f"{base}/year",
                "pubDate": "-0001-11-30T00:00:00Z",
            }
        ]
    )
    normal = rss([{"title": "Normal", "link": f"{base}/normal"}])
    return {
        "nul": server.add("/nul.xml", static(nul_title)),
        "nulref": server.add("/nulref.xml", static(nul_ref)),
        "many": server.add("/many.xml", static(many)),
        "longkeys": server.add("/long.xml", static(long_keys)),
        "badyear": server.add("/year.xml", static(bad_year)),
        "normal": server.add("/normal.xml", static(normal)),
    }


def test_hostile_feeds_are_recorded_and_the_rest_goes_on(own_pg, tmp_path: Path) -> None:
    url = own_pg.fresh_database()
    with serving(Server()) as server:
        feeds = write_feeds(tmp_path / "feeds.yaml", _hostile_feeds(server))
        env = cli_env(url, tmp_path, allowed_hosts=f"127.0.0.1:{server.port}")
        started = time.monotonic()
        first = run_cli(["poll", "--feeds", str(feeds)], env)
        seconds = time.monotonic() - started
        assert first.returncode == 0, first.stderr[-3000:]
        assert "Traceback" not in first.stderr
        polls = {
            r.name: (r.outcome, r.error, r.warning, r.entries_seen)
            for r in rows(
                url,
                "SELECT f.name, p.outcome, p.error, p.warning, p.entries_seen FROM feed_polls p"
                " JOIN feeds f ON f.id = p.feed_id",
            )
        }
        assert set(polls) == {"nul", "nulref", "many", "longkeys", "badyear", "normal"}
        assert all(outcome in {"ok", "partial"} for outcome, *_ in polls.values()), polls
        assert polls["many"][3] == 10_000
        assert scalar(url, "SELECT count(*) FROM articles WHERE url LIKE '%/many/%'") == 10_000
        # the 9 KB link is refused with a note; the 10 KB GUID is keyed by its hash
        assert "refused" in (polls["longkeys"][2] or "")
        assert scalar(url, "SELECT count(*) FROM articles WHERE url LIKE '%/long?%'") == 0
        assert scalar(url, "SELECT count(*) FROM feed_entries WHERE entry_key LIKE 'sha256:%'") == 1
        titles = [r[0] for r in rows(url, "SELECT feed_title FROM articles WHERE feed_title <> ''")]
        assert not any("\x00" in t or "\x01" in t for t in titles)
        assert "Minister resigns" in titles
        # ISO year -0001 is "no date", not 1 January 2000
        assert scalar(url, "SELECT feed_published_at FROM articles WHERE url LIKE '%/year'") is None

        # the body hashes were saved: the next run sees every feed unchanged, quickly
        second = run_cli(["poll", "--feeds", str(feeds)], env)
        assert second.returncode == 0, second.stderr[-3000:]
        outcomes = rows(
            url,
            "SELECT outcome, count(*) FROM feed_polls WHERE id > 6 GROUP BY 1",
        )
        assert dict(outcomes) == {"unchanged": 6}
    report = {"hostile_feeds": 6, "first_poll_seconds": round(seconds, 1)}
    print(json.dumps(report))
