"""Text preparation for deduplication: what of an article is the *story*, and what is packaging.

Syndicated copies of one wire story differ mostly in packaging: the outlet's header and footer,
a dateline, an "Updated …" line, a photo caption, "Related:" links, a correction note, quote and
dash styles. Everything here removes that packaging so the remaining tokens compare the story
itself. All functions are pure (no I/O) so they can be tested and tuned on their own; the
per-host learned boilerplate (lines an outlet repeats under every article) is looked up by
:mod:`pipeline.stages.dedup.store` and passed in as a set of line hashes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "PreparedText",
    "content_lines",
    "line_hash",
    "line_hashes",
    "prepare_text",
    "tokenize",
    "wire_attribution",
]

# Wire agencies as they appear in datelines and bylines, and the canonical name we store.
_WIRES: dict[str, str] = {
    "ap": "AP",
    "associated press": "AP",
    "reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "upi": "UPI",
    "dpa": "dpa",
    "xinhua": "Xinhua",
    "bloomberg": "Bloomberg",
    "ansa": "ANSA",
    "efe": "EFE",
    "kyodo": "Kyodo",
    "pti": "PTI",
    "yonhap": "Yonhap",
}
_WIRE_ALT = "|".join(sorted((re.escape(k) for k in _WIRES), key=len, reverse=True))
# "WASHINGTON (AP) —", "LONDON, March 3 (Reuters) -", "PARIS (AFP) –"
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z .,'’-]{1,60}?\s*\((?P<wire>[A-Za-z .-]{2,30})\)\s*[-—–:]+\s*",
)
_WIRE_IN_PARENS = re.compile(rf"\((?P<wire>{_WIRE_ALT})\)\s*[-—–]", re.IGNORECASE)
_WIRE_BYLINE = re.compile(
    r"(?:^|\n)\s*(?:by\s+[^\n]{0,80}?)?"
    r"\b(?P<wire>associated press|reuters|agence france[- ]presse)\b",
    re.IGNORECASE,
)
_WIRE_SIGNOFF = re.compile(rf"[-—–(]\s*(?P<wire>{_WIRE_ALT})\s*\)?\s*$", re.IGNORECASE)

# Packaging lines recognised by their wording; only short lines are judged this way, so a body
# paragraph that happens to mention a newsletter is never dropped.
_PACKAGING = re.compile(
    r"^\s*(?:"
    r"updated\b|correction\b|clarification\b|editor'?s note\b|related\b|read more\b|"
    r"read the full story\b|file\s*[-—–]|advertisement\b|sponsored\b|skip to\b|"
    r"listen to this article|share this\b|sign up\b|subscribe\b|follow us\b|follow\s.+\bon\b|"
    r"copyright\b|©|all rights reserved|published\b|breaking news\s*$|by [a-z .]+staff\s*$"
    r")",
    re.IGNORECASE,
)
_PACKAGING_ANYWHERE = re.compile(
    r"all rights reserved|we use cookies|cookie policy|privacy policy|terms of service|"
    r"newsletter|subscribers? only|already a subscriber|log in to continue|comments are closed|"
    r"breaking news alerts|community guidelines|news tip",
    re.IGNORECASE,
)
_PACKAGING_MAX_WORDS = 60
# Pages that hold an access wall instead of the article; near-duplicate matching skips them.
# Wording that only a wall uses ("log in to continue") marks a page with a short story part
# (< WALL_MAX_WORDS) as a wall. Wording that outlets also print under every real article (a
# cookie banner, a "Subscribe now" promotion) marks it only when the page is too short to be
# matched at all (< WEAK_WALL_MAX_WORDS, the near-duplicate minimum): a consent interstitial
# is the banner and little else, while agency briefs of 25-120 words carry those footers too,
# and calling them walls took them out of near-duplicate matching altogether.
_PAYWALL = re.compile(
    r"subscribers? only|already a subscriber|log in to continue|subscribe to continue|"
    r"enable javascript|to continue reading|create a free account|"
    r"this content is (?:not )?available",
    re.IGNORECASE,
)
_WEAK_WALL = re.compile(
    r"subscribe now|we use cookies|accept (?:all )?cookies|consent to", re.IGNORECASE
)
WALL_MAX_WORDS, WEAK_WALL_MAX_WORDS = 120, 25  # 25: core.MIN_NEAR_TOKENS
_TRUNCATED = re.compile(r"^\s*(?:read the full story|continue reading|read more at)\b", re.I)

# Longer texts are fingerprinted on their first part: a story is decided long before this, and a
# multi-megabyte "article" (a page dump, a feed glued together) must not stall the stage.
MAX_TEXT_CHARS = 200_000

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})
_TOKEN = re.compile(r"[^\W_]+(?:['.,][^\W_]+)*", re.UNICODE)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class PreparedText:
    """The story part of an article, ready for hashing and shingling.

    ``tokens`` are lower-cased words of the kept lines; ``cased`` are the same tokens with their
    original case (the veto rules need to know which words are names); ``line_hashes`` are the
    hashes of every line, for the per-host boilerplate counts; ``truncated`` says the page
    announced itself as an excerpt ("Read the full story at …").
    """

    tokens: tuple[str, ...]
    cased: tuple[str, ...]
    line_hashes: tuple[int, ...]
    paywall: bool
    truncated: bool
    raw_digest: str  # hash of every token, packaging included: byte-for-byte copies
    n_raw_tokens: int


def _fold(text: str) -> str:
    """Unicode compatibility form with one quote and dash style, so typography never differs."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES)


def _line_hash_folded(line: str) -> int:
    folded = _DIGIT.sub("0", " ".join(line.lower().split()))
    return int.from_bytes(hashlib.blake2b(folded.encode(), digest_size=8).digest(), "big") >> 1


def line_hash(line: str) -> int:
    """A signed 63-bit hash of a line with digits folded, so a footer's year or date still matches.

    Digits are folded because outlets stamp dates into otherwise fixed lines ("Published March 3").
    """
    return _line_hash_folded(_fold(line))


def content_lines(text: str) -> list[str]:
    """Non-empty lines of an article (extractors separate paragraphs by newlines)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def line_hashes(text: str | None) -> list[int]:
    """:func:`line_hash` of every line of *text* (what the per-host boilerplate counts key on)."""
    return [_line_hash_folded(line) for line in content_lines(_fold((text or "")[:MAX_TEXT_CHARS]))]


def _strip_dateline(line: str) -> str:
    match = _DATELINE.match(line)
    if match and match.group("wire").strip().lower() in {*_WIRES, "wire"}:
        return line[match.end() :]
    match = _DATELINE.match(line)
    if match and match.start("wire") < 80 and match.group("wire").isupper():
        return line[match.end() :]
    return line


def _is_packaging(line: str) -> bool:
    words = line.split()
    if len(words) > _PACKAGING_MAX_WORDS:
        return False
    return bool(_PACKAGING.match(line) or _PACKAGING_ANYWHERE.search(line))


def tokenize(text: str) -> list[str]:
    """Word tokens (letters/digits, keeping inner apostrophes, points and commas of numbers)."""
    return _TOKEN.findall(_fold(text))


def prepare_text(text: str | None, *, host_boilerplate: Iterable[int] = ()) -> PreparedText:
    """Strip packaging from *text* and tokenise what is left.

    *host_boilerplate* holds hashes (:func:`line_hash`) of lines this outlet has already printed
    under other articles; they are dropped like recognised packaging lines.
    """
    lines = content_lines(_fold((text or "")[:MAX_TEXT_CHARS]))
    learned = set(host_boilerplate)
    kept_cased: list[str] = []
    hashes: list[int] = []
    truncated = False
    for line in lines:
        h = _line_hash_folded(line)
        hashes.append(h)
        if _TRUNCATED.match(line):
            truncated = True
        if h in learned and len(line.split()) <= _PACKAGING_MAX_WORDS:
            continue
        if _is_packaging(line):
            continue
        kept_cased.extend(_TOKEN.findall(_strip_dateline(line)))
    whole = "\n".join(lines)
    raw_tokens = [t.lower() for t in _TOKEN.findall(whole)]
    story_words = len(kept_cased)
    paywall = (story_words < WALL_MAX_WORDS and bool(_PAYWALL.search(whole))) or (
        story_words < WEAK_WALL_MAX_WORDS and bool(_WEAK_WALL.search(whole))
    )
    return PreparedText(
        tokens=tuple(t.lower() for t in kept_cased),
        cased=tuple(kept_cased),
        line_hashes=tuple(hashes),
        paywall=paywall,
        truncated=truncated,
        raw_digest=hashlib.sha256(" ".join(raw_tokens).encode()).hexdigest(),
        n_raw_tokens=len(raw_tokens),
    )


def wire_attribution(text: str | None, authors: Iterable[str] | None = None) -> str | None:
    """The wire agency an article credits, from its dateline, byline or sign-off, else None.

    Only the opening and closing of the text are read: a wire named in the middle of a story is
    usually a source being quoted, not the article's origin.
    """
    for author in authors or ():
        found = _WIRE_BYLINE.search(author)
        if found:
            return _canonical_wire(found.group("wire"))
    lines = content_lines(_fold(text or ""))
    if not lines:
        return None
    head = "\n".join(lines[:3])[:600]
    for pattern in (_WIRE_IN_PARENS, _WIRE_BYLINE):
        found = pattern.search(head)
        if found:
            return _canonical_wire(found.group("wire"))
    for line in lines[-2:]:
        found = _WIRE_SIGNOFF.search(line)
        if found:
            return _canonical_wire(found.group("wire"))
    return None


def _canonical_wire(name: str) -> str | None:
    key = " ".join(name.lower().replace("-", " ").split())
    if key == "agence france presse":
        return "AFP"
    return _WIRES.get(key)
