"""PETRARCH's discard list: phrases whose presence means a sentence, or a whole story, is not
coded (sports, entertainment, disasters, historical asides such as a year of the World Wars).

The list is ``phoenix_discards.tsv``, converted from Phoenix's ``Phoenix.discards.txt`` by
``devtools/convert_phoenix.py``: one phrase a row with its scope, ``story`` for the lines the
original marks with ``+`` (the whole document gives no events) and ``sentence`` for the rest
(that sentence gives none). PETRARCH upper-cases the sentence, splits it into words and
matches each phrase as a run of whole words; so does this module, case-insensitively and on
word boundaries: "Football" and "football," match FOOTBALL, "footballer" does not.

One deliberate difference: the list's bare years (1914 ... 2013) and its relative times
("YEARS AGO", "MONTHS LATER") are not used. In wire copy a year or "18 years ago" is mostly
background in a subordinate clause ("the first visit since the two split in 1961") while the
sentence's own event is current; discarding on them cost the reference sets recall (tune: six
labelled sentences, every one a current event with a dated aside), and when an event is dated
the date layer (dates.py) already places it. Named historical references (WORLD WAR II,
ATTACK ON PEARL HARBOR, APRIL 1942) are kept.

Matching is one Aho-Corasick pass over the document: the text is spelled as its words joined
by single spaces (any run of characters that are not letters or digits is one space), the
phrases likewise, each between two spaces, so a hit is always a run of whole words; the hit's
words map back to offsets in the original text.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from pipeline.stages.events.entries import normalise

DISCARDS_FILE = "phoenix_discards.tsv"
STORY = "story"
SENTENCE = "sentence"
_WORD = re.compile(r"[^\W_]+")
_ASCII_GAPS = re.compile(r"[^a-z0-9]+")
# a bare year or a relative time: not used (see the module's docstring)
TEMPORAL = re.compile(r"^\d+$|\b(?:AGO|LATER)$", re.IGNORECASE)


def spelled(text: str) -> str:
    """*text* as its words (letters and digits) in lower case, one space between them."""
    return " ".join(_WORD.findall(normalise(text)))


@dataclass(frozen=True, slots=True)
class Discard:
    """One discard phrase found in a text: where (offsets into the text) and its scope."""

    start: int
    end: int
    phrase: str
    story: bool


class DiscardIndex:
    """The discard phrases as one automaton over a document's words."""

    def __init__(self, rows: Iterable[tuple[str, bool]]) -> None:
        phrases: dict[str, tuple[str, bool]] = {}
        for phrase, story in rows:
            key = spelled(phrase)
            # a phrase listed at both levels discards the story (PETRARCH: '+' first)
            if key and not TEMPORAL.search(key):
                phrases[key] = (phrase, story or phrases.get(key, ("", False))[1])
        self.size = len(phrases)
        self.automaton: Any = ahocorasick.Automaton()
        for key, (phrase, story) in phrases.items():
            self.automaton.add_word(f" {key} ", (len(key) + 2, phrase, story))
        if phrases:
            self.automaton.make_automaton()

    def find(self, text: str, norm: str | None = None, spaced: str | None = None) -> list[Discard]:
        """Every discard phrase in *text*, in order, with offsets into *text*.

        *norm* is ``normalise(text)`` and *spaced* ``entries.spell_bounded(norm)`` when the
        caller has them (the coder makes both once per document).
        """
        if not self.size:
            return []
        if norm is None:
            norm = normalise(text)
        # most documents hold no phrase: a quick pass decides. Over the document's bounded
        # spelling (letters, digits, spaces) its words joined by one space are the spelled
        # text of the exact pass below, so it finds exactly that pass's hits; without it,
        # the text spelled in ASCII words (the phrases are ASCII: every hit is found)
        if spaced is not None:
            quick = f" {' '.join(spaced.split())} "
        else:
            quick = f" {_ASCII_GAPS.sub(' ', norm)} "
        if next(self.automaton.iter(quick), None) is None:
            return []
        words = list(_WORD.finditer(norm))
        if not words:
            return []
        # " w1 w2 w3 ": word i starts at pos[i] in the spelled text
        pos: list[int] = []
        at = 1
        for w in words:
            pos.append(at)
            at += len(w.group()) + 1
        spelled_text = " " + " ".join(w.group() for w in words) + " "
        out: list[Discard] = []
        index = {p: i for i, p in enumerate(pos)}
        for end, (length, phrase, story) in self.automaton.iter(spelled_text):
            first = index[end - length + 2]  # the hit starts with a space, then its first word
            last = first + len(spelled(phrase).split()) - 1
            out.append(Discard(words[first].start(), words[last].end(), phrase, story))
        out.sort(key=lambda d: (d.start, d.end))
        return out


def read_discards(path: Path) -> list[tuple[str, bool]]:
    """The rows of a converted discard file: (phrase, whether it discards the story)."""
    rows: list[tuple[str, bool]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            if len(row) >= 2 and row[0] != "phrase" and row[1] in (STORY, SENTENCE):
                rows.append((row[0], row[1] == STORY))
    return rows


def parse_discards(path: Path) -> list[tuple[str, str]]:
    """Phoenix.discards.txt as (phrase, scope) rows: ``#`` starts a comment, a leading ``+``
    marks a story-level discard, a trailing ``_`` (TABARI: the phrase must end a word) is
    dropped since every phrase matches whole words here."""
    rows: dict[tuple[str, str], None] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        scope = SENTENCE
        if line.startswith("+"):
            scope, line = STORY, line[1:]
        phrase = re.sub(r"\s+", " ", line.replace("_", " ")).strip()
        if spelled(phrase):
            rows[(phrase.upper(), scope)] = None
    return list(rows)


def discard_reason(hits: list[Discard], start: int, end: int) -> str | None:
    """Why the sentence at [start, end) of a text with discard *hits* is not coded, if it is
    not: a story-level phrase anywhere in the text, or a sentence-level one inside it."""
    for hit in hits:
        if hit.story:
            return f"story discarded: '{hit.phrase}' (PETRARCH story-level discard phrase)"
    for hit in hits:
        if hit.start >= start and hit.end <= end:
            return f"sentence discarded: '{hit.phrase}' (PETRARCH discard phrase)"
    return None
