"""Why 5: two runs at once never crash — on a fresh database (migrations and views) and over the
same articles (the events stage re-coding them) — and never duplicate a row."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from reliability_harness import (
    ROOT,
    Server,
    article_html,
    cli_env,
    execute,
    rss,
    scalar,
    serving,
    spawn_cli,
    static,
    write_feeds,
)

TRIALS = 3
N_ARTICLES = 8

_RECODE = """
from pipeline.config import get_settings
from pipeline.db import make_engine
from pipeline.stages.events.stage import code_pending
settings = get_settings()
print(code_pending(make_engine(settings.database_url), settings).articles_coded)
"""


def _counts(url: str) -> dict[str, int]:
    return {
        "articles": scalar(url, "SELECT count(*) FROM articles"),
        "extracted": scalar(url, "SELECT count(*) FROM articles WHERE status = 'extracted'"),
        "raw_pages": scalar(url, "SELECT count(*) FROM raw_pages"),
        "claimed": scalar(url, "SELECT count(*) FROM articles WHERE claimed_until IS NOT NULL"),
        "codings": scalar(url, "SELECT count(*) FROM event_codings"),
        "duplicate_events": scalar(
            url, "SELECT count(*) - count(DISTINCT (article_id, event_index)) FROM events"
        ),
    }


def test_two_runs_at_once_on_a_fresh_database_then_two_recodes(own_pg, tmp_path: Path) -> None:
    with serving(Server()) as server:
        items = []
        for i in range(N_ARTICLES):
            server.add(
                f"/s/{i}", static(article_html(f"Ministers meet in Westmere {i}"), "text/html")
            )
            items.append({"title": f"S{i}", "link": f"{server.base}/s/{i}"})
        feeds = write_feeds(
            tmp_path / "feeds.yaml", {"same": server.add("/f.xml", static(rss(items)))}
        )
        crashes = 0
        results = []
        for trial in range(TRIALS):
            url = own_pg.fresh_database(migrate=False)  # both processes migrate it
            env = cli_env(url, tmp_path, allowed_hosts=f"127.0.0.1:{server.port}")
            procs = [spawn_cli(["run", "--feeds", str(feeds)], env) for _ in range(2)]
            outs = [p.communicate(timeout=300) for p in procs]
            codes = [p.returncode for p in procs]
            crashes += sum(code != 0 for code in codes)
            assert codes == [0, 0], [o[1][-2000:] for o in outs]
            counts = _counts(url)
            assert counts["articles"] == counts["extracted"] == N_ARTICLES, (trial, counts)
            assert counts["raw_pages"] == N_ARTICLES, (trial, counts)  # fetched once, not twice
            assert counts["claimed"] == 0, counts
            assert counts["duplicate_events"] == 0, counts
            results.append(counts)

        # the same articles re-coded by two processes at once (as after a dictionary change)
        recode_env = cli_env(url, tmp_path)
        recode_crashes = 0
        for _ in range(TRIALS):
            assert execute(url, "DELETE FROM event_codings") > 0  # every article is due again
            procs = [
                subprocess.Popen(
                    [sys.executable, "-c", _RECODE],
                    env=recode_env,
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            outs = [p.communicate(timeout=300) for p in procs]
            recode_crashes += sum(p.returncode != 0 for p in procs)
            assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
            counts = _counts(url)
            canonical = N_ARTICLES - scalar(
                url, "SELECT count(*) FROM articles WHERE duplicate_of_id IS NOT NULL"
            )
            # both coded the due articles (the lock serialises them; neither crashed)
            assert sum(int(o[0].split()[-1]) for o in outs) >= canonical, outs
            assert counts["duplicate_events"] == 0, counts
            assert counts["codings"] == canonical, counts
    print(
        json.dumps(
            {
                "concurrent_run_trials": TRIALS,
                "run_crashes": crashes,
                "recode_trials": TRIALS,
                "recode_crashes": recode_crashes,
                "last": results[-1],
            }
        )
    )
