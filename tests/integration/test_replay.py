"""The replay server answers like a real origin: types, validators, gzip, robots, failures."""

from __future__ import annotations

import asyncio
import gzip
import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import feedparser
import httpx
import pytest
from protego import Protego

from devtools.replay import ReplayConfigError, ReplayServer, sniff_xml_kind
from pipeline.stages.feeds.feedfile import load_feeds

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Example Wire</title><link>https://news.example.org/</link>
<description>test feed</description>
<item><title>One</title><link>https://news.example.org/world/one</link>
<guid isPermaLink="true">https://news.example.org/world/one</guid></item>
<item><title>Two</title><link>http://news.example.org:80/world/two?utm_source=rss</link></item>
<item><title>Elsewhere</title><link>https://other.example.net/x</link></item>
</channel></rss>
"""

PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>One</title></head>"
    "<body>{}</body></html>"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    site = tmp_path / "news.example.org"
    (site / "world").mkdir(parents=True)
    (site / "feed.xml").write_text(RSS, encoding="utf-8")
    (site / "world" / "one.html").write_text(PAGE.format("x" * 2000), encoding="utf-8")
    (site / "world" / "two.html").write_text(PAGE.format("two"), encoding="utf-8")
    (site / "report.pdf").write_bytes(b"%PDF-1.4\n% test\n")
    (site / "robots.txt").write_text(
        "User-agent: *\nDisallow: /members/\nCrawl-delay: 1\n\n"
        "Sitemap: https://news.example.org/sitemap.xml\n",
        encoding="utf-8",
    )
    (tmp_path / "_responses.yaml").write_text(
        textwrap.dedent(
            """\
            news.example.org/broken: {status: 500}
            news.example.org/loop: {redirect_loop: true}
            news.example.org/moved: {redirect: "https://news.example.org/world/one", status: 301}
            news.example.org/slow: {delay: 0.3, body: "<html><body>late</body></html>"}
            news.example.org/world/two: {status: 503, times: 2, headers: {Retry-After: "1"}}
            """
        ),
        encoding="utf-8",
    )
    return tmp_path


@pytest.fixture
def server(corpus: Path):
    with ReplayServer(corpus) as srv:
        yield srv


def test_serves_files_with_types_and_validators(server: ReplayServer) -> None:
    r = httpx.get(server.url_for("news.example.org/world/one.html"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["etag"].startswith('"')
    assert "last-modified" in r.headers
    assert "x" * 2000 in r.text
    pdf = httpx.get(server.url_for("news.example.org/report.pdf"))
    assert pdf.headers["content-type"] == "application/pdf"
    feed = httpx.get(server.url_for("news.example.org/feed.xml"))
    assert feed.headers["content-type"] == "application/rss+xml"


def test_extensionless_url_and_query_string_find_the_same_page(server: ReplayServer) -> None:
    a = httpx.get(server.url_for("news.example.org/world/one"))
    b = httpx.get(server.url_for("news.example.org/world/one?utm_source=rss&utm_medium=x"))
    assert a.status_code == b.status_code == 200
    assert a.content == b.content


def test_feed_links_are_rewritten_to_the_server(server: ReplayServer) -> None:
    parsed = feedparser.parse(httpx.get(server.url_for("news.example.org/feed.xml")).content)
    links = [e.link for e in parsed.entries]
    base = server.base_url
    assert links == [
        f"{base}/news.example.org/world/one",
        f"{base}/news.example.org/world/two?utm_source=rss",
        "https://other.example.net/x",  # not recorded: left alone
    ]
    assert parsed.entries[0].id == f"{base}/news.example.org/world/one"
    assert server.replay_url("https://news.example.org/a?b=1") == f"{base}/news.example.org/a?b=1"
    assert server.feed_paths() == ["news.example.org/feed.xml"]


def test_html_is_served_byte_exact_unless_asked(corpus: Path) -> None:
    page = corpus / "news.example.org" / "link.html"
    page.write_text('<html><body><a href="https://news.example.org/x">x</a></body></html>')
    with ReplayServer(corpus) as srv:
        assert httpx.get(srv.url_for("news.example.org/link.html")).content == page.read_bytes()
    with ReplayServer(corpus, rewrite_html=True) as srv:
        assert (
            f"{srv.base_url}/news.example.org/x"
            in httpx.get(srv.url_for("news.example.org/link.html")).text
        )


def test_conditional_get_answers_304(server: ReplayServer) -> None:
    url = server.url_for("news.example.org/feed.xml")
    first = httpx.get(url)
    by_etag = httpx.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = httpx.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert by_date.status_code == 304
    stale = httpx.get(url, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    old = httpx.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert old.status_code == 200


def test_gzip_only_when_asked(server: ReplayServer) -> None:
    url = server.url_for("news.example.org/world/one.html")
    with httpx.Client(headers={"Accept-Encoding": "identity"}) as plain_client:
        plain = plain_client.get(url)
    assert "content-encoding" not in plain.headers
    with (
        httpx.Client(headers={"Accept-Encoding": "gzip"}) as client,
        client.stream("GET", url) as resp,
    ):
        raw = b"".join(resp.iter_raw())
        assert resp.headers["content-encoding"] == "gzip"
        assert resp.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(raw) == plain.content
    assert len(raw) < len(plain.content)


def test_head_sends_headers_without_body(server: ReplayServer) -> None:
    url = server.url_for("news.example.org/world/one.html")
    head = httpx.head(url, headers={"Accept-Encoding": "identity"})
    get = httpx.get(url, headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["etag"] == get.headers["etag"]


def test_missing_and_hidden_paths_are_404(server: ReplayServer) -> None:
    assert httpx.get(server.url_for("news.example.org/nope.html")).status_code == 404
    assert httpx.get(server.url_for("_responses.yaml")).status_code == 404
    assert httpx.get(f"{server.base_url}/../../etc/passwd").status_code == 404


def test_special_responses(server: ReplayServer) -> None:
    assert httpx.get(server.url_for("news.example.org/broken")).status_code == 500
    moved = httpx.get(server.url_for("news.example.org/moved"))
    assert moved.status_code == 301
    assert moved.headers["location"] == f"{server.base_url}/news.example.org/world/one"
    with pytest.raises(httpx.TooManyRedirects):
        httpx.get(server.url_for("news.example.org/loop"), follow_redirects=True)
    odd = httpx.get(server.url_for("news.example.org/loop?loop=abc"))
    assert odd.headers["location"] == f"{server.base_url}/news.example.org/loop?loop=1"
    slow = httpx.get(server.url_for("news.example.org/slow"))
    assert slow.text == "<html><body>late</body></html>"
    assert slow.elapsed.total_seconds() >= 0.3


def test_flaky_path_recovers_after_declared_failures(server: ReplayServer) -> None:
    url = server.url_for("news.example.org/world/two")
    statuses = [httpx.get(url).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert server.requests_for("news.example.org/world/two") == 3


def test_root_robots_merges_outlets_with_prefixed_paths(server: ReplayServer) -> None:
    resp = httpx.get(f"{server.base_url}/robots.txt")
    assert resp.status_code == 200
    robots = Protego.parse(resp.text)
    base = server.base_url
    assert not robots.can_fetch(f"{base}/news.example.org/members/secret", "newswire")
    assert robots.can_fetch(f"{base}/news.example.org/world/one", "newswire")
    assert list(robots.sitemaps) == [f"{base}/news.example.org/sitemap.xml"]
    again = httpx.get(
        f"{server.base_url}/robots.txt", headers={"If-None-Match": resp.headers["etag"]}
    )
    assert again.status_code == 304
    assert resp.headers["last-modified"] != "Thu, 01 Jan 1970 00:00:00 GMT"
    own = httpx.get(server.url_for("news.example.org/robots.txt")).text
    assert f"Sitemap: {base}/news.example.org/sitemap.xml" in own


def test_many_parallel_requests_all_succeed(server: ReplayServer) -> None:
    urls = [server.url_for(f"news.example.org/world/one?n={i}") for i in range(200)]

    async def fetch_all() -> list[int]:
        limits = httpx.Limits(max_connections=64)
        async with httpx.AsyncClient(limits=limits) as client:
            responses = await asyncio.gather(*(client.get(u) for u in urls))
        return [r.status_code for r in responses]

    assert asyncio.run(fetch_all()) == [200] * len(urls)


def test_refuses_non_loopback_and_bad_config(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        ReplayServer(corpus, host="0.0.0.0")
    (corpus / "_responses.yaml").write_text("a/b: {status: 99}\n")
    with pytest.raises(ReplayConfigError, match="a/b"):
        ReplayServer(corpus)
    with pytest.raises(FileNotFoundError):
        ReplayServer(tmp_path / "missing")


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b'<?xml version="1.0"?><rss version="2.0">', "rss"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "atom"),
        (b"<?xml version='1.0'?><rdf:RDF xmlns:rdf='x'>", "rdf"),
        (b'<?xml version="1.0"?><urlset xmlns="s">', "sitemap"),
        (b"<!DOCTYPE html><html>", None),
    ],
)
def test_sniff_xml_kind(head: bytes, kind: str | None) -> None:
    assert sniff_xml_kind(head) == kind


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_replay_serves_until_interrupted(
    corpus: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "300"}
    feeds_file = tmp_path / "out" / "feeds.yaml"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "replay",
            str(corpus),
            "--port",
            "0",
            "--write-feeds",
            str(feeds_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("replaying "), first + (proc.stderr.read() if proc.stderr else "")
        base = first.rsplit(" at ", 1)[1].strip()
        feed_line = proc.stdout.readline().split()
        assert feed_line == ["feed", f"{base}/news.example.org/feed.xml"]
        body = httpx.get(feed_line[1]).text
        assert f"{base}/news.example.org/world/one" in body
        rest = [proc.stdout.readline() for _ in range(4)]
        assert rest[-1].startswith("press Ctrl-C"), rest
        # the SSRF guard needs the server let through: exactly its own port is printed
        assert f"NEWSWIRE_ALLOWED_HOSTS={base.removeprefix('http://')}" in "".join(rest)
        feeds = load_feeds(feeds_file)
        assert [(f.url, f.outlet) for f in feeds] == [(feed_line[1], "news.example.org")]
    finally:
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=60)  # a hang guard (a loaded host took > 20 s once)
    assert proc.returncode == 0
    assert "stopped" in out


def test_cli_replay_reports_a_bad_corpus_cleanly(corpus: Path) -> None:
    (corpus / "_responses.yaml").write_text("x: [1, 2\n")
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "replay", str(corpus)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "not valid YAML" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_per_host_ports_give_each_outlet_its_own_origin(corpus: Path) -> None:
    other = corpus / "wire.example.com"
    other.mkdir()
    (other / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (other / "story.html").write_text(PAGE.format("wire"), encoding="utf-8")
    with ReplayServer(corpus, per_host_ports=True) as srv:
        assert set(srv.host_ports) == {"news.example.org", "wire.example.com"}
        news = srv.origin_for("news.example.org")
        assert news == f"http://127.0.0.1:{srv.host_ports['news.example.org']}"
        assert srv.url_for("news.example.org/world/one") == f"{news}/world/one"
        assert srv.replay_url("https://news.example.org/a?b=1") == f"{news}/a?b=1"
        feed = feedparser.parse(httpx.get(srv.url_for("news.example.org/feed.xml")).content)
        assert feed.entries[0].link == f"{news}/world/one"
        assert (
            httpx.get(feed.entries[0].link).text
            == httpx.get(f"{srv.base_url}/news.example.org/world/one").text
        )
        wire = srv.origin_for("wire.example.com")
        robots = Protego.parse(httpx.get(f"{wire}/robots.txt").text)
        assert not robots.can_fetch(f"{wire}/private/x", "newswire")
        assert robots.can_fetch(f"{wire}/members/x", "newswire")  # news.example.org's rule
        assert httpx.get(f"{news}/broken").status_code == 500  # specials follow the file
        moved = httpx.get(f"{news}/moved")
        assert moved.headers["location"] == f"{news}/world/one"
        assert httpx.get(f"{news}/_responses.yaml").status_code == 404
        assert httpx.get(f"{news}/../wire.example.com/story").status_code == 404


def test_fixed_port_with_per_host_ports_is_deterministic_and_fails_cleanly(corpus: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        base = probe.getsockname()[1]
    with ReplayServer(corpus, port=base, per_host_ports=True) as srv:
        assert srv.host_ports == {"news.example.org": base + 1}
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", base + 1))
        squatter.listen()
        with pytest.raises(OSError, match="in use"):
            ReplayServer(corpus, port=base, per_host_ports=True).start()
    with ReplayServer(corpus, port=base) as again:  # the main port was released
        assert again.port == base
