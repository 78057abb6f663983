"""A loopback HTTP server for recorded feeds and pages, so demos, tests and benchmarks stay offline.

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
import gzip
import hashlib
import ipaddress
import logging
import mimetypes
import posixpath
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, quote, unquote, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

LOGGER = logging.getLogger(__name__)

RESPONSES_FILE = "_responses.yaml"
_SNIFF_BYTES = 2048
_GZIP_MIN_BYTES = 256
_MAX_DELAY = 120.0

FEED_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "rdf": "application/rdf+xml",
}
_COMPRESSIBLE = (
    "text/",
    "application/xml",
    "application/json",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xhtml+xml",
)
_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF|urlset|sitemapindex)\b")
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w-]+)", re.I)


class ReplayConfigError(ValueError):
    """The corpus' ``_responses.yaml`` is malformed; the message names the file and entry."""


class SpecialResponse(BaseModel):
    """One declared non-ordinary answer, keyed by corpus-relative path in ``_responses.yaml``.

    Lets a corpus show failure handling (5xx, redirect loops, slow hosts, 429 with Retry-After)
    without a hand-written server per test.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: int | None = Field(default=None, ge=100, le=599, description="HTTP status to send.")
    body: str | None = Field(default=None, description="Body to send instead of the file.")
    content_type: str | None = Field(default=None, description="Content-Type override.")
    headers: dict[str, str] = Field(default_factory=dict, description="Extra response headers.")
    redirect: str | None = Field(
        default=None,
        description="Location: a corpus-relative path or an absolute URL (rewritten when it "
        "points at a recorded host). Status defaults to 302.",
    )
    redirect_loop: bool = Field(default=False, description="Redirect to itself, forever.")
    delay: float = Field(default=0.0, ge=0, le=_MAX_DELAY, description="Seconds to wait first.")
    times: int | None = Field(
        default=None, ge=1, description="Apply to the first N requests only (a flaky path)."
    )


@dataclass(eq=False)
class _Body:
    """A prepared (rewritten, hashed) answer for one file; gzipped on first demand."""

    mtime_ns: int
    size: int
    data: bytes
    compressible: bool
    etag: str
    last_modified: str
    mtime_s: int
    content_type: str
    _gz: bytes | None = field(default=None, repr=False)

    def gzipped(self) -> bytes:
        """The gzip encoding, computed once; two threads racing here compute the same bytes."""
        if self._gz is None:
            self._gz = gzip.compress(self.data, compresslevel=6, mtime=0)
        return self._gz


@dataclass
class _State:
    cache: dict[str, _Body] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def load_special_responses(root: Path) -> dict[str, SpecialResponse]:
    """Read ``ROOT/_responses.yaml`` (absent: no special responses), failing with the entry name."""
    path = root / RESPONSES_FILE
    if not path.is_file():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ReplayConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ReplayConfigError(f"{path}: expected a mapping of path -> response")
    specials: dict[str, SpecialResponse] = {}
    for key, value in raw.items():
        try:
            spec = SpecialResponse.model_validate(value or {})
        except ValidationError as exc:
            raise ReplayConfigError(f"{path}: entry {key!r}: {exc}") from None
        specials[_normalise_relpath(str(key))] = spec
    return specials


def _normalise_relpath(relpath: str) -> str:
    """A corpus-relative POSIX path without leading slash, refusing to climb out of the root."""
    cleaned = posixpath.normpath("/" + relpath.split("?", 1)[0].split("#", 1)[0]).lstrip("/")
    if cleaned in {"", "."}:
        return ""
    if any(part == ".." for part in cleaned.split("/")):
        raise ValueError(f"path escapes the corpus root: {relpath!r}")
    return cleaned


def sniff_xml_kind(head: bytes) -> str | None:
    """'rss' / 'atom' / 'rdf' for feeds, 'sitemap' for sitemaps, None for anything else."""
    match = _XML_ROOT.search(head[:_SNIFF_BYTES])
    if not match:
        return None
    tag = match.group(1).decode()
    return {"rss": "rss", "feed": "atom", "RDF": "rdf"}.get(tag, "sitemap")


def _content_type(path: Path, head: bytes) -> str:
    """Decide the Content-Type from the bytes first (recorded files keep odd extensions)."""
    if head.startswith(b"%PDF"):
        return "application/pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if (
        stripped.startswith(b"<?xml")
        or stripped.startswith(b"<rss")
        or stripped.startswith(b"<feed")
    ):
        kind = sniff_xml_kind(head)
        return FEED_TYPES.get(kind or "", "application/xml")
    if _HTML_START.match(stripped) or path.suffix.lower() in {".html", ".htm"}:
        charset = _META_CHARSET.search(head)
        return "text/html" + (f"; charset={charset.group(1).decode()}" if charset else "")
    guessed, _ = mimetypes.guess_type(path.name)
    if guessed == "text/plain" or path.name == "robots.txt":
        return "text/plain; charset=utf-8"
    return guessed or "application/octet-stream"


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
        self._state = _State()
        self._servers: list[tuple[_Server, threading.Thread]] = []

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
        server_cls = _Server6 if ":" in self.host else _Server
        httpd = server_cls((self.host, port), _Handler)
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
                head = fh.read(_SNIFF_BYTES)
            if sniff_xml_kind(head) in FEED_TYPES:
                found.append(rel)
        return found

    def requests_for(self, relpath: str) -> int:
        """How many requests a path has had (corpus-relative); lets tests see retries happen."""
        with self._state.lock:
            return self._state.hits.get(_normalise_relpath(relpath), 0)

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

    def _body_for(self, relpath: str, path: Path) -> _Body:
        stat = path.stat()
        with self._state.lock:
            cached = self._state.cache.get(relpath)
        if cached and cached.mtime_ns == stat.st_mtime_ns and cached.size == stat.st_size:
            return cached
        data = path.read_bytes()
        ctype = _content_type(path, data[:_SNIFF_BYTES])
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
    def _prepare(data: bytes, ctype: str, mtime_ns: int, size: int) -> _Body:
        mtime_s = mtime_ns // 1_000_000_000
        return _Body(
            mtime_ns=mtime_ns,
            size=size,
            data=data,
            compressible=len(data) >= _GZIP_MIN_BYTES and ctype.startswith(_COMPRESSIBLE),
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # benchmarks open many connections at once
    replay: ReplayServer
    prefix: str = ""  # the recorded host this listener stands for ("" = all, path-prefixed)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up mid-answer (timeouts in tests) are normal here, not tracebacks.
        LOGGER.debug("replay: connection from %s ended abruptly", client_address, exc_info=True)


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newswire-replay/1"
    timeout = 30  # idle keep-alive connections release their thread
    # headers and body go out as separate writes; without TCP_NODELAY, Nagle plus delayed ACKs
    # add ~40 ms to every keep-alive response
    disable_nagle_algorithm = True
    server: _Server

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
            relpath = _normalise_relpath(unquote(split.path))
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

    def _send_not_modified(self, body: _Body) -> None:
        self.send_response(HTTPStatus.NOT_MODIFIED)
        self.send_header("ETag", body.etag)
        self.send_header("Last-Modified", body.last_modified)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_modified(self, body: _Body) -> bool:
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
        body: _Body,
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


__all__ = [
    "RESPONSES_FILE",
    "ReplayConfigError",
    "ReplayServer",
    "SpecialResponse",
    "load_special_responses",
    "sniff_xml_kind",
]
