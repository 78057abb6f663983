"""WebSub end to end on loopback: a real hub (devtools/websub_hub.py), our receiver, a real
PostgreSQL. Subscribe → verify → push → rows stored once → a replay stores nothing; forged
signatures and challenges for topics we did not ask for are refused; lapsed and refused
subscriptions fall back to polling; the receiver's limits hold.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from devtools.websub_hub import LoopbackHub
from pipeline.config import Settings, get_settings
from pipeline.models import Article, Feed, FeedEntry, FeedPoll, WebSubSubscription
from pipeline.services.websub import Receiver
from pipeline.stages.feeds.feedfile import FeedConfig
from pipeline.stages.feeds.poll import claim_due_feeds, poll_feeds
from pipeline.stages.feeds.websub_io import maintain_subscriptions

ITEM = (
    "<item><title>{title}</title><link>https://wire.example/a/{n}</link><guid>w-{n}</guid></item>"
)
TITLES = {
    1: "Envoys meet at the northern border crossing",
    2: "Parliament debates the new trade accord",
    3: "Foreign minister visits the capital for talks",
}


def rss(hub: str, topic: str, items: list[int]) -> bytes:
    body = "".join(ITEM.format(title=TITLES[n], n=n) for n in items)
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>World desk</title><link>https://wire.example/</link>"
        f'<atom:link rel="hub" href="{hub}"/><atom:link rel="self" href="{topic}"/>'
        f"{body}</channel></rss>"
    ).encode()


def wait_for(check: Callable[[], bool], seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.fixture
def hub() -> Iterator[LoopbackHub]:
    h = LoopbackHub().start()
    yield h
    h.close()


@pytest.fixture
def processed() -> list[list[int]]:
    return []


@pytest.fixture
def receiver(clean_db: Engine, processed: list[list[int]]) -> Iterator[Receiver]:
    base = get_settings()
    r = Receiver(clean_db, base, "127.0.0.1", 0, processor=processed.append).start()
    yield r
    r.close()


@pytest.fixture
def settings(receiver: Receiver) -> Settings:
    host, port = receiver.address
    return get_settings(
        per_host_delay=0.0,
        retries=0,
        respect_robots=False,
        websub_callback_url=f"http://{host}:{port}",
        websub_lease_seconds=3600,
        max_poll_seconds=1800,
    )


@pytest.fixture
def feed_server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        yield srv


def sub_row(engine: Engine) -> WebSubSubscription:
    with Session(engine) as session:
        return session.scalars(select(WebSubSubscription)).one()


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def subscribed(
    engine: Engine, settings: Settings, hub: LoopbackHub, feed_server: HTTPServer
) -> tuple[FeedConfig, str]:
    """A feed announcing *hub*, polled once and subscribed (verified by the hub)."""
    topic = feed_server.url_for("/world.xml")
    feed_server.expect_request("/world.xml").respond_with_data(
        rss(hub.url, topic, [1]), content_type="application/rss+xml"
    )
    cfg = FeedConfig(name="world", url=topic, outlet="wire", language="en")
    poll_feeds(engine, settings, [cfg])
    summary = maintain_subscriptions(engine, settings)
    assert (summary.requested, summary.failed) == (1, 0)
    # the receiver marks the row active as it answers the challenge; the hub registers the
    # subscription only once it has read that answer, a moment later
    wait_for(lambda: sub_row(engine).state == "active" and bool(hub.subscribers(topic)))
    return cfg, topic


def test_discovery_without_a_callback_only_records_the_hub(
    clean_db: Engine, hub: LoopbackHub, feed_server: HTTPServer
) -> None:
    settings = get_settings(per_host_delay=0.0, retries=0, respect_robots=False)
    assert settings.websub_callback_url == ""  # off by default
    topic = feed_server.url_for("/world.xml")
    feed_server.expect_request("/world.xml").respond_with_data(
        rss(hub.url, topic, [1]), content_type="application/rss+xml"
    )
    poll_feeds(clean_db, settings, [FeedConfig(name="world", url=topic, outlet="wire")])
    row = sub_row(clean_db)
    assert (row.hub, row.topic, row.state) == (hub.url, topic, "discovered")
    assert maintain_subscriptions(clean_db, settings).requests == 0
    assert hub.requests == 0  # nothing was sent anywhere


def test_subscribe_verify_push_store_once_and_replay_stores_nothing(
    clean_db: Engine,
    settings: Settings,
    hub: LoopbackHub,
    feed_server: HTTPServer,
    processed: list[list[int]],
) -> None:
    cfg, topic = subscribed(clean_db, settings, hub, feed_server)
    row = sub_row(clean_db)
    assert row.lease_seconds == 3600
    assert row.secret is not None
    assert len(row.secret) == 64
    assert hub.verifications[-1][1] == 200

    # the next poll of a pushed feed is the safety net, at the maximum interval
    with clean_db.begin() as conn:
        conn.execute(update(Feed).values(next_poll_at=datetime.now(UTC) - timedelta(seconds=1)))
    poll_feeds(clean_db, settings, due_only=True, feeds=[cfg])
    with Session(clean_db) as session:
        poll = session.scalars(select(FeedPoll).order_by(FeedPoll.id.desc())).first()
        assert poll is not None
        assert poll.schedule_reason == "websub"
        assert poll.next_poll_at is not None
        assert poll.finished_at is not None
        wait = (poll.next_poll_at - poll.finished_at).total_seconds()
        assert wait == pytest.approx(1800, abs=2)

    before_entries, before_articles = count(clean_db, FeedEntry), count(clean_db, Article)
    pushed = rss(hub.url, topic, [3, 2, 1])
    assert hub.publish(topic, pushed) == [200]
    assert count(clean_db, FeedEntry) == before_entries + 2
    assert count(clean_db, Article) == before_articles + 2
    with Session(clean_db) as conn:
        push = conn.scalars(select(FeedPoll).where(FeedPoll.kind == "push")).one()
        new_ids = sorted(
            conn.execute(
                select(Article.id).where(
                    Article.url.in_(["https://wire.example/a/2", "https://wire.example/a/3"])
                )
            ).scalars()
        )
    assert (push.outcome, push.entries_seen, push.entries_new) == ("ok", 3, 2)
    wait_for(lambda: bool(processed))
    assert processed == [new_ids]  # processing started for exactly the new articles
    assert sub_row(clean_db).last_push_at is not None

    # the same delivery again (a hub retrying): acknowledged, nothing stored twice
    assert hub.publish(topic, pushed) == [200]
    # the same entries in another body (reordered): parsed, still nothing new
    assert hub.publish(topic, rss(hub.url, topic, [1, 2, 3])) == [200]
    assert count(clean_db, FeedEntry) == before_entries + 2
    assert count(clean_db, Article) == before_articles + 2
    with clean_db.connect() as conn:
        outcomes = conn.execute(
            select(FeedPoll.outcome, FeedPoll.entries_new)
            .where(FeedPoll.kind == "push")
            .order_by(FeedPoll.id)
        ).all()
    assert [tuple(o) for o in outcomes] == [("ok", 2), ("unchanged", 0), ("ok", 0)]
    time.sleep(0.3)
    assert processed == [new_ids]  # no new ids, no further processing


def test_forged_pushes_are_refused_and_store_nothing(
    clean_db: Engine, settings: Settings, hub: LoopbackHub, feed_server: HTTPServer
) -> None:
    _, topic = subscribed(clean_db, settings, hub, feed_server)
    callback = next(iter(hub.subscriptions.values())).callback
    before = count(clean_db, FeedEntry)
    body = rss(hub.url, topic, [1, 2, 3])
    assert hub.deliver(callback, topic, body, secret="not-the-secret") == 403
    assert hub.deliver(callback, topic, body, secret=None) == 403  # unsigned
    # correctly signed, but to a callback URL with the wrong token: unknown
    secret = next(iter(hub.subscriptions.values())).secret
    assert hub.deliver(callback.rsplit("/", 1)[0] + "/0badc0de", topic, body, secret) == 404
    # a push to a feed with no subscription, and to a path that is no callback
    token = callback.rsplit("/", 1)[1]
    assert hub.deliver(callback.rsplit("/", 2)[0] + f"/999/{token}", topic, body, "x") == 404
    assert hub.deliver(callback.rsplit("/", 2)[0] + "/other", topic, body, "x") == 404
    assert count(clean_db, FeedEntry) == before
    assert count(clean_db, FeedPoll) == 1  # only the first poll


def test_challenges_we_did_not_ask_for_are_refused(
    clean_db: Engine, settings: Settings, hub: LoopbackHub, feed_server: HTTPServer
) -> None:
    _, topic = subscribed(clean_db, settings, hub, feed_server)
    callback = next(iter(hub.subscriptions.values())).callback
    q = {"hub.mode": "subscribe", "hub.topic": topic, "hub.challenge": "c1"}
    # verified already: a second subscribe challenge (someone replaying) is refused
    assert hub.verify(callback, q).status_code == 404
    # an unknown topic, an unsubscribe we never asked for, an unknown callback
    other = {**q, "hub.topic": "http://127.0.0.1:1/elsewhere.xml"}
    assert hub.verify(callback, other).status_code == 404
    assert hub.verify(callback, {**q, "hub.mode": "unsubscribe"}).status_code == 404
    token = callback.rsplit("/", 1)[1]
    assert hub.verify(callback.rsplit("/", 2)[0] + f"/999/{token}", q).status_code == 404
    assert sub_row(clean_db).state == "active"  # none of it changed the subscription


def test_a_forged_verification_cannot_confirm_a_pending_subscription(
    clean_db: Engine, hub: LoopbackHub, feed_server: HTTPServer, receiver: Receiver
) -> None:
    # the callback points nowhere, so the request stays pending; someone who guesses the
    # feed id and topic (but not the token) tries to confirm it with their own challenge
    host, port = receiver.address
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    settings = get_settings(
        per_host_delay=0.0,
        retries=0,
        respect_robots=False,
        websub_callback_url=f"http://127.0.0.1:{dead}",
    )
    topic = feed_server.url_for("/world.xml")
    feed_server.expect_request("/world.xml").respond_with_data(
        rss(hub.url, topic, [1]), content_type="application/rss+xml"
    )
    poll_feeds(clean_db, settings, [FeedConfig(name="world", url=topic, outlet="wire")])
    maintain_subscriptions(clean_db, settings)
    assert sub_row(clean_db).state == "pending"
    q = {"hub.mode": "subscribe", "hub.topic": topic, "hub.challenge": "forged"}
    for guess in ("/websub/1/" + "0" * 32, "/websub/1"):
        assert hub.verify(f"http://{host}:{port}{guess}", q).status_code == 404
    assert sub_row(clean_db).state == "pending"


def test_lapsed_and_refused_subscriptions_fall_back_to_polling(
    clean_db: Engine, settings: Settings, hub: LoopbackHub, feed_server: HTTPServer
) -> None:
    subscribed(clean_db, settings, hub, feed_server)
    past = datetime.now(UTC) - timedelta(seconds=1)
    with clean_db.begin() as conn:
        conn.execute(update(WebSubSubscription).values(lease_expires_at=past))
        conn.execute(update(Feed).values(next_poll_at=datetime.now(UTC) + timedelta(hours=1)))
    hub.refuse = True  # the renewal will fail
    summary = maintain_subscriptions(clean_db, settings)
    assert (summary.lapsed, summary.requests, summary.failed) == (1, 1, 1)
    row = sub_row(clean_db)
    assert row.state == "failed"
    assert "HTTP 500" in (row.error or "")
    with clean_db.connect() as conn:
        due = conn.scalar(select(Feed.next_poll_at))
    assert due is not None
    assert due <= datetime.now(UTC)  # polled again at once
    # pushes to a subscription we gave up are refused with 410 (the hub may delete it)
    callback = next(iter(hub.subscriptions.values())).callback
    secret = next(iter(hub.subscriptions.values())).secret
    assert hub.deliver(callback, "t", b"<rss/>", secret) == 410
    # not asked again before the verification timeout
    assert maintain_subscriptions(clean_db, settings).requests == 0


def test_an_unverified_request_lapses_to_failed(
    clean_db: Engine, hub: LoopbackHub, feed_server: HTTPServer
) -> None:
    # the callback points at a port nobody listens on: the hub's verification never arrives
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    settings = get_settings(
        per_host_delay=0.0,
        retries=0,
        respect_robots=False,
        websub_callback_url=f"http://127.0.0.1:{dead}",
        websub_verify_timeout_seconds=1.0,
    )
    topic = feed_server.url_for("/world.xml")
    feed_server.expect_request("/world.xml").respond_with_data(
        rss(hub.url, topic, [1]), content_type="application/rss+xml"
    )
    poll_feeds(clean_db, settings, [FeedConfig(name="world", url=topic, outlet="wire")])
    assert maintain_subscriptions(clean_db, settings).requested == 1
    assert sub_row(clean_db).state == "pending"
    time.sleep(1.1)
    assert maintain_subscriptions(clean_db, settings).lapsed == 1
    assert sub_row(clean_db).state in {"failed", "pending"}  # failed, then asked again
    assert hub.requests == 2


def test_the_receiver_enforces_its_limits(clean_db: Engine) -> None:
    settings = get_settings(websub_max_body_bytes=1000)
    r = Receiver(clean_db, settings, "127.0.0.1", 0, process=False, socket_timeout=1.0).start()
    host, port = r.address
    base = f"http://{host}:{port}"
    try:
        with httpx.Client(trust_env=False, timeout=5) as client:
            assert client.post(f"{base}/websub/1/abc", content=b"x" * 1001).status_code == 413
            assert client.put(f"{base}/websub/1/abc", content=b"x").status_code == 405
            assert client.get(f"{base}/").status_code == 404

            def chunks() -> Iterator[bytes]:
                yield b"x"

            assert client.post(f"{base}/websub/1/abc", content=chunks()).status_code == 411
        # a client that announces a body and never sends it is cut off, not waited for
        with socket.create_connection((host, port), timeout=30) as s:
            s.sendall(b"POST /websub/1/abc HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            s.settimeout(30)
            started = time.monotonic()
            answer = s.recv(1024)
            assert time.monotonic() - started < 10
            assert answer.startswith(b"HTTP/1.0 408")
        # the server still answers afterwards
        with httpx.Client(trust_env=False, timeout=5) as client:
            assert client.get(f"{base}/websub/1/abc?hub.mode=subscribe").status_code == 404
    finally:
        r.close()


def test_concurrent_pushes_of_one_body_store_it_once(
    clean_db: Engine, settings: Settings, hub: LoopbackHub, feed_server: HTTPServer
) -> None:
    _, topic = subscribed(clean_db, settings, hub, feed_server)
    before = count(clean_db, FeedEntry)
    body = rss(hub.url, topic, [1, 2, 3])
    statuses: list[int] = []
    threads = [
        threading.Thread(target=lambda: statuses.extend(hub.publish(topic, body))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 4
    assert count(clean_db, FeedEntry) == before + 2


def test_pushes_do_not_use_up_the_poll_budget(
    clean_db: Engine, settings: Settings, hub: LoopbackHub, feed_server: HTTPServer
) -> None:
    cfg, topic = subscribed(clean_db, settings, hub, feed_server)
    for items in ([1, 2], [1, 2, 3], [3]):
        assert hub.publish(topic, rss(hub.url, topic, items)) == [200]
    with clean_db.begin() as conn:
        conn.execute(update(Feed).values(next_poll_at=datetime.now(UTC) - timedelta(seconds=1)))
    budgeted = settings.model_copy(update={"poll_budget_per_minute": 2})
    # one poll in the last minute (the first), three pushes: one poll left in the budget
    assert [f.name for f in claim_due_feeds(clean_db, budgeted, [cfg.name])] == ["world"]


def test_a_pushed_body_naming_another_hub_does_not_repoint_the_subscription(
    clean_db: Engine, settings: Settings, hub: LoopbackHub, feed_server: HTTPServer
) -> None:
    _, topic = subscribed(clean_db, settings, hub, feed_server)
    elsewhere = rss("http://127.0.0.1:1/other-hub", "http://127.0.0.1:1/other.xml", [1, 2])
    assert hub.publish(topic, elsewhere) == [200]
    row = sub_row(clean_db)
    assert (row.state, row.hub, row.topic) == ("active", hub.url, topic)
    assert count(clean_db, FeedEntry) == 2  # the body itself was stored
