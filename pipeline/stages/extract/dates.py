"""Publication dates: a sane page date, else a sane feed date, else none."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

__all__ = ["aware", "resolve_date"]

LOGGER = logging.getLogger(__name__)

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}T00:00:00$")
_YEAR_ONLY = re.compile(r"^\d{4}-01-01T00:00:00$")


def resolve_date(
    page_date: str | None,
    feed_date: datetime | None,
    *,
    now: datetime,
    max_skew_hours: float = 24.0,
    min_year: int = 1995,
) -> tuple[datetime | None, str | None]:
    """Pick the publication time: a sane page date, else a sane feed date, else none.

    A page date with no time of day (htmldate gives midnight, no offset) that falls on the same
    UTC day as the feed date is replaced by the feed's timestamp, which is more precise; the
    source is then 'feed'. A bare 1 January at midnight is how htmldate reports a year it only
    found in a copyright line or a lone number: it is not a publication date, so it is ignored.
    """
    latest = aware(now) + timedelta(hours=max_skew_hours)
    earliest = datetime(min_year, 1, 1, tzinfo=UTC)

    def sane(value: datetime | None) -> datetime | None:
        if value is None:
            return None
        value = aware(value)
        return value if earliest <= value <= latest else None

    feed = sane(feed_date)
    page = None
    if page_date and not _YEAR_ONLY.match(page_date):
        page = sane(_parse_page_date(page_date))
    if page is not None:
        if (
            feed is not None
            and page_date is not None
            and _DATE_ONLY.match(page_date)
            and feed.date() == page.date()
        ):
            return feed, "feed"
        return page, "page"
    if feed is not None:
        return feed, "feed"
    return None, None


def _parse_page_date(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        LOGGER.debug("unparseable page date %r", value)
        return None
    return aware(parsed)


def aware(value: datetime) -> datetime:
    """Naive times are taken as UTC (feeds and pages without an offset are mostly UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
