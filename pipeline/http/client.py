"""All network I/O: one polite, bounded HTTP client that every stage goes through.

Being one seam means politeness is enforced in one place, whoever calls: a per-host concurrency
limit and a minimum delay between two requests to the same host (or the host's robots.txt
``Crawl-delay`` if longer), a global limit, robots.txt fetched once per host and cached, retries
with exponential backoff and jitter on transient failures (timeouts, connection errors, 5xx, 429)
honouring ``Retry-After``, a size cap on every body, and redirects followed by hand so every hop
is recorded and checked against robots.txt.

Failures are :class:`FetchError` with a :class:`~pipeline.models.FailureReason`, so the fetcher
can store them as they are. robots.txt answers follow RFC 9309: 4xx (e.g. 404) means "no
rules, allow all"; 5xx or an unreachable server means "assume complete disallow" for this run
(the error is retryable, so the article is tried again on a later run).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import ssl
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from pipeline.config import Settings
from pipeline.http.netguard import (
    BlockedAddressError,
    GuardedTransport,
    Resolver,
    parse_allowed_hosts,
)
from pipeline.http.responses import (
    Expect,
    FetchError,
    FetchResponse,
    check_body_type,
    check_declared_type,
    gzip_body,
    is_html_body,
    maybe_gunzip,
    raise_for_status,
)
from pipeline.models import FailureReason

LOGGER = logging.getLogger(__name__)

__all__ = ["FetchError", "FetchResponse", "HttpClient", "gzip_body", "is_html_body"]

ROBOTS_AGENT = "newswire"  # the product token robots.txt rules are matched against
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES = 500_000  # RFC 9309 §2.5: parse at least 500 KiB


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi roots), built once per process.

    Building it loads the CA bundle, about 20 ms of CPU; every run creates two clients (poll,
    fetch) and an Airflow worker many, so it is shared. SSLContext is safe to share.
    """
    return httpx.create_ssl_context()


@dataclass
class _Budget:
    """The total deadline of one attempt, started by its first exchange (robots.txt, a hop)."""

    ends_at: float | None = None

    def start(self, seconds: float) -> float:
        if self.ends_at is None:
            self.ends_at = asyncio.get_running_loop().time() + seconds
        return self.ends_at


@dataclass
class _Host:
    """Per-host politeness state."""

    semaphore: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0
    delay: float = 0.0
    robots: Protego | None = None
    robots_error: FetchError | None = None
    robots_loaded: bool = False
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class HttpClient:
    """A polite async HTTP client; use as ``async with HttpClient(settings) as client``.

    One instance per run: robots.txt and per-host timing are cached on it.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: float | None = None,
        resolve: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._resolve = resolve
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(settings.global_concurrency)
        self._hosts: dict[str, _Host] = {}
        self._jitter = random.Random()
        self._max_sleep = sleep  # tests may cap backoff sleeps

    async def __aenter__(self) -> HttpClient:
        limits = httpx.Limits(
            max_connections=self.settings.global_concurrency,
            max_keepalive_connections=self.settings.global_concurrency,
        )
        # every connection goes through the SSRF guard unless a test injects its own transport
        transport = self._transport or GuardedTransport(
            allow=parse_allowed_hosts(self.settings.allowed_hosts),
            verify=_tls_context(),
            limits=limits,
            resolve=self._resolve,
        )
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.settings.http_timeout),
            follow_redirects=False,
            headers={"User-Agent": self.settings.user_agent_header, "Accept-Encoding": "gzip"},
            transport=transport,
            verify=_tls_context(),
            limits=limits,
            trust_env=False,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- public -------------------------------------------------------------------------------

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        expect: Expect = "any",
        check_robots: bool = True,
    ) -> FetchResponse:
        """GET *url* politely, following redirects, retrying transient failures.

        ``expect="html"`` refuses bodies that are not web pages (``not_html``) as early as the
        headers allow; ``expect="feed"`` refuses obvious non-feeds (PDFs, images).
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if expect == "html":
            headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
        elif expect == "feed":
            headers["Accept"] = (
                "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
                "*/*;q=0.5"
            )
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._follow(url, headers, expect, check_robots, _Budget())
            except FetchError as exc:
                if not exc.retryable or attempt > self.settings.retries or exc.deadline:
                    raise  # a server that used up the whole deadline would only do it again
                if exc.reason is FailureReason.ROBOTS_DISALLOWED:
                    raise  # robots.txt is fetched once per run; retrying now changes nothing
                delay = self._backoff(attempt, exc.retry_after)
                LOGGER.info(
                    "retrying %s in %.2fs after %s (attempt %s of %s)",
                    url,
                    delay,
                    exc.reason.value,
                    attempt,
                    self.settings.retries + 1,
                )
                await asyncio.sleep(delay)
                continue
            return FetchResponse(
                requested_url=response.requested_url,
                final_url=response.final_url,
                status=response.status,
                headers=response.headers,
                body=response.body,
                redirects=response.redirects,
                attempts=attempt,
                raw_gzip=response.raw_gzip,
            )

    async def post_form(
        self, url: str, form: Mapping[str, str], *, max_bytes: int = 65_536
    ) -> tuple[int, str]:
        """POST *form* (a WebSub subscription request): ``(status, start of the body)``.

        The same SSRF guard, per-host politeness and total deadline as a GET; no redirects
        followed (a hub answers 202 or an error) and no retries: the caller records the failure
        and asks again later. A body over *max_bytes* is refused.
        """
        assert self._client is not None, "use HttpClient as an async context manager"
        host = self._host(url)
        async with host.semaphore, self._global:
            await self._wait_turn(host)
            try:
                async with (
                    asyncio.timeout(self.settings.request_deadline),
                    self._client.stream("POST", url, data=dict(form)) as response,
                ):
                    body = await self._read(url, response.status_code, response, max_bytes)
            except TimeoutError:
                raise FetchError(
                    FailureReason.TIMEOUT,
                    f"total deadline of {self.settings.request_deadline}s exceeded posting {url}",
                    deadline=True,
                ) from None
            except BlockedAddressError as exc:
                raise FetchError(FailureReason.BLOCKED_ADDRESS, str(exc), retryable=False) from None
            except httpx.HTTPError as exc:
                raise FetchError(
                    FailureReason.CONNECTION, f"{type(exc).__name__}: {exc or 'no detail'} ({url})"
                ) from None
        return response.status_code, body[:500].decode("utf-8", "replace")

    # -- internals ----------------------------------------------------------------------------

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            delay = min(retry_after, self.settings.max_retry_after)
        else:
            base = self.settings.backoff_base * (2 ** (attempt - 1))
            delay = base * self._jitter.uniform(0.5, 1.5)
        if self._max_sleep is not None:
            delay = min(delay, self._max_sleep)
        return delay

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        state = self._hosts.get(key)
        if state is None:
            state = _Host(
                semaphore=asyncio.Semaphore(self.settings.per_host_concurrency),
                delay=self.settings.per_host_delay,
            )
            self._hosts[key] = state
        return state

    async def _follow(
        self,
        url: str,
        headers: dict[str, str],
        expect: Expect,
        check_robots: bool,
        budget: _Budget,
    ) -> FetchResponse:
        """One attempt: request, following redirects by hand so each hop is recorded."""
        current = url
        hops: list[str] = []
        seen = {url}
        while True:
            parts = urlsplit(current)
            if parts.scheme not in {"http", "https"} or not parts.netloc:
                raise FetchError(FailureReason.INVALID_URL, f"cannot fetch {current!r}")
            if check_robots and self.settings.respect_robots:
                await self._check_robots(current, budget)
            response = await self._request(current, headers, expect, budget)
            if response.status not in _REDIRECT_CODES:
                return FetchResponse(
                    requested_url=url,
                    final_url=current,
                    status=response.status,
                    headers=response.headers,
                    body=response.body,
                    redirects=hops,
                    raw_gzip=response.raw_gzip,
                )
            location = response.headers.get("location")
            if not location:
                raise FetchError(
                    FailureReason.HTTP_4XX if response.status < 400 else FailureReason.HTTP_5XX,
                    f"HTTP {response.status} redirect without a Location header",
                    response.status,
                    retryable=False,
                )
            target = urljoin(current, location.strip())
            hops.append(current)
            if target in seen:
                raise FetchError(
                    FailureReason.TOO_MANY_REDIRECTS,
                    f"redirect loop: {' -> '.join([*hops, target])}",
                    response.status,
                )
            if len(hops) > self.settings.max_redirects:
                raise FetchError(
                    FailureReason.TOO_MANY_REDIRECTS,
                    f"more than {self.settings.max_redirects} redirects from {url}",
                    response.status,
                )
            seen.add(target)
            current = target

    async def _wait_turn(self, host: _Host) -> None:
        """Sleep until this host may be sent another request (delay between request starts)."""
        async with host.lock:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + host.delay
        if start > now:
            await asyncio.sleep(start - now)

    async def _request(
        self, url: str, headers: dict[str, str], expect: Expect, budget: _Budget
    ) -> FetchResponse:
        """One HTTP exchange under the politeness limits, with the body read within the cap.

        The exchange runs under the attempt's total deadline (connect + headers + body, every
        hop and robots.txt included): the read timeout alone lets a server trickling a byte
        at a time hold a request forever. Waiting for a politeness slot does not count.
        """
        assert self._client is not None, "use HttpClient as an async context manager"
        host = self._host(url)
        async with host.semaphore, self._global:
            await self._wait_turn(host)
            deadline = budget.start(self.settings.request_deadline)
            try:
                async with asyncio.timeout_at(deadline):
                    return await self._exchange(url, headers, expect)
            except TimeoutError:
                raise FetchError(
                    FailureReason.TIMEOUT,
                    f"total deadline of {self.settings.request_deadline}s "
                    f"(NEWSWIRE_REQUEST_DEADLINE) exceeded fetching {url}",
                    deadline=True,
                ) from None
            except BlockedAddressError as exc:
                raise FetchError(FailureReason.BLOCKED_ADDRESS, str(exc), retryable=False) from None
            except httpx.InvalidURL as exc:  # e.g. an octal IPv4 spelling httpx will not parse
                raise FetchError(FailureReason.INVALID_URL, f"{exc} ({url!r})") from None
            except httpx.TimeoutException as exc:
                raise FetchError(
                    FailureReason.TIMEOUT,
                    f"{type(exc).__name__} after {self.settings.http_timeout}s fetching {url}",
                ) from None
            except httpx.TooManyRedirects as exc:  # pragma: no cover - redirects are manual
                raise FetchError(FailureReason.TOO_MANY_REDIRECTS, str(exc)) from None
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
                raise FetchError(
                    FailureReason.CONNECTION, f"{type(exc).__name__}: {exc or 'no detail'} ({url})"
                ) from None
            except httpx.DecodingError as exc:
                raise FetchError(
                    FailureReason.DECODE_ERROR, f"cannot decode body of {url}: {exc}"
                ) from None
            except httpx.TransportError as exc:
                raise FetchError(
                    FailureReason.CONNECTION, f"{type(exc).__name__}: {exc} ({url})"
                ) from None

    async def _exchange(self, url: str, headers: dict[str, str], expect: Expect) -> FetchResponse:
        assert self._client is not None
        limit = self.settings.max_page_bytes
        async with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            if status in _REDIRECT_CODES or status == 304:
                return FetchResponse(url, url, status, resp_headers, b"")
            raise_for_status(url, status, resp_headers)
            declared = resp_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(
                    FailureReason.TOO_LARGE,
                    f"Content-Length {declared} exceeds the {limit} byte limit ({url})",
                    status,
                )
            check_declared_type(url, status, resp_headers, expect)
            raw_gzip: bytes | None = None
            if resp_headers.get("content-encoding", "").strip().lower() == "gzip":
                raw_gzip, body = await self._read_gzip(url, status, response, limit)
            else:
                body = await self._read(url, status, response, limit)
        unwrapped = maybe_gunzip(body, limit)
        if unwrapped is not body:
            raw_gzip = None  # the stored copy must decompress to what was extracted
        result = FetchResponse(url, url, status, resp_headers, unwrapped, raw_gzip=raw_gzip)
        check_body_type(url, result, expect)
        return result

    @staticmethod
    async def _read(url: str, status: int, response: httpx.Response, limit: int) -> bytes:
        """The decoded body, refused as soon as it passes *limit*."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(
                    FailureReason.TOO_LARGE, f"body exceeds the {limit} byte limit ({url})", status
                )
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    async def _read_gzip(
        url: str, status: int, response: httpx.Response, limit: int
    ) -> tuple[bytes | None, bytes]:
        """(wire bytes, decoded body) of a gzip-encoded response, the decoded size capped.

        Keeping the wire bytes lets the fetcher store them as the compressed raw page instead
        of compressing the body again.
        """
        decoder = zlib.decompressobj(wbits=31)
        raw: list[bytes] = []
        out: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_raw():
                raw.append(chunk)
                piece = decoder.decompress(chunk, limit + 1 - size)
                size += len(piece)
                out.append(piece)
                if size > limit or decoder.unconsumed_tail:
                    raise FetchError(
                        FailureReason.TOO_LARGE,
                        f"body exceeds the {limit} byte limit ({url})",
                        status,
                    )
            out.append(decoder.flush())
        except zlib.error as exc:
            raise FetchError(
                FailureReason.DECODE_ERROR, f"invalid gzip body from {url}: {exc}", status
            ) from None
        body = b"".join(out)
        # trailing bytes or a second member: like httpx, the first member is the body, and the
        # wire bytes are not a faithful copy of it
        return (b"".join(raw) if not decoder.unused_data else None), body

    async def _check_robots(self, url: str, budget: _Budget) -> None:
        parts = urlsplit(url)
        host = self._host(url)
        if not host.robots_loaded:
            async with host.robots_lock:
                if not host.robots_loaded:
                    # raises (uncached) when the host is unreachable, so a retry tries again
                    await self._load_robots(
                        f"{parts.scheme}://{parts.netloc}/robots.txt", host, budget
                    )
                    host.robots_loaded = True
        if host.robots_error is not None:
            err = host.robots_error
            raise FetchError(err.reason, err.detail, err.http_status, retryable=err.retryable)
        if host.robots is not None and not host.robots.can_fetch(url, ROBOTS_AGENT):
            raise FetchError(
                FailureReason.ROBOTS_DISALLOWED,
                f"robots.txt of {parts.netloc} disallows {url}",
                retryable=False,
            )

    async def _load_robots(self, robots_url: str, host: _Host, budget: _Budget) -> None:
        """Fetch and parse robots.txt once; RFC 9309 decides what failures mean."""
        try:
            response = await self._follow(robots_url, {}, "any", False, budget)
        except FetchError as exc:
            if exc.reason is FailureReason.BLOCKED_ADDRESS or exc.deadline:
                raise  # the page itself would be refused (or held) the same way
            if exc.http_status is not None and 400 <= exc.http_status < 500:
                LOGGER.info("robots.txt %s: HTTP %s, no rules", robots_url, exc.http_status)
                return  # "unavailable": allow all
            if exc.reason in {FailureReason.TIMEOUT, FailureReason.CONNECTION}:
                # the host itself is unreachable: the page fails the same way
                raise FetchError(
                    exc.reason,
                    f"{urlsplit(robots_url).netloc} unreachable (asking for robots.txt): "
                    f"{exc.detail}",
                    exc.http_status,
                ) from None
            host.robots_error = FetchError(
                FailureReason.ROBOTS_DISALLOWED,
                f"robots.txt unreachable ({exc.detail}); RFC 9309: assume complete disallow",
                exc.http_status,
                retryable=True,
            )
            LOGGER.warning("robots.txt %s unreachable: %s", robots_url, exc.detail)
            return
        text = response.body[:_ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        host.robots = Protego.parse(text)
        crawl_delay = host.robots.crawl_delay(ROBOTS_AGENT)
        if crawl_delay:
            host.delay = max(host.delay, min(float(crawl_delay), self.settings.max_retry_after))
        LOGGER.debug("robots.txt %s loaded", robots_url)
