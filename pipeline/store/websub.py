"""WebSub subscriptions in the database: discovery noted by polls, requests, verifications.

One row per feed (``websub_subscriptions``, migration ``0014_websub``). The state machine is
in the pure core (:mod:`pipeline.stages.feeds.websub`); this module only reads and writes it,
each change one statement, so a receiver and a dispatcher on different machines agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, case, func, select, update
from sqlalchemy.dialects.postgresql import insert

from pipeline.models import Feed, WebSubState, WebSubSubscription
from pipeline.stages.feeds.websub import Discovery, lapsed_state, needs_request

__all__ = [
    "Subscription",
    "begin_request",
    "due_requests",
    "expire_lapsed",
    "load",
    "note_poll",
    "note_push",
    "request_failed",
    "set_state",
]

ACTIVE = WebSubState.ACTIVE.value
W = WebSubSubscription


@dataclass(frozen=True)
class Subscription:
    """A subscription as the receiver and the dispatcher need it."""

    feed_id: int
    hub: str
    topic: str
    secret: str | None
    state: str
    lease_seconds: int | None
    lease_expires_at: datetime | None
    requested_at: datetime | None
    verified_at: datetime | None


def _columns() -> tuple[Any, ...]:
    return (
        W.feed_id,
        W.hub,
        W.topic,
        W.secret,
        W.state,
        W.lease_seconds,
        W.lease_expires_at,
        W.requested_at,
        W.verified_at,
    )


def note_poll(
    conn: Connection, feed_id: int, found: Discovery | None, now: datetime
) -> datetime | None:
    """Record what a poll announced; return the lease end if the feed is pushed to us now.

    A feed that names a hub gets a ``discovered`` row; one that now names another hub or topic
    starts over (state ``discovered``: the old subscription is for a topic the publisher no
    longer pushes). A feed that stops naming its hub keeps its row: an active lease still
    delivers until it expires. One statement either way (the poll's write path runs it for
    every feed).
    """
    if found is None:
        row = conn.execute(select(W.state, W.lease_expires_at).where(W.feed_id == feed_id)).first()
    else:
        stmt = insert(W).values(
            feed_id=feed_id, hub=found.hub, topic=found.topic, state=WebSubState.DISCOVERED.value
        )
        changed = (W.hub != stmt.excluded.hub) | (W.topic != stmt.excluded.topic)
        row = conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[W.feed_id],
                set_={
                    "hub": stmt.excluded.hub,
                    "topic": stmt.excluded.topic,
                    "state": WebSubState.DISCOVERED.value,
                    "secret": None,
                    "lease_expires_at": None,
                    "requested_at": None,
                    "verified_at": None,
                    "updated_at": func.now(),
                },
                # an unchanged announcement writes nothing (no dead tuple per poll)
                where=changed,
            ).returning(W.state, W.lease_expires_at)
        ).first()
        if row is None:  # unchanged: the row as it is
            row = conn.execute(
                select(W.state, W.lease_expires_at).where(W.feed_id == feed_id)
            ).first()
    if row is None or row.state != ACTIVE or row.lease_expires_at is None:
        return None
    return row.lease_expires_at if row.lease_expires_at > now else None


def load(conn: Connection, feed_id: int) -> Subscription | None:
    """The subscription of *feed_id*, or None."""
    row = conn.execute(select(*_columns()).where(W.feed_id == feed_id)).first()
    return Subscription(*row) if row is not None else None


def due_requests(engine: Engine, now: datetime, verify_timeout: float) -> list[Subscription]:
    """Subscriptions to (re)request now (:func:`~pipeline.stages.feeds.websub.needs_request`),
    of enabled feeds only."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(*_columns()).join(Feed, Feed.id == W.feed_id).where(Feed.enabled)
        ).all()
        subs = [Subscription(*r) for r in rows]
    return [
        s
        for s in subs
        if needs_request(
            state=s.state,
            now=now,
            requested_at=s.requested_at,
            lease_expires_at=s.lease_expires_at,
            lease_seconds=s.lease_seconds,
            verify_timeout=verify_timeout,
        )
    ]


def begin_request(engine: Engine, feed_id: int, *, secret: str, now: datetime) -> None:
    """Note a request about to be sent, before it is: some hubs verify within the request.

    A new or lapsed subscription becomes ``pending`` with *secret*; an ``active`` one keeps its
    state and lease (pushes signed with it keep arriving) and awaits the renewal's
    verification (``requested_at`` after ``verified_at``).
    """
    with engine.begin() as conn:
        conn.execute(
            update(W)
            .where(W.feed_id == feed_id, W.state == ACTIVE)
            .values(requested_at=now, updated_at=now, error=None)
        )
        conn.execute(
            update(W)
            .where(W.feed_id == feed_id, W.state != ACTIVE)
            .values(
                state=WebSubState.PENDING.value,
                secret=secret,
                requested_at=now,
                updated_at=now,
                error=None,
            )
        )


def request_failed(engine: Engine, feed_id: int, error: str, now: datetime) -> None:
    """The hub refused or could not be reached: ``failed`` (asked again after the verification
    timeout), unless a live lease is only being renewed (it keeps delivering meanwhile)."""
    with engine.begin() as conn:
        conn.execute(
            update(W)
            .where(W.feed_id == feed_id)
            .values(
                state=case((W.state == ACTIVE, ACTIVE), else_=WebSubState.FAILED.value),
                error=error[:500],
                updated_at=now,
            )
        )


def note_push(conn: Connection, feed_id: int, now: datetime) -> None:
    """A verified push arrived."""
    conn.execute(update(W).where(W.feed_id == feed_id).values(last_push_at=now))


def set_state(
    conn: Connection,
    feed_id: int,
    state: str,
    now: datetime,
    *,
    lease_seconds: int | None = None,
) -> None:
    """Apply a hub's verification (``active`` with its lease) or denial; a feed whose push
    ends is made due for polling at once (adaptive polling takes over)."""
    values: dict[str, object] = {"state": state, "updated_at": now}
    if state == ACTIVE and lease_seconds:
        values.update(
            lease_seconds=lease_seconds,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            verified_at=now,
            error=None,
        )
    conn.execute(update(W).where(W.feed_id == feed_id).values(**values))
    if state != ACTIVE:
        conn.execute(update(Feed).where(Feed.id == feed_id).values(next_poll_at=now))


def expire_lapsed(engine: Engine, now: datetime, verify_timeout: float) -> list[int]:
    """Move lapsed subscriptions (lease over, or never verified) to ``expired``/``failed``;
    their feeds become due now. Returns those feed ids."""
    with engine.begin() as conn:
        rows = conn.execute(
            select(W.feed_id, W.state, W.requested_at, W.lease_expires_at)
            .where(W.state.in_([ACTIVE, WebSubState.PENDING.value]))
            .with_for_update(skip_locked=True)
        ).all()
        moved = []
        for r in rows:
            new = lapsed_state(
                state=r.state,
                now=now,
                requested_at=r.requested_at,
                lease_expires_at=r.lease_expires_at,
                verify_timeout=verify_timeout,
            )
            if new is not None:
                set_state(conn, r.feed_id, new, now)
                moved.append(r.feed_id)
    return moved
