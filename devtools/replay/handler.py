"""The HTTP side of the replay server: listeners and the request handler (conditional GET, gzip,
ranges of special responses)."""

from __future__ import annotations

import email.utils
import logging
import socket
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from devtools.replay.content import (
    Body,
    SpecialResponse,
    normalise_relpath,
)

if TYPE_CHECKING:
    from devtools.replay.server import ReplayServer

LOGGER = logging.getLogger(__name__)


class ReplayHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # benchmarks open many connections at once
    replay: ReplayServer
    prefix: str = ""  # the recorded host this listener stands for ("" = all, path-prefixed)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up mid-answer (timeouts in tests) are normal here, not tracebacks.
        LOGGER.debug("replay: connection from %s ended abruptly", client_address, exc_info=True)


class ReplayHTTPServer6(ReplayHTTPServer):
    address_family = socket.AF_INET6


class ReplayHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newswire-replay/1"
    timeout = 30  # idle keep-alive connections release their thread
    # headers and body go out as separate writes; without TCP_NODELAY, Nagle plus delayed ACKs
    # add ~40 ms to every keep-alive response
    disable_nagle_algorithm = True
    server: ReplayHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        LOGGER.debug("replay %s - " + format, self.client_address[0], *args)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        replay = self.server.replay
        split = urlsplit(self.path)
        try:
            relpath = normalise_relpath(unquote(split.path))
        except ValueError:
            self._send_plain(HTTPStatus.BAD_REQUEST, b"bad path\n", head)
            return
        if self.server.prefix:
            relpath = f"{self.server.prefix}/{relpath}".rstrip("/")
        hit = replay._count_hit(relpath)
        special = replay.specials.get(relpath)
        if special is not None and special.times is not None and hit > special.times:
            special = None  # a flaky path behaves normally once its failures are used up
        if special is not None:
            if special.delay:
                time.sleep(special.delay)
            if self._special(replay, relpath, split.query, special, head):
                return
        path = replay._resolve(relpath)
        if path is None and relpath == "robots.txt":
            merged = replay.merged_robots()
            if merged is not None:
                data, mtime_ns = merged
                body = replay._prepare(data, "text/plain; charset=utf-8", mtime_ns, len(data))
                if self._not_modified(body):
                    self._send_not_modified(body)
                else:
                    self._send_body(body, head)
                return
        if path is None:
            self._send_plain(HTTPStatus.NOT_FOUND, b"not found in the replay corpus\n", head)
            return
        body = replay._body_for(relpath, path)
        if self._not_modified(body):
            self._send_not_modified(body)
            return
        extra = special.headers if special else {}
        status = special.status if special else None
        self._send_body(
            body, head, status=status, extra=extra, ctype=special.content_type if special else None
        )

    def _special(
        self, replay: ReplayServer, relpath: str, query: str, spec: SpecialResponse, head: bool
    ) -> bool:
        """Send a declared response; False when the file itself should still be served."""
        if spec.redirect_loop:
            hop_text = (parse_qs(query).get("loop") or ["0"])[0]
            hop = (int(hop_text) if hop_text.isdigit() else 0) + 1
            location = f"{replay.url_for(relpath)}?loop={hop}"
            self._send_redirect(spec.status or 302, location, spec.headers, head)
            return True
        if spec.redirect is not None:
            target = spec.redirect
            location = replay.replay_url(target) if "://" in target else replay.url_for(target)
            self._send_redirect(spec.status or 302, location, spec.headers, head)
            return True
        if spec.body is not None:
            data = spec.body.encode()
            ctype = spec.content_type or "text/html; charset=utf-8"
            body = replay._prepare(data, ctype, 0, len(data))
            self._send_body(body, head, status=spec.status, extra=spec.headers, validators=False)
            return True
        if spec.status is not None and spec.status >= 400:
            text = f"{spec.status} {_reason(spec.status)}\n".encode()
            body = replay._prepare(
                text, spec.content_type or "text/plain; charset=utf-8", 0, len(text)
            )
            self._send_body(body, head, status=spec.status, extra=spec.headers, validators=False)
            return True
        return False

    def _send_not_modified(self, body: Body) -> None:
        self.send_response(HTTPStatus.NOT_MODIFIED)
        self.send_header("ETag", body.etag)
        self.send_header("Last-Modified", body.last_modified)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_modified(self, body: Body) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip() for t in inm.split(",")}
            return "*" in tags or bool(tags & {body.etag, _gz_etag(body.etag), "W/" + body.etag})
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = email.utils.parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            return since is not None and body.mtime_s <= int(since.timestamp())
        return False

    def _accepts_gzip(self) -> bool:
        for part in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = part.strip().partition(";")
            if name.strip().lower() in {"gzip", "x-gzip", "*"}:
                return params.replace(" ", "") not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
        return False

    def _send_body(
        self,
        body: Body,
        head: bool,
        *,
        status: int | None = None,
        extra: dict[str, str] | None = None,
        ctype: str | None = None,
        validators: bool = True,
    ) -> None:
        data, etag = body.data, body.etag
        use_gzip = body.compressible and self._accepts_gzip()
        if use_gzip:
            data, etag = body.gzipped(), _gz_etag(body.etag)
        self.send_response(status or HTTPStatus.OK)
        self.send_header("Content-Type", ctype or body.content_type)
        self.send_header("Content-Length", str(len(data)))
        if validators:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", body.last_modified)
        if body.compressible:
            self.send_header("Vary", "Accept-Encoding")
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _send_redirect(self, status: int, location: str, extra: dict[str, str], head: bool) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()

    def _send_plain(self, status: int, text: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if not head:
            self.wfile.write(text)


def _gz_etag(etag: str) -> str:
    return etag[:-1] + '-gzip"'


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
