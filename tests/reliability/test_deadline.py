"""Why 3: a server trickling a byte at a time (or stalling before its headers) cannot hold a
poll longer than the total request deadline."""

from __future__ import annotations

import json
import time
from pathlib import Path

from reliability_harness import Server, cli_env, rows, rss, run_cli, serving, static, write_feeds

DEADLINE = 3.0


def _timed_poll(feeds: dict[str, str], url: str, tmp: Path, port: int) -> tuple[float, object]:
    feeds_file = write_feeds(tmp / f"feeds-{len(feeds)}.yaml", feeds)
    env = cli_env(url, tmp, allowed_hosts=f"127.0.0.1:{port}", request_deadline=DEADLINE)
    started = time.monotonic()
    done = run_cli(["poll", "--feeds", str(feeds_file)], env, timeout=120)
    return time.monotonic() - started, done


def test_trickling_and_stalling_feeds_are_cut_at_the_deadline(own_pg, tmp_path: Path) -> None:
    from reliability_harness import trickle

    url = own_pg.fresh_database()
    with serving(Server()) as server:
        normal = server.add("/ok.xml", static(rss([{"title": "t", "link": f"{server.base}/a"}])))
        baseline_s, base = _timed_poll({"normal": normal}, url, tmp_path, server.port)
        assert base.returncode == 0, base.stderr[-2000:]  # type: ignore[attr-defined]
        hostile = {
            "normal2": server.add(
                "/ok2.xml", static(rss([{"title": "u", "link": f"{server.base}/b"}]))
            ),
            "trickle": server.add("/trickle.xml", trickle(0.2)),
            "stall": server.add("/stall.xml", static(b"<rss/>", delay=60)),
        }
        hostile_s, done = _timed_poll(hostile, url, tmp_path, server.port)
    assert done.returncode == 0, done.stderr[-2000:]  # type: ignore[attr-defined]
    polls = dict(
        rows(url, "SELECT f.name, p.error FROM feed_polls p JOIN feeds f ON f.id = p.feed_id")
    )
    assert polls["normal2"] is None
    for name in ("trickle", "stall"):
        assert polls[name].startswith("timeout"), polls
        assert "deadline" in polls[name], polls
    held = hostile_s - baseline_s
    # the hostile feeds are polled concurrently with the others: one deadline, plus start-up noise
    assert held < DEADLINE + 6, (hostile_s, baseline_s)
    print(
        json.dumps(
            {
                "deadline_s": DEADLINE,
                "baseline_poll_s": round(baseline_s, 2),
                "hostile_poll_s": round(hostile_s, 2),
                "held_extra_s": round(held, 2),
            }
        )
    )
