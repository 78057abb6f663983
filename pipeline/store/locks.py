"""Advisory locks: one key scheme for every PostgreSQL advisory lock newswire takes.

Keys are two 32-bit integers, ``(namespace, key)``: the namespace names the owner, the key the
thing locked. PostgreSQL keeps two-integer keys apart from single ``bigint`` keys, so the
dedup's per-fingerprint locks (64-bit hashes of URL keys and text hashes, one-argument form,
``pipeline.stages.dedup``) can never collide with these.

- ``(SCHEMA, MIGRATE)``: migrations (Alembic's ``env.py``, session lock) and view
  (re)creation (``apply_views``, transaction lock);
- ``(SCHEMA, UPGRADE)``: the whole upgrade — migrations, views, read-only role — when DAG
  tasks that start together each migrate first (session lock);
- ``(EVENTS, article id)``: re-coding one article (the events stage, transaction lock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from sqlalchemy import Connection, text

SCHEMA: Final[int] = 0x6E657773  # "news"
EVENTS: Final[int] = 73_512_201
MIGRATE: Final[int] = 1
UPGRADE: Final[int] = 2

__all__ = ["EVENTS", "MIGRATE", "SCHEMA", "UPGRADE", "session_lock", "xact_lock"]


def xact_lock(conn: Connection, namespace: int, key: int) -> None:
    """Take ``(namespace, key)`` until the current transaction ends."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:ns, :key)"), {"ns": namespace, "key": key})


@contextmanager
def session_lock(conn: Connection, namespace: int, key: int) -> Iterator[None]:
    """Hold ``(namespace, key)`` for the block, on *conn*'s session (use an autocommit or
    otherwise idle connection: the holder must not sit in an open transaction while others
    wait)."""
    conn.execute(text("SELECT pg_advisory_lock(:ns, :key)"), {"ns": namespace, "key": key})
    if conn.in_transaction():
        conn.commit()
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        conn.execute(text("SELECT pg_advisory_unlock(:ns, :key)"), {"ns": namespace, "key": key})
        if conn.in_transaction():
            conn.commit()
