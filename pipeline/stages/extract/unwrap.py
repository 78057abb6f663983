"""Soft paywalls: the whole article shipped in the markup, hidden inside a wall container.

Many news sites send every paragraph and let a script (or CSS) hide what follows the teaser:
the rest sits in a ``paywall`` / ``premium`` container with ``display:none``, ``aria-hidden``
or a "blurred" class, or only in the JSON-LD ``articleBody``. trafilatura drops hidden and
premium nodes in every mode, so plain extraction stores the teaser (or nothing). When the
extraction is short and such a container holds more text, the page is extracted again with
the hiding attributes of that container (and of its siblings and ancestors) taken away.

The longer text replaces trafilatura's only when it is *demonstrably* the same article, only
longer: it must keep at least :data:`TEASER_KEPT` of the teaser's words, and hold at least
:data:`GAIN_FACTOR` times as many words (and :data:`MIN_UNWRAPPED_WORDS`) once the lines that
carry wall phrases ("Subscribe to continue reading") are dropped. Otherwise trafilatura's text
stands, and the wall rules of :mod:`pipeline.stages.extract.walls` apply to it. The page is still
marked (``wall_marker``): what we store is what the site hides from readers.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Mapping
from copy import deepcopy
from typing import Any, Final

from trafilatura.utils import normalize_unicode

from pipeline.stages.extract.content import content_text
from pipeline.stages.extract.walls import BLOCK_TEXT, count_words

__all__ = [
    "GAIN_FACTOR",
    "MIN_UNWRAPPED_WORDS",
    "TEASER_KEPT",
    "TITLE_KEPT",
    "Unwrapped",
    "article_behind_wall",
    "unwrap_soft_wall",
]

GAIN_FACTOR: Final[float] = 2.0
MIN_UNWRAPPED_WORDS: Final[int] = 80
TEASER_KEPT: Final[float] = 0.8
# share of the title's content words (4+ letters) a wall container's text must hold to count as
# the rest of that article (and not a subscription offer)
TITLE_KEPT: Final[float] = 0.5
# a wall line is dropped from the unwrapped text only when it is short (a prompt, not a
# paragraph that happens to mention subscribers)
_WALL_LINE_MAX_WORDS: Final[int] = 30

# containers of the hidden remainder: wall kits' class/id tokens
_WALL_CONTAINERS: Final[str] = (
    "//*[re:test(@class, 'paywall|pay-wall|premium|metered|piano|subscriber-only|"
    "locked-content|article-locked|regwall|reg-wall', 'i')"
    " or re:test(@id, 'paywall|pay-wall|premium|metered|piano|regwall', 'i')]"
)
_REGEXP_NS: Final[dict[str, str]] = {"re": "http://exslt.org/regular-expressions"}
# attributes and class/id tokens by which pages (and trafilatura's discard rules) hide content
_HIDING_ATTRS: Final[tuple[str, ...]] = ("style", "aria-hidden", "hidden")
_HIDING_TOKENS = re.compile(
    r"hidden|hide|obfuscat|blur|premium|paid|paywall|lock|restrict|truncat|fade|gate|"
    r"metered|piano|subscri",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\w+", re.UNICODE)
_TAG = re.compile(r"<[^>]+>")


class Unwrapped:
    """The longer text of a soft-paywalled page, and where it came from."""

    __slots__ = ("source", "text", "words")

    def __init__(self, text: str, words: int, source: str) -> None:
        self.text = text
        self.words = words
        self.source = source  # 'markup' | 'json-ld'


def unwrap_soft_wall(
    tree: Any, url: str | None, options: Mapping[str, Any], teaser: str, *, walled: bool
) -> Unwrapped | None:
    """The full article hidden behind a soft paywall on *tree*, or None.

    *tree* is the intact parsed page (it is not modified), *teaser* what trafilatura extracted.
    Tried in order: the page re-extracted with the wall containers unhidden, then the JSON-LD
    ``articleBody`` (only on a page with wall containers, or *walled*: another wall sign was
    seen); the first that passes :func:`_extends` wins.
    """
    containers = tree.xpath(_WALL_CONTAINERS, namespaces=_REGEXP_NS)
    if containers:
        copy = deepcopy(tree)
        for node in copy.xpath(_WALL_CONTAINERS, namespaces=_REGEXP_NS):
            _unhide(node)
        text, _ = content_text(copy, url, options)
        found = _extends(_drop_wall_lines(text.strip()), teaser, "markup")
        if found is not None:
            return found
    body = _json_ld_body(tree) if containers or walled else None
    if body:
        return _extends(_drop_wall_lines(body), teaser, "json-ld")
    return None


def _unhide(node: Any) -> None:
    """Take away what hides *node*'s content: its and its descendants' class, id and hiding
    attributes; on its siblings' subtrees and its ancestors, only the hiding ones."""
    for elem in node.iter():
        for attr in ("class", "id", *_HIDING_ATTRS):
            elem.attrib.pop(attr, None)
    parent = node.getparent()
    around = [] if parent is None else [s for s in parent if s is not node]
    for sibling in around:
        for elem in sibling.iter():
            _drop_hiding(elem)
    for ancestor in node.iterancestors():
        _drop_hiding(ancestor)


def _drop_hiding(elem: Any) -> None:
    if not isinstance(elem.tag, str):
        return  # comments, processing instructions
    for attr in _HIDING_ATTRS:
        elem.attrib.pop(attr, None)
    for attr in ("class", "id"):
        value = elem.get(attr)
        if value and _HIDING_TOKENS.search(value):
            del elem.attrib[attr]


def _drop_wall_lines(text: str) -> str:
    lines = [
        line
        for line in text.splitlines()
        if not (BLOCK_TEXT.search(line) and count_words(line) <= _WALL_LINE_MAX_WORDS)
    ]
    return "\n".join(lines).strip()


def _extends(candidate: str, teaser: str, source: str) -> Unwrapped | None:
    """*candidate* if it is the teaser's article, only longer (see the module docstring)."""
    if not candidate:
        return None
    words = count_words(candidate)
    teaser = _drop_wall_lines(teaser)
    if words < MIN_UNWRAPPED_WORDS or words < GAIN_FACTOR * count_words(teaser):
        return None
    kept = Counter(t.lower() for t in _TOKEN.findall(teaser))
    have = Counter(t.lower() for t in _TOKEN.findall(candidate))
    total = sum(kept.values())
    if total and sum((kept & have).values()) < TEASER_KEPT * total:
        return None
    return Unwrapped(candidate, words, source)


def _json_ld_body(tree: Any) -> str | None:
    """The longest ``articleBody`` of the page's JSON-LD, as plain NFC text."""
    best = ""
    for script in tree.xpath("//script[@type = 'application/ld+json']/text()")[:10]:
        try:
            data = json.loads(str(script))
        except ValueError:
            continue
        for body in _article_bodies(data):
            if len(body) > len(best):
                best = body
    if not best:
        return None
    text = html.unescape(_TAG.sub("\n", best))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return normalize_unicode("\n".join(line for line in lines if line))


def _article_bodies(data: Any) -> list[str]:
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            body = item.get("articleBody")
            if isinstance(body, str):
                found.append(body)
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(item)
    return found


def article_behind_wall(tree: Any, title: str | None) -> bool:
    """Does a wall container on *tree* hold the rest of the article, even though it could not be
    unwrapped cleanly? Then the page is a soft paywall, not a stub, and the teaser trafilatura
    found is what we store (flagged) rather than a refusal.

    Its text (hidden or not, ``<noscript>``/``<template>`` included, scripts and styles not),
    wall prompt lines dropped, must have :data:`MIN_UNWRAPPED_WORDS` words and hold
    :data:`TITLE_KEPT` of the title's content words: a subscription offer does not.
    """
    wanted = {t.lower() for t in _TOKEN.findall(title or "") if len(t) >= 4}
    if not wanted:
        return False
    for node in tree.xpath(_WALL_CONTAINERS, namespaces=_REGEXP_NS)[:20]:
        parts = node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
        text = _drop_wall_lines("\n".join(str(p).strip() for p in parts if str(p).strip()))
        if count_words(text) < MIN_UNWRAPPED_WORDS:
            continue
        have = {t.lower() for t in _TOKEN.findall(text)}
        if len(wanted & have) >= TITLE_KEPT * len(wanted):
            return True
    return False
