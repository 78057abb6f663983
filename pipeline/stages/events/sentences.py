"""Sentence splitting with character offsets into the original text.

A rule splitter, not a model: wire copy is well punctuated, and what breaks naive splitters in it
is a short list of abbreviations ("U.S.", "Gen.", "Feb.") and quotes closing after the full
stop. Paragraph breaks always end a sentence, so text without punctuation still splits into
bounded pieces, and over-long pieces are cut at whitespace so one sentence never costs more
than a bounded amount of work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_SENTENCE_CHARS = 1_000

# abbreviations after which a full stop does not end a sentence (lower case, without the dot)
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "sen",
        "rep",
        "gov",
        "pres",
        "st",
        "jr",
        "sr",
        "rev",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "no",
        "vs",
        "etc",
        "inc",
        "corp",
        "co",
        "ltd",
        "dept",
        "univ",
        "est",
        "approx",
        "fig",
        "p",
        "pp",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "u.s.a",
        "d.c",
        "p.r.c",
    ]
)

# where a piece may end: ``[.!?]+[\"'”’)\]]*\s+|\n\s*`` spelled with its first character
# as one set ahead of the two branches (told apart by a look-behind at that character): the
# same matches, but the engine skips to the next candidate character through the set
# instead of trying both branches at every character of the text (a quarter of the time)
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=[.!?])[.!?]*[\"'”’)\]]*\s+|(?<=\n)\s*)")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]+[\"'”’)\]]*\s+$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its index in the document and its span in the original text."""

    index: int
    start: int
    end: int
    text: str


def _last_word(text: str, start: int, end: int, stop: int | None = None) -> re.Match[str] | None:
    """``_LAST_WORD.search(text[start:end])``, without searching the whole sentence.

    The expression is anchored at the end, so a search over the whole piece tries (and
    fails) at every one of its characters; the last word sits in its final characters. A
    match that reaches the start of the window may extend further left, and a window of
    only spaces and quotes holds none: then the search is repeated over the whole piece, so
    the result is always the full search's.

    With *stop*, where the piece's closing punctuation begins (``_BOUNDARY``'s match), the
    window starts after the last space before it: a match is one run without whitespace
    (the word and its punctuation) and the trailing whitespace, so it cannot start earlier.
    """
    if stop is not None:
        return _LAST_WORD.search(text, max(start, text.rfind(" ", start, stop) + 1), end)
    low = max(start, end - 64)
    word = _LAST_WORD.search(text, low, end)
    if low > start and (word is None or word.start() == low):
        word = _LAST_WORD.search(text, start, end)
    return word


def _pieces(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if "\n" not in match.group(0):
            word = _last_word(text, start, end, match.start())
            if word and word.group(1).lower().rstrip(".") in ABBREVIATIONS:
                continue
            if word and len(word.group(1).rstrip(".")) == 1 and word.group(1)[0].isupper():
                continue  # an initial: "Ulysses S. Grant"
            following = text[end : end + 1]
            if following and following.islower():
                continue  # "e.g. the" or a stray dot mid-sentence
        yield start, end
        start = end
    if start < len(text):
        yield start, len(text)


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        yield start, cut
        start = cut
    yield start, end


# a menu or breadcrumb run together with the body text after it ("Home | World | Africa The
# army said ..."): the text after the last separator is a sentence of its own when it reads
# as one (ends in a full stop, several words), the menu before it stays page furniture
_MENU_SEPARATOR = re.compile(r"\s[|•»]\s")
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*\s*$")
MIN_TAIL_WORDS = 6


def _menu_split(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    piece = text[start:end]
    if "|" not in piece and "•" not in piece and "»" not in piece:
        # (every separator holds one of the three characters: most pieces have none, and
        # three substring searches cost a fraction of the expression's scan)
        yield start, end
        return
    separators = list(_MENU_SEPARATOR.finditer(text, start, end))
    if not separators:
        yield start, end
        return
    last = separators[-1]
    tail = text[last.end() : end]
    if _TERMINAL.search(tail) and len(tail.split()) >= MIN_TAIL_WORDS:
        yield start, last.end()
        yield last.end(), end
    else:
        yield start, end


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of *text* (empty pieces dropped), offsets into *text*."""
    out: list[Sentence] = []
    pieces = (p for s, e in _pieces(text) for p in _menu_split(text, s, e))
    for raw_start, raw_end in pieces:
        for piece_start, piece_end in _bounded(text, raw_start, raw_end):
            # trim whitespace so offsets point at the first and last character
            start, end = piece_start, piece_end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                out.append(Sentence(len(out), start, end, text[start:end]))
    return out
