"""What a compiled lexicon holds: actor entries with dated terms, action patterns, CAMEO codes.

Plain data, built by ``lexicon.py`` from the dictionary files and read by the coder.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

import ahocorasick

from pipeline.stages.events.patterns import LazyRegex

# kinds of actor dictionary entries
COUNTRY = "country"  # a country name or adjective: a country, and a place after a preposition
CAPITAL = "capital"  # a capital: the government as a subject, a place otherwise
NAMED = "named"  # a named actor: a person or institution with (dated) codes
IGO = "igo"
ROLE = "role"  # a role noun or title: only an actor next to a country or a name
IGNORE = "ignore"  # a phrase containing a name that is no actor ("South China Sea")


@dataclass(frozen=True, slots=True)
class Term:
    """A code an actor holds between two dates (None: open)."""

    country: str
    role: str | None
    start: date | None = None
    end: date | None = None
    title: str | None = None

    def covers(self, day: date) -> bool:
        """Whether the term is in force on *day* (the end date is exclusive)."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One dictionary phrase: what it is and the codes it can stand for."""

    kind: str
    phrase: str
    terms: tuple[Term, ...]
    case_sensitive: bool = False
    proper: bool = True  # must start with a capital letter in the text

    def resolve(self, day: date | None) -> Term | None:
        """The term in force on *day*; the most recent one when the date is unknown.

        A named person outside all their terms keeps their country with the role ELI (a
        political elite), which is what a former office holder is; after an international
        office, the country of their latest national term.
        """
        if not self.terms:
            return None
        if day is None:
            return max(self.terms, key=lambda t: (t.start or date.min, t.end or date.max))
        live = [t for t in self.terms if t.covers(day)]
        if len(live) == 1:
            return live[0]
        if live:
            # the latest-starting dated term wins; among undated ones (the list's defaults:
            # "BASHAR AL ASSAD [SYRELI] [SYRGOV]"), the code held in the latest dated term
            dated = [t for t in self.terms if t.start is not None and t.start <= day]
            recent = max(dated, key=lambda t: t.start or date.min) if dated else None
            return max(
                live,
                key=lambda t: (
                    t.start is not None,
                    t.start or date.min,
                    recent is not None and (t.country, t.role) == (recent.country, recent.role),
                ),
            )
        latest = max(self.terms, key=lambda t: t.start or date.min)
        if self.kind == NAMED:
            national = [t for t in self.terms if not t.country.startswith("IGO")]
            if latest.country.startswith("IGO") and national:
                # an international office ends with the tenure: a former UN official is
                # coded by the country of their latest national term
                latest = max(national, key=lambda t: t.start or date.min)
            return Term(latest.country, "ELI", title=None)
        if self.kind in (COUNTRY, CAPITAL, IGO) and len({t.country for t in self.terms}) == 1:
            return latest  # a gap in a country's dated codes (Iraq 2003-06) is still Iraq
        return None


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled action pattern."""

    code: str
    regex: LazyRegex
    anchors: tuple[str, ...]
    source: str
    target: str = "actor"
    locate: bool = False
    reciprocal: bool = False
    no_target: bool = False
    complement: bool = False
    confidence: float = 0.8
    order: int = 0
    verb_first: bool = False  # starts with a <lemma>: guard against noun readings ("a visit")
    intent: bool = False  # a bare intent, dropped when an action pattern follows it
    id: str = ""  # which dictionary entry: "verbs.yaml#12", "petrarch:ATTACK:L3012"
    tier: int = 0  # 0 curated, 1 converted (PETRARCH-2): a curated match wins an overlap
    weak: bool = False  # the words after the verb add no evidence ("came to")
    # PETRARCH-2 ``[:code]``: an action done TO the subject ("faced pressure from A"): the
    # actor after the verb is the source, the subject the target
    swap: bool = False
    # the code when the object is an organisation (an IGO actor): "joined NATO" is 050
    igo_code: str = ""
    # PETRARCH-2 ``[---]`` pattern: these words are no event ("killed in an accident"); the
    # match only takes its span from the shorter patterns of its layer (the bare verb)
    null: bool = False
    # an event noun ("suspension of ... aid") that is an action only as the object of a light
    # verb ("announced a suspension of aid to"), never by itself (a background noun phrase)
    nominal: bool = False
    # "talks between A and B" + an event verb ("began", "took place"): the compound after
    # "between" is both sides, and the noun phrase must be the subject of that verb
    between: bool = False
    keys: frozenset[str] = frozenset()  # one of them must be in the sentence (its 2nd word)
    seq: int = 0  # position in the merged dictionaries
    # the order candidates are tried in: ``order``, then (one entry) the patterns needing no
    # second word, then ``seq``; one int, so sorting needs no Python key function
    rank: int = 0


def pattern_rank(order: int, keys: frozenset[str], seq: int) -> int:
    """``Pattern.rank`` from its parts (``seq`` below 2**20)."""
    return (order << 21) | (bool(keys) << 20) | seq


_rank = attrgetter("rank")
MERGED_KEPT = 64  # merged candidate lists kept per anchor entry


@dataclass(frozen=True, slots=True)
class AnchorPatterns:
    """The patterns of one anchor word: those needing no second word, and the others by it."""

    free: tuple[Pattern, ...]
    keyed: dict[str, tuple[Pattern, ...]]
    tiers: frozenset[int] = frozenset()  # the layers with a pattern on this anchor
    # merged candidate lists by the set of indexed second words met: a handful of common
    # words ("to", "with", "on") make the same few sets in sentence after sentence
    merged: dict[frozenset[str], tuple[Pattern, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def candidates(self, words: frozenset[str], tier: int | None = None) -> Sequence[Pattern]:
        """The patterns (of *tier*, or all) that can match a sentence made of *words*, in
        dictionary order.

        Called for every anchor word of every sentence, so it does little: one set
        intersection with the indexed second words, and a merge only when patterns from
        several of them meet (``free`` and each ``keyed`` group are already in order),
        remembered per set of words met (``merged``).
        """
        keyed = self.keyed
        hits: Collection[str]
        if not keyed:
            hits = ()
        elif len(keyed) < len(words):
            # fewer indexed second words than sentence words: looked up from their side
            # (``keys() & words`` walks the sentence's words): the same set either way
            hits = words.intersection(keyed)
        else:
            hits = keyed.keys() & words
        out: Sequence[Pattern]
        if not hits:
            out = self.free
        elif len(hits) == 1 and not self.free:
            out = keyed[next(iter(hits))]  # each group is unique and in order already
        else:
            key = frozenset(hits)
            known = self.merged.get(key)
            if known is None:
                merged = list(self.free)
                seen = {id(p) for p in merged}
                for word in hits:
                    for p in keyed[word]:
                        if id(p) not in seen:
                            seen.add(id(p))
                            merged.append(p)
                merged.sort(key=_rank)
                if len(self.merged) >= MERGED_KEPT:  # bounded per anchor
                    self.merged.clear()
                known = self.merged[key] = tuple(merged)
            out = known
        if tier is None:
            return out  # not a copy: read it, don't change it
        return [p for p in out if p.tier == tier]


_TermRow = tuple[str, str | None, date | None, date | None, str | None]
_EntryRow = tuple[str, str, tuple[_TermRow, ...], bool, bool]


def _entry_row(entry: ActorEntry) -> _EntryRow:
    terms = tuple((t.country, t.role, t.start, t.end, t.title) for t in entry.terms)
    return entry.kind, entry.phrase, terms, entry.case_sensitive, entry.proper


def _entry(row: _EntryRow) -> ActorEntry:
    kind, phrase, terms, case_sensitive, proper = row
    return ActorEntry(kind, phrase, tuple(Term(*t) for t in terms), case_sensitive, proper)


class ActorIndex:
    """The actor automaton: every dictionary phrase -> (its length, its entries).

    Pickled (the compiled-lexicon cache) the entries travel as plain rows, which load a
    dozen times faster than tens of thousands of frozen dataclasses, and become
    ``ActorEntry`` objects when a text first matches their phrase: a process only ever
    builds the few hundred it meets.

    The coder only wants phrases with no word character (a letter, a digit or "_") on
    either side, and half of a plain automaton's hits lie inside longer words ("us" in
    "because"). So the automaton holds each phrase between two spaces with its
    non-alphanumeric characters as spaces, and is run over the text spelled the same way
    (``bounded``): it finds only phrases with no letter or digit next to them; phrases spelled
    alike ("south-korea", "south korea") are told apart against the text, and a "_" next
    to one is refused as the boundary test refused it.
    """

    __slots__ = ("_automaton", "_entries", "_rows")

    def __init__(self, automaton: Any, entries: list[tuple[ActorEntry, ...]]) -> None:
        # *automaton*: phrase -> (length, index into entries), respelled (see the class)
        spelled: dict[str, list[tuple[str | None, int, int]]] = {}
        for key, (length, index) in automaton.items():
            exact = NOT_ALNUM.search(key) is None  # letters and digits only: found is found
            word = f" {NOT_ALNUM.sub(' ', key)} "
            spelled.setdefault(word, []).append((None if exact else key, length, index))
        self._automaton = ahocorasick.Automaton()
        for word, found in spelled.items():
            self._automaton.add_word(word, tuple(found))
        if spelled:
            self._automaton.make_automaton()
        self._entries: list[tuple[ActorEntry, ...] | None] = list(entries)
        self._rows: list[tuple[_EntryRow, ...]] | None = None

    def bounded(
        self, norm: str, spaced: str | None = None
    ) -> Iterator[tuple[int, int, tuple[ActorEntry, ...]]]:
        """Every phrase occurrence in *norm* with no word character on either side:
        (start, end, entries), by end (what a plain automaton's hits that pass the boundary
        test give, in an order of their own). *spaced* is ``spell_bounded(norm)`` when the
        caller has it already (the coder spells a document once for both automata)."""
        if not self._entries:
            return
        entries = self._entries
        size = len(norm)
        if spaced is None:
            spaced = spell_bounded(norm)
        for last, found in self._automaton.iter(spaced):
            end = last - 1  # (the word's closing space is the character after the phrase)
            start = end - found[0][1]
            if (start > 0 and norm[start - 1] == "_") or (end < size and norm[end] == "_"):
                continue
            for key, _length, index in found:
                if key is None or norm.startswith(key, start):
                    group = entries[index]
                    if group is None:
                        assert self._rows is not None
                        group = entries[index] = tuple(_entry(r) for r in self._rows[index])
                    yield start, end, group
                    break  # (phrases spelled alike: one of them is in the text here)

    def __getstate__(self) -> tuple[Any, list[tuple[_EntryRow, ...]]]:
        rows = [
            tuple(_entry_row(e) for e in group)
            if group is not None
            else (self._rows[i] if self._rows is not None else ())
            for i, group in enumerate(self._entries)
        ]
        return self._automaton, rows

    def __setstate__(self, state: tuple[Any, list[tuple[_EntryRow, ...]]]) -> None:
        self._automaton, rows = state
        self._rows = rows
        self._entries = [None] * len(rows)


@dataclass(frozen=True, slots=True)
class CameoCode:
    """A CAMEO code's name, root, quad class and Goldstein value (the manual's)."""

    code: str
    name: str
    root: str
    quad_class: int
    goldstein: float


@dataclass
class Lexicon:
    """Everything the coder reads, compiled: automata over actor phrases and trigger anchors."""

    actors: ActorIndex  # phrase -> (length, tuple[ActorEntry, ...])
    anchors: Any  # ahocorasick.Automaton: first word -> (length, tuple[Pattern, ...])
    codes: dict[str, CameoCode]
    future_codes: dict[str, str]
    cues: dict[str, list[str]]
    coreference: dict[str, list[str]]
    fingerprint: str
    files: list[str] = field(default_factory=list)
    past_forms: frozenset[str] = frozenset()  # irregular past tenses/participles (met, sent)
    phrasal_verbs: frozenset[str] = frozenset()  # "struck down": the head alone is no trigger
    # entries resolved per date (by id); bounded: cleared when it grows past a few thousand days
    resolved: dict[date | None, dict[int, Term | None]] = field(default_factory=dict)
    # the same words bounded by spaces, for a search where a word cannot sit inside another
    # (lexicon.bounded_anchors); None: scan_anchors tests word boundaries itself
    anchor_words: Any = None
    # PETRARCH's discard phrases (discards.DiscardIndex); None: nothing is discarded
    discards: Any = None
    # one-word person entries that are common first names (``lexicon.first_names``): matched
    # only after a title ("King Abdullah"), normalised phrases
    first_names: frozenset[str] = frozenset()

    def cameo(self, code: str) -> CameoCode:
        """The code's table row; unknown codes are a dictionary error, caught at load time."""
        return self.codes[code]

    def future_code(self, code: str) -> str:
        """The code for an action announced for the future ("will meet" -> 036)."""
        return self.future_codes.get(code) or self.future_codes.get(code[:2]) or code


# a character that is not a letter or a digit (``str.isalnum``): ``\w`` is those and "_"
NOT_ALNUM = re.compile(r"[\W_]")
# the same without the space, which it would replace by itself: the same text from a
# fraction of the replacements
_NOT_ALNUM_OR_SPACE = re.compile(r"[^\w ]|_")


def spell_bounded(norm: str) -> str:
    """*norm* with every character but a letter, a digit or a space as a space, between two
    spaces: the text both bounded automata (actors, anchors) run over. One character for
    one, so ``spell_bounded(norm)[a + 1 : b + 1]`` spells ``norm[a:b]``: a document is
    spelled once and each sentence's window is a slice of it.

    Spelled by ``bytes.translate`` with the expression's own replacements (a ``sub`` pays
    per replaced character, of which prose has one every few words: some hundred µs a
    document): each character past Latin-1 is encoded as "?", which is spelled a space as
    the expression spells such a character when it is no letter or digit ("—", "“"). A text
    with a letter or digit past Latin-1 (Cyrillic, Chinese) is left to the expression.
    """
    if norm.isascii() or not any(c.isalnum() for c in _PAST_LATIN1.findall(norm)):
        spelled = norm.encode("latin-1", "replace").translate(_LATIN1_SPELLING).decode("latin-1")
        return f" {spelled} "
    return f" {_NOT_ALNUM_OR_SPACE.sub(' ', norm)} "


_PAST_LATIN1 = re.compile(r"[^\x00-\xff]")
# each Latin-1 character as ``_NOT_ALNUM_OR_SPACE.sub(" ", ...)`` spells it
_LATIN1_SPELLING = bytes(
    ord(" ") if _NOT_ALNUM_OR_SPACE.fullmatch(chr(c)) is not None else c for c in range(256)
)


def normalise(text: str) -> str:
    """Lower-case with typographic apostrophes folded; keeps every offset unchanged."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")
