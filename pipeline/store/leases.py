"""Fetch leases: who holds a claimed article, whether that owner is still alive, and for how long.

A claim writes ``claimed_until`` and ``claimed_by`` (``host:pid:start:run``, the process start
time from ``/proc`` telling a reused pid from the original, and a token per fetch run, so two runs
in one process — two threads, or a DAG task beside an embedded CLI call — never release each
other's leases). A process that dies without releasing —
kill -9, an OOM kill, a lost database — leaves its leases behind; the next run on the same host
sees the pid gone (or reused by another process) and frees them at once, instead of leaving a
batch invisible until the lease runs out. Leases of owners on other hosts, whose liveness cannot
be checked from here, expire after :func:`lease_seconds`, derived from the batch size.
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import socket
import time
from functools import cache

from sqlalchemy import Engine, text

from pipeline.config import Settings

LOGGER = logging.getLogger(__name__)

__all__ = ["is_alive", "lease_owner", "lease_seconds", "reclaim_dead", "release"]

_LEASE_MARGIN = 60.0
_LEASE_MIN = 120.0


def _start_ticks(pid: int) -> str | None:
    """The process start time in clock ticks since boot (Linux ``/proc``), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after the last ")"
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


@cache
def _host() -> str:
    return socket.gethostname().replace(":", "_") or "localhost"


def lease_owner(pid: int | None = None) -> str:
    """A fresh owner id for one run of this process (or of *pid*), ``host:pid:start:run``."""
    pid = os.getpid() if pid is None else pid
    start = _start_ticks(pid) or str(int(time.time()))
    return f"{_host()}:{pid}:{start}:{secrets.token_hex(4)}"


def is_alive(owner: str) -> bool | None:
    """Whether *owner* still runs: True/False on this host, None (unknown) on another host."""
    parts = owner.split(":")
    if len(parts) not in (3, 4):  # owners written before run tokens have three parts
        return None
    host, pid_text, start = parts[:3]
    if host != _host() or not pid_text.isdigit():
        return None
    if not os.path.exists("/proc/self/stat"):
        return None  # not Linux: no cheap, reliable check
    current = _start_ticks(int(pid_text))
    return current is not None and current == start


def lease_seconds(settings: Settings, batch_size: int) -> float:
    """How long a batch of *batch_size* articles may take before its lease counts as abandoned.

    The slowest honest batch: its requests go ``global_concurrency`` at a time, each bounded by
    the total request deadline, or one host's pages one after another at ``per_host_delay``.
    """
    parallel = math.ceil(batch_size / settings.global_concurrency) * settings.request_deadline
    serial = batch_size * settings.per_host_delay / settings.per_host_concurrency
    return max(_LEASE_MIN, max(parallel, serial) + _LEASE_MARGIN)


def reclaim_dead(engine: Engine) -> dict[str, int]:
    """Free the leases of owners on this host that are no longer running; {owner: articles}."""
    with engine.connect() as conn:
        owners = list(
            conn.scalars(
                text(
                    "SELECT DISTINCT claimed_by FROM articles"
                    " WHERE claimed_by IS NOT NULL AND claimed_until > now()"
                )
            )
        )
    dead = [owner for owner in owners if is_alive(owner) is False]
    freed: dict[str, int] = {}
    for owner in dead:
        freed[owner] = release(engine, owner)
        LOGGER.warning(
            "freed %s articles leased by %s, which is no longer running", freed[owner], owner
        )
    return freed


def release(engine: Engine, owner: str) -> int:
    """Give back every lease *owner* still holds (normal exit, SIGTERM, or a dead owner)."""
    with engine.begin() as conn:
        result = conn.execute(
            text(
                "UPDATE articles SET claimed_until = NULL, claimed_by = NULL"
                " WHERE claimed_by = :owner"
            ),
            {"owner": owner},
        )
    return int(result.rowcount or 0)
