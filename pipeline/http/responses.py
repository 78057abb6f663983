"""What a request gives back — :class:`FetchResponse` or a classified :class:`FetchError` — and
the checks that decide between them (status, declared type, sniffed body, gzip bodies).

Pure functions of a response's parts, so the client (:mod:`pipeline.http.client`) stays about
politeness and transport, and these rules are testable without a server.
"""

from __future__ import annotations

import email.utils
import gzip
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit

import httpx

from pipeline.models import FailureReason
from pipeline.sniff import is_html_body

__all__ = [
    "Expect",
    "FetchError",
    "FetchResponse",
    "check_body_type",
    "check_declared_type",
    "gzip_body",
    "is_html_body",
    "maybe_gunzip",
    "raise_for_status",
]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_TYPES = ("xml", "rss", "atom", "rdf", "text/html", "text/plain")
_BLOCKED_STATUSES = frozenset({401, 402, 403, 451})
_GZIP_MAGIC = b"\x1f\x8b"

Expect = Literal["any", "html", "feed"]


class FetchError(Exception):
    """A request that produced no usable body; ``reason`` is what the article table stores."""

    def __init__(
        self,
        reason: FailureReason,
        detail: str,
        http_status: int | None = None,
        *,
        retryable: bool | None = None,
        retry_after: float | None = None,
        deadline: bool = False,
    ) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.deadline = deadline  # the total request deadline ran out (not retried this run)
        self.detail = detail
        self.http_status = http_status
        self.retry_after = retry_after
        self.retryable = (
            retryable
            if retryable is not None
            else reason in {FailureReason.TIMEOUT, FailureReason.CONNECTION, FailureReason.HTTP_5XX}
            or http_status == 429
        )


@dataclass(frozen=True)
class FetchResponse:
    """A successful (2xx) or not-modified (304) response with its whole, decoded body."""

    requested_url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    redirects: list[str] = field(default_factory=list)
    attempts: int = 1
    # the body exactly as a gzip Content-Encoding sent it: stored as is, saving a recompression
    raw_gzip: bytes | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET."""
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        """The media type without parameters, lower-cased, or None when absent."""
        value = self.headers.get("content-type")
        return value.split(";")[0].strip().lower() or None if value else None

    @property
    def encoding(self) -> str | None:
        """The charset named by Content-Type, if any."""
        value = self.headers.get("content-type") or ""
        for param in value.split(";")[1:]:
            key, _, val = param.partition("=")
            if key.strip().lower() == "charset" and val.strip():
                return val.strip().strip("\"'").lower()
        return None

    @property
    def etag(self) -> str | None:
        """The ETag validator, for the next conditional GET."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The Last-Modified validator, for the next conditional GET."""
        return self.headers.get("last-modified")


def _sniff_not_html(body: bytes) -> str | None:
    """Name the kind of a body that is clearly not a web page, else None."""
    head = body[:16].lstrip()
    signatures = {
        b"%PDF": "a PDF document",
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"GIF8": "a GIF image",
        b"PK\x03\x04": "a ZIP archive",
        b"RIFF": "a RIFF media file",
    }
    for magic, label in signatures.items():
        if head.startswith(magic):
            return label
    if head[:1] in (b"{", b"[") and not is_html_body(body):
        return "JSON"
    return None


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def maybe_gunzip(body: bytes, limit: int) -> bytes:
    """Decompress a body that is itself gzip (served without Content-Encoding), within *limit*."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    decompressor = zlib.decompressobj(wbits=31)
    try:
        out = decompressor.decompress(body, limit + 1)
    except zlib.error:
        return body  # not really gzip: let the parser see the bytes and complain
    if len(out) > limit:
        raise FetchError(
            FailureReason.TOO_LARGE, f"gzip body expands beyond the {limit} byte limit"
        )
    return out


def raise_for_status(url: str, status: int, headers: Mapping[str, str]) -> None:
    if status < 400:
        return
    retry_after = _parse_retry_after(headers.get("retry-after"))
    if status == 429:
        raise FetchError(
            FailureReason.HTTP_4XX,
            f"HTTP 429 Too Many Requests from {url}",
            status,
            retryable=True,
            retry_after=retry_after,
        )
    if status >= 500:
        raise FetchError(
            FailureReason.HTTP_5XX, f"HTTP {status} from {url}", status, retry_after=retry_after
        )
    if status in _BLOCKED_STATUSES:
        raise FetchError(
            FailureReason.BLOCKED_OR_PAYWALL,
            f"HTTP {status}: access refused by {urlsplit(url).netloc}",
            status,
        )
    raise FetchError(FailureReason.HTTP_4XX, f"HTTP {status} from {url}", status)


def check_declared_type(url: str, status: int, headers: Mapping[str, str], expect: Expect) -> None:
    declared = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if not declared or declared in {"application/octet-stream", "binary/octet-stream"}:
        return  # sniffed from the body instead
    if expect == "html" and not declared.startswith(_HTML_TYPES):
        raise FetchError(
            FailureReason.NOT_HTML, f"Content-Type {declared} is not a web page ({url})", status
        )
    if expect == "feed" and not any(token in declared for token in _FEED_TYPES):
        raise FetchError(
            FailureReason.NOT_HTML, f"Content-Type {declared} is not a feed ({url})", status
        )


def check_body_type(url: str, response: FetchResponse, expect: Expect) -> None:
    if expect == "any":
        return
    kind = _sniff_not_html(response.body)
    if kind is not None:
        raise FetchError(
            FailureReason.NOT_HTML, f"body is {kind}, not a web page ({url})", response.status
        )
    if (
        expect == "html"
        and response.content_type in (None, "application/octet-stream", "binary/octet-stream")
        and response.body.strip()
        and not is_html_body(response.body)
    ):
        raise FetchError(
            FailureReason.NOT_HTML,
            f"no Content-Type and the body does not look like HTML ({url})",
            response.status,
        )


def gzip_body(body: bytes) -> bytes:
    """Compress a body for storage (raw pages are kept gzip-compressed)."""
    # level 3: 90 % of level 6's ratio on HTML at about half the CPU
    return gzip.compress(body, compresslevel=3, mtime=0)


def link_relations(value: str | None) -> list[tuple[str, str]]:
    """``(rel, url)`` pairs of an HTTP ``Link`` header (RFC 8288), in order; [] without one.

    httpx's parser (``Response.links``) keys by rel and so keeps one link per rel; the header
    is split into its links first so every one is kept (a feed may name several hubs).
    """
    if not value:
        return []
    pairs: list[tuple[str, str]] = []
    for part in re.split(r",\s*(?=<)", value):  # a comma inside <...> is part of a URL
        for link in httpx.Response(200, headers={"link": part}).links.values():
            url, rel = link.get("url"), link.get("rel")
            if url and rel:
                pairs.append((rel, url))
    return pairs
