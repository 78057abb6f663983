"""The project's own sample corpus is well-formed and holds what the demo and tests rely on.

``devtools/sample/_manifest.yaml`` states the expectations (syndicated copies, stories that
must stay apart, declared failures); these tests check the files agree with it, through the
replay server, the way the pipeline will see them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import feedparser
import httpx
import pytest
import yaml
from protego import Protego

from devtools.demo import SAMPLE_DIR, sample_feeds
from devtools.replay import ReplayServer
from pipeline.stages.extract.page import extract_page
from pipeline.stages.feeds.feedfile import load_feeds

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load((SAMPLE_DIR / "_manifest.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def server():
    with ReplayServer(SAMPLE_DIR) as srv:
        yield srv


@pytest.fixture(scope="module")
def parsed_feeds(server: ReplayServer) -> dict[str, Any]:
    out = {}
    for feed in sample_feeds(server.base_url):
        resp = httpx.get(feed.url)
        assert resp.status_code == 200, feed.url
        out[feed.name] = feedparser.parse(resp.content)
    return out


def _original(server: ReplayServer, url: str) -> str:
    """Map a replay URL back to the outlet's original URL (the manifest's vocabulary)."""
    prefix = server.base_url + "/"
    assert url.startswith(prefix), f"link left loopback: {url}"
    return "https://" + url[len(prefix) :]


def _strip_query(url: str) -> str:
    return url.split("?", 1)[0]


def _page_text(path: Path) -> str:
    """A page decoded with the charset it declares (one sample page is windows-1252)."""
    raw = path.read_bytes()
    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:2048], re.I)
    return raw.decode(declared.group(1).decode() if declared else "utf-8")


def test_feeds_config_loads_and_points_at_the_server(server: ReplayServer) -> None:
    originals = load_feeds(SAMPLE_DIR / "_feeds.yaml")
    rewritten = sample_feeds(server.base_url)
    assert len(originals) == len(rewritten) >= 3
    assert all(f.url.startswith(server.base_url + "/") for f in rewritten)
    assert {f.outlet for f in rewritten} == {
        "The Capitol Ledger",
        "Harbour Times",
        "Eastbridge Post",
    }


def test_every_feed_parses_cleanly(parsed_feeds: dict[str, Any]) -> None:
    versions = set()
    for name, parsed in parsed_feeds.items():
        assert not parsed.bozo, f"{name}: {parsed.get('bozo_exception')}"
        assert len(parsed.entries) >= 3, name
        versions.add(parsed.version)
        for entry in parsed.entries:
            assert entry.get("title")
            assert entry.get("link")
            assert entry.get("published_parsed")
    assert "atom10" in versions
    assert "rss20" in versions


def test_every_feed_link_is_a_page_or_a_declared_failure(
    server: ReplayServer, parsed_feeds: dict[str, Any], manifest: dict[str, Any]
) -> None:
    story_urls = {u for s in manifest["stories"].values() for u in s["urls"]}
    failures = manifest["failures"]
    redirected = manifest["redirected"]
    seen_failures = set()
    with httpx.Client(headers={"Accept-Encoding": "identity"}) as client:
        for parsed in parsed_feeds.values():
            for entry in parsed.entries:
                original = _strip_query(_original(server, entry.link))
                resp = client.get(entry.link, follow_redirects=False)
                if original in failures:
                    seen_failures.add(original)
                    continue  # status checked in test_declared_failures_answer_as_declared
                if original in redirected:
                    assert resp.status_code == 301
                    assert _original(server, resp.headers["location"]) == redirected[original]
                    continue
                assert original in story_urls, f"feed links to an undeclared page: {original}"
                if original in manifest["flaky"] and resp.status_code == 503:
                    resp = client.get(entry.link)  # its one declared failure is used up
                assert resp.status_code == 200, entry.link
                assert resp.headers["content-type"].startswith("text/html")
    assert seen_failures == set(failures), "every declared failure is reachable from a feed"


def test_declared_failures_answer_as_declared(
    server: ReplayServer, manifest: dict[str, Any]
) -> None:
    robots = Protego.parse(httpx.get(f"{server.base_url}/robots.txt").text)
    expected_status = {"http_4xx": 404, "http_5xx": 500}
    for original, reason in manifest["failures"].items():
        url = server.replay_url(original)
        if reason == "robots_disallowed":
            assert not robots.can_fetch(url, "newswire")
            assert httpx.get(url).status_code == 200  # it exists: only robots.txt keeps us out
            continue
        assert robots.can_fetch(url, "newswire"), url
        if reason == "too_many_redirects":
            with pytest.raises(httpx.TooManyRedirects):
                httpx.get(url, follow_redirects=True)
            continue
        resp = httpx.get(url)
        if reason in expected_status:
            assert resp.status_code == expected_status[reason], url
        elif reason == "not_html":
            assert resp.headers["content-type"] == "application/pdf"
        elif reason == "blocked_or_paywall":
            assert "Subscribe to continue reading" in resp.text
        elif reason == "empty_extraction":
            assert resp.status_code == 200
            assert "<p" not in resp.text
        else:  # pragma: no cover - a new failure class needs a check here
            pytest.fail(f"no check for declared failure {reason}")


def test_flaky_page_fails_once_then_serves(manifest: dict[str, Any]) -> None:
    with ReplayServer(SAMPLE_DIR) as srv:  # fresh server: the failure budget is per server
        for original in manifest["flaky"]:
            url = srv.replay_url(original)
            first = httpx.get(url)
            assert first.status_code == 503
            assert first.headers["retry-after"] == "1"
            assert httpx.get(url).status_code == 200


def _sitemap_urls(server: ReplayServer, url: str) -> list[tuple[str, str, str | None]]:
    """(loc, lastmod, news publication date) for every URL, following sitemap indexes."""
    root = ET.fromstring(httpx.get(url).content)
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        out = []
        for sm in root.iter(f"{SITEMAP_NS}sitemap"):
            assert sm.findtext(f"{SITEMAP_NS}lastmod")
            out.extend(_sitemap_urls(server, sm.findtext(f"{SITEMAP_NS}loc") or ""))
        return out
    assert root.tag == f"{SITEMAP_NS}urlset"
    return [
        (
            u.findtext(f"{SITEMAP_NS}loc") or "",
            u.findtext(f"{SITEMAP_NS}lastmod") or "",
            u.findtext(f"{NEWS_NS}news/{NEWS_NS}publication_date"),
        )
        for u in root.iter(f"{SITEMAP_NS}url")
    ]


def test_robots_and_sitemaps_per_outlet(server: ReplayServer, manifest: dict[str, Any]) -> None:
    story_urls = {u for s in manifest["stories"].values() for u in s["urls"]}
    hosts = sorted(p.name for p in SAMPLE_DIR.iterdir() if p.is_dir())
    assert len(hosts) == 3
    in_sitemaps: set[str] = set()
    for host in hosts:
        robots_text = httpx.get(server.url_for(f"{host}/robots.txt")).text
        robots = Protego.parse(robots_text)
        sitemaps = list(robots.sitemaps)
        assert sitemaps == [server.url_for(f"{host}/sitemap.xml")]
        assert re.search(r"^Disallow: /\w+/", robots_text, re.M), host
        entries = _sitemap_urls(server, sitemaps[0])
        assert entries, host
        has_news = False
        for loc, lastmod, news_date in entries:
            original = _original(server, loc)
            in_sitemaps.add(original)
            assert datetime.fromisoformat(lastmod).tzinfo is not None
            has_news = has_news or news_date is not None
            assert httpx.get(loc).status_code == 200, loc
        assert has_news, f"{host} has no Google News sitemap entries"
    missing = {u for u in story_urls if "/world/2026/11/03/xi-lula" not in u} - in_sitemaps
    assert not missing, f"stories missing from the sitemaps: {missing}"
    assert set(manifest["sitemap_only"]) <= in_sitemaps


def test_sitemap_only_articles_are_not_in_feeds(
    server: ReplayServer, parsed_feeds: dict[str, Any], manifest: dict[str, Any]
) -> None:
    linked = {
        _strip_query(_original(server, e.link)) for p in parsed_feeds.values() for e in p.entries
    }
    assert manifest["sitemap_only"]
    assert not linked & set(manifest["sitemap_only"])


def test_dates_span_at_least_four_consecutive_days(
    parsed_feeds: dict[str, Any], manifest: dict[str, Any]
) -> None:
    days = set()
    for path in SAMPLE_DIR.rglob("*.html"):
        match = re.search(r'article:published_time" content="([^"]+)"', _page_text(path))
        if match:
            days.add(datetime.fromisoformat(match.group(1)).date())
    first = min(days)
    expected = {first + timedelta(days=i) for i in range(4)}
    assert expected <= days
    assert sorted(days) == [date.fromisoformat(d) for d in manifest["days"]]


def test_syndicated_copies_and_lookalike_stories(manifest: dict[str, Any]) -> None:
    def text_of(url: str) -> str:
        parts = urlsplit(url)
        page = SAMPLE_DIR / parts.netloc / (parts.path.lstrip("/") + ".html")
        extraction = extract_page(page.read_bytes(), url)
        assert extraction.ok, url
        return extraction.text or ""

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}

    def containment(a: str, b: str) -> float:
        """Share of the shorter text's 5-word shingles found in the other (trimmed copies)."""
        sa, sb = shingles(a), shingles(b)
        return len(sa & sb) / min(len(sa), len(sb))

    syndicated = {k: s for k, s in manifest["stories"].items() if len(s["urls"]) >= 2}
    assert len(syndicated) >= 3
    outlets_per_story = [{urlsplit(u).netloc for u in s["urls"]} for s in syndicated.values()]
    assert any(len(o) >= 3 for o in outlets_per_story)
    wire_markers = {"AP": "(AP) —", "Reuters": "(Reuters) -", "AFP": "(AFP)"}
    for key, story in syndicated.items():
        texts = [text_of(u) for u in story["urls"]]
        for text in texts:
            assert wire_markers[story["wire"]] in text, key
        for other in texts[1:]:
            assert containment(texts[0], other) > 0.8, key
        headlines = set()
        for url in story["urls"]:
            parts = urlsplit(url)
            path = SAMPLE_DIR / parts.netloc / (parts.path.lstrip("/") + ".html")
            headlines.add(re.search(r"<h1[^>]*>(.*?)</h1>", _page_text(path)).group(1))
        assert len(headlines) >= 2, f"{key}: copies should carry their own headlines"
    for a, b in manifest["different_stories_sharing_names"]:
        ta, tb = (
            text_of(manifest["stories"][a]["urls"][0]),
            text_of(manifest["stories"][b]["urls"][0]),
        )
        shared_names = set(re.findall(r"\b[A-Z][a-z]+\b", ta)) & set(
            re.findall(r"\b[A-Z][a-z]+\b", tb)
        )
        assert len(shared_names) >= 5, (a, b)
        assert containment(ta, tb) < 0.3, (a, b)


def test_corpus_is_small_and_has_no_absolute_local_paths() -> None:
    files = [p for p in SAMPLE_DIR.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 1_000_000
    pages = [p for p in files if p.suffix == ".html"]
    assert 20 <= len(pages) <= 40
    checkout = str(SAMPLE_DIR.parents[1]).encode()  # wherever this checkout happens to live
    for path in files:
        if path.suffix != ".pdf":
            assert checkout not in path.read_bytes(), path


def test_every_page_declares_the_metadata_extractors_read() -> None:
    manifest_text = (SAMPLE_DIR / "_manifest.yaml").read_text("utf-8")
    for path in SAMPLE_DIR.rglob("*.html"):
        html = _page_text(path)
        if "robots.txt asks crawlers" in html:
            continue  # the disallowed stubs are never fetched
        assert 'property="og:title"' in html, path
        assert 'property="article:published_time"' in html, path
        rel = path.relative_to(SAMPLE_DIR).as_posix()[: -len(".html")]
        if f"https://{rel}" in manifest_text and "in-pictures" not in rel and "analysis" not in rel:
            assert 'name="author"' in html, path


def test_sample_dir_ships_with_the_demo_not_the_runtime() -> None:
    import devtools
    import pipeline

    assert Path(devtools.__file__).resolve().parent / "sample" == SAMPLE_DIR
    assert not (Path(pipeline.__file__).resolve().parent / "sample").exists()


def test_declared_encodings_are_served_and_really_used(
    server: ReplayServer, manifest: dict[str, Any]
) -> None:
    assert manifest["encodings"]
    for original, charset in manifest["encodings"].items():
        resp = httpx.get(server.replay_url(original), headers={"Accept-Encoding": "identity"})
        if resp.status_code == 503:  # the flaky page's one declared failure
            resp = httpx.get(server.replay_url(original), headers={"Accept-Encoding": "identity"})
        assert resp.headers["content-type"] == f"text/html; charset={charset}"
        with pytest.raises(UnicodeDecodeError):
            resp.content.decode("utf-8")
        assert any(ord(c) > 127 for c in resp.content.decode(charset))
