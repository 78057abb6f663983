"""Fetch + extract against a real loopback server and PostgreSQL: success, every failure class,
claims, idempotency and offline re-extraction."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session
from werkzeug import Request, Response

from pipeline.config import Settings, get_settings
from pipeline.models import Article, RawPage
from pipeline.stages.extract.page import EXTRACTOR_VERSION
from pipeline.stages.extract.stored import extract_pending
from pipeline.stages.fetch.stage import fetch_pending

PARAGRAPHS = [
    "The foreign ministers of Arvenia and Coldmark met in Geneva on Tuesday for the first "
    "direct talks between the two governments in three years, officials said.",
    "The meeting, hosted by the Swiss government, focused on the disputed river border and on "
    "the return of fishing crews detained last spring, according to a joint statement.",
    "Arvenian Foreign Minister Lena Varga told reporters the talks had been frank and useful, "
    "and that both sides had agreed to set up a technical commission on the border.",
    "Her Coldmark counterpart, Piet Anders, said his government would release the detained "
    "crews within a month if the commission met before the end of the year.",
    "Diplomats from both countries said a further round of talks was planned for the spring, "
    "possibly in Vienna, and that a visit by the Coldmark prime minister was being discussed.",
]
ARTICLE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Ministers meet in "
    "Geneva</title><meta name='author' content='Ana Diaz'>"
    "<meta property='article:published_time' content='2024-03-05T10:00:00Z'></head><body>"
    "<header><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></header>"
    "<article><h1>Ministers meet in Geneva</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>© Wire Example</footer></body></html>"
)
EMPTY = "<!doctype html><html><head><title>Nothing</title></head><body></body></html>"
PAYWALL = (
    "<!doctype html><html><head><title>Treaty talks</title></head><body><article>"
    "<h1>Treaty talks stall</h1><p>The talks stalled on Friday.</p>"
    "<div class='paywall'><p>Subscribe now to continue reading. Already a subscriber? "
    "Log in.</p></div></article></body></html>"
)


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/robots.txt").respond_with_data(
            "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
        )
        yield srv


@pytest.fixture
def settings() -> Settings:
    return get_settings(
        per_host_delay=0.0,
        retries=1,
        backoff_base=0.01,
        http_timeout=2.0,
        workers=2,
        max_page_bytes=200_000,
        max_retry_after=0.5,
    )


def add_articles(engine: Engine, urls: list[str]) -> list[int]:
    rows = [{"canonical_url": u, "url": u, "original_urls": [u], "status": "pending"} for u in urls]
    with engine.begin() as conn:
        return list(conn.scalars(insert(Article).values(rows).returning(Article.id)))


def article(engine: Engine, article_id: int) -> Article:
    with Session(engine) as session:
        return session.get_one(Article, article_id)


def hits(server: HTTPServer, path: str) -> int:
    return sum(1 for req, _ in server.log if req.path == path)


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def test_fetch_extracts_and_stores_the_raw_page(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/story"})
    server.expect_request("/story").respond_with_data(
        ARTICLE, content_type="text/html; charset=utf-8", headers={"ETag": '"e1"'}
    )
    (aid,) = add_articles(clean_db, [server.url_for("/old")])
    progress: list[tuple[int, int]] = []

    summary = fetch_pending(clean_db, settings, progress=lambda d, t: progress.append((d, t)))

    assert (summary.claimed, summary.fetched, summary.extracted, summary.failed) == (1, 1, 1, 0)
    assert summary.extracted_ids == [aid]
    assert progress == [(1, 1)]
    row = article(clean_db, aid)
    assert row.status == "extracted"
    assert row.title == "Ministers meet in Geneva"
    assert row.text is not None
    assert "technical commission" in row.text
    assert row.word_count is not None
    assert row.word_count > 80
    assert row.text_hash is not None
    assert row.extractor_version == EXTRACTOR_VERSION
    assert row.final_url == server.url_for("/story")
    assert row.published_at is not None
    assert row.claimed_until is None
    with Session(clean_db) as session:
        page = session.scalars(select(RawPage)).one()
    assert page.redirects == [server.url_for("/old")]
    assert page.etag == '"e1"'
    assert page.http_status == 200
    assert page.body_gzip is not None
    assert gzip.decompress(page.body_gzip) == ARTICLE.encode()


def test_gzip_encoded_page_is_stored_as_sent(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    wire = gzip.compress(ARTICLE.encode(), compresslevel=9)
    server.expect_request("/gz").respond_with_data(
        wire, headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )
    (aid,) = add_articles(clean_db, [server.url_for("/gz")])
    assert fetch_pending(clean_db, settings).extracted_ids == [aid]
    with Session(clean_db) as session:
        page = session.scalars(select(RawPage)).one()
    assert page.body_gzip == wire
    assert page.body_bytes == len(ARTICLE.encode())
    assert extract_pending(clean_db, settings, force=True).extracted_ids == [aid]


def test_fetch_is_idempotent(clean_db: Engine, server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/story").respond_with_data(ARTICLE, content_type="text/html")
    add_articles(clean_db, [server.url_for("/story")])
    fetch_pending(clean_db, settings)
    counts = (count(clean_db, Article), count(clean_db, RawPage))
    again = fetch_pending(clean_db, settings)
    assert again.claimed == 0
    assert (count(clean_db, Article), count(clean_db, RawPage)) == counts
    assert hits(server, "/story") == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_every_failure_class_is_recorded(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    def slow(request: Request) -> Response:
        time.sleep(2.5)
        return Response(ARTICLE, content_type="text/html")

    server.expect_request("/missing").respond_with_data("no", status=404)
    server.expect_request("/broken").respond_with_data("oops", status=500)
    server.expect_request("/busy").respond_with_data(
        "later", status=429, headers={"Retry-After": "1"}
    )
    server.expect_request("/slow").respond_with_handler(slow)
    server.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop2"})
    server.expect_request("/loop2").respond_with_data("", status=302, headers={"Location": "/loop"})
    server.expect_request("/huge").respond_with_data("x" * 300_000, content_type="text/html")
    server.expect_request("/doc.pdf").respond_with_data(
        b"%PDF-1.4\n", content_type="application/pdf"
    )
    server.expect_request("/empty").respond_with_data(EMPTY, content_type="text/html")
    server.expect_request("/paywall").respond_with_data(PAYWALL, content_type="text/html")
    cases = {
        "/missing": ("http_4xx", 404, False),
        "/broken": ("http_5xx", 500, True),
        "/busy": ("http_4xx", 429, True),
        "/slow": ("timeout", None, True),
        "/loop": ("too_many_redirects", 302, False),
        "/huge": ("too_large", 200, False),
        "/doc.pdf": ("not_html", 200, False),
        "/private/memo": ("robots_disallowed", None, False),
        "/empty": ("empty_extraction", 200, False),
        "/paywall": ("blocked_or_paywall", 200, False),
    }
    urls = {path: server.url_for(path) for path in cases}
    refused = f"http://127.0.0.1:{free_port()}/story"
    ids = dict(
        zip([*urls, "refused"], add_articles(clean_db, [*urls.values(), refused]), strict=True)
    )

    summary = fetch_pending(clean_db, settings)

    assert summary.claimed == len(cases) + 1
    assert summary.extracted == 0
    assert summary.failed == len(cases) + 1
    expected = {**cases, "refused": ("connection_error", None, True)}
    for path, (reason, status, retryable) in expected.items():
        row = article(clean_db, ids[path])
        assert (path, row.status, row.failure_reason) == (path, "failed", reason)
        assert row.failure_detail
        if status is not None:
            assert row.http_status == status, path
        assert (row.next_attempt_at is not None) is retryable, path
        assert row.attempts == 1
    assert summary.failed_by_reason["http_4xx"] == 2
    assert hits(server, "/missing") == 1  # 4xx is not retried
    assert hits(server, "/broken") == 2  # 5xx is: settings.retries == 1
    assert hits(server, "/busy") == 2
    assert hits(server, "/private/memo") == 0
    assert hits(server, "/robots.txt") == 1


def test_retryable_failures_are_claimed_again_when_due(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_oneshot_request("/flaky").respond_with_data("down", status=503)
    server.expect_oneshot_request("/flaky").respond_with_data("down", status=503)
    server.expect_request("/flaky").respond_with_data(ARTICLE, content_type="text/html")
    (aid,) = add_articles(clean_db, [server.url_for("/flaky")])
    first = fetch_pending(clean_db, settings)
    assert first.failed_by_reason == {"http_5xx": 1}
    assert first.retry_scheduled == 1
    assert fetch_pending(clean_db, settings).claimed == 0  # not due yet
    with clean_db.begin() as conn:
        conn.execute(update(Article).values(next_attempt_at=func.now()))
    second = fetch_pending(clean_db, settings)
    assert second.extracted_ids == [aid]
    row = article(clean_db, aid)
    assert (row.status, row.failure_reason, row.attempts) == ("extracted", None, 2)


def test_gives_up_after_max_attempts(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/down").respond_with_data("down", status=503)
    (aid,) = add_articles(clean_db, [server.url_for("/down")])
    settings = settings.model_copy(update={"max_fetch_attempts": 1, "retries": 0})
    fetch_pending(clean_db, settings)
    row = article(clean_db, aid)
    assert (row.failure_reason, row.next_attempt_at) == ("http_5xx", None)


def test_two_workers_never_fetch_the_same_article(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    lock = threading.Lock()
    served: list[str] = []

    def handler(request: Request) -> Response:
        with lock:
            served.append(request.path)
        time.sleep(0.05)
        return Response(ARTICLE.replace("Geneva", request.path), content_type="text/html")

    paths = [f"/s/{i}" for i in range(12)]
    for path in paths:
        server.expect_request(path).respond_with_handler(handler)
    add_articles(clean_db, [server.url_for(p) for p in paths])
    settings = settings.model_copy(update={"fetch_batch_size": 3, "workers": 1})
    results = []

    def worker() -> None:
        results.append(fetch_pending(clean_db, settings))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(served) == sorted(paths)  # each page fetched exactly once
    assert sum(r.claimed for r in results) == len(paths)
    assert sum(r.extracted for r in results) == len(paths)


def test_limit_and_article_ids_restrict_the_run(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    for i in range(3):
        server.expect_request(f"/l/{i}").respond_with_data(ARTICLE, content_type="text/html")
    ids = add_articles(clean_db, [server.url_for(f"/l/{i}") for i in range(3)])
    assert fetch_pending(clean_db, settings, article_ids=[ids[2]]).extracted_ids == [ids[2]]
    assert fetch_pending(clean_db, settings, limit=1).extracted_ids == [ids[0]]
    assert fetch_pending(clean_db, settings).extracted_ids == [ids[1]]


def test_robots_is_fetched_once_across_batches(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    for i in range(3):
        server.expect_request(f"/b/{i}").respond_with_data(ARTICLE, content_type="text/html")
    add_articles(clean_db, [server.url_for(f"/b/{i}") for i in range(3)])
    settings = settings.model_copy(update={"fetch_batch_size": 1, "workers": 1})
    assert fetch_pending(clean_db, settings).extracted == 3
    assert hits(server, "/robots.txt") == 1


def test_extract_pending_reprocesses_stored_pages_offline(
    clean_db: Engine, server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/story").respond_with_data(ARTICLE, content_type="text/html")
    (aid,) = add_articles(clean_db, [server.url_for("/story")])
    fetch_pending(clean_db, settings)
    hits_before = len(server.log)
    assert extract_pending(clean_db, settings).selected == 0  # current version: skipped
    with clean_db.begin() as conn:
        conn.execute(update(Article).values(extractor_version="0-old", text=None))
    summary = extract_pending(clean_db, settings)
    assert (summary.selected, summary.extracted, summary.extracted_ids) == (1, 1, [aid])
    forced = extract_pending(clean_db, settings, force=True, article_ids=[aid])
    assert forced.extracted == 1
    assert len(server.log) == hits_before  # no network
    row = article(clean_db, aid)
    assert row.extractor_version == EXTRACTOR_VERSION
    assert row.text is not None
    assert "Geneva" in row.text


def test_batches_interleave_hosts() -> None:
    from pipeline.stages.extract.page import FeedMeta
    from pipeline.stages.fetch.stage import _interleave_hosts
    from pipeline.store.articles import Claimed as _Claimed

    urls = [
        "https://a.example/1",
        "https://a.example/2",
        "https://a.example/3",
        "https://b.example/1",
    ]
    items = [_Claimed(id=i, url=u, attempts=1, fallback=FeedMeta()) for i, u in enumerate(urls)]
    assert [i.url for i in _interleave_hosts(items)] == [
        "https://a.example/1",
        "https://b.example/1",
        "https://a.example/2",
        "https://a.example/3",
    ]
