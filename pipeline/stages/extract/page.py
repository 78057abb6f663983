"""Pure article extraction: HTML bytes in, text and metadata out (trafilatura + htmldate).

Nothing here does I/O, so :func:`extract_page` runs unchanged in the fetch stage's process pool,
in ``extract_pending`` (re-extraction from stored raw pages) and in ``newswire extract``. Results
are frozen dataclasses of plain values, so they pickle across processes.

The article text is plain ``trafilatura.extract``'s with :data:`TRAFILATURA_OPTIONS` (its cascade
run on our own parse, NFC-normalised like it): plain trafilatura is the floor, and the layers
below change its outcome only where they are demonstrably right (``bench/bench_extract.py`` lists
every page where we store less). Three things trafilatura does not do for us, and which this
module adds:

* **decoding** that honours the page's own charset (BOM, ``Content-Type``, ``<meta charset>``,
  via w3lib, the browser-like order) and survives wrong or mixed encodings;
* **failure classes** a user can act on (``not_html``, ``empty_extraction``,
  ``blocked_or_paywall``) instead of a bare ``None``; a wall fails a page only when its text is a
  stub, otherwise the article is kept and marked (``wall_marker``);
* **date sanity**: the page date is preferred, the feed date is the fallback, and neither may lie
  in the future beyond a skew or before ``min_year``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import trafilatura
import trafilatura.core
import trafilatura.settings
from trafilatura.utils import load_html

from pipeline.models import FailureReason
from pipeline.stages.extract.content import content_text
from pipeline.stages.extract.dates import aware, resolve_date
from pipeline.stages.extract.decoding import (
    HTML_SNIFF,
    MAX_INPUT_BYTES,
    decode_html,
    sniff_bytes,
)
from pipeline.stages.extract.metadata import page_language, page_metadata
from pipeline.stages.extract.unwrap import article_behind_wall, unwrap_soft_wall
from pipeline.stages.extract.walls import (
    BLOCK_MAX_WORDS,
    CHARS_PER_UNSPACED_WORD,
    WALL_ONLY_MAX_WORDS,
    block_marker,
    count_words,
    words_beside_walls,
)

LOGGER = logging.getLogger(__name__)

# Bump the first part whenever a change here would change what extract_page returns for the same
# input; the trafilatura version is part of it because its heuristics change between releases.
# A changed version makes ``extract_pending`` re-extract stored raw pages.
EXTRACTOR_VERSION: Final[str] = f"3+trafilatura-{trafilatura.__version__}"

# How far past "now" htmldate may look; our own bound (now + max_skew_hours) is applied after.
HTMLDATE_HORIZON_DAYS: Final[int] = 3660

# Options passed to trafilatura, chosen on the *tune* half of the shared pages with
# bench/bench_extract.py (figures in docs/extract.md): precision mode without comments is the
# best plain setting there on both the bag-of-words and the snippet metric. ``fast`` stays off:
# it skips the readability/jusText comparison that rescues long pages whose main container
# holds only the first paragraphs (their text came out truncated); recall mode keeps boilerplate.
TRAFILATURA_OPTIONS: Final[dict[str, Any]] = {
    "include_comments": False,  # reader comments are not the article
    "include_tables": True,  # tables in news pages are usually part of the story (results, data)
    "favor_precision": True,
    "favor_recall": False,
    "deduplicate": False,  # a per-process LRU would make results depend on what ran before
    "fast": False,  # the fallback extractors are what keeps long articles whole
}

# Fewer words than this is a stray link or a caption, not an article (the shortest real briefs
# in the corpus bench have a sentence of 15+ words).
MIN_ARTICLE_WORDS: Final[int] = 8

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class FeedMeta:
    """What the feed said about an entry: the fallback for anything the page lacks."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    summary: str | None = None


@dataclass(frozen=True)
class Extraction:
    """The result of extracting one page; ``ok`` is False with a ``failure`` class otherwise.

    Metadata is filled even on failure when it could be read (a paywalled page still has a title),
    so the articles table shows what the page was.
    """

    ok: bool
    failure: FailureReason | None = None
    detail: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    date_source: str | None = None  # 'page' | 'feed' | None
    language: str | None = None
    sitename: str | None = None
    description: str | None = None
    text: str | None = None
    text_hash: str | None = None
    word_count: int = 0
    encoding: str | None = None
    extractor_version: str = EXTRACTOR_VERSION
    # the wall sign seen (paywall, consent or bot wall): with ok, a flag on an article kept
    # because its text is more than a stub; with blocked_or_paywall, the sign that failed it
    wall_marker: str | None = None


def normalise_text(text: str) -> str:
    """The form two texts must share to count as the same: NFKC, case-folded, spaces collapsed.

    Hashing this instead of the raw text makes re-encoded or re-wrapped copies of a story
    (curly vs straight quotes, non-breaking spaces, line breaks) share one ``text_hash``.
    """
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def text_hash(text: str) -> str:
    """sha256 hex digest of :func:`normalise_text`."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def extract_page(
    html: bytes | str,
    url: str,
    *,
    fallback: FeedMeta | None = None,
    now: datetime | None = None,
    max_skew_hours: float = 24.0,
    min_year: int = 1995,
    content_type: str | None = None,
    trafilatura_options: Mapping[str, Any] | None = None,
) -> Extraction:
    """Extract article text and metadata from one page; never raises on bad input.

    ``now`` bounds plausible publication dates (defaults to the current time; pass the fetch
    time when re-extracting old pages). ``content_type`` is the HTTP header, if known: its
    charset wins over the page's own declaration, as in browsers. ``trafilatura_options``
    replaces :data:`TRAFILATURA_OPTIONS` (the extraction bench compares combinations with it).
    """
    bounds = _DateBounds(
        now=aware(now) if now is not None else datetime.now(UTC),
        max_skew_hours=max_skew_hours,
        min_year=min_year,
        options=TRAFILATURA_OPTIONS if trafilatura_options is None else trafilatura_options,
    )
    fallback = fallback or FeedMeta()
    try:
        return _extract(html, url, content_type, fallback, bounds)
    except Exception as exc:  # the pool boundary: one odd page must not kill a batch
        LOGGER.exception("extraction crashed on %s", url)
        return _failed(FailureReason.INTERNAL, f"{type(exc).__name__}: {exc}", fallback, bounds)


@dataclass(frozen=True)
class _DateBounds:
    now: datetime
    max_skew_hours: float
    min_year: int
    options: Mapping[str, Any] = field(default_factory=dict)


def _extract(
    html: bytes | str,
    url: str,
    content_type: str | None,
    fallback: FeedMeta,
    bounds: _DateBounds,
) -> Extraction:
    if isinstance(html, str):
        encoding: str | None = None
        body = html[:MAX_INPUT_BYTES]
        if not body.strip():
            return _failed(FailureReason.EMPTY_EXTRACTION, "empty body", fallback, bounds)
        if not HTML_SNIFF.search(body[:65536].encode("utf-8", "replace")):
            return _failed(FailureReason.NOT_HTML, "no HTML markup", fallback, bounds)
    else:
        if not html.strip():
            return _failed(FailureReason.EMPTY_EXTRACTION, "empty body", fallback, bounds)
        raw, problem = sniff_bytes(html)
        if problem is not None:
            return _failed(FailureReason.NOT_HTML, problem, fallback, bounds)
        encoding, body = decode_html(raw, content_type)

    language = page_language(body)
    # htmldate gets a loose upper bound on purpose: given the tight one, it swaps a rejected
    # precise date for a coarse guess ("2026-02" → 1 February) that would then beat the feed
    # date. We apply the real bound ourselves in resolve_date. Extensive search is off for the
    # same reason (its last resorts are copyright years and lone numbers), and it is faster.
    date_params = {
        "original_date": True,
        "extensive_search": False,
        "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        "max_date": (bounds.now + timedelta(days=HTMLDATE_HORIZON_DAYS)).strftime("%Y-%m-%d"),
        "min_date": f"{bounds.min_year}-01-01",
    }
    # One parse: metadata is read from our tree, and trafilatura's content extraction works on
    # its own copy of it (bare_extraction copies a tree it is given before pruning it), so the
    # tree stays intact for the wall checks of short pages.
    tree: Any = load_html(body)
    if tree is None:
        return _failed(FailureReason.NOT_HTML, "unparseable markup", fallback, bounds)
    meta = page_metadata(tree, url or None, date_params)
    text, intact = content_text(tree, url or meta.url or None, bounds.options)
    text = text.strip()
    words = count_words(text)
    if words < BLOCK_MAX_WORDS and not intact:  # the wall checks need the unpruned page
        tree = load_html(body)
    if 0 < words < WALL_ONLY_MAX_WORDS and bounds.options.get("favor_recall"):
        # recall mode will return a footer or a cookie notice rather than nothing; a short
        # result must survive a precision pass to count as article text
        strict = trafilatura.bare_extraction(
            tree, url=url or None, favor_precision=True, include_comments=False
        )
        if not (getattr(strict, "text", None) or "").strip():
            LOGGER.debug("short recall-only text discarded as boilerplate: %s", url)
            text, words = "", 0

    title = _clean(meta.title) or _clean(fallback.title)
    authors = _split_authors(meta.author) or list(fallback.authors)
    published_at, date_source = resolve_date(
        meta.date,
        fallback.published,
        now=bounds.now,
        max_skew_hours=bounds.max_skew_hours,
        min_year=bounds.min_year,
    )
    common: dict[str, Any] = {
        "title": title,
        "authors": authors,
        "published_at": published_at,
        "date_source": date_source,
        "language": language,
        "sitename": _clean(meta.sitename),
        "description": _clean(meta.description) or _clean(fallback.summary),
        "encoding": encoding,
    }

    marker = block_marker(tree, text, words) if words < BLOCK_MAX_WORDS else None
    if words < BLOCK_MAX_WORDS:
        # a short text may be a soft paywall's teaser, the rest of the article hidden in the
        # markup: stored only when it is demonstrably the same article, longer (unwrap.py)
        fuller = unwrap_soft_wall(tree, url or None, bounds.options, text, walled=bool(marker))
        if fuller is not None:
            LOGGER.debug("soft paywall on %s: %d words instead of %d", url, fuller.words, words)
            common["wall_marker"] = marker or f"soft paywall ({fuller.source})"
            return Extraction(
                ok=True,
                text=fuller.text,
                text_hash=text_hash(fuller.text),
                word_count=fuller.words,
                **common,
            )
    if marker is not None:
        substance = words_beside_walls(text)
        if (
            substance < WALL_ONLY_MAX_WORDS
            and words >= MIN_ARTICLE_WORDS
            and article_behind_wall(tree, common["title"])
        ):
            # a soft paywall we could not unwrap: the page holds the article, so it is not a
            # stub; trafilatura's teaser (the floor) is stored, flagged
            marker = f"soft paywall (teaser only): {marker}"
        elif substance < WALL_ONLY_MAX_WORDS:
            # a stub: the teaser, if any, is kept on the failure (what the page shows; helps
            # dedup), but it is not an article
            return Extraction(
                ok=False,
                failure=FailureReason.BLOCKED_OR_PAYWALL,
                detail=(
                    f"wall marker: {marker!r} ({words} words extracted, {substance} beside "
                    "the wall text)"
                ),
                text=text or None,
                text_hash=text_hash(text) if text else None,
                word_count=words,
                wall_marker=marker,
                **common,
            )
        # more than a stub: a real article that mentions subscriptions, or has a cookie
        # banner, or a teaser long enough to be worth storing; keep it, mark it
        LOGGER.debug("wall marker %r on %s kept (%d words of text)", marker, url, substance)
        common["wall_marker"] = marker
    if words < MIN_ARTICLE_WORDS:
        return Extraction(
            ok=False,
            failure=FailureReason.EMPTY_EXTRACTION,
            detail=f"no article text found ({words} words extracted)",
            **common,
        )
    return Extraction(ok=True, text=text, text_hash=text_hash(text), word_count=words, **common)


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    seen: dict[str, None] = {}
    for part in value.split(";"):
        name = _clean(part)
        if name:
            seen.setdefault(name, None)
    return list(seen)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    return value or None


def _failed(
    reason: FailureReason, detail: str, fallback: FeedMeta, bounds: _DateBounds
) -> Extraction:
    """A failure that still carries the feed's metadata, so the article row stays informative."""
    published, source = resolve_date(
        None,
        fallback.published,
        now=bounds.now,
        max_skew_hours=bounds.max_skew_hours,
        min_year=bounds.min_year,
    )
    return Extraction(
        ok=False,
        failure=reason,
        detail=detail,
        title=_clean(fallback.title),
        authors=list(fallback.authors),
        published_at=published,
        date_source=source,
        description=_clean(fallback.summary),
    )


__all__ = [
    "BLOCK_MAX_WORDS",
    "CHARS_PER_UNSPACED_WORD",
    "EXTRACTOR_VERSION",
    "MAX_INPUT_BYTES",
    "WALL_ONLY_MAX_WORDS",
    "Extraction",
    "FeedMeta",
    "count_words",
    "decode_html",
    "extract_page",
    "normalise_text",
    "resolve_date",
    "text_hash",
]
