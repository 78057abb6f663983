"""The feed-parsing pool: same results as parsing in process, and a hostile body fails alone.

Real worker processes (started by a fork server), our own feed bodies: a body that takes too
long is abandoned with a recorded reason, a worker killed in the middle of a parse (what the
OOM killer does) fails only the feed it was parsing, a body that needs more memory than a
worker may have fails alone, and the pool goes on parsing the next bodies in every case.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import psutil
import pytest

from pipeline.config import Settings, get_settings
from pipeline.models import PollOutcome
from pipeline.stages.feeds.parse_pool import ParsePool
from pipeline.stages.feeds.parsing import ParsedFeed, parse_feed

URL = "https://desk.example/feeds/world.xml"


def _rss(items: int, *, title: str = "Harbour reopens after storm") -> bytes:
    body = "".join(
        f"<item><title>{title} {i}</title><link>/world/{i}</link><guid>desk-{i}</guid>"
        f"<pubDate>Tue, 28 Feb 2023 10:{i % 60:02d}:00 GMT</pubDate>"
        f"<description>Ferries run again; day {i}.</description></item>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Desk</title>{body}</channel></rss>"
    ).encode()


SMALL = [_rss(n) for n in (1, 3, 7)]


def _parse_all(pool: ParsePool, bodies: list[bytes]) -> list[ParsedFeed]:
    async def run() -> list[ParsedFeed]:
        return list(await asyncio.gather(*(pool.parse(b, URL) for b in bodies)))

    return asyncio.run(run())


def _workers() -> list[psutil.Process]:
    """The pool's worker processes: the fork server's children."""
    out = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.ppid() != os.getpid():
                out.append(child)
        except psutil.Error:
            continue
    return out


@pytest.fixture
def settings() -> Settings:
    return get_settings(workers=2, parse_timeout=30.0)


@pytest.mark.parametrize("processes", [True, False])
def test_the_pool_parses_as_in_process(settings: Settings, processes: bool) -> None:
    with ParsePool(settings, processes=processes) as pool:
        assert pool.processes is processes
        got = _parse_all(pool, SMALL)
    want = [parse_feed(b, URL, settings) for b in SMALL]
    assert [[e.key for e in p.entries] for p in got] == [[e.key for e in p.entries] for p in want]
    assert [p.entries for p in got] == [p.entries for p in want]
    assert all(p.outcome is PollOutcome.OK for p in got)


@pytest.mark.parametrize("processes", [True, False])
def test_a_parse_over_the_timeout_fails_alone(settings: Settings, processes: bool) -> None:
    slow = _rss(60_000)  # seconds of feedparser on any machine
    quick = settings.model_copy(update={"parse_timeout": 0.5})
    with ParsePool(quick, processes=processes) as pool:
        started = time.monotonic()
        results = _parse_all(pool, [slow, *SMALL])
        elapsed = time.monotonic() - started
        after = _parse_all(pool, SMALL)
    assert results[0].outcome is PollOutcome.FAILED
    assert (results[0].error or "").startswith("parse_timeout:")
    assert [p.outcome for p in results[1:]] == [PollOutcome.OK] * len(SMALL)
    assert [p.outcome for p in after] == [PollOutcome.OK] * len(SMALL)
    assert elapsed < 20  # abandoned, not waited for (a loose bound: the machine may be busy)


def test_a_killed_worker_fails_only_its_feed(settings: Settings) -> None:
    one = settings.model_copy(update={"workers": 1})
    with ParsePool(one, processes=True) as pool:

        async def run() -> list[ParsedFeed]:
            slow = asyncio.ensure_future(pool.parse(_rss(60_000), URL))
            deadline = time.monotonic() + 20
            workers: list[psutil.Process] = []
            streak = 0
            while time.monotonic() < deadline:  # wait until the worker is busy parsing it
                await asyncio.sleep(0.2)
                workers = workers or _workers()
                busy = [w for w in workers if w.cpu_percent() > 20]
                streak = streak + 1 if busy else 0
                if streak >= 3:
                    busy[0].send_signal(signal.SIGKILL)
                    break
            return [await slow, *[await pool.parse(b, URL) for b in SMALL]]

        results = asyncio.run(run())
    # pebble fails the task of a dead worker; if the worker died before the pool saw it take
    # the task, the pool breaks instead, and a fresh one parses the body again
    slow = results[0]
    assert (slow.outcome, (slow.error or "")[:14]) in {
        (PollOutcome.FAILED, "parse_crashed:"),
        (PollOutcome.OK, ""),
    }, slow.error
    assert [p.outcome for p in results[1:]] == [PollOutcome.OK] * len(SMALL)


def test_a_body_over_the_memory_cap_fails_alone(settings: Settings) -> None:
    capped = settings.model_copy(update={"parse_memory_mb": 640})
    huge = _rss(1, title="storm " * 8_000_000)  # 48 MB of title: several times that parsed
    with ParsePool(capped, processes=True) as pool:
        results = _parse_all(pool, [huge, *SMALL])
    assert results[0].outcome is PollOutcome.FAILED
    assert (results[0].error or "").startswith(("parse_error: MemoryError", "parse_crashed:"))
    assert [p.outcome for p in results[1:]] == [PollOutcome.OK] * len(SMALL)
