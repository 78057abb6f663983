"""The unit layer: pure cores only — no database, no network, no child processes to wait for.

``make test-unit`` runs this directory alone in well under a minute. The guards below make the
layer's promise checkable: a unit test that asks for a database fixture, or opens a TCP
connection, fails here instead of silently turning the fast layer slow (such a test belongs in
``tests/integration``).
"""

from __future__ import annotations

import socket
from typing import Any

import pytest


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """Overrides the session database: unit tests never start PostgreSQL."""
    pytest.fail("unit tests must not use the database: move this test to tests/integration")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse TCP/UDP connections (Unix sockets, which process pools use, stay allowed)."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"unit tests must not use the network (connect to {address!r})")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
