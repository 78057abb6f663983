"""Text cleaning at the database boundary: what PostgreSQL (or a dashboard) cannot take.

PostgreSQL ``text`` refuses NUL outright and UTF-8 encoding refuses lone surrogates, so one
such character in a feed title used to abort the whole poll. Other C0/C1 control characters are
stored fine but are never meaningful in news metadata and break terminals and CSV exports, so
they go too. Tab, newline and carriage return are kept: article text has paragraphs.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MAX_KEY_BYTES", "clean_text", "clean_value", "fits_key"]

# B-tree index entries are limited to about a third of a page (2,704 bytes); URLs and keys are
# indexed, so anything longer is refused (URLs) or keyed by its hash (GUIDs) before it is written
MAX_KEY_BYTES = 2048

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """*value* without NUL, other control characters and lone surrogates (replaced by nothing,
    surrogates by U+FFFD so the damage stays visible)."""
    if not _CONTROL.search(value):
        return value
    return _CONTROL.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", value)


def clean_value(value: Any) -> Any:
    """:func:`clean_text` applied to a string, or to the strings inside a list or dict."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, tuple):
        return tuple(clean_value(v) for v in value)
    if isinstance(value, dict):
        return {k: clean_value(v) for k, v in value.items()}
    return value


def fits_key(value: str) -> bool:
    """Whether *value* is short enough to be an indexed key (see :data:`MAX_KEY_BYTES`)."""
    if len(value) <= MAX_KEY_BYTES // 4:
        return True
    return len(value.encode("utf-8", "replace")) <= MAX_KEY_BYTES
