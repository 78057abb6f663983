"""The WebSub receiver behind ``newswire websub serve``: hubs verify and push to it.

The standard library's threading HTTP server, hardened for a port open to the internet
(behind a TLS-terminating proxy: ``NEWSWIRE_WEBSUB_CALLBACK_URL`` is the public address):

* only ``GET`` (verification of intent) and ``POST`` (content distribution) on
  ``/websub/<feed id>/<token>`` (the token derives from the subscription's secret, so only
  the hub knows the URL); everything else is a 404/405;
* a body needs a ``Content-Length`` (411 without; chunked uploads are refused) no larger
  than ``NEWSWIRE_WEBSUB_MAX_BODY_BYTES`` (413), read within the socket timeout — a hub
  trickling bytes is cut off, it cannot hold a thread;
* at most :data:`MAX_IN_FLIGHT` requests are handled at once; more get a 503 at once;
* a handler's failure is a 500 and a log line, never a dead server.

**Processing.** A push is stored before it is answered (the hub retries what we do not
acknowledge). Its new article ids then go to one processing thread (fetch → extract → dedup →
events, the ingest use cases the stream DAG's ``process`` task runs) that folds what queued
while it was busy into one batch — the same shape as ``newswire_stream_process``, in this
process. The choice and its limits: processing here needs no Airflow and starts within
milliseconds, but it runs on the receiver's machine, outside Airflow's pools, retries and UI;
with ``--no-process`` the receiver only stores and the 15-minute ``newswire_ingest`` picks the
new articles up (fresh discovery, stale processing). Emitting the ``newswire://articles/new``
Asset event through Airflow's REST API instead is not built (it needs an API token on the
receiver); see docs/airflow.md.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import Engine

from pipeline.config import Settings
from pipeline.services import ingest
from pipeline.stages.feeds.websub import parse_callback
from pipeline.stages.feeds.websub_io import answer_verification, receive_push

LOGGER = logging.getLogger(__name__)

MAX_IN_FLIGHT = 32
"""Requests handled at once; beyond, 503 (a hub retries later)."""
SOCKET_TIMEOUT = 15.0
"""Seconds a client may take between two reads (headers and body) before it is cut off."""

Processor = Callable[[Sequence[int]], Any]


def process_articles(engine: Engine, settings: Settings, ids: Sequence[int]) -> None:
    """Fetch, extract, dedup and code *ids*: the stream path's processing, in this process."""
    if not ids:
        return
    fetched = ingest.fetch(engine, settings, list(ids))
    done = fetched.extracted_ids
    if done:
        ingest.dedup(engine, settings, done)
        ingest.code_events(engine, settings, done)


class ProcessingQueue:
    """One thread processing pushed articles; ids queued while it works become one batch."""

    def __init__(self, process: Processor) -> None:
        self._process = process
        self._queue: queue.Queue[list[int] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="websub-process", daemon=True)
        self._thread.start()

    def submit(self, ids: Sequence[int]) -> None:
        if ids:
            self._queue.put(list(ids))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=60)

    def _run(self) -> None:
        stop = False
        while not stop:
            item = self._queue.get()
            if item is None:
                return
            batch = set(item)
            while not self._queue.empty():
                more = self._queue.get_nowait()
                if more is None:
                    stop = True
                    break
                batch.update(more)
            try:
                self._process(sorted(batch))
            except Exception:  # the articles stay pending: the ingest safety net retries them
                LOGGER.exception("websub: processing %s pushed articles failed", len(batch))


def make_handler(
    engine: Engine,
    settings: Settings,
    processing: ProcessingQueue | None,
    socket_timeout: float = SOCKET_TIMEOUT,
) -> type[BaseHTTPRequestHandler]:
    """The request handler class, closed over the engine, settings and processing queue."""
    slots = threading.BoundedSemaphore(MAX_IN_FLIGHT)
    limit = settings.websub_max_body_bytes

    class Handler(BaseHTTPRequestHandler):
        timeout = socket_timeout
        server_version = "newswire-websub"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:
            LOGGER.debug("websub %s: " + format, self.address_string(), *args)

        def _reply(self, status: int, body: bytes = b"", ctype: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and self.command != "HEAD":
                self.wfile.write(body)

        def _guarded(self, work: Callable[[int, str], None]) -> None:
            callback = parse_callback(self.path)
            if callback is None:
                self._reply(404, b"not a callback\n")
                return
            if not slots.acquire(blocking=False):
                self._reply(503, b"busy\n")
                return
            try:
                work(*callback)
            except Exception:
                LOGGER.exception("websub: %s %s failed", self.command, self.path[:200])
                self.close_connection = True
                self._reply(500, b"internal error\n")
            finally:
                slots.release()

        def do_GET(self) -> None:
            def verify(feed_id: int, token: str) -> None:
                query = dict(parse_qsl(urlsplit(self.path).query, max_num_fields=20))
                answer = answer_verification(engine, settings, feed_id, token, query)
                self._reply(answer.status, answer.body)

            self._guarded(verify)

        def do_POST(self) -> None:
            def push(feed_id: int, token: str) -> None:
                self.close_connection = True
                if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                    self._reply(411, b"Content-Length required\n")
                    return
                raw = (self.headers.get("Content-Length") or "").strip()
                if not raw.isdigit():
                    self._reply(411, b"Content-Length required\n")
                    return
                if int(raw) > limit:
                    self._reply(413, f"body over {limit} bytes\n".encode())
                    return
                try:
                    body = self.rfile.read(int(raw))
                except TimeoutError:
                    self._reply(408, b"body not received in time\n")
                    return
                if len(body) < int(raw):
                    self._reply(400, b"body shorter than Content-Length\n")
                    return
                result = receive_push(
                    engine, settings, feed_id, token, body=body, headers=dict(self.headers)
                )
                self._reply(result.status, f"{result.reason}\n".encode())
                if result.status == 200 and processing is not None:
                    processing.submit(result.new_article_ids)

            self._guarded(push)

        def _refuse(self) -> None:
            self.close_connection = True
            self._reply(405, b"method not allowed\n")

        do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815 - the stdlib's dispatch names

    return Handler


class Receiver:
    """A running receiver: ``address`` and ``close()``; ``serve_forever`` blocks."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        host: str,
        port: int,
        *,
        process: bool = True,
        processor: Processor | None = None,
        socket_timeout: float = SOCKET_TIMEOUT,
    ) -> None:
        self.processing = (
            ProcessingQueue(processor or (lambda ids: process_articles(engine, settings, ids)))
            if process
            else None
        )
        self.server = ThreadingHTTPServer(
            (host, port), make_handler(engine, settings, self.processing, socket_timeout)
        )
        self.server.daemon_threads = True

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.server.server_address[:2]
        return str(host), int(port)

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.5)

    def start(self) -> Receiver:
        """Serve on a background thread (tests, the bench)."""
        threading.Thread(target=self.serve_forever, name="websub-serve", daemon=True).start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.processing is not None:
            self.processing.close()
