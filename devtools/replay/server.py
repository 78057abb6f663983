"""The replay server: loopback HTTP for recorded feeds and pages, so demos and tests stay offline.

Why a server and not files: the pipeline's HTTP layer (politeness, robots.txt, conditional GET,
gzip, retries, failure classes) is part of what we test and demonstrate, so recorded material
must come back over real HTTP with real headers.

Corpus layout (documented in ``docs/demo.md``)::

    ROOT/<host>/<path>          the page or feed recorded from http(s)://<host>/<path>
    ROOT/<host>/robots.txt      that outlet's robots.txt
    ROOT/_responses.yaml        optional special responses (errors, redirects, slowness)

A request for ``/<host>/<path>`` is answered from ``ROOT/<host>/<path>``; the query string is
ignored for the lookup (a URL with tracking parameters serves the same file), a directory serves
its ``index.html``, and ``<path>`` without an extension also finds ``<path>.html`` so recorded
URLs keep their realistic extension-less shape. A flat folder of pages works too (``url_for``).

Every link to a host that has a folder under ROOT is rewritten, in feeds, sitemaps and
robots.txt (and in HTML when asked), to point at this server, so a pipeline run fed from it
never leaves loopback. ``/robots.txt`` at the server root merges the outlets' robots files with
their paths prefixed by ``/<host>``, because all outlets share this one origin.

Only loopback addresses may be bound: this is a test double, never a public web server.
"""

from __future__ import annotations

import email.utils
import hashlib
import ipaddress
import logging
import re
import threading
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import quote

from devtools.replay.content import (
    COMPRESSIBLE,
    FEED_TYPES,
    GZIP_MIN_BYTES,
    SNIFF_BYTES,
    Body,
    State,
    content_type,
    load_special_responses,
    normalise_relpath,
    sniff_xml_kind,
)
from devtools.replay.handler import ReplayHandler, ReplayHTTPServer, ReplayHTTPServer6

LOGGER = logging.getLogger(__name__)


class ReplayServer:
    """Serve a folder of recorded feeds and pages on loopback, rewriting links to itself.

    Use as a context manager (``with ReplayServer(root) as server: server.base_url``) or call
    :meth:`start` / :meth:`stop`. Requests are answered on threads, so parallel fetchers and
    benchmarks are served concurrently.

    With ``per_host_ports=True`` every recorded host also gets a port of its own (``port + 1``,
    ``port + 2``, … in host-name order when *port* is fixed; free ports when it is 0), and links
    to a host point at ``http://127.0.0.1:<its port>/<path>``. Each outlet is then a distinct
    origin — its own robots.txt, politeness slot and "host" for anything keyed by host — which is
    what a real crawl sees; the shared-origin layout stays available on ``base_url``.
    """

    def __init__(
        self,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rewrite_html: bool = False,
        per_host_ports: bool = False,
    ) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise FileNotFoundError(f"replay root is not a directory: {self.root}")
        if not _is_loopback(host):
            raise ValueError(f"replay serves loopback only; refusing to bind {host!r}")
        self.host = host
        self.port = port
        self.rewrite_html = rewrite_html
        self.per_host_ports = per_host_ports
        self.host_ports: dict[str, int] = {}
        self.specials = load_special_responses(self.root)
        self.hosts = sorted(
            p.name for p in self.root.iterdir() if p.is_dir() and _looks_like_host(p.name)
        )
        self._link_re = (
            re.compile(
                rb"https?://(" + b"|".join(re.escape(h.encode()) for h in self.hosts) + rb")"
                rb"(?::(?:80|443))?(?![\w.:-])"
            )
            if self.hosts
            else None
        )
        self._state = State()
        self._servers: list[tuple[ReplayHTTPServer, threading.Thread]] = []

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind (free ports when ``port=0``) and serve on daemon threads.

        Raises ``OSError`` when a fixed port is taken; nothing is left listening then.
        """
        if self._servers:
            return self
        fixed = self.port
        try:
            self.port = self._listen(fixed, prefix="")
            if self.per_host_ports:
                for index, name in enumerate(self.hosts):
                    wanted = fixed + 1 + index if fixed else 0
                    self.host_ports[name] = self._listen(wanted, prefix=name)
        except OSError:
            self.stop()
            self.port = fixed
            raise
        LOGGER.info(
            "replay server on %s serving %s (%d hosts%s)",
            self.base_url,
            self.root,
            len(self.hosts),
            ", one port each" if self.per_host_ports else "",
        )
        return self

    def _listen(self, port: int, *, prefix: str) -> int:
        server_cls = ReplayHTTPServer6 if ":" in self.host else ReplayHTTPServer
        httpd = server_cls((self.host, port), ReplayHandler)
        httpd.replay = self
        httpd.prefix = prefix
        bound = int(httpd.server_address[1])
        thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            daemon=True,
            name=f"replay-{bound}",
        )
        thread.start()
        self._servers.append((httpd, thread))
        return bound

    def stop(self) -> None:
        """Stop serving and release the ports; safe to call twice."""
        servers, self._servers = self._servers, []
        for httpd, _ in servers:
            httpd.shutdown()
            httpd.server_close()
        for _, thread in servers:
            thread.join(timeout=5)
        self.host_ports = {}

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- URLs ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash); valid once started."""
        return self._origin(self.port)

    def _origin(self, port: int) -> str:
        if not self._servers:
            raise RuntimeError("replay server not started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{port}"

    @property
    def allowed_hosts(self) -> str:
        """``NEWSWIRE_ALLOWED_HOSTS`` entries for this server's ports and nothing else.

        The SSRF guard refuses loopback by default; a pipeline fed from this server needs
        exactly these let through.
        """
        if not self._servers:
            raise RuntimeError("replay server not started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        ports = [self.port, *self.host_ports.values()]
        return ",".join(f"{host}:{port}" for port in dict.fromkeys(ports))

    def origin_for(self, recorded_host: str) -> str:
        """Where links to *recorded_host* point: its own origin, or ``base_url/<host>``."""
        port = self.host_ports.get(recorded_host)
        if port is not None:
            return self._origin(port)
        return f"{self.base_url}/{recorded_host}"

    def url_for(self, relpath: str) -> str:
        """The URL serving ``ROOT/relpath`` (query strings in *relpath* are kept)."""
        path, sep, query = relpath.lstrip("/").partition("?")
        first, _, rest = path.partition("/")
        if first in self.host_ports:
            return f"{self.origin_for(first)}/{quote(rest)}{sep}{query}"
        return f"{self.base_url}/{quote(path)}{sep}{query}"

    def replay_url(self, original_url: str) -> str:
        """Where this server answers for *original_url* (unchanged if its host isn't recorded)."""
        return self.rewrite(original_url.encode()).decode()

    def rewrite(self, data: bytes) -> bytes:
        """Point every link to a recorded host at this server instead."""
        if self._link_re is None:
            return data
        origins = {name.encode(): self.origin_for(name).encode() for name in self.hosts}
        return self._link_re.sub(lambda m: origins[m.group(1)], data)

    def feed_paths(self) -> list[str]:
        """Corpus-relative paths of every RSS/Atom/RDF feed, found by sniffing the files."""
        found = []
        for path in sorted(self.root.rglob("*")):
            rel = path.relative_to(self.root).as_posix()
            if not path.is_file() or rel.startswith("_") or "/_" in rel:
                continue
            with path.open("rb") as fh:
                head = fh.read(SNIFF_BYTES)
            if sniff_xml_kind(head) in FEED_TYPES:
                found.append(rel)
        return found

    def requests_for(self, relpath: str) -> int:
        """How many requests a path has had (corpus-relative); lets tests see retries happen."""
        with self._state.lock:
            return self._state.hits.get(normalise_relpath(relpath), 0)

    # -- serving ---------------------------------------------------------------------------

    def _resolve(self, relpath: str) -> Path | None:
        """The file answering *relpath*, or None. Symlinks inside the tree are followed."""
        if not relpath:
            candidate = self.root / "index.html"
            return candidate if candidate.is_file() else None
        if relpath.rsplit("/", maxsplit=1)[-1].startswith("_") or relpath.startswith("_"):
            return None  # control files like _responses.yaml are not content
        base = self.root / relpath
        for candidate in (base, base / "index.html", base.with_name(base.name + ".html")):
            if candidate.is_file():
                return candidate
        return None

    def _body_for(self, relpath: str, path: Path) -> Body:
        stat = path.stat()
        with self._state.lock:
            cached = self._state.cache.get(relpath)
        if cached and cached.mtime_ns == stat.st_mtime_ns and cached.size == stat.st_size:
            return cached
        data = path.read_bytes()
        ctype = content_type(path, data[:SNIFF_BYTES])
        if self._should_rewrite(ctype, path):
            data = self.rewrite(data)
        body = self._prepare(data, ctype, stat.st_mtime_ns, stat.st_size)
        with self._state.lock:
            self._state.cache[relpath] = body
        return body

    def _should_rewrite(self, ctype: str, path: Path) -> bool:
        if path.name == "robots.txt" or "xml" in ctype:
            return True
        return self.rewrite_html and ctype.startswith("text/html")

    @staticmethod
    def _prepare(data: bytes, ctype: str, mtime_ns: int, size: int) -> Body:
        mtime_s = mtime_ns // 1_000_000_000
        return Body(
            mtime_ns=mtime_ns,
            size=size,
            data=data,
            compressible=len(data) >= GZIP_MIN_BYTES and ctype.startswith(COMPRESSIBLE),
            etag='"' + hashlib.sha256(data).hexdigest()[:32] + '"',
            last_modified=email.utils.formatdate(mtime_s, usegmt=True),
            mtime_s=mtime_s,
            content_type=ctype,
        )

    def merged_robots(self) -> tuple[bytes, int] | None:
        """One robots.txt for the shared origin: each outlet's rules prefixed with ``/<host>``.

        Groups are merged by user agent so a parser picking "the group for my agent" sees every
        outlet's rules; Sitemap lines are rewritten to this server. Returns the text and the
        newest source file's mtime (for Last-Modified), or None when no outlet has a robots.txt.
        """
        groups: dict[str, list[str]] = {}
        sitemaps: list[str] = []
        found = False
        mtime_ns = 0
        for host in self.hosts:
            path = self.root / host / "robots.txt"
            if not path.is_file():
                continue
            found = True
            mtime_ns = max(mtime_ns, path.stat().st_mtime_ns)
            agents: list[str] = []
            in_rules = False
            for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
                line = raw.split("#", 1)[0].strip()
                key, sep, value = line.partition(":")
                if not sep:
                    continue
                key, value = key.strip().lower(), value.strip()
                if key == "user-agent":
                    if in_rules:
                        agents, in_rules = [], False
                    agents.append(value)
                    groups.setdefault(value, [])
                elif key in {"allow", "disallow"}:
                    in_rules = True
                    if value:
                        rule_path = value if value.startswith("/") else "/" + value
                        rule = f"{key.capitalize()}: /{host}{rule_path}"
                        for agent in agents:
                            groups[agent].append(rule)
                elif key == "crawl-delay":
                    in_rules = True
                    for agent in agents:
                        groups[agent].append(f"Crawl-delay: {value}")
                elif key == "sitemap":
                    sitemaps.append(self.replay_url(value))
        if not found:
            return None
        lines = ["# merged by newswire replay from the recorded outlets' robots.txt files"]
        for agent, rules in groups.items():
            lines.append(f"User-agent: {agent}")
            lines.extend(rules or ["Disallow:"])
            lines.append("")
        lines.extend(f"Sitemap: {url}" for url in sitemaps)
        return ("\n".join(lines) + "\n").encode(), mtime_ns

    def _count_hit(self, relpath: str) -> int:
        with self._state.lock:
            n = self._state.hits.get(relpath, 0) + 1
            self._state.hits[relpath] = n
            return n


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _looks_like_host(name: str) -> bool:
    return (
        "." in name
        and not name.startswith((".", "_"))
        and re.fullmatch(r"[A-Za-z0-9.-]+", name) is not None
    )
