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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import trafilatura
import trafilatura.core
import trafilatura.settings
from courlan import extract_domain
from htmldate import find_date
from lxml.etree import XPath, strip_tags
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Extractor
from trafilatura.utils import load_html, normalize_unicode, trim
from trafilatura.xml import xmltotxt
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS, REGEXP_NS

from pipeline.models import FailureReason
from pipeline.stages.extract.decoding import (
    HTML_SNIFF,
    MAX_INPUT_BYTES,
    decode_html,
    sniff_bytes,
)
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
EXTRACTOR_VERSION: Final[str] = f"2+trafilatura-{trafilatura.__version__}"

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
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}T00:00:00$")
_YEAR_ONLY = re.compile(r"^\d{4}-01-01T00:00:00$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_LANG_SCAN_CHARS = 200_000
_HTML_LANG = re.compile(r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"([\w:-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_IN_LANGUAGE = re.compile(r'"inLanguage"\s*:\s*"([A-Za-z_-]{2,12})"')

# trafilatura's cascade of content extractors (see _content_text); None if it moved
_SEQUENCE: Callable[..., tuple[Any, str, Any, str]] | None = getattr(
    trafilatura.core, "trafilatura_sequence", None
)

# trafilatura's author discard XPaths, as tests on one node (see _page_author): the first is
# ``.//*[tests]``, the second ``//time|//figure``; another shape (a new trafilatura) turns the
# shortcut off
_DISCARD_PATHS = [x.path.strip() for x in AUTHOR_DISCARD_XPATHS]
_FAST_AUTHOR: Final[bool] = (
    len(_DISCARD_PATHS) == 2
    and _DISCARD_PATHS[0].startswith(".//*[")
    and _DISCARD_PATHS[1] == "//time|//figure"
)
_AUTHOR_DISCARD_SELF = XPath(
    "self::*" + _DISCARD_PATHS[0].removeprefix(".//*") if _FAST_AUTHOR else "self::nothing",
    namespaces={"re": REGEXP_NS},
)
_AUTHOR_DISCARD_BELOW = XPath(
    f"({_DISCARD_PATHS[0]})[1] | (.//time | .//figure)[1]" if _FAST_AUTHOR else "self::nothing",
    namespaces={"re": REGEXP_NS},
)
_AUTHOR_DISCARD_TAGS = frozenset({"time", "figure"})


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
        now=_aware(now) if now is not None else datetime.now(UTC),
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

    language = _page_language(body)
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
    text, intact = _content_text(tree, url or meta.url or None, bounds.options)
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
    if marker is not None:
        substance = words_beside_walls(text)
        if substance < WALL_ONLY_MAX_WORDS:
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


# our option names → trafilatura's Extractor's; other options go through bare_extraction
_EXTRACTOR_ARGS: Final[dict[str, str]] = {
    "include_comments": "comments",
    "include_tables": "tables",
    "favor_precision": "precision",
    "favor_recall": "recall",
    "deduplicate": "dedup",
    "fast": "fast",
}


def _content_text(tree: Any, url: str | None, options: Mapping[str, Any]) -> tuple[str, bool]:
    """The article text of a parsed page, as ``bare_extraction(tree, **options).text`` gives it.

    ``bare_extraction`` copies a tree it is given before pruning it (a millisecond a page, 6 %
    of the extraction), because the caller may still need it. We do not, except on short
    pages, which are rare and simply parsed again; so the steps of ``bare_extraction`` that our
    options use run here on the tree itself. The second value says whether the tree was left
    intact (it was not when the steps ran here). With options those steps do not cover
    (deduplication, comments), or if trafilatura's internals moved, ``bare_extraction`` is
    called. Either way the text is NFC-normalised, as ``trafilatura.extract`` returns it.
    """
    if (
        _SEQUENCE is None
        or options.get("deduplicate")
        or options.get("include_comments", True)
        or not set(options) <= set(_EXTRACTOR_ARGS)
    ):
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **options)
        text = getattr(doc, "text", None) or ""
        comments = getattr(doc, "comments", None) or ""
        if comments:  # as trafilatura.extract's text output
            text = f"{text}\n{comments}".strip()
        return normalize_unicode(text), True
    extractor = Extractor(
        output_format="python", url=url, **{_EXTRACTOR_ARGS[k]: v for k, v in options.items()}
    )
    try:
        body, text, _, comments = _SEQUENCE(tree, extractor, url)
        if extractor.max_tree_size:  # as bare_extraction: strip highlighting, then give up
            if len(body) > extractor.max_tree_size:
                strip_tags(body, "hi")
            if len(body) > extractor.max_tree_size:
                return "", False
        if len(text) < extractor.min_output_size and len(comments) < extractor.min_output_comm_size:
            return "", False
    except (TypeError, ValueError):  # bare_extraction discards the page on these
        return "", False
    # trafilatura.extract ends with NFC normalisation (determine_returnstring); so must we, or
    # decomposed accents differ from the same text typed or extracted elsewhere
    return normalize_unicode(xmltotxt(body, extractor.formatting) or ""), False


def page_metadata(
    tree: Any, default_url: str | None, date_config: Mapping[str, Any]
) -> trafilatura.settings.Document:
    """trafilatura's ``extract_metadata`` without the fields we do not store.

    The same steps in the same order (meta tags, JSON-LD, title, author, URL, htmldate,
    sitename), so title, author, date, sitename and description are what
    ``bare_extraction(with_metadata=True)`` gives; categories, tags and the licence (a tenth of
    the CPU of a page, spent on XPath walks over every link) are skipped. The tree is not
    modified (the author and date searches work on copies).
    """
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as err:  # as trafilatura: bugs in its JSON-LD reader
        LOGGER.warning("error in JSON metadata extraction: %s", err)
    if not meta.title:
        meta.title = extract_title(tree)
    if not meta.author:
        meta.author = _page_author(tree)
    if not meta.url:
        meta.url = extract_url(tree, default_url)
    if meta.url:
        meta.hostname = extract_domain(meta.url, fast=True)
    meta.date = find_date(tree, **{**date_config, "url": meta.url})
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url:
        match = META_URL.match(meta.url)
        if match:
            meta.sitename = match[1]
    meta.filedate = date_config.get("max_date")
    meta.clean_and_trim()
    return meta


def _page_author(tree: Any) -> str | None:
    """What trafilatura's ``extract_author`` returns, without copying and pruning the tree.

    ``extract_author`` deep-copies the page, deletes every node matching its discard XPaths
    (comments, sidebars, ``<time>``, ``<figure>``…) from the copy, then takes the first author
    candidate of its XPaths with a plausible text. Here the candidates are found on the page
    itself and only they are checked: one inside a discarded node is skipped (it would be gone);
    one with a discarded node inside it, whose text the deletion would change, sends us back to
    ``extract_author``, as does a ``<rel>`` element (an author XPath tests a child's text).
    Same answer, a third of the CPU: the discard XPaths no longer walk the whole page.
    """
    if not _FAST_AUTHOR or tree.find(".//rel") is not None:
        return extract_author(tree)
    for expression in AUTHOR_XPATHS:
        for elem in expression(tree):
            if _author_discarded(elem):
                continue
            if _AUTHOR_DISCARD_BELOW(elem):
                return extract_author(tree)
            content = trim(" ".join(elem.itertext()))
            if content and 2 < len(content) < 120:
                author: str | None = normalize_authors(None, content)
                return author
    return None


def _author_discarded(elem: Any) -> bool:
    """True when ``elem`` or an ancestor matches the discard XPaths (the root never does for
    the first one, a ``.//*`` below it)."""
    node = elem
    while node is not None:
        parent = node.getparent()
        if node.tag in _AUTHOR_DISCARD_TAGS or (parent is not None and _AUTHOR_DISCARD_SELF(node)):
            return True
        node = parent
    return False


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
    latest = _aware(now) + timedelta(hours=max_skew_hours)
    earliest = datetime(min_year, 1, 1, tzinfo=UTC)

    def sane(value: datetime | None) -> datetime | None:
        if value is None:
            return None
        value = _aware(value)
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
    return _aware(parsed)


def _aware(value: datetime) -> datetime:
    """Naive times are taken as UTC (feeds and pages without an offset are mostly UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _page_language(html: str) -> str | None:
    """The language the page declares (``<html lang>``, Content-Language, og:locale, JSON-LD).

    Read with regexes from the head of the markup so the page is parsed once, by trafilatura.
    """
    head = html[:_LANG_SCAN_CHARS]
    candidates: list[str] = []
    match = _HTML_LANG.search(head)
    if match:
        candidates.append(match[1])
    for tag in _META_TAG.findall(head):
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag)}
        key = (attrs.get("http-equiv") or attrs.get("property") or attrs.get("name") or "").lower()
        if key in {"content-language", "og:locale", "language", "lang"} and attrs.get("content"):
            candidates.append(attrs["content"])
    for candidate in candidates:
        value = candidate.strip().split(",")[0].strip()
        if _LANG.match(value):
            return value.replace("_", "-").lower()
    match = _IN_LANGUAGE.search(head)
    if match and _LANG.match(match[1]):
        return match[1].replace("_", "-").lower()
    return None


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
