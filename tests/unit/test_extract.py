"""Extraction: our own fixture pages (tests/fixtures/pages) and, when present, the shared corpus.

Each fixture's expectations are in ``EXPECTED`` below; the pages are fictional wire stories and
walls written for these tests.
"""

from __future__ import annotations

import gzip
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.models import FailureReason
from pipeline.stages.extract.page import (
    EXTRACTOR_VERSION,
    MAX_INPUT_BYTES,
    Extraction,
    FeedMeta,
    extract_page,
    normalise_text,
    resolve_date,
    text_hash,
)

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FEED_DATE = datetime(2026, 2, 26, 8, 15, tzinfo=UTC)
FEED = FeedMeta(
    title="Feed title", authors=["Feed Author"], published=FEED_DATE, summary="From the feed."
)

EXPECTED: dict[str, dict[str, Any]] = {
    "meta_date.html": {
        "ok": True,
        "title": "Norland and Vastria agree to reopen border talks",
        "authors": ["Clara Voss"],
        "published_at": datetime(2026, 2, 24, 14, 5, tzinfo=UTC),
        "date_source": "page",
        "language": "en",
        "sitename": "Meridian Wire",
        "in_text": "eleven fishermen detained in October",
    },
    "windows_1252.html": {
        "ok": True,
        "title": "EU suspends tariff talks with Vastria",
        "authors": ["Jean-Marc Lefèvre"],
        "published_at": datetime(2026, 2, 25, 8, 30, tzinfo=UTC),  # +01:00 in the page
        "date_source": "page",
        "in_text": "Amélie Dupré, said on Wednesday",
    },
    "future_date.html": {  # the page says 2031: refused, the feed date is used
        "ok": True,
        "published_at": FEED_DATE,
        "date_source": "feed",
        "in_text": "maritime safety",
    },
    "no_date.html": {  # no date anywhere but a copyright year: the feed date is used
        "ok": True,
        "title": "Regional bloc names envoy for Kivara peace talks",
        "authors": ["Feed Author"],
        "published_at": FEED_DATE,
        "date_source": "feed",
        "in_text": "Neema Mushi",
    },
    "long_article.html": {  # fast mode kept only its first container (see test_extract_floor)
        "ok": True,
        "title": "Norland and Vastria resume border talks",
        "in_text": "no agreement on the border markers had been reached",
    },
    "subscriber_newsletter.html": {  # mentions subscribers: flagged, kept
        "ok": True,
        "authors": ["Greta Lindqvist"],
        "language": "de",
        "in_text": "fewer than half of the city's target",
    },
    "soft_paywall.html": {  # the article hidden behind a soft paywall: stored whole, flagged
        "ok": True,
        "language": "en",
        "in_text": "postponed the inspection twice since 2019",
    },
    "paywall.html": {"ok": False, "failure": FailureReason.BLOCKED_OR_PAYWALL},
    "consent_wall.html": {"ok": False, "failure": FailureReason.BLOCKED_OR_PAYWALL},
    "access_denied.html": {"ok": False, "failure": FailureReason.BLOCKED_OR_PAYWALL},
    "empty.html": {"ok": False, "failure": FailureReason.EMPTY_EXTRACTION},
    "report.pdf": {"ok": False, "failure": FailureReason.NOT_HTML},
}


def run(name: str, fallback: FeedMeta | None = FEED, **kwargs: Any) -> Extraction:
    path = PAGES / name
    return extract_page(
        path.read_bytes(), f"https://meridian.example/{path.stem}", fallback=fallback, now=NOW,
        **kwargs,
    )  # fmt: skip


def test_every_fixture_has_expectations() -> None:
    assert sorted(p.name for p in PAGES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_page(name: str) -> None:
    expected = EXPECTED[name]
    result = run(name)
    assert result.ok is expected["ok"], result.detail
    if result.ok:
        assert result.failure is None
        assert result.text
        assert expected["in_text"] in result.text
        assert result.word_count == len(result.text.split())
        assert result.text_hash == text_hash(result.text)
        assert "\ufffd" not in result.text
    else:
        assert result.failure == expected["failure"]
        assert result.detail
    for key in ("title", "authors", "published_at", "date_source", "language", "sitename"):
        if key in expected:
            assert getattr(result, key) == expected[key], key
    assert result.extractor_version == EXTRACTOR_VERSION


def test_failure_keeps_feed_metadata() -> None:
    result = run("report.pdf")
    assert result.title == "Feed title"
    assert result.authors == ["Feed Author"]
    assert result.published_at == FEED_DATE
    assert result.date_source == "feed"
    assert result.description == "From the feed."


def test_paywall_keeps_the_teaser_and_says_why() -> None:
    result = run("paywall.html")
    assert result.text is not None
    assert "negotiators from four governments" in result.text
    assert "subscribe to continue reading" in (result.detail or "").lower()
    assert result.title == "Inside the secret talks that saved the grain deal"


def test_no_fallback_and_no_page_date_gives_no_date() -> None:
    result = run("no_date.html", fallback=None)
    assert result.ok
    assert result.published_at is None
    assert result.date_source is None
    assert result.authors == []


def test_future_page_date_and_no_feed_gives_no_date() -> None:
    result = run("future_date.html", fallback=None)
    assert result.published_at is None


def test_skew_allows_a_page_date_just_ahead_of_now() -> None:
    # the page says 2026-02-24T14:05Z; with "now" an hour earlier it is still within the skew
    early = datetime(2026, 2, 24, 13, 5, tzinfo=UTC)
    html = (PAGES / "meta_date.html").read_bytes()
    accepted = extract_page(html, "u", now=early)
    assert (accepted.published_at, accepted.date_source) == (
        datetime(2026, 2, 24, 14, 5, tzinfo=UTC),
        "page",
    )
    two_days_before = datetime(2026, 2, 22, 12, 0, tzinfo=UTC)
    refused = extract_page(html, "u", now=two_days_before, max_skew_hours=1)
    assert refused.published_at is None


def test_undeclared_windows_1252_is_sniffed() -> None:
    raw = (PAGES / "windows_1252.html").read_bytes().replace(b'<meta charset="windows-1252">', b"")
    result = extract_page(raw, "u", now=NOW)
    assert result.ok
    assert result.text is not None
    assert "Amélie Dupré" in result.text
    assert "\ufffd" not in result.text


def test_wrongly_declared_utf8_is_redecoded() -> None:
    raw = (PAGES / "windows_1252.html").read_bytes().replace(b"windows-1252", b"utf-8")
    result = extract_page(raw, "u", now=NOW)
    assert result.text is not None
    assert "Amélie Dupré" in result.text
    assert "\ufffd" not in result.text


def test_mixed_encoding_keeps_the_utf8_and_does_not_crash() -> None:
    raw = (PAGES / "meta_date.html").read_bytes()
    mixed = raw.replace(
        b"Foreign ministers", "Foreign ministers, à la café naïve,".encode() + b" caf\xe9", 1
    )
    result = extract_page(mixed, "u", now=NOW)
    assert result.ok
    assert result.encoding == "utf-8"
    assert result.text is not None
    assert "à la café naïve" in result.text


def test_content_type_charset_wins_over_meta() -> None:
    raw = (PAGES / "windows_1252.html").read_bytes().replace(b"windows-1252", b"iso-8859-5")
    result = extract_page(raw, "u", now=NOW, content_type="text/html; charset=windows-1252")
    assert result.text is not None
    assert "Amélie Dupré" in result.text


def test_utf16_with_bom_and_gzip_body() -> None:
    raw = (PAGES / "meta_date.html").read_bytes()
    for body in (raw.decode("utf-8").encode("utf-16"), gzip.compress(raw)):
        result = extract_page(body, "u", now=NOW)
        assert result.ok, result.detail
        assert result.title == "Norland and Vastria agree to reopen border talks"


def test_str_input_is_accepted() -> None:
    html = (PAGES / "meta_date.html").read_text(encoding="utf-8")
    result = extract_page(html, "u", now=NOW)
    assert result.ok
    assert result.encoding is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", FailureReason.EMPTY_EXTRACTION),
        (b"   \n ", FailureReason.EMPTY_EXTRACTION),
        ("", FailureReason.EMPTY_EXTRACTION),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", FailureReason.NOT_HTML),
        (b"PK\x03\x04\x14\x00\x06\x00", FailureReason.NOT_HTML),
        (bytes(range(256)) * 8, FailureReason.NOT_HTML),
        (b"just some plain text, no markup at all", FailureReason.NOT_HTML),
        (b"\x1f\x8b\x08\x00garbage", FailureReason.NOT_HTML),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
         FailureReason.EMPTY_EXTRACTION),
    ],
)  # fmt: skip
def test_bad_bodies_are_classified(body: bytes | str, reason: FailureReason) -> None:
    result = extract_page(body, "https://meridian.example/x", now=NOW)
    assert not result.ok
    assert result.failure == reason
    assert result.detail


def test_huge_input_is_capped_and_still_extracted() -> None:
    raw = (PAGES / "meta_date.html").read_bytes()
    filler = b"".join(
        b"<p>Paragraph %d of an annex listing the delegations at the conference.</p>" % i
        for i in range(MAX_INPUT_BYTES // 60)
    )
    huge = raw.replace(b"</article>", filler + b"</article>")
    assert len(huge) > MAX_INPUT_BYTES
    result = extract_page(huge, "u", now=NOW)
    assert result.ok
    assert result.text is not None
    assert "eleven fishermen" in result.text


def test_result_pickles_for_the_process_pool() -> None:
    result = run("meta_date.html")
    assert pickle.loads(pickle.dumps(result)) == result


def test_extractor_version_names_trafilatura() -> None:
    assert trafilatura.__version__ in EXTRACTOR_VERSION


def test_text_hash_ignores_spacing_case_and_compatibility_forms() -> None:
    a = "Talks  resume in\nGENEVA \u2014 officials\u00a0said."
    b = "talks resume in geneva \u2014 officials said."
    assert text_hash(a) == text_hash(b)
    assert text_hash(a) != text_hash("Talks resume in Oslo.")


@given(st.text())
def test_normalise_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


def test_resolve_date_prefers_page_then_feed() -> None:
    assert resolve_date("2026-02-20T10:00:00+0000", FEED_DATE, now=NOW) == (
        datetime(2026, 2, 20, 10, tzinfo=UTC),
        "page",
    )
    assert resolve_date(None, FEED_DATE, now=NOW) == (FEED_DATE, "feed")
    assert resolve_date("not a date", FEED_DATE, now=NOW) == (FEED_DATE, "feed")
    assert resolve_date(None, None, now=NOW) == (None, None)


def test_resolve_date_takes_the_feed_time_for_a_date_only_page() -> None:
    assert resolve_date("2026-02-26T00:00:00", FEED_DATE, now=NOW) == (FEED_DATE, "feed")
    # another day: the page wins, at midnight UTC
    assert resolve_date("2026-02-25T00:00:00", FEED_DATE, now=NOW) == (
        datetime(2026, 2, 25, tzinfo=UTC),
        "page",
    )


def test_resolve_date_ignores_copyright_years_and_absurd_dates() -> None:
    assert resolve_date("2026-01-01T00:00:00", None, now=NOW) == (None, None)
    old = datetime(1990, 5, 1, tzinfo=UTC)
    assert resolve_date("1990-05-01T10:00:00", old, now=NOW, min_year=1995) == (None, None)
    naive_feed = datetime(2026, 2, 26, 8, 15)
    assert resolve_date(None, naive_feed, now=NOW) == (FEED_DATE, "feed")


@given(
    page=st.one_of(st.none(), st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"))),
    feed=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
    skew=st.floats(min_value=0, max_value=72),
)
def test_resolved_dates_are_always_within_bounds(
    page: str | None, feed: datetime | None, skew: float
) -> None:
    value, source = resolve_date(page, feed, now=NOW, max_skew_hours=skew, min_year=1995)
    if value is None:
        assert source is None
    else:
        assert source in {"page", "feed"}
        assert value.tzinfo is not None
        assert datetime(1995, 1, 1, tzinfo=UTC) <= value <= NOW + timedelta(hours=skew)


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from(
        [b"", b"<html><head><meta charset='utf-8'></head><body><p>", b"\xef\xbb\xbf"]
    ),
    junk=st.binary(max_size=3000),
)
def test_arbitrary_bytes_never_crash(prefix: bytes, junk: bytes) -> None:
    result = extract_page(prefix + junk, "https://meridian.example/x", now=NOW)
    assert isinstance(result, Extraction)
    assert result.failure != FailureReason.INTERNAL, result.detail
    assert result.ok == (result.failure is None)


@pytest.mark.slow
def test_shared_pages_never_raise(shared_dir: Path) -> None:
    pages = sorted((shared_dir / "corpus" / "pages").glob("*.html"))
    assert pages, "no pages in the shared corpus"
    ok = 0
    for page in pages:
        result = extract_page(page.read_bytes(), f"https://example.org/{page.stem}", now=NOW)
        assert result.failure != FailureReason.INTERNAL, (page.name, result.detail)
        ok += result.ok
    # almost every real article page yields text; a handful are teasers behind walls
    assert ok >= 0.95 * len(pages)
