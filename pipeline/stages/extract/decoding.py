"""Page bytes to text like a browser would: sniffing, gzip, BOM, declared and sniffed charsets.

Nothing here can raise on bad input: a body is either decoded (with replacement characters at
worst) or said not to be HTML, with the reason.
"""

from __future__ import annotations

import re
import zlib
from typing import Final

from trafilatura.utils import detect_encoding
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, read_bom

# Input cap: libxml2 and trafilatura's tree walks are roughly linear, but a multi-megabyte page is
# never a news article; we cut rather than refuse so a bloated page with inline data still yields
# its text. The fetch stage refuses bodies above ``max_page_bytes`` before they get here.
MAX_INPUT_BYTES: Final[int] = 3_000_000

_BINARY_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive (office document?)"),
    (b"\xd0\xcf\x11\xe0", "OLE document (legacy office)"),
    (b"RIFF", "RIFF media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00", "binary media"),
    (b"OggS", "Ogg media"),
    (b"\x1a\x45\xdf\xa3", "WebM/Matroska media"),
)
_GZIP_MAGIC: Final[bytes] = b"\x1f\x8b"
HTML_SNIFF = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|meta|title|p|div|article|main|section|h[1-6]|table)\b",
    re.IGNORECASE,
)


def decode_html(raw: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes the way a browser would, without ever failing.

    Order: BOM, HTTP charset, ``<meta>`` declaration, then sniffing. A declared UTF-8 that does
    not decode is common (CMS templates say UTF-8, the article body was pasted as Windows-1252):
    if most non-ASCII sequences are valid UTF-8 the page is *mixed* and we keep UTF-8 with
    replacement characters for the stray bytes; otherwise the declaration is wrong and we sniff.
    """
    bom_encoding, _ = read_bom(raw)
    declared = bom_encoding or _header_charset(content_type) or html_body_declared_encoding(raw)
    if declared is None or declared.replace("-", "").lower() in {"utf8", "utf"}:
        try:
            return "utf-8", raw.decode("utf-8")
        except UnicodeDecodeError:
            if _mostly_utf8(raw):
                return "utf-8", raw.decode("utf-8", errors="replace")
        guessed = _sniff_encoding(raw) or "cp1252"
        try:
            return guessed, raw.decode(guessed, errors="replace")
        except LookupError:
            return "cp1252", raw.decode("cp1252", errors="replace")
    return html_to_unicode(content_type, raw, "cp1252", _sniff_encoding)


def sniff_bytes(html: bytes) -> tuple[bytes, str | None]:
    """Return the (decompressed, capped) bytes and why they are not HTML, if they are not."""
    raw = html
    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = zlib.decompressobj(31).decompress(raw, MAX_INPUT_BYTES)
        except zlib.error as exc:
            return b"", f"corrupt gzip body: {exc}"
    raw = raw[:MAX_INPUT_BYTES]
    if not raw.strip():
        return raw, "empty body"
    head = raw.lstrip()[:16]
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            return raw, f"{what}, not HTML"
    sample = raw[:65536]
    if sample.count(b"\x00") > len(sample) // 100 and read_bom(sample)[0] is None:
        return raw, "binary content (NUL bytes), not HTML"
    if read_bom(sample)[0] in {"utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"}:
        return raw, None
    if not HTML_SNIFF.search(sample):
        return raw, "no HTML markup"
    return raw, None


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match[1].lower() if match else None


def _mostly_utf8(raw: bytes) -> bool:
    """True when valid multi-byte UTF-8 sequences outnumber the invalid bytes."""
    decoded = raw.decode("utf-8", errors="replace")
    invalid = decoded.count("\ufffd")
    valid_non_ascii = sum(1 for ch in decoded if ord(ch) > 127 and ch != "\ufffd")
    return valid_non_ascii > invalid


def _sniff_encoding(raw: bytes) -> str | None:
    guesses = detect_encoding(raw)
    return guesses[0] if guesses else None
