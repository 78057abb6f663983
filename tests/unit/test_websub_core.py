"""The WebSub core (pipeline/stages/feeds/websub.py): discovery, signatures, verification of
intent, the subscription life cycle and its interplay with the poll schedule.

Pure: exact answers, our own feeds and URLs, no clock, no database, no network.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from pipeline.config import get_settings
from pipeline.http.responses import link_relations
from pipeline.stages.feeds.parsing import parse_feed
from pipeline.stages.feeds.schedule import PollBounds, next_schedule
from pipeline.stages.feeds.websub import (
    Discovery,
    awaiting_verification,
    callback_token,
    callback_url,
    discover,
    lapsed_state,
    needs_request,
    new_secret,
    parse_callback,
    push_schedule,
    signature_valid,
    subscribe_form,
    token_matches,
    verification_answer,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
FEED = "https://wire.example/world/rss"


# -- discovery --------------------------------------------------------------------------------


def test_the_link_header_wins_over_the_body() -> None:
    header = link_relations(
        '<https://hub.one.example/>; rel="hub", <https://wire.example/world.xml>; rel="self"'
    )
    body = [{"rel": "hub", "href": "https://hub.two.example/"}]
    assert discover(header, body, FEED) == Discovery(
        "https://hub.one.example/", "https://wire.example/world.xml"
    )


def test_body_links_are_the_fallback_and_relative_urls_resolve() -> None:
    body = [
        {"rel": "alternate", "href": "https://wire.example/"},
        {"rel": "hub", "href": "/push/hub"},
        {"rel": "self", "href": "/world/rss"},
    ]
    assert discover([], body, FEED) == Discovery("https://wire.example/push/hub", FEED)


def test_without_self_the_fetched_url_is_the_topic() -> None:
    assert discover([], [{"rel": "hub", "href": "https://hub.example/"}], FEED) == Discovery(
        "https://hub.example/", FEED
    )


def test_a_self_from_the_other_source_still_names_the_topic() -> None:
    header = [("self", "https://wire.example/canonical.xml")]
    body = [{"rel": "hub", "href": "https://hub.example/"}]
    assert discover(header, body, FEED) == Discovery(
        "https://hub.example/", "https://wire.example/canonical.xml"
    )


@pytest.mark.parametrize(
    "links",
    [
        [],
        [{"rel": "self", "href": FEED}],
        [{"rel": "hub", "href": "mailto:push@wire.example"}],
        [{"rel": "hub", "href": "javascript:alert(1)"}],
        [{"rel": "hub"}],
        # hostile values: a NUL (PostgreSQL refuses it) and 10 KB (past an indexed key)
        [{"rel": "hub", "href": "https://hub.example/\x00push"}],
        [{"rel": "hub", "href": "https://hub.example/" + "a" * 10_000}],
    ],
)
def test_no_usable_hub_means_no_discovery(links: list[dict[str, str]]) -> None:
    assert discover([], links, FEED) is None


def test_link_header_keeps_every_link_and_commas_inside_urls() -> None:
    value = '<https://h.example/a,b>; rel="hub", <https://h2.example/>; rel=hub'
    assert link_relations(value) == [
        ("hub", "https://h.example/a,b"),
        ("hub", "https://h2.example/"),
    ]
    assert link_relations(None) == []
    assert link_relations("garbage") == []


RSS_WITH_HUB = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>World desk</title>
<link>https://wire.example/</link>
<atom:link rel="hub" href="https://hub.example/"/>
<atom:link rel="self" type="application/rss+xml" href="https://wire.example/world/rss"/>
<item><title>Envoys meet at the border</title><link>https://wire.example/a/1</link>
<guid>w-1</guid></item></channel></rss>"""

ATOM_WITH_HUB = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>World desk</title><id>urn:wire:world</id>
<updated>2026-12-01T10:00:00Z</updated>
<link rel="hub" href="https://hub.example/"/><link rel="self" href="/world/atom"/>
<entry><title>Ministers sign a trade accord</title><id>urn:wire:2</id>
<updated>2026-12-01T10:00:00Z</updated><link href="https://wire.example/a/2"/></entry></feed>"""


@pytest.mark.parametrize(
    ("body", "url", "topic"),
    [
        (RSS_WITH_HUB, FEED, FEED),
        (ATOM_WITH_HUB, "https://wire.example/world/atom", "https://wire.example/world/atom"),
    ],
)
def test_parse_feed_reports_the_channel_hub_and_self(body: bytes, url: str, topic: str) -> None:
    parsed = parse_feed(body, url, get_settings(), now=NOW)
    assert discover([], [{"rel": r, "href": h} for r, h in parsed.links], url) == Discovery(
        "https://hub.example/", topic
    )


# -- signatures -------------------------------------------------------------------------------

BODY = b"<rss>a pushed body</rss>"


@pytest.mark.parametrize("method", ["sha1", "sha256", "sha384", "sha512"])
def test_a_correct_signature_is_accepted(method: str) -> None:
    digest = hmac.new(b"s3cret", BODY, getattr(hashlib, method)).hexdigest()
    assert signature_valid("s3cret", BODY, f"{method}={digest}")
    assert signature_valid("s3cret", BODY, f"{method.upper()}={digest.upper()}")


def test_wrong_missing_or_odd_signatures_are_refused() -> None:
    good = "sha256=" + hmac.new(b"s3cret", BODY, hashlib.sha256).hexdigest()
    assert not signature_valid("other", BODY, good)  # wrong secret
    assert not signature_valid("s3cret", BODY + b" ", good)  # body changed
    assert not signature_valid("s3cret", BODY, None)
    assert not signature_valid("s3cret", BODY, "")
    assert not signature_valid("s3cret", BODY, "md5=" + hashlib.md5(BODY).hexdigest())
    assert not signature_valid("s3cret", BODY, "sha256")
    assert not signature_valid(None, BODY, good)  # we never accept unsigned pushes


def test_secrets_are_fresh_and_within_the_spec_limit() -> None:
    one, two = new_secret(), new_secret()
    assert one != two
    assert 32 <= len(one.encode()) < 200


# -- subscription requests and verification of intent ---------------------------------------


def test_the_subscription_form() -> None:
    cb = callback_url("https://push.example.org/", 7, "k")
    assert cb == f"https://push.example.org/websub/7/{callback_token('k')}"
    assert subscribe_form(callback=cb, topic=FEED, secret="k", lease_seconds=3600) == {
        "hub.mode": "subscribe",
        "hub.callback": cb,
        "hub.topic": FEED,
        "hub.lease_seconds": "3600",
        "hub.secret": "k",
    }


def test_the_callback_token_comes_from_the_secret() -> None:
    token = callback_token("k")
    assert len(token) == 32
    assert token != callback_token("k2")
    assert token_matches("k", token)
    assert not token_matches("k2", token)
    assert not token_matches(None, token)
    assert not token_matches("k", "")


@pytest.mark.parametrize(
    ("path", "parsed"),
    [
        ("/websub/7/abc123", (7, "abc123")),
        ("/websub/7/abc123/?hub.mode=subscribe", (7, "abc123")),
        ("/websub/7", None),  # no token
        ("/websub/", None),
        ("/websub/x/abc", None),
        ("/websub/-1/abc", None),
        ("/websub/7/a-b", None),
        ("/websub/7/abc/extra", None),
        ("/other/7/abc", None),
        ("/websub/" + "9" * 40 + "/abc", None),
        ("/websub/7/" + "a" * 65, None),
    ],
)
def test_callback_paths(path: str, parsed: tuple[int, str] | None) -> None:
    assert parse_callback(path) == parsed


def _query(**extra: str) -> dict[str, str]:
    return {"hub.mode": "subscribe", "hub.topic": FEED, "hub.challenge": "c-123", **extra}


def test_a_pending_subscription_echoes_the_challenge_and_takes_the_granted_lease() -> None:
    answer = verification_answer(
        _query(**{"hub.lease_seconds": "7200"}), awaiting=True, topic=FEED, default_lease=60
    )
    assert (answer.status, answer.body, answer.new_state, answer.lease_seconds) == (
        200,
        b"c-123",
        "active",
        7200,
    )
    # no (or a garbage) lease from the hub: the one we asked for
    no_lease = verification_answer(_query(), awaiting=True, topic=FEED, default_lease=60)
    assert no_lease.lease_seconds == 60
    bad = _query(**{"hub.lease_seconds": "-5"})
    assert verification_answer(bad, awaiting=True, topic=FEED, default_lease=60).lease_seconds == 60


@pytest.mark.parametrize(
    ("query", "awaiting", "topic"),
    [
        (_query(), False, FEED),  # nothing asked (or already verified)
        (_query(**{"hub.topic": "https://elsewhere.example/feed"}), True, FEED),  # other topic
        (_query(), True, None),  # no subscription for this callback at all
        (_query(**{"hub.mode": "unsubscribe"}), True, FEED),  # we never unsubscribe
        (_query(**{"hub.challenge": ""}), True, FEED),
        (_query(**{"hub.mode": "bogus"}), True, FEED),
    ],
)
def test_verification_is_refused_unless_we_asked_for_exactly_this(
    query: dict[str, str], awaiting: bool, topic: str | None
) -> None:
    answer = verification_answer(query, awaiting=awaiting, topic=topic, default_lease=60)
    assert (answer.status, answer.body, answer.new_state) == (404, b"", None)


def test_a_denial_for_our_topic_ends_the_subscription() -> None:
    denied = {"hub.mode": "denied", "hub.topic": FEED, "hub.reason": "not allowed"}
    assert verification_answer(denied, awaiting=False, topic=FEED, default_lease=60).new_state == (
        "denied"
    )
    other = {**denied, "hub.topic": "https://elsewhere.example/"}
    assert verification_answer(other, awaiting=False, topic=FEED, default_lease=60).status == 404


def test_awaiting_verification_covers_new_requests_and_renewals() -> None:
    earlier, later = NOW - timedelta(hours=1), NOW
    assert awaiting_verification("pending", later, None)
    assert awaiting_verification("active", later, earlier)  # a renewal in flight
    assert not awaiting_verification("active", earlier, later)  # verified since
    assert not awaiting_verification("failed", later, None)
    assert not awaiting_verification("discovered", None, None)


# -- life cycle -------------------------------------------------------------------------------


def _needs(state: str, **kw: object) -> bool:
    args: dict[str, object] = {
        "requested_at": None,
        "lease_expires_at": None,
        "lease_seconds": None,
        "verify_timeout": 600.0,
        **kw,
    }
    return needs_request(state=state, now=NOW, **args)  # type: ignore[arg-type]


def test_when_to_request() -> None:
    assert _needs("discovered")
    assert not _needs("pending", requested_at=NOW - timedelta(days=1))  # lapses instead
    # failed, denied: asked again, but not before the verification timeout
    assert _needs("expired", requested_at=NOW - timedelta(seconds=1))  # lapsed: at once
    for state in ("failed", "denied"):
        assert not _needs(state, requested_at=NOW - timedelta(seconds=599))
        assert _needs(state, requested_at=NOW - timedelta(seconds=600))
    # active: renewed once four fifths of the lease have passed
    lease = 10_000
    start = NOW - timedelta(seconds=7_999)
    active = {"lease_seconds": lease, "requested_at": start}
    assert not _needs("active", lease_expires_at=start + timedelta(seconds=lease), **active)
    start = NOW - timedelta(seconds=8_000)
    active = {"lease_seconds": lease, "requested_at": start}
    assert _needs("active", lease_expires_at=start + timedelta(seconds=lease), **active)


def test_lapsing() -> None:
    kw = {"now": NOW, "requested_at": NOW - timedelta(seconds=601), "verify_timeout": 600.0}
    assert lapsed_state(state="pending", lease_expires_at=None, **kw) == "failed"  # type: ignore[arg-type]
    assert lapsed_state(state="active", lease_expires_at=NOW, **kw) == "expired"  # type: ignore[arg-type]
    later = NOW + timedelta(seconds=1)
    assert lapsed_state(state="active", lease_expires_at=later, **kw) is None  # type: ignore[arg-type]
    fresh = {**kw, "requested_at": NOW - timedelta(seconds=10)}
    assert lapsed_state(state="pending", lease_expires_at=None, **fresh) is None  # type: ignore[arg-type]


BOUNDS = PollBounds(min_seconds=60, max_seconds=3600, entries_per_poll=0.1)


def test_a_pushed_feed_is_polled_only_at_the_maximum_interval() -> None:
    busy = next_schedule(
        now=NOW, bounds=BOUNDS, rate=0.01, last_poll_at=NOW - timedelta(minutes=1), succeeded=True
    )
    assert busy.interval < 60.1  # a feed this busy would be polled every minute
    pushed = push_schedule(busy, NOW, BOUNDS.max_seconds)
    assert pushed.interval == 3600
    assert pushed.next_poll_at == NOW + timedelta(hours=1)
    assert pushed.reason == "websub"
    assert pushed.rate == busy.rate  # learned rate kept for when push lapses
    # a failing feed's back-off beyond the maximum is not shortened
    failing = next_schedule(
        now=NOW, bounds=BOUNDS, rate=0.01, last_poll_at=NOW, succeeded=False, consecutive_failures=8
    )
    assert failing.interval > 3600
    assert push_schedule(failing, NOW, BOUNDS.max_seconds).interval == failing.interval
