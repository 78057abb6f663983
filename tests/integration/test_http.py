"""The one HTTP module, against a real loopback server: politeness, robots, retries, limits."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipeline.config import Settings, get_settings
from pipeline.http.client import FetchError, FetchResponse, HttpClient
from pipeline.models import FailureReason

PAGE = b"<!doctype html><html><head><title>t</title></head><body><p>Hello</p></body></html>"


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/robots.txt").respond_with_data("", status=404)
        yield srv


def make_settings(**overrides: object) -> Settings:
    base: dict[str, object] = {
        "per_host_delay": 0.0,
        "backoff_base": 0.01,
        "retries": 2,
        "http_timeout": 2.0,
        "max_retry_after": 5.0,
    }
    base.update(overrides)
    return get_settings(**base)


def fetch(url: str, settings: Settings | None = None, **kwargs: object) -> FetchResponse:
    async def go() -> FetchResponse:
        async with HttpClient(settings or make_settings()) as client:
            return await client.get(url, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(go())


def fetch_error(url: str, settings: Settings | None = None, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch(url, settings, **kwargs)
    return info.value


def hits(server: HTTPServer, path: str) -> int:
    return sum(1 for req, _ in server.log if req.path == path)


def test_get_sends_honest_user_agent_and_decodes_gzip(server: HTTPServer) -> None:
    wire = gzip.compress(PAGE)
    server.expect_request("/page").respond_with_data(
        wire,
        headers={"Content-Encoding": "gzip", "ETag": '"v1"'},
        content_type="text/html; charset=utf-8",
    )
    settings = make_settings(contact_url="https://example.org/contact")
    response = fetch(server.url_for("/page"), settings, expect="html")
    assert response.body == PAGE
    assert response.raw_gzip == wire  # kept for storage, no recompression
    assert response.status == 200
    assert response.etag == '"v1"'
    assert response.encoding == "utf-8"
    request = next(req for req, _ in server.log if req.path == "/page")
    assert "https://example.org/contact" in request.headers["User-Agent"]


def test_gzip_bomb_is_cut_off_at_the_decoded_size(server: HTTPServer) -> None:
    bomb = gzip.compress(b"<p>" + b" " * 5_000_000)
    server.expect_request("/bomb").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )
    err = fetch_error(server.url_for("/bomb"), make_settings(max_page_bytes=100_000))
    assert err.reason is FailureReason.TOO_LARGE


def test_corrupt_gzip_is_a_decode_error(server: HTTPServer) -> None:
    server.expect_request("/bad").respond_with_data(
        b"\x1f\x8b\x08\x00garbage-not-deflate",
        headers={"Content-Encoding": "gzip"},
        content_type="text/html",
    )
    assert fetch_error(server.url_for("/bad")).reason is FailureReason.DECODE_ERROR


def test_gzip_body_without_content_encoding_is_decompressed(server: HTTPServer) -> None:
    server.expect_request("/feed").respond_with_data(
        gzip.compress(b"<rss version='2.0'></rss>"), content_type="application/xml"
    )
    assert fetch(server.url_for("/feed"), expect="feed").body == b"<rss version='2.0'></rss>"


def test_conditional_get_sends_validators_and_reports_304(server: HTTPServer) -> None:
    server.expect_request(
        "/feed", headers={"If-None-Match": '"abc"', "If-Modified-Since": "Wed, 01 Jan 2025"}
    ).respond_with_data("", status=304)
    response = fetch(
        server.url_for("/feed"), etag='"abc"', last_modified="Wed, 01 Jan 2025", expect="feed"
    )
    assert response.not_modified


def test_redirects_are_followed_and_recorded(server: HTTPServer) -> None:
    server.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data(
        "", status=302, headers={"Location": server.url_for("/c")}
    )
    server.expect_request("/c").respond_with_data(PAGE, content_type="text/html")
    response = fetch(server.url_for("/a"), expect="html")
    assert response.final_url == server.url_for("/c")
    assert response.redirects == [server.url_for("/a"), server.url_for("/b")]


def test_redirect_loop_is_too_many_redirects(server: HTTPServer) -> None:
    server.expect_request("/x").respond_with_data("", status=302, headers={"Location": "/y"})
    server.expect_request("/y").respond_with_data("", status=302, headers={"Location": "/x"})
    err = fetch_error(server.url_for("/x"))
    assert err.reason is FailureReason.TOO_MANY_REDIRECTS
    assert "loop" in err.detail


def test_redirect_chain_longer_than_the_limit(server: HTTPServer) -> None:
    for i in range(5):
        server.expect_request(f"/r{i}").respond_with_data(
            "", status=302, headers={"Location": f"/r{i + 1}"}
        )
    err = fetch_error(server.url_for("/r0"), make_settings(max_redirects=3))
    assert err.reason is FailureReason.TOO_MANY_REDIRECTS
    assert "more than 3" in err.detail


def test_404_is_not_retried(server: HTTPServer) -> None:
    server.expect_request("/gone").respond_with_data("nope", status=404)
    err = fetch_error(server.url_for("/gone"))
    assert (err.reason, err.http_status, err.retryable) == (FailureReason.HTTP_4XX, 404, False)
    assert hits(server, "/gone") == 1


def test_403_is_classed_as_blocked(server: HTTPServer) -> None:
    server.expect_request("/paywalled").respond_with_data("subscribe", status=403)
    err = fetch_error(server.url_for("/paywalled"))
    assert err.reason is FailureReason.BLOCKED_OR_PAYWALL
    assert err.http_status == 403


def test_500_is_retried_then_reported(server: HTTPServer) -> None:
    server.expect_request("/flaky").respond_with_data("oops", status=500)
    err = fetch_error(server.url_for("/flaky"), make_settings(retries=2))
    assert (err.reason, err.http_status, err.retryable) == (FailureReason.HTTP_5XX, 500, True)
    assert hits(server, "/flaky") == 3


def test_500_then_success_recovers(server: HTTPServer) -> None:
    calls = {"n": 0}

    def handler(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return Response("busy", status=503)
        return Response(PAGE, content_type="text/html")

    server.expect_request("/recover").respond_with_handler(handler)
    response = fetch(server.url_for("/recover"), expect="html")
    assert response.body == PAGE
    assert response.attempts == 2


def test_429_honours_retry_after(server: HTTPServer) -> None:
    times: list[float] = []

    def handler(request: Request) -> Response:
        times.append(time.monotonic())
        if len(times) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(PAGE, content_type="text/html")

    server.expect_request("/limited").respond_with_handler(handler)
    assert fetch(server.url_for("/limited"), expect="html").status == 200
    assert times[1] - times[0] >= 0.9


def test_retry_after_is_capped(server: HTTPServer) -> None:
    times: list[float] = []

    def handler(request: Request) -> Response:
        times.append(time.monotonic())
        return Response("slow down", status=429, headers={"Retry-After": "3600"})

    server.expect_request("/capped").respond_with_handler(handler)
    err = fetch_error(server.url_for("/capped"), make_settings(retries=1, max_retry_after=0.2))
    assert (err.reason, err.http_status, err.retryable) == (FailureReason.HTTP_4XX, 429, True)
    assert len(times) == 2
    assert times[1] - times[0] < 2


def test_timeout(server: HTTPServer) -> None:
    arrivals: list[float] = []

    def slow(request: Request) -> Response:
        arrivals.append(time.monotonic())
        time.sleep(1.0)
        return Response(PAGE, content_type="text/html")

    server.expect_request("/slow").respond_with_handler(slow)
    err = fetch_error(server.url_for("/slow"), make_settings(http_timeout=0.2, retries=1))
    assert err.reason is FailureReason.TIMEOUT
    assert err.retryable
    assert len(arrivals) == 2  # the first try and one retry


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused() -> None:
    err = fetch_error(f"http://127.0.0.1:{free_port()}/page", make_settings(retries=1))
    assert err.reason is FailureReason.CONNECTION
    assert err.retryable


def test_declared_huge_page_is_refused(server: HTTPServer) -> None:
    server.expect_request("/huge").respond_with_data(b"x" * 5000, content_type="text/html")
    err = fetch_error(server.url_for("/huge"), make_settings(max_page_bytes=1000))
    assert err.reason is FailureReason.TOO_LARGE
    assert "Content-Length" in err.detail


def test_streamed_huge_page_is_cut_off(server: HTTPServer) -> None:
    def stream(request: Request) -> Response:
        return Response((b"<p>" + b"x" * 997 for _ in range(50)), content_type="text/html")

    server.expect_request("/stream").respond_with_handler(stream)
    err = fetch_error(server.url_for("/stream"), make_settings(max_page_bytes=10_000))
    assert err.reason is FailureReason.TOO_LARGE
    assert "body exceeds" in err.detail


@pytest.mark.parametrize("content_type", ["application/pdf", None])
def test_pdf_is_not_html(server: HTTPServer, content_type: str | None) -> None:
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
    server.expect_request("/doc").respond_with_response(
        Response(body, headers={"Content-Type": content_type} if content_type else {})
    )
    err = fetch_error(server.url_for("/doc"), expect="html")
    assert err.reason is FailureReason.NOT_HTML


def test_json_and_images_are_not_html(server: HTTPServer) -> None:
    server.expect_request("/api").respond_with_json({"a": 1})
    server.expect_request("/img").respond_with_data(b"\x89PNG\r\n", content_type="image/png")
    assert fetch_error(server.url_for("/api"), expect="html").reason is FailureReason.NOT_HTML
    assert fetch_error(server.url_for("/img"), expect="html").reason is FailureReason.NOT_HTML


def test_robots_disallow_is_honoured_and_fetched_once() -> None:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/robots.txt").respond_with_data(
            "User-agent: *\nDisallow: /private/\n", content_type="text/plain"
        )
        srv.expect_request("/public").respond_with_data(PAGE, content_type="text/html")

        async def go() -> list[FetchResponse | BaseException]:
            async with HttpClient(make_settings()) as client:
                return await asyncio.gather(
                    client.get(srv.url_for("/public")),
                    client.get(srv.url_for("/private/a")),
                    client.get(srv.url_for("/public")),
                    return_exceptions=True,
                )

        ok, denied, again = asyncio.run(go())
        assert isinstance(ok, FetchResponse)
        assert isinstance(again, FetchResponse)
        assert isinstance(denied, FetchError)
        assert denied.reason is FailureReason.ROBOTS_DISALLOWED
        assert hits(srv, "/robots.txt") == 1
        assert hits(srv, "/private/a") == 0


def test_robots_server_error_means_disallow_all() -> None:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/robots.txt").respond_with_data("down", status=503)
        err = fetch_error(srv.url_for("/page"), make_settings(retries=0))
        assert err.reason is FailureReason.ROBOTS_DISALLOWED
        assert err.retryable
        assert "RFC 9309" in err.detail
        assert hits(srv, "/page") == 0


def test_robots_can_be_switched_off() -> None:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
        assert fetch(srv.url_for("/page"), make_settings(respect_robots=False)).status == 200
        assert hits(srv, "/robots.txt") == 0


def test_per_host_concurrency_and_delay_measured_at_the_server(server: HTTPServer) -> None:
    lock = threading.Lock()
    state = {"active": 0, "peak": 0}
    starts: list[float] = []

    def handler(request: Request) -> Response:
        with lock:
            state["active"] += 1
            state["peak"] = max(state["peak"], state["active"])
            starts.append(time.monotonic())
        time.sleep(0.6)
        with lock:
            state["active"] -= 1
        return Response(PAGE, content_type="text/html")

    server.expect_request("/p").respond_with_handler(handler)
    settings = make_settings(per_host_concurrency=2, per_host_delay=0.25, global_concurrency=10)

    async def go() -> None:
        async with HttpClient(settings) as client:
            await asyncio.gather(*(client.get(server.url_for("/p")) for _ in range(6)))

    asyncio.run(go())
    assert state["peak"] == 2
    starts.sort()
    # Six requests spaced 0.25 s apart by the client span >= 1.25 s of sending. Arrival times
    # jitter on a loaded machine (one late arrival shrinks one gap), so check the spread as a
    # whole with generous slack rather than every single gap.
    assert starts[-1] - starts[0] >= 0.8


def test_robots_crawl_delay_spaces_requests() -> None:
    starts: list[float] = []

    def handler(request: Request) -> Response:
        starts.append(time.monotonic())
        return Response(PAGE, content_type="text/html")

    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/robots.txt").respond_with_data(
            "User-agent: *\nCrawl-delay: 0.4\n", content_type="text/plain"
        )
        srv.expect_request("/p").respond_with_handler(handler)

        async def go() -> None:
            async with HttpClient(make_settings(per_host_concurrency=4)) as client:
                await asyncio.gather(*(client.get(srv.url_for("/p")) for _ in range(3)))

        asyncio.run(go())
    starts.sort()
    # three requests 0.4 s apart span >= 0.8 s; checked as a whole, with slack for arrival jitter
    assert starts[-1] - starts[0] >= 0.5
