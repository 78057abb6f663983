"""Parsing feed bodies on every core without letting one hostile body stop a poll cycle.

feedparser is pure Python and most of a cold cycle's CPU, so a cycle of many feeds parses on a
pool of worker processes (one per core). The pool is `pebble`'s rather than
:class:`concurrent.futures.ProcessPoolExecutor`, because the latter breaks as a whole when one
worker dies (every pending parse then fails) and cannot stop a parse that never ends; pebble
kills and replaces just that worker, and the feed is recorded as failed with the reason.

The workers are started by a fork server, not forked from the polling process, so the pool is
safe in a process that already runs threads (an Airflow task, the CLI's event loop); they are
fed bytes and return :class:`~pipeline.stages.feeds.parsing.ParsedFeed` (plain, picklable),
die with the process that started them, and each has an address-space limit
(``NEWSWIRE_PARSE_MEMORY_MB``) so that a body which explodes in memory fails alone.

Few feeds parse in process on threads (starting workers would cost more than it saves); a
parse there is abandoned after the same timeout, but its thread cannot be killed and runs on.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import resource
import sys
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Self

from pebble import ProcessExpired, ProcessPool

from pipeline.config import Settings
from pipeline.models import PollOutcome
from pipeline.procs import die_with_parent
from pipeline.stages.feeds.parsing import ParsedFeed, parse_feed

LOGGER = logging.getLogger(__name__)

__all__ = ["POOL_MIN_FEEDS", "ParsePool", "use_processes"]

POOL_MIN_FEEDS = 16
"""Polls of fewer feeds parse on a thread: starting worker processes costs more than it saves."""

_WORKER: dict[str, Settings] = {}
"""In a worker: the settings every parse uses (sent once, by the initializer)."""


def _init_worker(settings: Settings, memory_mb: int) -> None:
    """Worker initializer: die with our parent, cap memory, keep the settings for every parse."""
    die_with_parent()
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _WORKER["settings"] = settings


def _parse_in_worker(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    return parse_feed(body, url, _WORKER["settings"], content_type=content_type)


def use_processes(settings: Settings, feeds: int) -> bool:
    """Whether a cycle of *feeds* feeds should parse on worker processes."""
    return (
        feeds >= POOL_MIN_FEEDS
        and (settings.workers or os.cpu_count() or 1) > 1
        # a daemonic process (a Celery prefork child) may not start one: a thread then
        and not multiprocessing.current_process().daemon
    )


def _failed(error: str) -> ParsedFeed:
    return ParsedFeed(PollOutcome.FAILED, [], None, error=error)


class ParsePool:
    """Where a cycle's feed bodies are parsed: worker processes, or a few threads of ours.

    Use as a context manager around a cycle; :meth:`parse` is awaited once per body.
    """

    def __init__(self, settings: Settings, *, processes: bool) -> None:
        self._settings = settings
        self._timeout = settings.parse_timeout
        self._processes: ProcessPool | None = None
        self._retired: list[ProcessPool] = []
        self._thread: ThreadPoolExecutor | None = None
        if processes:
            self._processes = self._start()
        else:
            # a few threads, so that one abandoned (hung) parse does not hold up the others
            self._thread = ThreadPoolExecutor(max_workers=4, thread_name_prefix="feedparse")

    def _start(self) -> ProcessPool:
        context = (
            multiprocessing.get_context("forkserver")
            if sys.platform.startswith("linux")
            else multiprocessing.get_context("spawn")
        )
        if sys.platform.startswith("linux"):
            # the server imports feedparser once; every worker is forked from it ready
            context.set_forkserver_preload([__name__])
        return ProcessPool(
            max_workers=self._settings.workers or os.cpu_count() or 1,
            initializer=_init_worker,
            initargs=(self._settings, self._settings.parse_memory_mb),
            context=context,
        )

    def _replace(self, broken: ProcessPool) -> None:
        """A fresh pool for one that broke (unless another parse already replaced it).

        pebble fails a task whose worker dies; but a worker that dies before the pool has seen
        it take its task breaks the whole pool, and every later parse would fail with it.
        """
        if self._processes is broken:
            LOGGER.warning("the feed-parsing pool broke; starting a new one")
            broken.stop()  # type: ignore[no-untyped-call]  # pebble leaves it untyped
            self._retired.append(broken)
            self._processes = self._start()

    async def _on_processes(self, body: bytes, url: str, content_type: str | None) -> ParsedFeed:
        for attempt in (1, 2):
            pool = self._processes
            assert pool is not None
            try:  # pebble's schedule raises RuntimeError for a pool it has given up
                future = pool.schedule(
                    _parse_in_worker, args=(body, url, content_type), timeout=self._timeout
                )
            except RuntimeError:
                if attempt == 2:
                    raise
                self._replace(pool)
                continue
            try:
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                if attempt == 2:
                    raise
                self._replace(pool)
        raise AssertionError("unreachable")  # pragma: no cover

    @property
    def processes(self) -> bool:
        """Whether bodies go to worker processes."""
        return self._processes is not None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (a parse still running is killed) or let go of the thread."""
        if self._processes is not None:
            self._processes.stop()  # type: ignore[no-untyped-call]  # pebble leaves it untyped
            self._retired.append(self._processes)
        for pool in self._retired:
            pool.join()
        if self._thread is not None:
            # an abandoned (timed-out) parse cannot be interrupted: do not wait for it
            self._thread.shutdown(wait=False, cancel_futures=True)

    async def parse(self, body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
        """Parse one body; a timeout, a dead worker or an exception is a failed parse."""
        try:
            if self._processes is not None:
                return await self._on_processes(body, url, content_type)
            assert self._thread is not None
            work = asyncio.get_running_loop().run_in_executor(
                self._thread,
                lambda: parse_feed(body, url, self._settings, content_type=content_type),
            )
            return await asyncio.wait_for(work, self._timeout)
        except (TimeoutError, FutureTimeout):
            LOGGER.warning("parsing %s took over %ss; abandoned", url, self._timeout)
            return _failed(f"parse_timeout: no result within {self._timeout:g} s")
        except ProcessExpired as exc:
            LOGGER.warning("the worker parsing %s died (exit code %s)", url, exc.exitcode)
            return _failed(f"parse_crashed: the parsing process died (exit code {exc.exitcode})")
        except MemoryError:
            return _failed(f"parse_error: MemoryError (over {self._settings.parse_memory_mb} MB)")
        except Exception as exc:  # a parser bug on one body must not stop the cycle
            LOGGER.exception("parsing %s failed", url)
            return _failed(f"parse_error: {type(exc).__name__}: {exc}"[:500])
