"""`newswire db serve`: keep the embedded PostgreSQL up for dashboards, optionally on loopback TCP.

The embedded server (pgserver) listens on a Unix socket only and stops when its last user exits,
so a dashboard could never reach it between pipeline runs. Serving holds one reference to it
for as long as this process lives; other commands join and leave without stopping it. Dashboard
tools that speak only TCP get a byte-for-byte relay from 127.0.0.1:PORT to the socket: the
server still sees a local connection, and nothing listens on any other address.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

LOGGER = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"
_CHUNK = 1 << 16


@dataclass(frozen=True)
class SocketAddress:
    """Where the embedded server's Unix socket is, read from its URL."""

    directory: Path
    port: int

    @property
    def path(self) -> Path:
        """The socket file PostgreSQL creates in its socket directory."""
        return self.directory / f".s.PGSQL.{self.port}"


def socket_address(url: str) -> SocketAddress:
    """The Unix socket of a ``…?host=/dir`` URL (the form pgserver hands out)."""
    parsed = make_url(url)
    host = parsed.query.get("host")
    if isinstance(host, tuple):
        host = host[0]
    if not host or not str(host).startswith("/"):
        raise ValueError("not a Unix-socket database URL")
    return SocketAddress(Path(str(host)), parsed.port or 5432)


def tcp_url(
    url: str, port: int, *, username: str | None = None, password: str | None = None
) -> str:
    """*url* rewritten to reach the relay on 127.0.0.1:*port* (libpq form, for any client)."""
    parsed = make_url(url)
    query = {k: v for k, v in parsed.query.items() if k != "host"}
    parsed = parsed.set(drivername="postgresql", host=LOOPBACK, port=port, query=query)
    if username is not None:
        parsed = parsed.set(username=username, password=password)
    return parsed.render_as_string(hide_password=False)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(_CHUNK):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


class TcpRelay:
    """Relays 127.0.0.1:*port* to a Unix socket on a background thread; stop() ends it."""

    def __init__(self, target: Path, port: int) -> None:
        self.target = target
        self.port = port
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._stop: asyncio.Event | None = None
        self._clients: set[asyncio.Task[None]] = set()
        self._thread = threading.Thread(target=self._run, name="db-serve-relay", daemon=True)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._clients.add(task)
            task.add_done_callback(self._clients.discard)
        try:
            up_reader, up_writer = await asyncio.open_unix_connection(str(self.target))
        except OSError as exc:
            LOGGER.warning("relay: cannot reach %s: %s", self.target, exc)
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        try:
            server = await asyncio.start_server(
                self._handle, LOOPBACK, self.port, family=socket.AF_INET, reuse_address=True
            )
        except OSError as exc:
            self._error = exc
            self._ready.set()
            return
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()
        # close the connections still open (a dashboard's pool) instead of abandoning them
        for task in list(self._clients):
            task.cancel()
        await asyncio.gather(*self._clients, return_exceptions=True)

    def _run(self) -> None:
        self._loop.run_until_complete(self._main())
        self._loop.close()

    def start(self) -> int:
        """Start listening; returns the port (useful with port 0). Raises if it is taken."""
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self.port

    def stop(self) -> None:
        """Stop accepting and close the listener."""
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)


@contextlib.contextmanager
def relay(target: Path, port: int) -> Iterator[TcpRelay]:
    """A running :class:`TcpRelay`, stopped on exit."""
    tcp = TcpRelay(target, port)
    tcp.start()
    try:
        yield tcp
    finally:
        tcp.stop()


def wait_for_signal() -> None:
    """Block until Ctrl-C or SIGTERM (both end the process cleanly, running atexit handlers)."""
    stop = threading.Event()

    def _handler(signum: int, _frame: object) -> None:
        LOGGER.info("signal %s: stopping", signum)
        stop.set()

    previous = {sig: signal.signal(sig, _handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
