"""What the replay server serves: recorded files prepared (links rewritten, hashed, typed) and
the special responses of ``_responses.yaml`` (errors, redirects, slowness)."""

from __future__ import annotations

import gzip
import logging
import mimetypes
import posixpath
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

LOGGER = logging.getLogger(__name__)

RESPONSES_FILE = "_responses.yaml"
SNIFF_BYTES = 2048
GZIP_MIN_BYTES = 256
MAX_DELAY = 120.0

FEED_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "rdf": "application/rdf+xml",
}
COMPRESSIBLE = (
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
    delay: float = Field(default=0.0, ge=0, le=MAX_DELAY, description="Seconds to wait first.")
    times: int | None = Field(
        default=None, ge=1, description="Apply to the first N requests only (a flaky path)."
    )


@dataclass(eq=False)
class Body:
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
class State:
    cache: dict[str, Body] = field(default_factory=dict)
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
        specials[normalise_relpath(str(key))] = spec
    return specials


def normalise_relpath(relpath: str) -> str:
    """A corpus-relative POSIX path without leading slash, refusing to climb out of the root."""
    cleaned = posixpath.normpath("/" + relpath.split("?", 1)[0].split("#", 1)[0]).lstrip("/")
    if cleaned in {"", "."}:
        return ""
    if any(part == ".." for part in cleaned.split("/")):
        raise ValueError(f"path escapes the corpus root: {relpath!r}")
    return cleaned


def sniff_xml_kind(head: bytes) -> str | None:
    """'rss' / 'atom' / 'rdf' for feeds, 'sitemap' for sitemaps, None for anything else."""
    match = _XML_ROOT.search(head[:SNIFF_BYTES])
    if not match:
        return None
    tag = match.group(1).decode()
    return {"rss": "rss", "feed": "atom", "RDF": "rdf"}.get(tag, "sitemap")


def content_type(path: Path, head: bytes) -> str:
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
