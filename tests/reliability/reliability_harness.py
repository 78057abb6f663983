"""Tools of the reliability suite: a PostgreSQL the tests own, hostile servers, CLI processes.

Everything listens on 127.0.0.1 only. The database is a pgserver instance in a temporary
directory that belongs to this test session, so tests may stop and restart it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from pipeline.db import normalise_url

ROOT = Path(__file__).resolve().parents[2]
Handler = Callable[[BaseHTTPRequestHandler], None]


# -- the PostgreSQL server the suite owns ------------------------------------------------------


class OwnPostgres:
    """A pgserver instance in a temp dir that tests may stop, start and restart."""

    def __init__(self) -> None:
        import pgserver

        self.pgdata = Path(tempfile.mkdtemp(prefix="newswire-reliability-pg-"))
        self.server = pgserver.get_server(self.pgdata, cleanup_mode="delete")
        self.admin_url = normalise_url(str(self.server.get_uri()))

    def stop(self) -> None:
        import pgserver

        pgserver.pg_ctl(
            ["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.server.system_user
        )

    def start(self) -> None:
        self.server.ensure_postgres_running()

    def fresh_database(self, migrate: bool = False) -> str:
        """A new, empty database (migrated only when asked); its URL."""
        name = f"rel_{uuid.uuid4().hex[:10]}"
        admin = create_engine(self.admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
        if migrate:
            from pipeline.db import upgrade

            upgrade(url)
        return url

    def close(self) -> None:
        self.server.cleanup()


def engine_for(url: str) -> Engine:
    return create_engine(url, poolclass=NullPool)


def scalar(url: str, sql: str, **params: Any) -> Any:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def rows(url: str, sql: str, **params: Any) -> list[Any]:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())
    finally:
        engine.dispose()


# -- hostile (and ordinary) HTTP servers -------------------------------------------------------


@dataclass
class Server:
    """A loopback HTTP server answering from a route table; counts every request it receives."""

    routes: dict[str, Handler] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    port: int = 0
    _httpd: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.base + path

    def start(self) -> Server:
        routes, hits = self.routes, self.hits

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                hits.append(self.path)
                handler = routes.get(self.path.split("?")[0])
                if handler is None:
                    send(self, 404, b"not here", "text/plain")
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    handler(self)

            def log_message(self, *args: Any) -> None:
                pass

        class _S(ThreadingHTTPServer):
            daemon_threads = True

        self._httpd = _S(("127.0.0.1", self.port), _H)
        self.port = int(self._httpd.server_address[1])
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def static(body: bytes, ctype: str = "application/rss+xml", delay: float = 0.0) -> Handler:
    def handler(h: BaseHTTPRequestHandler) -> None:
        if delay:
            time.sleep(delay)
        send(h, 200, body, ctype)

    return handler


def redirect(location: str) -> Handler:
    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return handler


def trickle(interval: float, limit: float = 120.0) -> Handler:
    """Headers at once, then one byte every *interval* seconds (for at most *limit* seconds)."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        stop = time.monotonic() + limit
        payload = b"<rss version='2.0'><channel>" + b" " * 100000
        for byte in payload:
            if time.monotonic() > stop:
                return
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(interval)

    return handler


class Canary:
    """A loopback listener that must never be connected to: it counts accepted connections."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


# -- feeds and pages of our own ----------------------------------------------------------------


def rss(items: list[dict[str, str]], title: str = "Hostile feed") -> bytes:
    """An RSS 2.0 document; item values are inserted raw (tests put hostile bytes in them)."""
    parts = [f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}"]
    parts.append("</title><link>http://example.invalid/</link><description>d</description>")
    for item in items:
        parts.append("<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item.items()) + "</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


PARAGRAPH = (
    "The harbour authority of the fictional city of Westmere said on Tuesday that the new "
    "container terminal would open next spring after two years of delays caused by storms. "
)


def article_html(title: str, n: int = 6) -> bytes:
    body = "".join(f"<p>{PARAGRAPH} Paragraph {i} of {title}.</p>" for i in range(n))
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f"<meta name='date' content='2026-11-20'></head><body><article><h1>{title}</h1>"
        f"{body}</article></body></html>"
    ).encode()


def write_feeds(path: Path, feeds: dict[str, str]) -> Path:
    path.write_text(
        yaml.safe_dump([{"name": n, "url": u, "outlet": "rel"} for n, u in feeds.items()]),
        encoding="utf-8",
    )
    return path


# -- CLI processes ------------------------------------------------------------------------------


def cli_env(database_url: str | None, tmp: Path, **settings: Any) -> dict[str, str]:
    """The environment of a `newswire` process: our database, quick politeness, loopback only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env.update(
        {
            "NEWSWIRE_DATA_DIR": str(tmp / "var"),
            "NEWSWIRE_LOG_FORMAT": "json",
            "NEWSWIRE_WORKERS": "2",
            "NEWSWIRE_PER_HOST_DELAY": "0",
            "NEWSWIRE_RETRIES": "0",
            "NEWSWIRE_RESPECT_ROBOTS": "false",
            "NEWSWIRE_ALLOWED_HOSTS": "",
            "COLUMNS": "200",
        }
    )
    if database_url:
        env["NEWSWIRE_DATABASE_URL"] = database_url
    env.update({f"NEWSWIRE_{k.upper()}": str(v) for k, v in settings.items()})
    return env


def newswire(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        newswire(*args),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def spawn_cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        newswire(*args),
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(check: Callable[..., bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@contextlib.contextmanager
def serving(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


def execute(url: str, sql: str, **params: Any) -> int:
    """Run one statement in its own committed transaction; the row count."""
    engine = engine_for(url)
    try:
        with engine.begin() as conn:
            return int(conn.execute(text(sql), params).rowcount or 0)
    finally:
        engine.dispose()
