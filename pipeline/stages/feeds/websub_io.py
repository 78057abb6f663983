"""WebSub's I/O edge: subscription requests to hubs, and what the receiver does with a request.

* :func:`maintain_subscriptions` — run by the stream dispatcher every cycle (cheap: one query
  when nothing is due): lapsed subscriptions fall back to polling, and, only when
  ``NEWSWIRE_WEBSUB_CALLBACK_URL`` is set, new ones are requested and live ones renewed,
  through :class:`~pipeline.http.client.HttpClient` (the SSRF guard, politeness, deadline).
* :func:`answer_verification` — a hub's GET on our callback (verification of intent).
* :func:`receive_push` — a hub's POST: the signature checked, then the body parsed and stored
  exactly as a poll's (:func:`~pipeline.store.polls.record_push`), so a pushed entry and a
  polled one are the same rows, and a replayed push stores nothing new.

The protocol decisions are the pure core's (:mod:`pipeline.stages.feeds.websub`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from pipeline.config import Settings
from pipeline.http.client import FetchError, HttpClient
from pipeline.models import Feed, PollOutcome
from pipeline.stages.feeds.parsing import parse_feed
from pipeline.stages.feeds.websub import (
    Verification,
    awaiting_verification,
    callback_url,
    new_secret,
    signature_valid,
    subscribe_form,
    token_matches,
    verification_answer,
)
from pipeline.store import websub as store
from pipeline.store.polls import _Outcome, record_push

LOGGER = logging.getLogger(__name__)

__all__ = [
    "MaintainSummary",
    "PushResult",
    "answer_verification",
    "maintain_subscriptions",
    "receive_push",
]


@dataclass(frozen=True)
class MaintainSummary:
    """What one maintenance pass did."""

    lapsed: int = 0
    requested: int = 0
    failed: int = 0
    requests: int = 0


async def _send_all(
    settings: Settings, jobs: list[tuple[store.Subscription, dict[str, str]]]
) -> list[str | None]:
    async with HttpClient(settings) as client:

        async def one(hub: str, form: dict[str, str]) -> str | None:
            try:
                status, body = await client.post_form(hub, form)
            except FetchError as exc:
                return f"{exc.reason.value}: {exc.detail}"
            if status not in (202, 204) and not 200 <= status < 300:
                return f"hub answered HTTP {status}: {body[:200]}"
            return None

        return list(await asyncio.gather(*(one(sub.hub, form) for sub, form in jobs)))


def maintain_subscriptions(
    engine: Engine, settings: Settings, *, now: datetime | None = None
) -> MaintainSummary:
    """Expire lapsed subscriptions; request the due ones if a callback URL is configured.

    Each request is noted (``pending``) before it is sent, because a hub may verify before it
    answers; a refused or unreachable hub leaves the subscription ``failed`` and the feed on
    adaptive polling, asked again after ``NEWSWIRE_WEBSUB_VERIFY_TIMEOUT_SECONDS``.
    """
    now = now or datetime.now(UTC)
    timeout = settings.websub_verify_timeout_seconds
    lapsed = store.expire_lapsed(engine, now, timeout)
    if lapsed:
        LOGGER.info("websub: %s subscriptions lapsed; their feeds are polled again", len(lapsed))
    base = settings.websub_callback_url.strip()
    if not base:
        return MaintainSummary(lapsed=len(lapsed))
    due = store.due_requests(engine, now, timeout)
    if not due:
        return MaintainSummary(lapsed=len(lapsed))
    jobs = []
    for sub in due:
        # one secret per feed for good: renewals and re-subscriptions keep the callback URL
        # (derived from it) that the hub already knows
        secret = sub.secret or new_secret()
        store.begin_request(engine, sub.feed_id, secret=secret, now=now)
        form = subscribe_form(
            callback=callback_url(base, sub.feed_id, secret),
            topic=sub.topic,
            secret=secret,
            lease_seconds=settings.websub_lease_seconds,
        )
        jobs.append((sub, form))
    errors = asyncio.run(_send_all(settings, jobs))
    failed = 0
    for (sub, _), error in zip(jobs, errors, strict=True):
        if error is not None:
            failed += 1
            LOGGER.warning(
                "websub: subscribing feed %s at %s failed: %s", sub.feed_id, sub.hub, error
            )
            store.request_failed(engine, sub.feed_id, error, datetime.now(UTC))
    LOGGER.info("websub: %s subscription requests sent, %s failed", len(jobs), failed)
    return MaintainSummary(
        lapsed=len(lapsed), requested=len(jobs) - failed, failed=failed, requests=len(jobs)
    )


def answer_verification(
    engine: Engine, settings: Settings, feed_id: int, token: str, query: Mapping[str, str]
) -> Verification:
    """Answer a hub's verification of intent (or denial) for *feed_id*'s callback; a callback
    whose token is not the subscription's is unknown (404)."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        sub = store.load(conn, feed_id)
        if sub is not None and not token_matches(sub.secret, token):
            sub = None
        answer = verification_answer(
            query,
            awaiting=sub is not None
            and awaiting_verification(sub.state, sub.requested_at, sub.verified_at),
            topic=sub.topic if sub is not None else None,
            default_lease=settings.websub_lease_seconds,
        )
        if sub is not None and answer.new_state is not None:
            store.set_state(
                conn, feed_id, answer.new_state, now, lease_seconds=answer.lease_seconds
            )
    LOGGER.info(
        "websub: %s verification for feed %s answered %s",
        query.get("hub.mode"),
        feed_id,
        answer.status,
    )
    return answer


@dataclass(frozen=True)
class PushResult:
    """What the receiver answers a push, and what it stored."""

    status: int
    reason: str
    entries_new: int = 0
    new_article_ids: list[int] = field(default_factory=list)


def receive_push(
    engine: Engine,
    settings: Settings,
    feed_id: int,
    token: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
) -> PushResult:
    """Check a pushed body's signature, then parse and store it as a poll of kind ``push``.

    Refused: no subscription for this callback (404), a subscription we gave up (410, which
    the spec lets a hub take as "delete it"), a missing or wrong ``X-Hub-Signature`` (403,
    nothing stored; the spec allows acknowledging and ignoring instead — refusing makes a
    misconfigured hub visible in its logs). A body identical to the last one stored is
    ``unchanged`` and not parsed again.
    """
    started = datetime.now(UTC)
    with engine.connect() as conn:
        sub = store.load(conn, feed_id)
    if sub is None or not token_matches(sub.secret, token):
        return PushResult(404, "no subscription for this callback")
    if sub.state not in (store.ACTIVE, "pending"):
        return PushResult(410, f"subscription is {sub.state}")
    lowered = {k.lower(): v for k, v in headers.items()}
    if not signature_valid(sub.secret, body, lowered.get("x-hub-signature")):
        LOGGER.warning("websub: push to feed %s refused: bad or missing signature", feed_id)
        return PushResult(403, "bad or missing X-Hub-Signature")
    with Session(engine, expire_on_commit=False) as session:
        feed = session.scalars(select(Feed).where(Feed.id == feed_id)).one()
        session.expunge_all()
    body_hash = hashlib.sha256(body).hexdigest()
    if feed.body_hash == body_hash:
        outcome = _Outcome(PollOutcome.UNCHANGED, body_hash=body_hash)
    else:
        parsed = parse_feed(body, feed.url, settings, content_type=lowered.get("content-type"))
        outcome = _Outcome(
            parsed.outcome,
            parsed=parsed,
            error=parsed.error,
            warning=parsed.warning,
            body_hash=body_hash,
        )
    result = record_push(engine, settings, feed, started, outcome)
    with engine.begin() as conn:
        store.note_push(conn, feed_id, datetime.now(UTC))
    return PushResult(
        200, result.outcome, entries_new=result.entries_new, new_article_ids=result.new_article_ids
    )
