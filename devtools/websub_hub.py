"""A WebSub hub on loopback, for the integration tests and the freshness bench.

Dev tooling only (the runtime never imports it). It does what a real hub does to a subscriber,
per the W3C Recommendation: answers a subscription request with 202 and then, from another
thread, verifies intent by GETting the callback with a random ``hub.challenge`` (the
subscription counts only if the callback echoes it); :meth:`LoopbackHub.publish` POSTs a
topic's new content to every verified subscriber with ``X-Hub-Signature: sha256=…`` (HMAC of
the body with that subscriber's secret) and the ``Link`` headers. It talks to 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx


@dataclass
class HubSubscription:
    """One verified subscription."""

    callback: str
    topic: str
    secret: str | None
    lease_seconds: int
    expires_at: float


@dataclass
class LoopbackHub:
    """Start with :meth:`start`; ``url`` is the hub URL feeds announce."""

    host: str = "127.0.0.1"
    refuse: bool = False
    """Answer subscription requests with 500 (a broken hub)."""
    grant_lease: int | None = None
    """Lease granted regardless of the one asked for (None: as asked)."""
    subscriptions: dict[tuple[str, str], HubSubscription] = field(default_factory=dict)
    requests: int = 0
    """Subscription requests received."""
    verifications: list[tuple[str, int]] = field(default_factory=list)
    """(callback, HTTP status) of every verification sent."""
    pushes: list[tuple[str, int]] = field(default_factory=list)
    """(callback, HTTP status) of every content distribution sent."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _client: httpx.Client | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://{self.host}:{self._server.server_address[1]}/hub"

    def start(self) -> LoopbackHub:
        self._client = httpx.Client(timeout=10.0, trust_env=False)
        self._server = ThreadingHTTPServer((self.host, 0), _handler(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._client is not None:
            self._client.close()

    def _check(self, url: str) -> None:
        if urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError(f"the loopback hub talks to loopback only, not {url}")

    def verify(self, callback: str, query: dict[str, str]) -> httpx.Response:
        """GET *callback* with *query* (also used by tests to forge verifications)."""
        self._check(callback)
        assert self._client is not None
        sep = "&" if urlsplit(callback).query else "?"
        response = self._client.get(callback + sep + urlencode(query))
        with self.lock:
            self.verifications.append((callback, response.status_code))
        return response

    def _subscribe(self, form: dict[str, str]) -> None:
        callback, topic = form.get("hub.callback", ""), form.get("hub.topic", "")
        lease = self.grant_lease or int(form.get("hub.lease_seconds") or 86400)
        challenge = secrets.token_urlsafe(16)
        query = {
            "hub.mode": form.get("hub.mode", ""),
            "hub.topic": topic,
            "hub.challenge": challenge,
            "hub.lease_seconds": str(lease),
        }
        try:
            response = self.verify(callback, query)
        except (httpx.HTTPError, ValueError):
            return
        if response.status_code == 200 and response.text == challenge:
            with self.lock:
                self.subscriptions[(callback, topic)] = HubSubscription(
                    callback, topic, form.get("hub.secret"), lease, time.time() + lease
                )

    def subscribers(self, topic: str) -> list[HubSubscription]:
        now = time.time()
        with self.lock:
            subs = self.subscriptions.values()
            return [s for s in subs if s.topic == topic and s.expires_at > now]

    def publish(
        self, topic: str, body: bytes, content_type: str = "application/rss+xml"
    ) -> list[int]:
        """Distribute *body* to the topic's subscribers; their HTTP statuses."""
        assert self._client is not None
        statuses = []
        for sub in self.subscribers(topic):
            statuses.append(self.deliver(sub.callback, topic, body, sub.secret, content_type))
        return statuses

    def deliver(
        self,
        callback: str,
        topic: str,
        body: bytes,
        secret: str | None,
        content_type: str = "application/rss+xml",
    ) -> int:
        """POST one distribution (tests use it to send forged or replayed ones)."""
        self._check(callback)
        assert self._client is not None
        headers = {
            "Content-Type": content_type,
            "Link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"',
        }
        if secret is not None:
            digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Hub-Signature"] = f"sha256={digest}"
        try:
            status = self._client.post(callback, content=body, headers=headers).status_code
        except httpx.HTTPError:
            status = 0
        with self.lock:
            self.pushes.append((callback, status))
        return status


def _handler(hub: LoopbackHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10

        def log_message(self, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(min(length, 65536)).decode()))
            with hub.lock:
                hub.requests += 1
            if hub.refuse or urlsplit(self.path).path != "/hub":
                self._reply(500 if hub.refuse else 404)
                return
            if form.get("hub.mode") not in {"subscribe", "unsubscribe"} or not form.get(
                "hub.callback"
            ):
                self._reply(400)
                return
            self._reply(202)
            # verification of intent happens after the answer, as the spec's hubs do
            threading.Thread(target=hub._subscribe, args=(form,), daemon=True).start()

        def _reply(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler
