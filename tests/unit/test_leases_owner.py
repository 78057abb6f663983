"""Lease owners: one per fetch run, alive while the process runs (pure, no database)."""

from __future__ import annotations

import os

from pipeline.store.leases import is_alive, lease_owner


def test_two_runs_in_one_process_hold_distinct_leases() -> None:
    """Two threads fetching at once must not release each other's claims at their end."""
    first, second = lease_owner(), lease_owner()
    assert first != second
    assert first.rsplit(":", 1)[0] == second.rsplit(":", 1)[0]  # same host, pid, start


def test_a_run_of_a_live_process_is_alive_and_old_three_part_owners_still_parse() -> None:
    owner = lease_owner()
    assert is_alive(owner) is True
    assert is_alive(owner.rsplit(":", 1)[0]) is True  # written before run tokens existed
    host = owner.split(":", 1)[0]
    assert is_alive(f"{host}:{2**22 + 7}:1:abcd") is False  # no such pid
    assert is_alive(f"elsewhere:{os.getpid()}:1:abcd") is None  # another host: unknown
