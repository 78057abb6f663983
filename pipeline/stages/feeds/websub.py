"""WebSub (W3C Recommendation, formerly PubSubHubbub): the pure core of our subscriber.

A poller's freshness is bounded by its interval (with Poisson arrivals the 95th percentile lag
is about 0.95 × the interval), so a poller can only be fresher by asking more often. Push breaks
that trade: a publisher that announces a hub has the hub POST every update to our callback.

The subscriber's life, per the spec:

1. **Discovery** — the feed names its hub (``rel="hub"``) and its canonical URL, the *topic*
   (``rel="self"``), in the HTTP ``Link`` header or as ``<atom:link>`` elements in the body.
   The header is checked first (the spec's order); the body is the fallback.
2. **Subscription** — we POST ``hub.mode=subscribe``, ``hub.callback``, ``hub.topic``,
   ``hub.lease_seconds`` and a per-subscription ``hub.secret`` to the hub (202 Accepted).
3. **Verification of intent** — the hub GETs our callback with ``hub.mode``, ``hub.topic``,
   ``hub.challenge`` and the granted ``hub.lease_seconds``; we echo the challenge only when a
   subscription to that topic, in that mode, is pending for that callback (else 404).
4. **Content distribution** — the hub POSTs the updated feed with
   ``X-Hub-Signature: <method>=<HMAC of the body with our secret>``; a body whose signature is
   missing or wrong is ignored.
5. **Renewal** before the lease runs out; a lapsed or failed subscription falls back to polling.

No I/O here (the edges are :mod:`pipeline.stages.feeds.websub_io` and the receiver in
:mod:`pipeline.services.websub`); everything is unit-tested in ``tests/unit/test_websub_core.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from pipeline.sanitize import clean_text, fits_key
from pipeline.stages.feeds.schedule import Schedule

__all__ = [
    "SIGNATURE_METHODS",
    "Discovery",
    "Verification",
    "awaiting_verification",
    "callback_token",
    "callback_url",
    "discover",
    "lapsed_state",
    "needs_request",
    "new_secret",
    "parse_callback",
    "push_schedule",
    "signature_valid",
    "subscribe_form",
    "token_matches",
    "verification_answer",
]

SIGNATURE_METHODS = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
}
"""The HMAC methods a hub may sign with (WebSub §8.1: sha1 for compatibility, the SHA-2s)."""
RENEW_AT = 0.8
"""Renew once this share of the granted lease has passed: a failed renewal has time to retry."""
CALLBACK_PREFIX = "/websub/"


@dataclass(frozen=True)
class Discovery:
    """A feed's hub and topic, as announced."""

    hub: str
    topic: str


def _http_url(value: object, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    url = urljoin(base, value.strip())
    # a hostile feed's hub link must not make its poll unstorable: no control characters (NUL
    # aborts the write), nothing longer than an indexed key
    if clean_text(url) != url or not fits_key(url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme in {"http", "https"} and parts.netloc else None


def _first(links: Iterable[tuple[str, str]], rel: str) -> str | None:
    for link_rel, href in links:
        if rel in link_rel.lower().split():
            return href
    return None


def discover(
    header_links: Iterable[tuple[str, str]],
    body_links: Iterable[Mapping[str, Any]],
    feed_url: str,
) -> Discovery | None:
    """The hub and topic a feed announces, or None when it names no hub.

    *header_links* are ``(rel, url)`` pairs from the response's ``Link`` header, *body_links*
    feedparser's ``feed.links`` (dicts with ``rel`` and ``href``). The header wins (it is what
    the spec has subscribers check first); hub and self come from the same source when it has
    both. Without a ``rel="self"`` the URL we fetched is the topic (what most hubs key on).
    Relative URLs are resolved against *feed_url*; anything but http(s) is ignored.
    """
    header = [(rel, url) for rel, url in header_links if _http_url(url, feed_url)]
    body = [
        (str(link.get("rel") or ""), str(link.get("href")))
        for link in body_links
        if isinstance(link, Mapping) and _http_url(link.get("href"), feed_url)
    ]
    for source in (header, body):
        hub = _first(source, "hub")
        if hub is None:
            continue
        topic = _first(source, "self") or _first(header, "self") or _first(body, "self")
        hub_url = _http_url(hub, feed_url)
        topic_url = _http_url(topic, feed_url) if topic else feed_url
        if hub_url and topic_url:
            return Discovery(hub=hub_url, topic=topic_url)
    return None


def new_secret() -> str:
    """A fresh per-subscription secret (the spec caps it at 200 bytes; this is 64 hex chars)."""
    return secrets.token_hex(32)


def callback_token(secret: str) -> str:
    """The unguessable part of a subscription's callback path, derived from its secret.

    Only we and the hub know the callback URL, so a verification of intent forged by someone
    else (who could otherwise confirm a pending subscription with their own challenge, after
    which the real hub's verification would be refused) does not reach the subscription.
    """
    return hmac.new(secret.encode(), b"websub-callback", hashlib.sha256).hexdigest()[:32]


def callback_url(base: str, feed_id: int, secret: str) -> str:
    """Our callback for one feed's subscription: ``<base>/websub/<feed id>/<token>``."""
    return f"{base.rstrip('/')}{CALLBACK_PREFIX}{feed_id}/{callback_token(secret)}"


def parse_callback(path: str) -> tuple[int, str] | None:
    """``(feed id, token)`` of a callback path (any query ignored), or None."""
    parts = urlsplit(path).path[len(CALLBACK_PREFIX) :].strip("/").split("/")
    if not urlsplit(path).path.startswith(CALLBACK_PREFIX) or len(parts) != 2:
        return None
    feed_id, token = parts
    if not (feed_id.isdigit() and len(feed_id) < 12 and token.isalnum() and len(token) <= 64):
        return None
    return int(feed_id), token


def token_matches(secret: str | None, token: str) -> bool:
    """Whether *token* is the callback token of *secret* (constant-time)."""
    return bool(secret) and hmac.compare_digest(callback_token(secret or ""), token)


def subscribe_form(
    *, callback: str, topic: str, secret: str | None, lease_seconds: int, mode: str = "subscribe"
) -> dict[str, str]:
    """The form a subscription (or unsubscription) request POSTs to the hub."""
    form = {"hub.mode": mode, "hub.callback": callback, "hub.topic": topic}
    if mode == "subscribe":
        form["hub.lease_seconds"] = str(lease_seconds)
        if secret:
            form["hub.secret"] = secret
    return form


def signature_valid(secret: str | None, body: bytes, header: str | None) -> bool:
    """Whether ``X-Hub-Signature`` (``method=hexdigest``) is the HMAC of *body* with *secret*.

    No secret on our side means we never asked for signatures: such a subscription is not
    created by this code, so it is refused too (an unsigned body could come from anyone who
    learned the callback URL). Unknown methods and malformed headers are refused; the
    comparison is constant-time.
    """
    if not secret or not header or "=" not in header:
        return False
    method, _, digest = header.strip().partition("=")
    algorithm = SIGNATURE_METHODS.get(method.strip().lower())
    if algorithm is None:
        return False
    expected = hmac.new(secret.encode(), body, algorithm).hexdigest()
    return hmac.compare_digest(expected, digest.strip().lower())


@dataclass(frozen=True)
class Verification:
    """What to answer a hub's verification request, and what it changes."""

    status: int
    body: bytes = b""
    new_state: str | None = None
    lease_seconds: int | None = None


def verification_answer(
    query: Mapping[str, str],
    *,
    awaiting: bool,
    topic: str | None,
    default_lease: int,
) -> Verification:
    """The answer to a hub's GET on our callback (verification of intent, or a denial).

    Echo ``hub.challenge`` (200) only for ``hub.mode=subscribe`` when this callback's
    subscription is *awaiting* verification (requested, not yet verified: a new subscription
    or a renewal) and the hub's ``hub.topic`` is its topic. We never ask to unsubscribe, so an
    ``unsubscribe`` is never confirmed (someone else asked: refusing keeps the push alive).
    Anything else is a 404, which tells the hub we did not ask. ``hub.mode=denied`` for our
    topic (the hub refused us) is acknowledged and ends the subscription.
    """
    mode = query.get("hub.mode", "")
    if topic is None or query.get("hub.topic") != topic:
        return Verification(404)
    if mode == "denied":
        return Verification(200, b"", new_state="denied")
    challenge = query.get("hub.challenge", "")
    if mode != "subscribe" or not awaiting or not challenge:
        return Verification(404)
    raw = query.get("hub.lease_seconds", "")
    lease = int(raw) if raw.isdigit() and 0 < int(raw) < 10**9 else default_lease
    return Verification(200, challenge.encode(), new_state="active", lease_seconds=lease)


def awaiting_verification(
    state: str, requested_at: datetime | None, verified_at: datetime | None
) -> bool:
    """Whether we asked the hub and have not heard back: ``pending``, or an active
    subscription whose renewal was requested after its last verification."""
    if state == "pending":
        return True
    return (
        state == "active"
        and requested_at is not None
        and (verified_at is None or requested_at > verified_at)
    )


def needs_request(
    *,
    state: str,
    now: datetime,
    requested_at: datetime | None,
    lease_expires_at: datetime | None,
    lease_seconds: int | None,
    verify_timeout: float,
) -> bool:
    """Whether a subscription should be (re)requested now.

    New (``discovered``) and lapsed (``expired``) ones at once; ``failed`` or ``denied`` ones
    once ``verify_timeout`` has passed since the last request (a hub that refuses is not
    hammered); an ``active`` one when :data:`RENEW_AT` of its lease has passed; a ``pending``
    one never (it either verifies or times out, see :func:`lapsed_state`).
    """
    since = (now - requested_at).total_seconds() if requested_at else None
    if state == "active":
        if lease_expires_at is None or not lease_seconds:
            return True
        renew_at = lease_expires_at - timedelta(seconds=lease_seconds * (1 - RENEW_AT))
        return now >= renew_at and (since is None or since >= verify_timeout)
    if state == "pending":
        return False
    if state in {"discovered", "expired"}:
        return True
    return since is None or since >= verify_timeout


def lapsed_state(
    *,
    state: str,
    now: datetime,
    requested_at: datetime | None,
    lease_expires_at: datetime | None,
    verify_timeout: float,
) -> str | None:
    """The state a subscription falls to now (``expired``, ``failed``), or None if it holds.

    An active lease that ran out is ``expired``; a request the hub never verified within
    ``verify_timeout`` is ``failed``. Either sends the feed back to adaptive polling.
    """
    if state == "active" and lease_expires_at is not None and lease_expires_at <= now:
        return "expired"
    if (
        state == "pending"
        and requested_at is not None
        and (now - requested_at).total_seconds() >= verify_timeout
    ):
        return "failed"
    return None


def push_schedule(schedule: Schedule, now: datetime, max_seconds: float) -> Schedule:
    """A subscribed feed's schedule: the next poll only at the maximum interval (the safety
    net for pushes a hub drops); the learned rate is kept for when push lapses."""
    interval = max(schedule.interval, max_seconds)
    return replace(
        schedule, interval=interval, next_poll_at=now + timedelta(seconds=interval), reason="websub"
    )
