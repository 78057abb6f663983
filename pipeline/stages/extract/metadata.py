"""Page metadata as trafilatura's ``extract_metadata`` reads it, minus what we do not store,
and the language the page declares.

Read from our one parse of the page; the tree is not modified. Private trafilatura functions are
used (pinned in ``pyproject.toml``, checked by ``tests/unit/test_extract_trafilatura_api.py``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Final

import trafilatura.settings
from courlan import extract_domain
from htmldate import find_date
from lxml.etree import XPath
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS, REGEXP_NS

__all__ = ["page_language", "page_metadata"]

LOGGER = logging.getLogger(__name__)

_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_LANG_SCAN_CHARS = 200_000
_HTML_LANG = re.compile(r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"([\w:-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_IN_LANGUAGE = re.compile(r'"inLanguage"\s*:\s*"([A-Za-z_-]{2,12})"')

# trafilatura's author discard XPaths, as tests on one node (see _page_author): the first is
# ``.//*[tests]``, the second ``//time|//figure``; another shape (a new trafilatura) turns the
# shortcut off
_DISCARD_PATHS = [x.path.strip() for x in AUTHOR_DISCARD_XPATHS]
_FAST_AUTHOR: Final[bool] = (
    len(_DISCARD_PATHS) == 2
    and _DISCARD_PATHS[0].startswith(".//*[")
    and _DISCARD_PATHS[1] == "//time|//figure"
)
_AUTHOR_DISCARD_SELF = XPath(
    "self::*" + _DISCARD_PATHS[0].removeprefix(".//*") if _FAST_AUTHOR else "self::nothing",
    namespaces={"re": REGEXP_NS},
)
_AUTHOR_DISCARD_BELOW = XPath(
    f"({_DISCARD_PATHS[0]})[1] | (.//time | .//figure)[1]" if _FAST_AUTHOR else "self::nothing",
    namespaces={"re": REGEXP_NS},
)
_AUTHOR_DISCARD_TAGS = frozenset({"time", "figure"})


def page_metadata(
    tree: Any, default_url: str | None, date_config: Mapping[str, Any]
) -> trafilatura.settings.Document:
    """trafilatura's ``extract_metadata`` without the fields we do not store.

    The same steps in the same order (meta tags, JSON-LD, title, author, URL, htmldate,
    sitename), so title, author, date, sitename and description are what
    ``bare_extraction(with_metadata=True)`` gives; categories, tags and the licence (a tenth of
    the CPU of a page, spent on XPath walks over every link) are skipped. The tree is not
    modified (the author and date searches work on copies).
    """
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as err:  # as trafilatura: bugs in its JSON-LD reader
        LOGGER.warning("error in JSON metadata extraction: %s", err)
    if not meta.title:
        meta.title = extract_title(tree)
    if not meta.author:
        meta.author = _page_author(tree)
    if not meta.url:
        meta.url = extract_url(tree, default_url)
    if meta.url:
        meta.hostname = extract_domain(meta.url, fast=True)
    meta.date = find_date(tree, **{**date_config, "url": meta.url})
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url:
        match = META_URL.match(meta.url)
        if match:
            meta.sitename = match[1]
    meta.filedate = date_config.get("max_date")
    meta.clean_and_trim()
    return meta


def _page_author(tree: Any) -> str | None:
    """What trafilatura's ``extract_author`` returns, without copying and pruning the tree.

    ``extract_author`` deep-copies the page, deletes every node matching its discard XPaths
    (comments, sidebars, ``<time>``, ``<figure>``…) from the copy, then takes the first author
    candidate of its XPaths with a plausible text. Here the candidates are found on the page
    itself and only they are checked: one inside a discarded node is skipped (it would be gone);
    one with a discarded node inside it, whose text the deletion would change, sends us back to
    ``extract_author``, as does a ``<rel>`` element (an author XPath tests a child's text).
    Same answer, a third of the CPU: the discard XPaths no longer walk the whole page.
    """
    if not _FAST_AUTHOR or tree.find(".//rel") is not None:
        return extract_author(tree)
    for expression in AUTHOR_XPATHS:
        for elem in expression(tree):
            if _author_discarded(elem):
                continue
            if _AUTHOR_DISCARD_BELOW(elem):
                return extract_author(tree)
            content = trim(" ".join(elem.itertext()))
            if content and 2 < len(content) < 120:
                author: str | None = normalize_authors(None, content)
                return author
    return None


def _author_discarded(elem: Any) -> bool:
    """True when ``elem`` or an ancestor matches the discard XPaths (the root never does for
    the first one, a ``.//*`` below it)."""
    node = elem
    while node is not None:
        parent = node.getparent()
        if node.tag in _AUTHOR_DISCARD_TAGS or (parent is not None and _AUTHOR_DISCARD_SELF(node)):
            return True
        node = parent
    return False


def page_language(html: str) -> str | None:
    """The language the page declares (``<html lang>``, Content-Language, og:locale, JSON-LD).

    Read with regexes from the head of the markup so the page is parsed once, by trafilatura.
    """
    head = html[:_LANG_SCAN_CHARS]
    candidates: list[str] = []
    match = _HTML_LANG.search(head)
    if match:
        candidates.append(match[1])
    for tag in _META_TAG.findall(head):
        attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR.findall(tag)}
        key = (attrs.get("http-equiv") or attrs.get("property") or attrs.get("name") or "").lower()
        if key in {"content-language", "og:locale", "language", "lang"} and attrs.get("content"):
            candidates.append(attrs["content"])
    for candidate in candidates:
        value = candidate.strip().split(",")[0].strip()
        if _LANG.match(value):
            return value.replace("_", "-").lower()
    match = _IN_LANGUAGE.search(head)
    if match and _LANG.match(match[1]):
        return match[1].replace("_", "-").lower()
    return None
