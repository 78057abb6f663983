"""When to poll a feed next: a pure core, learned from the feed's own history.

A fixed schedule polls a feed that publishes twice a day as often as a wire feed that publishes
every two minutes, and makes both wait as long. Here every feed carries an estimate of its
publication rate (new entries per second), an exponentially weighted average over its polls
where older polls weigh less the longer ago they were (a time constant, not a poll count, so a
feed polled often does not forget faster). The next poll comes after the time in which the feed
is expected to publish ``entries_per_poll`` new entries, within
``[NEWSWIRE_MIN_POLL_SECONDS, NEWSWIRE_MAX_POLL_SECONDS]``.

Publishers' own statements are lower bounds: ``Cache-Control: max-age`` (and ``s-maxage``),
``Retry-After`` on a refusal, RSS ``<ttl>`` and the syndication module's ``sy:updatePeriod`` /
``sy:updateFrequency``. None of them can push a poll beyond the maximum: a feed that claims to
change yearly is still looked at regularly. Failures back off exponentially from the learned
interval, so a dead feed costs little and a feed that recovers is back at its pace after one
success.

No I/O and no clock here: callers pass ``now``; every function is deterministic and unit-tested
(``tests/unit/test_polling.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "PollBounds",
    "Schedule",
    "cache_max_age",
    "feed_hint_seconds",
    "next_schedule",
]

RATE_TIME_CONSTANT = 6 * 3600.0
"""Seconds over which the rate estimate forgets (weight e^-1 after this long)."""
FIRST_RATE_WINDOW = 24 * 3600.0
"""A first poll sees the entries a feed lists now; assume they span about a day."""

_PERIOD_SECONDS = {
    "hourly": 3600.0,
    "daily": 86400.0,
    "weekly": 7 * 86400.0,
    "monthly": 30 * 86400.0,
    "yearly": 365 * 86400.0,
}
_MAX_AGE = re.compile(r"(?:^|[,\s])(s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class PollBounds:
    """The settings the schedule lives within (from :class:`pipeline.config.Settings`)."""

    min_seconds: float = 60.0
    max_seconds: float = 3600.0
    entries_per_poll: float = 0.1
    """Expected new entries between two polls: smaller is fresher and costs more requests."""
    max_backoff_seconds: float = 6 * 3600.0
    rate_window: float = RATE_TIME_CONSTANT
    """Seconds over which the rate estimate forgets (``NEWSWIRE_POLL_RATE_WINDOW_SECONDS``)."""


@dataclass(frozen=True)
class Schedule:
    """A feed's polling state after one poll."""

    rate: float | None
    """New entries per second (EWMA); None before the first successful poll."""
    interval: float
    """Seconds from this poll to the next."""
    next_poll_at: datetime
    reason: str
    """What decided the interval: ``rate``, ``min``, ``max``, ``max-age``, ``ttl``, ``retry-after``,
    ``backoff``: shown in ``feed_polls`` and the logs so an operator sees why a feed waits."""


def cache_max_age(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``Cache-Control`` (``s-maxage`` over ``max-age``); None without one.

    ``no-cache`` / ``no-store`` say nothing about how often the content changes, so they do not
    shorten anything: the learned rate decides.
    """
    value = headers.get("cache-control") or headers.get("Cache-Control")
    if not value:
        return None
    found = {name.lower(): float(seconds) for name, seconds in _MAX_AGE.findall(value)}
    age = found.get("s-maxage", found.get("max-age"))
    return age if age is not None and age > 0 else None


def feed_hint_seconds(ttl: object, update_period: object, update_frequency: object) -> float | None:
    """The shortest interval a feed body asks for: RSS ``<ttl>`` minutes, or
    ``sy:updatePeriod`` / ``sy:updateFrequency`` (e.g. hourly, 2 = every 30 minutes).

    Garbage (non-numbers, zero, negative) is ignored rather than trusted.
    """
    hints: list[float] = []
    try:
        minutes = float(str(ttl).strip()) if ttl is not None else 0.0
    except ValueError:
        minutes = 0.0
    if math.isfinite(minutes) and minutes > 0:
        hints.append(minutes * 60.0)
    if isinstance(update_period, str) and update_period.strip().lower() in _PERIOD_SECONDS:
        period = _PERIOD_SECONDS[update_period.strip().lower()]
        try:
            frequency = float(str(update_frequency).strip()) if update_frequency else 1.0
        except ValueError:
            frequency = 1.0
        if not math.isfinite(frequency) or frequency <= 0:
            frequency = 1.0
        hints.append(period / frequency)
    return max(hints) if hints else None


def updated_rate(
    rate: float | None,
    new_entries: int,
    elapsed: float | None,
    *,
    first_window: float,
    time_constant: float = RATE_TIME_CONSTANT,
    listed_span: float | None = None,
) -> float:
    """The EWMA rate after a poll that found *new_entries* in *elapsed* seconds.

    The weight of the new observation grows with the time it covers (``1 - e^(-dt/τ)``), so ten
    polls a minute apart move the estimate as much as one poll ten minutes later. On the first
    look the listed entries' publication dates tell the rate (n entries since the oldest one,
    *listed_span* seconds ago); without dates they stand for *first_window* seconds.
    """
    if rate is None or elapsed is None:
        if listed_span is not None and listed_span > 0 and new_entries >= 2:
            return new_entries / listed_span
        return max(new_entries, 0) / first_window
    if elapsed <= 0:  # two polls in the same instant: nothing to average over
        return rate
    observed = max(new_entries, 0) / elapsed
    weight = 1.0 - math.exp(-elapsed / time_constant)
    return weight * observed + (1.0 - weight) * rate


def next_schedule(
    *,
    now: datetime,
    bounds: PollBounds,
    rate: float | None,
    last_poll_at: datetime | None,
    succeeded: bool,
    new_entries: int = 0,
    consecutive_failures: int = 0,
    max_age: float | None = None,
    retry_after: float | None = None,
    feed_hint: float | None = None,
    listed_span: float | None = None,
) -> Schedule:
    """The schedule after a poll at *now*.

    *rate* and *last_poll_at* are the feed's state before this poll; *consecutive_failures*
    counts this poll when it failed. *max_age*, *retry_after* and *feed_hint* are what the
    publisher said this time (headers) or last said in the body (``feed_hint``);
    *listed_span* is the seconds from the oldest dated entry of the body to now.
    """
    low, high = bounds.min_seconds, max(bounds.min_seconds, bounds.max_seconds)
    if succeeded:
        elapsed = (now - last_poll_at).total_seconds() if last_poll_at else None
        rate = updated_rate(
            rate,
            new_entries,
            elapsed,
            first_window=FIRST_RATE_WINDOW,
            time_constant=bounds.rate_window,
            listed_span=listed_span,
        )
    base = bounds.entries_per_poll / rate if rate else math.inf
    interval, reason = base, "rate"
    if interval <= low:
        interval, reason = low, "min"
    elif interval >= high:
        interval, reason = high, "max"
    if not succeeded and consecutive_failures > 0:
        backoff = interval * 2.0 ** min(consecutive_failures, 20)
        interval = min(max(backoff, low), max(bounds.max_backoff_seconds, high))
        reason = "backoff"
    # publishers' lower bounds, each capped at the maximum (a feed cannot opt out of polling)
    cap = max(high, interval)
    for value, name in ((max_age, "max-age"), (feed_hint, "ttl"), (retry_after, "retry-after")):
        if value is not None and value > interval:
            interval, reason = min(value, cap), name
    return Schedule(
        rate=rate,
        interval=interval,
        next_poll_at=now + timedelta(seconds=interval),
        reason=reason,
    )


def budget_left(budget_per_minute: int, polls_last_minute: int) -> int | None:
    """How many more feeds may be polled now under the global budget; None: no budget."""
    if budget_per_minute <= 0:
        return None
    return max(0, budget_per_minute - polls_last_minute)
