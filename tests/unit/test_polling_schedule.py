"""The adaptive polling core (pipeline/stages/feeds/schedule.py).

Pure, exact numbers, no clock, no database.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from pipeline.stages.feeds.schedule import (
    FIRST_RATE_WINDOW,
    RATE_TIME_CONSTANT,
    PollBounds,
    budget_left,
    cache_max_age,
    feed_hint_seconds,
    next_schedule,
    updated_rate,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BOUNDS = PollBounds(min_seconds=60, max_seconds=3600, entries_per_poll=0.1)


def test_first_poll_spreads_the_listed_entries_over_a_day() -> None:
    # 24 entries listed on first sight: one per hour -> 0.1 entries in 360 s
    s = next_schedule(
        now=NOW, bounds=BOUNDS, rate=None, last_poll_at=None, succeeded=True, new_entries=24
    )
    assert s.rate == pytest.approx(24 / FIRST_RATE_WINDOW)
    assert s.interval == pytest.approx(360.0)
    assert s.reason == "rate"
    assert s.next_poll_at == NOW + timedelta(seconds=360)


def test_first_poll_reads_the_rate_from_the_listed_dates() -> None:
    # 10 entries, the oldest published 5 hours ago: 2 an hour -> 0.1 entries in 180 s
    s = next_schedule(
        now=NOW,
        bounds=BOUNDS,
        rate=None,
        last_poll_at=None,
        succeeded=True,
        new_entries=10,
        listed_span=5 * 3600,
    )
    assert s.rate == pytest.approx(2 / 3600)
    assert s.interval == pytest.approx(180.0)
    # the time constant is a setting
    slow = PollBounds(min_seconds=60, max_seconds=3600, rate_window=60.0)
    rate = updated_rate(
        2 / 3600, 0, 60, first_window=FIRST_RATE_WINDOW, time_constant=slow.rate_window
    )
    assert rate == pytest.approx(math.exp(-1) * 2 / 3600)


def test_busy_feed_is_polled_at_the_minimum_and_a_quiet_one_at_the_maximum() -> None:
    busy = next_schedule(
        now=NOW,
        bounds=BOUNDS,
        rate=1 / 60,
        last_poll_at=NOW - timedelta(seconds=60),
        succeeded=True,
        new_entries=1,
    )
    assert (busy.interval, busy.reason) == (60, "min")
    quiet = next_schedule(
        now=NOW,
        bounds=BOUNDS,
        rate=1 / 86400,
        last_poll_at=NOW - timedelta(hours=1),
        succeeded=True,
        new_entries=0,
    )
    assert (quiet.interval, quiet.reason) == (3600, "max")
    never = next_schedule(now=NOW, bounds=BOUNDS, rate=None, last_poll_at=None, succeeded=True)
    assert (never.interval, never.reason) == (3600, "max")


def test_rate_is_a_time_weighted_average() -> None:
    # one hour without entries after a rate of 2/h: weight 1 - e^(-1/6) of the zero observation
    rate = updated_rate(2 / 3600, 0, 3600, first_window=FIRST_RATE_WINDOW)
    weight = 1 - math.exp(-3600 / RATE_TIME_CONSTANT)
    assert rate == pytest.approx((1 - weight) * 2 / 3600)
    # ten polls a minute apart move it as far as one poll ten minutes later (same observations)
    stepwise = 2 / 3600
    for _ in range(10):
        stepwise = updated_rate(stepwise, 0, 60, first_window=FIRST_RATE_WINDOW)
    once = updated_rate(2 / 3600, 0, 600, first_window=FIRST_RATE_WINDOW)
    assert stepwise == pytest.approx(once)
    # new entries raise it
    assert updated_rate(2 / 3600, 5, 600, first_window=FIRST_RATE_WINDOW) > 2 / 3600


def test_failures_back_off_exponentially_and_recover_after_one_success() -> None:
    rate, last = 1 / 600, NOW - timedelta(minutes=1)  # learned interval 60 s
    intervals = [
        next_schedule(
            now=NOW,
            bounds=BOUNDS,
            rate=rate,
            last_poll_at=last,
            succeeded=False,
            consecutive_failures=n,
        ).interval
        for n in (1, 2, 3, 10)
    ]
    assert intervals == [120, 240, 480, BOUNDS.max_backoff_seconds]
    failed = next_schedule(
        now=NOW,
        bounds=BOUNDS,
        rate=rate,
        last_poll_at=last,
        succeeded=False,
        consecutive_failures=3,
    )
    assert failed.rate == rate  # a failure teaches nothing about the publication rate
    assert failed.reason == "backoff"
    ok = next_schedule(
        now=NOW, bounds=BOUNDS, rate=rate, last_poll_at=last, succeeded=True, new_entries=0
    )
    # back at the learned pace (a minute without entries lowered the rate a little)
    expected = 0.1 / updated_rate(rate, 0, 60, first_window=FIRST_RATE_WINDOW)
    assert (ok.interval, ok.reason) == (pytest.approx(expected), "rate")
    assert 60 < ok.interval < 61


def test_publisher_hints_are_lower_bounds_capped_at_the_maximum() -> None:
    ok = partial(next_schedule, now=NOW, bounds=BOUNDS, rate=1.0, last_poll_at=NOW, succeeded=True)
    assert (ok(max_age=300).interval, ok(max_age=300).reason) == (300, "max-age")
    assert (ok(feed_hint=1800).interval, ok(feed_hint=1800).reason) == (1800, "ttl")
    assert ok(max_age=30).interval == 60
    assert ok(max_age=10**9).interval == 3600
    refused = next_schedule(
        now=NOW,
        bounds=BOUNDS,
        rate=1.0,
        last_poll_at=NOW,
        succeeded=False,
        consecutive_failures=1,
        retry_after=900,
    )
    assert (refused.interval, refused.reason) == (900, "retry-after")


def test_cache_control_parsing() -> None:
    assert cache_max_age({"cache-control": "public, max-age=600"}) == 600
    assert cache_max_age({"cache-control": "max-age=600, s-maxage=120"}) == 120
    assert cache_max_age({"cache-control": 'max-age="90"'}) == 90
    assert cache_max_age({"cache-control": "no-cache"}) is None
    assert cache_max_age({"cache-control": "max-age=0"}) is None
    assert cache_max_age({}) is None


def test_feed_hints_from_ttl_and_the_syndication_module() -> None:
    assert feed_hint_seconds("30", None, None) == 1800
    assert feed_hint_seconds(None, "hourly", "2") == 1800
    assert feed_hint_seconds(None, "daily", None) == 86400
    assert feed_hint_seconds("10", "hourly", "1") == 3600  # the longer one wins
    assert feed_hint_seconds("soon", "fortnightly", "x") is None
    assert feed_hint_seconds("-5", "hourly", "0") == 3600  # a zero frequency means once
    assert feed_hint_seconds(None, None, None) is None


def test_budget() -> None:
    assert budget_left(0, 500) is None
    assert budget_left(100, 40) == 60
    assert budget_left(100, 140) == 0
