"""Content sniffing shared by the HTTP layer and the pure feed parser (no I/O here).

A feed URL that answers with a web page (a paywall, a login, a moved site) must be told apart
from a malformed feed both where the body arrives and where it is parsed.
"""

from __future__ import annotations

__all__ = ["is_html_body"]


def is_html_body(body: bytes) -> bool:
    """Sniff whether *body* looks like an HTML document (for a missing or vague Content-Type)."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        b"<html" in head or b"<head" in head or b"<body" in head
    )
