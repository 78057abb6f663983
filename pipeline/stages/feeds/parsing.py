"""Feed bodies to usable entries: feedparser, link resolution, keys, dates, publisher hints.

Pure (no I/O): ``parse_feed`` runs in a process-pool worker when many feeds are polled at once
(see :mod:`pipeline.stages.feeds.poll`), so everything it takes and returns is picklable. Split from
``pipeline/stages/feeds/poll.py`` (which re-exports ``parse_feed``).
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.html
from lxml import etree
from w3lib.html import remove_tags, remove_tags_with_content

from pipeline.config import Settings
from pipeline.models import (
    PollOutcome,
)
from pipeline.sanitize import MAX_KEY_BYTES, clean_text, fits_key
from pipeline.sniff import is_html_body
from pipeline.stages.feeds.schedule import (
    feed_hint_seconds,
)
from pipeline.urls import InvalidURLError, canonicalize_url

__all__ = ["ParsedEntry", "ParsedFeed", "parse_feed"]

_MAX_TEXT = 20_000  # feed titles/summaries longer than this are junk, not metadata


@dataclass(frozen=True)
class ParsedEntry:
    """One usable feed entry, with its link resolved and canonicalised."""

    key: str
    guid: str | None
    link: str
    canonical_url: str
    title: str | None
    summary: str | None
    authors: list[str]
    published_at: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    """What feedparser made of a body: entries, or why there are none."""

    outcome: PollOutcome
    entries: list[ParsedEntry]
    feed_format: str | None
    error: str | None = None
    warning: str | None = None
    hint_seconds: float | None = None
    """The shortest poll interval the body asks for (``<ttl>``, ``sy:updatePeriod``)."""
    links: tuple[tuple[str, str], ...] = ()
    """The channel's ``rel="hub"`` / ``rel="self"`` links (WebSub discovery), as (rel, href)."""


# -- pure parsing ----------------------------------------------------------------------------


def _clip(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = clean_text(value).strip()
    return value[:_MAX_TEXT] or None


_UNSAFE = ("script", "style", "template", "iframe", "object", "embed", "svg", "math")
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
"""Elements that end a line: their text is kept apart from the next element's."""


def _text(value: Any) -> str | None:
    """A title or summary as plain text: tags dropped (with the content of scripts, styles and
    embedded objects), entities decoded, whitespace collapsed.

    feedparser runs with its HTML sanitiser off (a quarter of its time, spent on markup we
    would not keep), so what it returns for an HTML title or summary is the publisher's
    markup as sent; this is the one place that makes it safe, and cheaper than sanitising:
    text without ``<`` or ``&`` (most titles) is returned as it is.
    """
    value = _clip(value)
    if value is None or ("<" not in value and "&" not in value):
        return value
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        return _clip(remove_tags(remove_tags_with_content(value, _UNSAFE)))
    for element in list(root.iter(*_UNSAFE)):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = " " + (element.tail or "")
    return _clip(" ".join(root.text_content().split()))


def _entry_key(guid: str | None) -> str | None:
    """A GUID usable as an indexed key: long ones are keyed by their hash."""
    if guid is None or fits_key(guid):
        return guid
    return "sha256:" + hashlib.sha256(guid.encode("utf-8", "replace")).hexdigest()


_NEGATIVE_YEAR = re.compile(r"^\s*[-\u2212]\d")
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _year_matches(raw: Any, year: int) -> bool:
    """Whether the parsed *year* is the one the feed wrote.

    feedparser turns what it cannot read into a date anyway: the ISO year ``-0001`` (a common
    "no date" placeholder) becomes 1 January 2000. A negative year, or a text whose four-digit
    numbers do not include the parsed year, is not a date.
    """
    if not isinstance(raw, str):
        return True
    if _NEGATIVE_YEAR.match(raw):
        return False
    years = _FOUR_DIGITS.findall(raw)
    return not years or str(year) in years


def _entry_date(entry: Any, now: datetime, settings: Settings) -> datetime | None:
    """The entry's date if it is plausible; placeholders, garbage and absurd dates give None."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # plain dict access: FeedParserDict aliases updated→published with a DeprecationWarning
        parsed = dict.get(entry, key)
        if not parsed:
            continue
        if not _year_matches(dict.get(entry, key.removesuffix("_parsed")), parsed.tm_year):
            continue
        try:
            value = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
        except (OverflowError, ValueError, TypeError, OSError):
            continue
        if value.year < settings.min_year:
            continue
        if value > now + timedelta(hours=settings.max_date_skew_hours):
            continue
        return value
    return None


_EMAIL_NAME = re.compile(r"^\S+@\S+\s*\((?P<name>[^)]+)\)$")


def _entry_authors(entry: Any) -> list[str]:
    """Author names; RSS's ``email (Name)`` form becomes the name (feedparser mangles it)."""
    raw = entry.get("authors") or []
    names = [_clip(a.get("name")) for a in raw if isinstance(a, dict)]
    single = _clip(entry.get("author"))
    if len(raw) <= 1 and single:
        match = _EMAIL_NAME.match(single)
        names = [match.group("name").strip() if match else single]
    return list(dict.fromkeys(n for n in names if n))


def _entry_link(entry: Any) -> str | None:
    link = _clip(entry.get("link"))
    if link:
        return link
    for item in entry.get("links") or []:
        if (
            isinstance(item, dict)
            and item.get("href")
            and item.get("rel", "alternate")
            in (
                "alternate",
                None,
            )
        ):
            return str(item["href"]).strip()
    guid = _clip(entry.get("id"))
    if guid and guid.lower().startswith(("http://", "https://")):
        return guid
    return None


def parse_feed(
    body: bytes,
    feed_url: str,
    settings: Settings,
    *,
    content_type: str | None = None,
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse feed *body* (bytes, so feedparser sees the real encoding) into usable entries.

    Relative links are resolved against *feed_url*; an HTML page or a non-feed XML document is a
    failure with a clear error; a malformed ("bozo") feed keeps what could be recovered.
    """
    now = now or datetime.now(UTC)
    headers = {"content-location": feed_url}
    if content_type:
        headers["content-type"] = content_type
    # sanitising and resolving URIs inside HTML content are half of feedparser's time, and
    # we keep no HTML from feeds (titles and summaries are made plain text by _text; links
    # are resolved below against the feed URL)
    # a stream, never the bytes themselves: feedparser opens a bytes "body" that names a file
    # (a server answering "/dev/zero" or the path of a local file would have it read that)
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    version = parsed.get("version") or None
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    warning = f"{type(bozo).__name__}: {bozo}" if bozo is not None else None
    if isinstance(bozo, feedparser.NonXMLContentType):
        bozo = None  # a feed served as text/plain or without a type parses fine: note it only
    raw_entries = list(parsed.get("entries") or [])
    channel = parsed.get("feed") or {}
    hint = feed_hint_seconds(
        channel.get("ttl"), channel.get("sy_updateperiod"), channel.get("sy_updatefrequency")
    )
    if not raw_entries:
        if not body.strip():
            return ParsedFeed(PollOutcome.FAILED, [], version, error="empty response body")
        if is_html_body(body) or (content_type or "").startswith("text/html"):
            return ParsedFeed(
                PollOutcome.FAILED,
                [],
                version,
                error="HTML page served where a feed was expected",
                warning=warning,
            )
        if not version:
            return ParsedFeed(
                PollOutcome.FAILED,
                [],
                None,
                error="not an RSS/Atom feed" + (f" ({warning})" if warning else ""),
                warning=warning,
            )
        if bozo is not None:
            return ParsedFeed(
                PollOutcome.FAILED, [], version, error=f"malformed feed, no entries: {warning}"
            )
        return ParsedFeed(
            PollOutcome.OK, [], version, hint_seconds=hint, links=_websub_links(channel)
        )

    candidates: list[tuple[str | None, str, str, Any]] = []
    skipped = too_long = 0
    for entry in raw_entries:
        link = _entry_link(entry)
        if not link:
            skipped += 1
            continue
        link = clean_text(link)
        try:
            canonical = canonicalize_url(link, base=feed_url)
        except InvalidURLError:
            skipped += 1
            continue
        absolute = urljoin(feed_url, link)
        if not (fits_key(canonical) and fits_key(absolute)):
            too_long += 1  # an index entry this long is refused by PostgreSQL: note, not crash
            continue
        candidates.append((_clip(entry.get("id")), absolute, canonical, entry))

    # A GUID shared by several different links in one body is not an identifier (some feeds
    # repeat the channel link as every item's guid): key those entries by their link instead.
    guid_links: dict[str, set[str]] = {}
    for guid, _, canonical, _ in candidates:
        if guid:
            guid_links.setdefault(guid, set()).add(canonical)
    entries: dict[str, ParsedEntry] = {}
    for guid, link, canonical, entry in candidates:
        usable_guid = guid if guid and len(guid_links[guid]) == 1 else None
        key = _entry_key(usable_guid) or canonical
        if key in entries:
            continue  # a repeated item: the first one wins
        entries[key] = ParsedEntry(
            key=key,
            guid=guid,
            link=link,
            canonical_url=canonical,
            title=_text(entry.get("title")),
            summary=_text(entry.get("summary")),
            authors=_entry_authors(entry),
            published_at=_entry_date(entry, now, settings),
        )
    notes = (
        warning,
        f"{skipped} entries without a usable link" if skipped else None,
        f"{too_long} entries with a link over {MAX_KEY_BYTES} bytes refused" if too_long else None,
    )
    note = "; ".join(n for n in notes if n) or None
    if not entries:
        return ParsedFeed(PollOutcome.FAILED, [], version, error=note or "no usable entries")
    # entries without links are the feed's business (noted); malformed XML makes it partial
    outcome = PollOutcome.PARTIAL if bozo is not None else PollOutcome.OK
    return ParsedFeed(
        outcome,
        list(entries.values()),
        version,
        warning=note,
        hint_seconds=hint,
        links=_websub_links(channel),
    )


def _websub_links(channel: Any) -> tuple[tuple[str, str], ...]:
    """The channel-level hub and self links (``<atom:link>`` in RSS, ``<link>`` in Atom)."""
    out = []
    for link in channel.get("links") or []:
        rel, href = link.get("rel"), link.get("href")
        if isinstance(rel, str) and isinstance(href, str) and rel.lower() in {"hub", "self"}:
            out.append((rel.lower(), href.strip()))
    return tuple(out)
