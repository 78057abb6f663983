"""Backfill one day: find what the outlets published in it, fetch what is missing, re-process.

Feeds only list the last few dozen items, so a missed day is recovered from the outlets'
sitemaps: news sitemaps (``news:publication_date``) and dated archive sitemaps
(``sitemap-2026-11-25.xml``, ``/sitemaps/2026/11/``), found through ``Sitemap:`` lines in
robots.txt. A sitemap index is walked only into children that can cover the interval (by their
``lastmod`` or the date in their URL), and an article is kept when its publication date,
``lastmod`` or the date in its URL falls in the interval. Feed entries already stored for the
interval count too.

Sitemaps are parsed from bytes fetched through :mod:`pipeline.http` (the one network seam, with
robots.txt and politeness), so trafilatura's own downloading sitemap helpers are not used; the
XML is read with lxml, with entity resolution and network access off.

Everything is idempotent: articles are inserted ``ON CONFLICT DO NOTHING`` on their canonical
URL, only pending ones are fetched, and the re-processing stages skip what is current — so
running the same interval twice changes nothing the second time.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from dateutil import parser as dateparser
from lxml import etree
from protego import Protego
from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.dialects.postgresql import insert

from pipeline.config import Settings
from pipeline.http.client import FetchError, HttpClient
from pipeline.models import Article, ArticleStatus, FeedEntry
from pipeline.urls import InvalidURLError, canonicalize_url

LOGGER = logging.getLogger(__name__)

__all__ = [
    "DiscoverySummary",
    "SitemapEntry",
    "backfill_candidates",
    "discover_interval",
    "interval_article_ids",
    "parse_sitemap",
]

_GZIP_MAGIC = b"\x1f\x8b"
_MAX_SITEMAP_BYTES = 50_000_000  # the sitemaps.org limit for one uncompressed file
_DAY = re.compile(
    r"(?<!\d)(20\d{2}|19\d{2})[-/_.]?(0[1-9]|1[0-2])[-/_.]?(0[1-9]|[12]\d|3[01])(?!\d)"
)
_MONTH = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-/_.](0[1-9]|1[0-2])(?![-/_.]?\d)")
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, recover=True, remove_comments=True
)


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` of a urlset, or one ``<sitemap>`` of an index."""

    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None  # news:publication_date
    title: str | None = None  # news:title


@dataclass(frozen=True)
class ParsedSitemap:
    """A parsed sitemap: an index (children to visit) or a urlset (pages)."""

    kind: str  # "index" or "urlset"
    entries: list[SitemapEntry]


@dataclass(frozen=True)
class DiscoverySummary:
    """What discovery found for one interval (XCom-safe: counts and ids)."""

    start: str
    end: str
    sitemaps_read: int = 0
    sitemaps_failed: int = 0
    sitemap_urls: int = 0
    feed_entries: int = 0
    articles_new: int = 0
    to_fetch: list[int] = field(default_factory=list)


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _date(value: str | None) -> datetime | None:
    """A W3C/ISO date as aware UTC; a date without a zone is taken as UTC."""
    if not value or not value.strip():
        return None
    try:
        parsed = dateparser.isoparse(value.strip())
    except (ValueError, OverflowError):
        try:
            parsed = dateparser.parse(value.strip())
        except (ValueError, OverflowError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_sitemap(data: bytes) -> ParsedSitemap:
    """Parse sitemap XML (gzip allowed); raise ``ValueError`` when it is not a sitemap."""
    if data.startswith(_GZIP_MAGIC):
        data = gzip.decompress(data)[:_MAX_SITEMAP_BYTES]
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if root is None:
        raise ValueError("empty document")
    kind = _local(root.tag)
    if kind not in {"urlset", "sitemapindex"}:
        raise ValueError(f"not a sitemap (root element <{kind}>)")
    entries: list[SitemapEntry] = []
    for item in root:
        if _local(item.tag) not in {"url", "sitemap"}:
            continue
        values: dict[str, str] = {}
        for node in item.iter():
            name = _local(node.tag)
            if name in {"loc", "lastmod", "publication_date", "title"} and node.text:
                values.setdefault(name, node.text.strip())
        if not values.get("loc"):
            continue
        entries.append(
            SitemapEntry(
                loc=values["loc"],
                lastmod=_date(values.get("lastmod")),
                published=_date(values.get("publication_date")),
                title=values.get("title"),
            )
        )
    return ParsedSitemap("index" if kind == "sitemapindex" else "urlset", entries)


def url_day(url: str) -> date | None:
    """The date written in a URL's path (``/2026/11/25/``, ``2026-11-25``), if any."""
    match = _DAY.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def url_month(url: str) -> tuple[int, int] | None:
    """The year and month of a monthly archive URL (``sitemap-2026-11.xml``), if any."""
    match = _MONTH.search(urlsplit(url).path)
    return (int(match[1]), int(match[2])) if match else None


def _days(start: datetime, end: datetime) -> set[date]:
    last = (end - timedelta(microseconds=1)).date()
    out, day = set(), start.date()
    while day <= last:
        out.add(day)
        day += timedelta(days=1)
    return out


def page_in_interval(entry: SitemapEntry, start: datetime, end: datetime) -> bool:
    """Whether a page was published in [start, end).

    The publication date wins; then the date in the URL (a stable fact, unlike ``lastmod``,
    which moves with every correction); ``lastmod`` only when neither exists.
    """
    if entry.published is not None:
        return start <= entry.published < end
    day = url_day(entry.loc)
    if day is not None:
        return day in _days(start, end)
    if entry.lastmod is not None:
        return start <= entry.lastmod < end
    return False


def child_may_cover(entry: SitemapEntry, start: datetime, end: datetime) -> bool:
    """Whether a child sitemap of an index can list pages published in [start, end).

    A dated archive covers its day or month only; a child last modified before the interval
    began cannot list anything published in it. Undated children are read.
    """
    day = url_day(entry.loc)
    if day is not None:
        return day in _days(start, end)
    month = url_month(entry.loc)
    if month is not None:
        return any((d.year, d.month) == month for d in _days(start, end))
    return not (entry.lastmod is not None and entry.lastmod < start)


def sitemaps_from_robots(robots_url: str, body: bytes) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, resolved against it."""
    parsed = Protego.parse(body.decode("utf-8", errors="replace"))
    return [urljoin(robots_url, url) for url in parsed.sitemaps]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def _collect(
    client: HttpClient,
    roots: Sequence[str],
    start: datetime,
    end: datetime,
    max_sitemaps: int,
) -> tuple[list[SitemapEntry], int, int]:
    """Walk robots.txt → sitemaps → children; return in-interval pages, read and failed counts."""
    queue: list[str] = []
    for origin in roots:
        robots_url = origin + "/robots.txt"
        try:
            robots = await client.get(robots_url, check_robots=False)
            found = sitemaps_from_robots(robots_url, robots.body)
        except FetchError as exc:
            LOGGER.info("no robots.txt at %s (%s)", robots_url, exc.reason.value)
            found = []
        queue.extend(found or [origin + "/sitemap.xml"])
    seen: set[str] = set()
    pages: dict[str, SitemapEntry] = {}
    read = failed = 0
    while queue and read + failed < max_sitemaps:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            response = await client.get(url, expect="any")
            sitemap = parse_sitemap(response.body)
        except (FetchError, ValueError, OSError) as exc:
            failed += 1
            LOGGER.warning("sitemap %s unusable: %s", url, exc)
            continue
        read += 1
        if sitemap.kind == "index":
            queue.extend(
                urljoin(url, child.loc)
                for child in sitemap.entries
                if child_may_cover(child, start, end)
            )
            continue
        for entry in sitemap.entries:
            if page_in_interval(entry, start, end):
                pages.setdefault(urljoin(url, entry.loc), entry)
    if queue:
        LOGGER.warning("stopped after %s sitemaps; %s left unread", max_sitemaps, len(queue))
    return (
        [SitemapEntry(loc, e.lastmod, e.published, e.title) for loc, e in pages.items()],
        read,
        failed,
    )


def backfill_candidates(
    settings: Settings,
    feed_urls: Iterable[str],
    start: datetime,
    end: datetime,
    *,
    max_sitemaps: int = 500,
) -> tuple[list[SitemapEntry], int, int]:
    """Pages published in [start, end) per the sitemaps of the feeds' origins."""
    roots = sorted({_origin(url) for url in feed_urls})

    async def _run() -> tuple[list[SitemapEntry], int, int]:
        async with HttpClient(settings) as client:
            return await _collect(client, roots, start, end, max_sitemaps)

    return asyncio.run(_run())


def _outlet_for(
    url: str, feeds: Sequence[tuple[str, str, int | None]]
) -> tuple[str | None, int | None]:
    """The outlet (and feed id) whose feed URL shares the longest prefix with *url*.

    Outlets are told apart by host in production and by path prefix under the replay server,
    where all of them share one origin.
    """
    best: tuple[int, str | None, int | None] = (0, None, None)
    for feed_url, outlet, feed_id in feeds:
        if _origin(feed_url) != _origin(url):
            continue
        common = 0
        for a, b in zip(feed_url, url, strict=False):
            if a != b:
                break
            common += 1
        if common > best[0]:
            best = (common, outlet, feed_id)
    return best[1], best[2]


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def interval_article_ids(engine: Engine, start: datetime, end: datetime) -> list[int]:
    """Articles published in [start, end): by extracted date, else by the feed/sitemap date."""
    start, end = _as_utc(start), _as_utc(end)
    published = or_(
        and_(Article.published_at >= start, Article.published_at < end),
        and_(
            Article.published_at.is_(None),
            Article.feed_published_at >= start,
            Article.feed_published_at < end,
        ),
    )
    listed = select(FeedEntry.article_id).where(
        FeedEntry.published_at >= start, FeedEntry.published_at < end
    )
    stmt = select(Article.id).where(or_(published, Article.id.in_(listed))).order_by(Article.id)
    with engine.connect() as conn:
        return list(conn.execute(stmt).scalars())


def discover_interval(
    engine: Engine,
    settings: Settings,
    feeds: Sequence[tuple[str, str, int | None]],
    start: datetime,
    end: datetime,
    *,
    max_sitemaps: int = 500,
) -> DiscoverySummary:
    """Insert the interval's articles found in sitemaps; return the pending ones to fetch.

    *feeds* are ``(feed url, outlet, feed id)`` triples: their origins are where sitemaps are
    looked for, and they attribute each page to an outlet.
    """
    start, end = _as_utc(start), _as_utc(end)
    if end <= start:
        raise ValueError(f"empty interval: {start.isoformat()} .. {end.isoformat()}")
    pages, read, failed = backfill_candidates(
        settings, [url for url, _, _ in feeds], start, end, max_sitemaps=max_sitemaps
    )
    rows: dict[str, dict[str, object]] = {}
    for page in pages:
        try:
            canonical = canonicalize_url(page.loc)
        except InvalidURLError as exc:
            LOGGER.info("skipping sitemap URL %r: %s", page.loc, exc)
            continue
        outlet, feed_id = _outlet_for(page.loc, feeds)
        rows.setdefault(
            canonical,
            {
                "canonical_url": canonical,
                "url": page.loc,
                "original_urls": [page.loc],
                "feed_id": feed_id,
                "outlet": outlet,
                "source": "sitemap",
                "feed_title": page.title,
                "feed_published_at": page.published or page.lastmod,
                "status": ArticleStatus.PENDING.value,
            },
        )
    new_ids: list[int] = []
    with engine.begin() as conn:
        if rows:
            new_ids = list(
                conn.execute(
                    insert(Article)
                    .values([rows[k] for k in sorted(rows)])
                    .on_conflict_do_nothing(index_elements=[Article.canonical_url])
                    .returning(Article.id)
                ).scalars()
            )
        listed = select(FeedEntry.article_id).where(
            FeedEntry.published_at >= start, FeedEntry.published_at < end
        )
        feed_entries = len(list(conn.execute(listed).scalars()))
        pending = select(Article.id).where(
            Article.status == ArticleStatus.PENDING.value,
            or_(
                Article.canonical_url.in_(list(rows)),
                Article.id.in_(listed),
            ),
        )
        to_fetch = sorted(conn.execute(pending).scalars())
    summary = DiscoverySummary(
        start=start.isoformat(),
        end=end.isoformat(),
        sitemaps_read=read,
        sitemaps_failed=failed,
        sitemap_urls=len(rows),
        feed_entries=feed_entries,
        articles_new=len(new_ids),
        to_fetch=to_fetch,
    )
    LOGGER.info(
        "backfill %s..%s: sitemaps=%s (failed %s) urls=%s feed_entries=%s new=%s to_fetch=%s",
        summary.start,
        summary.end,
        read,
        failed,
        len(rows),
        feed_entries,
        len(new_ids),
        len(to_fetch),
    )
    return summary
