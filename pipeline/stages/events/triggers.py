"""Action triggers: which dictionary patterns match a sentence, read as verbs, and their modality.

A pattern is tried only where its anchor word occurs; a one-word trigger must read as a finite
verb in its context (not "a visit", "Indian strikes", "civilians threatened with ..."). The
modality of a trigger is read from the cues between its subject and itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pipeline.stages.events.actors import _Cues, _Group
from pipeline.stages.events.dates import DateMention
from pipeline.stages.events.entries import AnchorPatterns
from pipeline.stages.events.event import (
    ASSERTED,
    CLAIMED,
    FUTURE,
    HYPOTHETICAL,
    NEGATED,
    REPORTED,
)
from pipeline.stages.events.lexicon import (
    Lexicon,
    Pattern,
)
from pipeline.stages.events.sentences import Sentence
from pipeline.stages.events.subcodes import asked_code, refines
from pipeline.stages.events.syntax import HAVE, TIME_ADVERBS, Parse

# "demonstrated that ...", "demonstrated considerable restraint": a protest verb with an object
_TRANSITIVE_OBJECT = re.compile(
    r"\s+(?:that|considerable|great|its|his|her|their|the|a|an|how|what|some|no|remarkable)\b"
)


# "moved to punish", "allowed Ukraine to strike", "wants X to attack": an infinitive under a
# verb of wanting, trying, asking or permitting is not an action that happened (a purpose
# clause, "used tear gas to disperse", and an aspect, "continued to send", are)
_INFINITIVE_BEFORE = re.compile(
    r"\b(?:want|hop|tr(?:y|ie)|seek|sought|attempt|mov|allow|permit|enabl|help|ask|urg|call|"
    r"tell|told|order|forc|encourag|invit|persuad|need|wish|prefer|aim|intend|prepar|decid|"
    r"choos|chose|offer|propos|vot|push|press|authori[sz]|able|likely|unlikely|eager|hesitant|"
    r"reluctant|struggl|fight|fought|campaign|lobb|get|got|effort|bid)\w*\b(?:\s+[^\s,;.]+){0,8}?"
    r"\s+to\s+(?:\w+ly\s+)?$"
)


_GUARD_WORDS = (
    "a|an|the|his|her|its|their|this|that|these|those|scheduled|official|state|planned|"
    "first|recent|upcoming|surprise|rare|historic|brief|his|whose|most|least"
)
_NOUN_GUARD = re.compile(rf"\b(?:{_GUARD_WORDS})\s+$")
# what the guard's word must end the text before the trailing whitespace with (``noun_guard``)
_GUARD_ENDINGS = tuple(_GUARD_WORDS.split("|"))


def noun_guard(norm: str, lo: int, hi: int) -> bool:
    """Whether ``_NOUN_GUARD.search(norm, lo, hi)`` matches, asked of every one-word trigger.

    The search tries the alternation at every character of the window (several µs); a match
    needs trailing whitespace with one of its words right before it, which ``rstrip`` and
    ``endswith`` tell first (``str.isspace`` is ``\\s``): the expression runs only then.
    """
    window = norm[lo:hi]
    head = window.rstrip()
    if len(head) == len(window) or not head.endswith(_GUARD_ENDINGS):
        return False
    return _NOUN_GUARD.search(norm, lo, hi) is not None


_PREV_WORD = re.compile(r"([\w']+)\W*$")
# the same word found in the reversed window (see ``prev_word``): the non-word characters
# after it, then the word, from its last character back
_PREV_WORD_REVERSED = re.compile(r"\W*?('*\w[\w']*)")


def prev_word(norm: str, lo: int, hi: int) -> re.Match[str] | None:
    """``_PREV_WORD.search(norm, lo, hi)``: the last word before *hi* (the same match object).

    The search tries every start in the window, each a greedy run and its backtracking
    (about 20 µs a call, asked for every one-word trigger). Where it succeeds first is
    where the run of word characters and apostrophes holding the window's last word
    character begins (clipped at *lo*), with the apostrophes after that character:
    ``_PREV_WORD_REVERSED`` reads exactly that run from the end of the reversed window, and
    the match is then made there. A window without a word character is left to the search
    (it would take its first apostrophe, if any).
    """
    window = norm[lo:hi]
    last = _PREV_WORD_REVERSED.match(window[::-1])
    if last is None:
        return _PREV_WORD.search(norm, lo, hi) if "'" in window else None
    return _PREV_WORD.match(norm, hi - last.end(1), hi)


# an indefinite article or a possessive, then a name used as a modifier, right before the
# word: "a U.S. request", "an Israeli strike", "their Russian counterparts". The name is an
# adjective of the noun phrase, so the word is its head noun, not a verb with the name as its
# subject ("the U.S. attacked" is another matter: "the" also opens a name)
# "the Islamic State claimed", "Rivers State announced": "State" ending a name is no
# modifier of an event noun ("a state visit"), and a past tense after it is the name's verb
_NAMED_STATE = re.compile(r"(?<![\w'’])[A-Z][\w'’-]*\s+State\s+$")
_NAMED_MODIFIER = re.compile(
    r"(?<![\w'’])(?:a|an|his|her|its|their|our|whose|these|those)\s+"
    r"(?:[A-Z][\w.'’-]*\s+){1,2}$"
)


def named_modifier(text: str, lo: int, end: int) -> bool:
    """Whether ``_NAMED_MODIFIER`` finds a match in ``text[lo:end]``. Every match ends in a
    word that starts with a capital A-Z, whitespace before it and after it (up to *end*), so
    a window whose last word is not capitalised (most: "the", "has", "forces") is answered
    without running the expression."""
    end = min(end, len(text))
    if lo >= end or not text[end - 1].isspace():
        return False
    last = text[lo:end].rsplit(None, 1)
    if len(last) < 2 or not ("A" <= last[1][0] <= "Z"):
        return False
    return _NAMED_MODIFIER.search(text, lo, end) is not None


# a past participle right after one of these modifies the noun after it ("from occupied Norway")
_PREPOSITIONS = frozenset(
    [
        "from",
        "in",
        "into",
        "of",
        "on",
        "at",
        "with",
        "to",
        "for",
        "over",
        "across",
        "through",
        "under",
        "within",
        "near",
        "toward",
        "towards",
    ]
)


# an -s form after a nationality adjective or a preposition (a word or two back) is a noun
_DEMONYM_ENDINGS = "ian|ean|ese|ish|ani|aqi|eli|udi"
_PLURAL_PREPOSITIONS = "of|by|for|amid|over|after|against|from|about|on|in|with"
_NOUN_PLURAL_BEFORE = re.compile(
    rf"(?:\b[\w-]*(?:{_DEMONYM_ENDINGS})\s+"
    rf"|\b(?:{_PLURAL_PREPOSITIONS})\s+(?:[\w'’-]+\s+){{0,2}}"
    r"|\bwhat\s+\w+\s+(?:calls?|called|describe[sd]?\s+as|terms?|termed)\s+(?:[\w'’-]+\s+){0,4})$"
)
_DEMONYM_TUPLE = tuple(_DEMONYM_ENDINGS.split("|"))
_PLURAL_PREPOSITION_TUPLE = tuple(_PLURAL_PREPOSITIONS.split("|"))


def noun_plural_before(norm: str, lo: int, hi: int) -> bool:
    """Whether ``_NOUN_PLURAL_BEFORE.search(norm, lo, hi)`` matches (see ``noun_guard``).

    Each alternative ends in whitespace up to *hi*, before it a demonym ending, or a
    preposition ending one of the last three whitespace-separated words (the words between
    it and *hi* are whole words), or "what": told by string tests first.
    """
    window = norm[lo:hi]
    head = window.rstrip()
    if len(head) == len(window):
        return False
    if not (
        head.endswith(_DEMONYM_TUPLE)
        or "what" in window
        or any(w.endswith(_PLURAL_PREPOSITION_TUPLE) for w in head.split()[-3:])
    ):
        return False
    return _NOUN_PLURAL_BEFORE.search(norm, lo, hi) is not None


_BE = frozenset(["is", "are", "was", "were", "be", "been", "being", "am", "'s", "'re"])


_AUX = frozenset(
    [
        "last",
        "first",
        "recently",
        "previously",
        "already",
        "later",
        "separately",
        "will",
        "would",
        "could",
        "can",
        "might",
        "may",
        "must",
        "should",
        "shall",
        "to",
        "did",
        "does",
        "do",
        "not",
        "n't",
        "also",
        "'ll",
        "never",
        "has",
        "have",
        "had",
        "reportedly",
        "allegedly",
        "then",
        "again",
        "jointly",
    ]
)


_ROLE_PLURALS = frozenset(
    [
        "officials",
        "forces",
        "troops",
        "rebels",
        "authorities",
        "militants",
        "protesters",
        "police",
        "soldiers",
        "leaders",
        "ministers",
        "government",
        "army",
        "military",
        "militia",
        "insurgents",
        "diplomats",
        "countries",
        "states",
        "nations",
        "sides",
        "parties",
        "groups",
    ]
)


# the head noun of a document or a statement right before an -ing form: "issued a statement
# urging", "adopted a resolution calling on", "sent a letter asking": the participle says what
# the document does, and the one who issued it (the main clause's subject) does it; one
# definition for both questions, the -ing word's verb reading and its subject
_DOCUMENT_BEFORE = re.compile(
    r"(?<![\w-])(?:issu|releas|publish|sen[dt]|adopt|pass|sign|deliver|made|mak|gave|giv|"
    r"post|put\s+out|submitt?|wr[io]t|written|draft|present|approv|unveil|circulat|tabl|"
    r"lodg)(?:e|es|ed|ing|s|en|ten)?\s+(?:(?:a|an|the|its|his|her|their|two|three|joint|"
    r"formal|open|written|public|new|brief|short|strongly|strong|worded|-|[\w-]+-worded|"
    r"[a-z]{3,}(?:an|al|ary|ive|ic))\s+)"
    r"{0,3}(?:statement|letter|resolution|declaration|communiqu[eé]|message|memo|"
    r"memorandum|petition|motion|note|appeal|report)s?\s+$"
)

# the same document with a subject relative clause: "issued a report that calls on X to",
# "adopted a resolution which condemns Y": the relative clause's verb is the document's
# act, so the issuer's (as the -ing form is, above)
_DOCUMENT_RELATIVE = re.compile(
    _DOCUMENT_BEFORE.pattern.removesuffix(r"\s+$") + r"\s*,?\s*(?:that|which)\s+$"
)


def _issued_message(norm: str, sent: Sentence, start: int) -> bool:
    """Whether the -ing word at *start* is the reduced relative of a message its subject
    issued ("X issued a statement urging Y", "published a declaration demanding"): the act
    is the issuer's. A message the subject acts on ("vetoed a resolution censuring it",
    "read the declaration demanding") is someone else's, and stays no verb."""
    return bool(_DOCUMENT_BEFORE.search(norm, max(sent.start, start - 90), start))


# "X is guilty of violating", "was found guilty of attacking": the gerund is the act of the
# subject of "be guilty" (the finding states it happened), so it reads as that subject's verb
GUILTY_OF = re.compile(r"\bguilty\s+of\s+(?:having\s+)?(?:\w+ly\s+)?$")

_REDUCED_PASSIVE = re.compile(r"\s+(?:by|with)\b")


# "athletes killed at the Games": a participle after a common noun, then a preposition (but
# "at least" and "at most" count the verb's object: "the group killed at least 75 people")
_REDUCED_RELATIVE = re.compile(
    r"\s+(?:at(?!\s+(?:least|most)\b)|in|during|near|when|while|since|after)\b"
)


_PUNCT = ",;:!?()\"“”.'’‘[]"


_COMPLEMENT_AFTER = re.compile(r"\s+(?:to|that)\b")


@dataclass(slots=True)
class _Trigger:
    start: int
    end: int
    head_end: int  # end of the first word: targets may sit inside a ditransitive pattern
    pattern: Pattern
    # a light verb and the event noun a one-word pattern matched ("launched attacks"): a
    # pattern that names the phrase itself ("expressed concern") is preferred to it
    light: bool = False
    # an event noun heading the subject of its clause's finite verb ("the attack on X
    # killed"): (noun phrase start, verb start); its sides come from its noun phrase
    subject_noun: tuple[int, int] | None = None
    # the candidates this one won its span from, best first (``_select``): tried in its
    # place when it is dropped for want of a structure (no source, no target, no frame)
    overlapped: tuple[_Trigger, ...] = field(default=(), compare=False, repr=False)


def _verbal(
    text: str,
    norm: str,
    sent: Sentence,
    span: tuple[int, int],
    lx: Lexicon,
    *,
    bare: bool,
    noun_ok: bool = False,
    intransitive: bool = False,
) -> bool:
    """Whether a one-word trigger reads as a finite verb, not a noun or a participle.

    "demands", "attack", "strike" are nouns as often as verbs; "fighting" is mostly a noun;
    "civilians threatened with starvation" is a participle. A bare trigger counts when its form
    is a past tense (and not a reduced passive), a progressive after a form of "be", or a base
    form after an auxiliary, an adverb, a name or a role noun.
    """
    start, end = span
    word = norm[start:end]
    prev_match = prev_word(norm, max(sent.start, start - 30), start)
    prev = prev_match.group(1) if prev_match else ""
    if start > 0 and norm[start - 1] == "-":
        return False  # "Israeli-occupied": part of a compound adjective
    if (
        noun_ok is False
        and noun_guard(norm, max(sent.start, start - 20), start)
        and not (prev == "that" and _relative_verb_form(word, lx))
        and not (
            (word.endswith("ed") or word in lx.past_forms)
            and _NAMED_STATE.search(text, max(sent.start, start - 40), start)
        )
    ):
        # "a visit", "a U.S. request", "the attack" (but "a report that calls on", "an attack
        # that killed": after "that" an -s form or a past tense is the relative clause's verb,
        # the demonstrative takes a singular noun)
        return False
    if noun_ok is False and named_modifier(text, max(sent.start, start - 40), start):
        return False  # "a U.S. request", "an Israeli strike": a name modifying the noun
    if word.endswith("ed") and prev in _PREPOSITIONS:
        return False  # "from occupied Norway", "in besieged Gaza": an adjective, no verb
    if word.endswith("ing"):
        # a progressive; or a participle clause right after the main clause's comma
        # (", killing three soldiers"), whose subject the coder takes from that clause; or
        # the reduced relative of a message noun ("issued a statement urging", "published a
        # declaration demanding"): the message's issuer acts through it
        return (
            prev in _BE
            or _after_adverbs(norm, sent, prev_match) in _BE  # "is once again sending"
            or participle_clause(norm, start)
            or _issued_message(norm, sent, start)
            or bool(GUILTY_OF.search(norm, max(sent.start, start - 40), start))
        )
    if word.endswith("ed") or word in lx.past_forms:
        no_aux = prev not in _BE and prev not in HAVE
        if (
            no_aux
            and _REDUCED_PASSIVE.match(norm, end)
            and not _named(text, prev_match)
            and prev not in _ROLE_PLURALS  # "soldiers clashed with": an agent is a subject
        ):
            return False  # "civilians threatened with ...", but "Germany met with ..."
        common_noun = prev.isalpha() and prev not in _ROLE_PLURALS and prev not in _AUX
        if (
            no_aux
            and common_noun
            and not intransitive  # "students demonstrated in Belgrade": no passive to reduce
            and _REDUCED_RELATIVE.match(norm, end)
            and prev_match is not None
        ):
            return text[prev_match.start(1)].isupper()
        return True
    if (
        word.endswith("s")
        and not word.endswith("ss")
        and not (not bare and prev == "and")  # "... of terrorism and calls on both sides"
        and noun_plural_before(norm, max(sent.start, start - 40), start)
    ):
        return False  # "Indian strikes", "months of anti-government protests": a plural noun
    if not bare:  # "opposes terrorism and calls on both sides": a coordinated verb
        return (
            not (word.endswith("s") and not word.endswith("ss"))
            or prev == "and"
            or _subject_before(text, prev, prev_match)
        )
    if prev in _AUX or prev.endswith(("ly", "n't")):  # "won't attack", "didn't sign"
        return True
    if prev in _TIME_ADVERBS and prev_match is not None:
        # "French authorities today release": the subject before the adverb
        back = _PREV_WORD.search(norm, max(sent.start, prev_match.start() - 30), prev_match.start())
        if back is not None:
            return _subject_before(text, back.group(1), back)
    return _subject_before(text, prev, prev_match)


# adverbs of time and repetition between a subject or a form of "be" and its verb
# ("authorities today release", "is once again sending", "is still fighting"); not "-ly"
# manner adverbs, which let the converted layer's noun-like verbs through ("is proactively
# monitoring", tried and dropped on the tune pages, see docs/events.md)
_TIME_ADVERBS = TIME_ADVERBS


def _after_adverbs(norm: str, sent: Sentence, prev_match: re.Match[str] | None) -> str:
    """The word before the run of ``_TIME_ADVERBS`` that *prev_match* ends ("" when the word
    before the trigger is no such adverb): "is" in "is once again sending"."""
    for _ in range(3):
        if prev_match is None or prev_match.group(1) not in _TIME_ADVERBS:
            break
        prev_match = _PREV_WORD.search(
            norm, max(sent.start, prev_match.start() - 30), prev_match.start()
        )
        if prev_match is not None and prev_match.group(1) not in _TIME_ADVERBS:
            return prev_match.group(1)
    return ""


_CLAUSE_COMMA = re.compile(r",\s*$")
_ING_WORD = re.compile(r"[a-z]+ing\b")


# the first of two coordinated participle clauses, up to the "and" before the second
# (", suspending the constitution and arresting"): one clause, no other punctuation in it
_FIRST_PARTICIPLE = re.compile(r",\s*[a-z]+ing\b[^,;:.!?()\"“”]*?\s(?:,\s*)?and\s+$")


def _relative_verb_form(word: str, lx: Lexicon) -> bool:
    """An -s form or a past tense: after "that", a relative clause's verb, not a noun."""
    return (word.endswith("s") and not word.endswith("ss")) or (
        word.endswith("ed") or word in lx.past_forms
    )


def participle_clause(norm: str, start: int) -> bool:
    """Whether the -ing word at *start* opens a participle clause after a comma ("shelled the
    town, killing three soldiers"), or the second of two coordinated ones (", suspending the
    constitution and arresting opponents"), or one right after a document it issued ("issued a
    statement urging Kenya to ..."), or the verb of such a document's relative clause ("issued
    a report that calls on Kenya to"): its subject is the main clause's, not the nearest
    actor."""
    return (
        bool(_ING_WORD.match(norm, start))
        and (
            bool(_CLAUSE_COMMA.search(norm, max(0, start - 3), start))
            or bool(_FIRST_PARTICIPLE.search(norm, max(0, start - 120), start))
            or bool(_DOCUMENT_BEFORE.search(norm, max(0, start - 90), start))
        )
    ) or document_relative(norm, start) is not None


def document_relative(norm: str, start: int) -> int | None:
    """Where the issuing verb starts when the verb at *start* heads a subject relative clause
    of a document that verb issued ("issued a report that calls on"); None otherwise."""
    lo = max(0, start - 100)
    if not ends_in_word(norm, lo, start, _RELATIVE_PRONOUNS):
        return None  # every match ends in "that" or "which" and a space (most windows don't)
    m = _DOCUMENT_RELATIVE.search(norm, lo, start)
    return m.start() if m is not None else None


_RELATIVE_PRONOUNS = ("that", "which")


def ends_in_word(norm: str, lo: int, end: int, words: tuple[str, ...]) -> bool:
    """Whether ``norm[lo:end]`` ends in whitespace (one character or more) with one of
    *words* right before it: what an expression ending ``(?:w1|w2)\\s+$`` searched in that
    window needs (False: it finds nothing there)."""
    j = end = min(end, len(norm))
    while j > lo and norm[j - 1].isspace():
        j -= 1
    return j < end and norm.endswith(words, lo, j)


def _named(text: str, prev_match: re.Match[str] | None) -> bool:
    """Whether the word before is capitalised: a name, so the subject of what follows."""
    return prev_match is not None and text[prev_match.start(1)].isupper()


# a subject pronoun, or a relative one, before a base, -s or irregular past form is its
# subject ("they agree with", "it hit five bases", "he contests the charges", "a report that
# calls on"): no noun follows a nominative pronoun, and "that" before a noun takes a singular
# one (the noun guard refuses "that attack" before this is asked)
_PRONOUN_SUBJECTS = frozenset(("he", "she", "it", "we", "they", "i", "you", "who", "which", "that"))


def _subject_before(text: str, prev: str, prev_match: re.Match[str] | None) -> bool:
    """Whether the word before a base or -s form looks like its subject (a name, a role,
    a subject pronoun)."""
    if prev.endswith("'s") or prev_match is None:
        return False  # "Iran's attack": a possessive makes it a noun
    original = text[prev_match.start(1) : prev_match.end(1)]
    return (
        original[:1].isupper() or prev in _ROLE_PLURALS or prev in _AUX or prev in _PRONOUN_SUBJECTS
    )


@dataclass(frozen=True, slots=True)
class AnchorScan:
    """Where a sentence holds a pattern's first word, found once for every layer tried.

    ``hits`` are (start, last index, patterns) of anchor words on word boundaries; without
    any, no pattern of any layer can match and the sentence needs no further trigger work.
    ``words`` are its whitespace tokens, with and without surrounding punctuation.
    """

    hits: tuple[tuple[int, int, AnchorPatterns], ...]
    words: frozenset[str]
    # each hit's candidate patterns (all layers), kept for the next layer tried on the sentence
    candidates: dict[tuple[int, int], Sequence[Pattern]] = field(
        default_factory=dict, compare=False
    )
    # ``_verbal``'s answers by (start, last index, bare, noun_ok, intransitive): it reads
    # the sentence only, so the next layer tried on the sentence asks it again for nothing
    verbal: dict[tuple[int, int, bool, bool, bool], bool] = field(
        default_factory=dict, compare=False
    )


def scan_anchors(norm: str, sent: Sentence, lx: Lexicon, spaced: str | None = None) -> AnchorScan:
    """One pass of the anchor automaton over a sentence (see ``AnchorScan``); *spaced* is
    the document's ``entries.spell_bounded(norm)`` when the caller has it (one spelling
    per document instead of one per sentence)."""
    if lx.anchor_words is not None:
        hits = _bounded_hits(norm, sent, lx.anchor_words, spaced)
    else:
        hits = _anchor_hits(norm, sent, lx)
    if not hits:
        return AnchorScan((), frozenset())
    raw = norm[sent.start : sent.end].split()
    return AnchorScan(tuple(hits), frozenset([*raw, *[w.strip(_PUNCT) for w in raw]]))


def _anchor_hits(norm: str, sent: Sentence, lx: Lexicon) -> list[tuple[int, int, AnchorPatterns]]:
    """The anchor words of the sentence with no letter or digit on either side: every
    occurrence the automaton finds, tested one by one (most lie inside longer words)."""
    size = len(norm)
    hits = []
    for end_idx, (length, anchored) in lx.anchors.iter(norm, sent.start, sent.end):
        start = end_idx - length + 1
        if (start > 0 and norm[start - 1].isalnum()) or (
            end_idx + 1 < size and norm[end_idx + 1].isalnum()
        ):
            continue
        hits.append((start, end_idx, anchored))
    return hits


# ``NOT_ALNUM`` without the space, which it would replace by itself: the same text from
# a fraction of the replacements
_NOT_ALNUM_OR_SPACE = re.compile(r"[^\w ]|_")


def _bounded_hits(
    norm: str, sent: Sentence, words: Any, spaced: str | None = None
) -> list[tuple[int, int, AnchorPatterns]]:
    """``_anchor_hits`` from the automaton of space-bounded words (``lexicon.bounded_anchors``):
    searched in the sentence and the character either side (a space past either end of the
    text) with every non-alphanumeric character a space, a word found is one with no letter
    or digit next to it, so only words that had other non-alphanumeric characters than
    their spelling's need checking. Same hits, same order (by end, longest first). With
    the document's *spaced* spelling the window is a slice of it (its leading and trailing
    spaces are the ones past either end of the text)."""
    lo = sent.start - 1
    hi = sent.end + 1
    if spaced is not None:
        window = spaced[sent.start : sent.end + 2]
    else:
        window = _NOT_ALNUM_OR_SPACE.sub(" ", norm[max(lo, 0) : hi])
        if lo < 0:
            window = " " + window
        if hi > len(norm):
            window += " "
    hits = []
    for end, (length, found) in words.iter(window):
        end_idx = lo + end - 1  # the word's last character, in the text
        start = end_idx - length + 1
        for key, anchored in found:
            if key is None or norm.startswith(key, start):
                hits.append((start, end_idx, anchored))
                break
    return hits


def _tier_candidates(
    text: str, scan: AnchorScan, tier: int
) -> Iterator[tuple[int, int, Sequence[Pattern]]]:
    """The sentence's anchors that patterns of *tier* may start at, each with its candidate
    patterns of every tier (the caller filters by tier): what ``_find_triggers`` tries, and
    what ``ConvertedReading.may_refine`` knows it would try."""
    for start, end_idx, anchored in scan.hits:
        if tier not in anchored.tiers:
            continue  # a word only the other layer knows
        if tier and text[start].isupper():
            continue  # converted patterns: a capitalised word is a name ("States", "Sue")
        patterns = scan.candidates.get((start, end_idx))
        if patterns is None:  # the same words, the same anchor: the same list for every layer
            patterns = scan.candidates[start, end_idx] = anchored.candidates(scan.words)
        yield start, end_idx, patterns


class ConvertedReading:
    """The converted layer's triggers of a sentence the curated layer already read, found
    only when asked for (the sub-code refiners and the fallback of ``coder``).

    Most sentences with a curated event never need them: a converted trigger refines a
    curated code only when its pattern's code can (``subcodes.refines``) or the curated code
    asks for an action (``subcodes.asks_for_action``). ``may_refine`` answers that from the
    converted candidate patterns of the sentence's anchors (a superset of the patterns its
    triggers come from), so a "no" is exact and the converted matching, the most expensive
    part of a sentence, is skipped. ``_find_triggers`` is pure (its caches, the parse and
    the scan's, give the same answers whenever asked), so reading later changes nothing.
    """

    __slots__ = ("_answers", "_args", "_found", "_patterns")

    def __init__(
        self,
        text: str,
        norm: str,
        sent: Sentence,
        lx: Lexicon,
        *,
        scan: AnchorScan,
        syntax: Callable[[Sentence], Parse],
    ) -> None:
        self._args = (text, norm, sent, lx, scan, syntax)
        self._found: tuple[list[_Trigger], list[_Trigger]] | None = None
        self._patterns: list[Pattern] | None = None
        self._answers: dict[str, bool] = {}  # may_refine by code

    def triggers(self) -> tuple[list[_Trigger], list[_Trigger]]:
        """``_find_triggers(..., tier=1)`` of the sentence (found once)."""
        if self._found is None:
            text, norm, sent, lx, scan, syntax = self._args
            self._found = _find_triggers(text, norm, sent, lx, tier=1, scan=scan, syntax=syntax)
        return self._found

    def may_refine(self, code: str) -> bool:
        """Whether some converted pattern the sentence's anchors offer can refine *code*
        (``subcodes.refines``; False: no converted trigger of the sentence can)."""
        known = self._answers.get(code)
        if known is None:
            known = self._answers[code] = any(refines(code, p) for p in self._candidates())
        return known

    def _candidates(self) -> list[Pattern]:
        # the patterns ``_find_triggers(tier=1)`` tries, before any regex: every trigger it
        # returns (plain, light or nominal) carries one of them
        if self._patterns is None:
            text, _norm, _sent, _lx, scan, _syntax = self._args
            self._patterns = [
                p
                for _s, _e, patterns in _tier_candidates(text, scan, 1)
                for p in patterns
                if p.tier == 1
            ]
        return self._patterns


def _find_triggers(
    text: str,
    norm: str,
    sent: Sentence,
    lx: Lexicon,
    *,
    tier: int = 0,
    notes: list[dict[str, Any]] | None = None,
    syntax: Callable[[Sentence], Parse] | None = None,
    scan: AnchorScan | None = None,
) -> tuple[list[_Trigger], list[_Trigger]]:
    """The sentence's action and reported-speech triggers from patterns of one *tier*.

    With *notes*, every pattern that matched is recorded with why it was dropped (the
    ``--explain`` trace); kept ones are recorded by the caller once their event is decided.
    *syntax* gives the sentence's parse (the coder's per-document cache), asked only when
    a verb pattern matches; without it (a sentence without actors, which cannot make an
    event) the word-shape tests alone decide. *scan* is the sentence's ``scan_anchors``
    when the caller has it already.
    """
    found: list[_Trigger] = []
    if scan is None:
        scan = scan_anchors(norm, sent, lx)
    parsed: Parse | None = None  # parsed on the first verb pattern that matches
    readings: dict[int, str | None] = {}
    for start, end_idx, patterns in _tier_candidates(text, scan, tier):
        verbal = scan.verbal  # (shared by the layers: the same sentence, the same answers)
        for pattern in patterns:
            if pattern.tier != tier:
                continue
            match = pattern.regex.match(norm, start, sent.end)
            if match is None:
                continue
            if (
                tier
                and match.end() == end_idx + 1
                and _COMPLEMENT_AFTER.match(norm, match.end())
                # "extended aid to Vietnam": the object noun of a light verb, a PP after it
                and (syntax is None or (parsed := parsed or syntax(sent)).light_verb(start) is None)
            ):
                if notes is not None:
                    notes.append(
                        _note(text, start, match.end(), pattern, "frames an embedded verb")
                    )
                continue  # a bare verb before "to"/"that" frames the verb it embeds
            if match.end() == end_idx + 1 and _phrasal(norm, start, match.end(), lx):
                if notes is not None:
                    notes.append(_note(text, start, match.end(), pattern, "part of a phrasal verb"))
                continue  # "struck down the order", "rounded up": another verb than its head
            if (
                pattern.code[:2] == "14"
                and match.end() == end_idx + 1
                and _TRANSITIVE_OBJECT.match(norm, match.end())
            ):
                if notes is not None:
                    notes.append(
                        _note(text, start, match.end(), pattern, "another sense: it has an object")
                    )
                continue  # "demonstrated restraint", "demonstrated that": showed, no protest
            if pattern.nominal:
                nominal = _nominal_trigger(
                    sent,
                    start=start,
                    noun_end=end_idx + 1,
                    end=match.end(),
                    pattern=pattern,
                    lx=lx,
                    syntax=syntax,
                    parsed=parsed,
                )
                if syntax is not None:
                    parsed = parsed or syntax(sent)
                if isinstance(nominal, str):
                    if notes is not None:
                        notes.append(_note(text, start, match.end(), pattern, nominal))
                    continue
                found.append(nominal)
                continue
            if pattern.verb_first:
                # converted patterns get the strict (bare-verb) test: PETRARCH-2 relied on a
                # parser to know "plant", "control", "links" were verbs
                bare = pattern.tier > 0 or match.end() == end_idx + 1
                # "during a visit to Kazakhstan": the noun is what a place pattern means
                noun_ok = not bare and pattern.target == "place"
                # protests, demonstrations, riots (14x) have no passive: "students
                # demonstrated in ..." is no reduced relative clause
                intransitive = pattern.code[:2] == "14"
                key = (start, end_idx, bare, noun_ok, intransitive)
                if key not in verbal:
                    verbal[key] = _verbal(
                        text,
                        norm,
                        sent,
                        (start, end_idx + 1),
                        lx,
                        bare=bare,
                        noun_ok=noun_ok,
                        intransitive=intransitive,
                    )
                light: tuple[int, int] | None = None
                if not verbal[key] and syntax is not None and not noun_ok:
                    # what the word shapes refuse as a noun may be the event noun of a light
                    # verb ("launched attacks on", "ordered the release of"): the action
                    parsed = parsed or syntax(sent)
                    light = parsed.light_verb(start)
                if light is not None:
                    found.append(_Trigger(light[0], match.end(), light[1], pattern, light=True))
                    continue
                subject = (
                    _subject_noun(sent, start, match.end() == end_idx + 1, pattern, syntax)
                    if not verbal[key] and not noun_ok
                    else None
                )
                if subject is not None:
                    found.append(
                        _Trigger(start, match.end(), end_idx + 1, pattern, subject_noun=subject)
                    )
                    continue
                if not verbal[key]:
                    if notes is not None:
                        notes.append(
                            _note(text, start, match.end(), pattern, "not read as a verb here")
                        )
                    continue
                if syntax is not None and not noun_ok:
                    # what the word shape lets through, the tagger checks: "Sue", "Indian
                    # strikes", "the most tortured" are a name, a noun and an adjective
                    if start not in readings:
                        parsed = parsed or syntax(sent)
                        head = norm[start : end_idx + 1]
                        past = head.endswith("ed") or head in lx.past_forms
                        readings[start] = parsed.reading(start, past=past)
                    if readings[start] is not None:
                        subject = _subject_noun(
                            sent, start, match.end() == end_idx + 1, pattern, syntax
                        )
                        if subject is not None:
                            # no verb, as the tagger says; the subject's event noun instead
                            if notes is not None:
                                why = f"{readings[start]}: read as the subject's event noun"
                                notes.append(_note(text, start, match.end(), pattern, why))
                            found.append(
                                _Trigger(
                                    start, match.end(), end_idx + 1, pattern, subject_noun=subject
                                )
                            )
                            continue
                        if notes is not None:
                            notes.append(
                                _note(text, start, match.end(), pattern, str(readings[start]))
                            )
                        continue
            found.append(_Trigger(start, match.end(), end_idx + 1, pattern))
    if notes is not None:
        kept = {_key(t) for t in _select([t for t in found if not t.pattern.complement])}
        kept |= {_key(t) for t in _select([t for t in found if t.pattern.complement])}
        notes.extend(
            _note(text, t.start, t.end, t.pattern, "overlaps a preferred match")
            for t in found
            if _key(t) not in kept
        )
    verbs = _select([t for t in found if not t.pattern.complement])
    # a PETRARCH-2 "[---]" match has won its span from the bare verb: it codes nothing
    if notes is not None:
        notes.extend(
            _note(text, t.start, t.end, t.pattern, "a [---] pattern: these words are no event")
            for t in verbs
            if t.pattern.null
        )
    verbs = [t for t in verbs if not t.pattern.null]
    # "agreed to lift sanctions": the action carries the intent (as its future code)
    verbs = [
        t
        for n, t in enumerate(verbs)
        if not (t.pattern.intent and n + 1 < len(verbs) and verbs[n + 1].start - t.end <= 16)
    ]
    complements = _select([t for t in found if t.pattern.complement])
    return verbs, complements


# the CAMEO roots whose event noun, as the subject of a finite verb, is an act that took
# place ("the attack on", "the arrest of", "clashes between", "talks between", "protests
# by"): meetings, protests, coercion, assaults, fighting and mass violence. An aid, a plan,
# a deal or sanctions in that place is a state of affairs or a thing, not its act
_EVENT_NOUN_ROOTS = frozenset(("04", "14", "17", "18", "19", "20"))


def _subject_noun(
    sent: Sentence,
    start: int,
    one_word: bool,
    pattern: Pattern,
    syntax: Callable[[Sentence], Parse] | None,
) -> tuple[int, int] | None:
    """(noun phrase start, verb start) when a one-word pattern's word, read as a noun, heads
    the subject of a finite verb (``Parse.subject_event_noun``) and names an act of
    ``_EVENT_NOUN_ROOTS``; None otherwise."""
    if syntax is None or not one_word or pattern.code[:2] not in _EVENT_NOUN_ROOTS:
        return None
    if pattern.nominal or pattern.between or pattern.complement or pattern.intent:
        return None
    return syntax(sent).subject_event_noun(start)


# the default code of an appeal and a demand, whose sub-code names what is asked for
_ASKING_DEFAULT = {"ask": "020", "demand": "100"}


def _nominal_trigger(
    sent: Sentence,
    *,
    start: int,
    noun_end: int,
    end: int,
    pattern: Pattern,
    lx: Lexicon,
    syntax: Callable[[Sentence], Parse] | None,
    parsed: Parse | None,
) -> _Trigger | str:
    """The trigger of a ``nominal`` pattern's event noun, or why there is none.

    A nominalised action ("a suspension of aid to", "the withdrawal of troops from") is an
    event only as the object of a light verb: announced or ordered, it is the action itself
    (the subject's, with the verb's modality, as PETRARCH-2 codes "suspended aid to");
    demanded, called for or urged, it is the demand (10x) or appeal (02x) for that action by
    CAMEO's sub-codes (``subcodes.asked_code``; none mapped: no event, the request's sense
    is unknown), its target the first actor after the noun (whose action is asked for:
    "demanded the withdrawal of Russian troops"); agreed to, it is the intent (03x). A noun
    phrase by itself ("the withdrawal of troops from Syria last year") is background.
    """
    if syntax is None:
        return "a nominal event needs a light verb"
    head = (parsed or syntax(sent)).nominal_head(start, gerund=True)
    if head is None:
        return "a nominal event needs a light verb"
    verb_start, verb_end, kind = head
    if kind == "do":
        return _Trigger(verb_start, end, verb_end, pattern, light=True)
    if kind == "agree":
        code = lx.future_code(pattern.code)
        if code[:2] != "03" or code not in lx.codes:
            return "agreed to a nominal action with no intent code"
        return _Trigger(verb_start, end, verb_end, replace(pattern, code=code), light=True)
    code_or_none = asked_code(_ASKING_DEFAULT[kind], pattern.code, lx.codes, lx.future_code)
    if code_or_none is None:
        return f"{kind}s a nominal action with no {_ASKING_DEFAULT[kind][:2]}x code"
    asked = replace(pattern, code=code_or_none)
    return _Trigger(verb_start, noun_end, verb_end, asked, light=True)


_NEXT_WORDS = re.compile(r"\s+([a-z]+)(?:\s+([a-z]+))?")


# the first words of each lexicon's phrasal verbs, by the (hashable, hash-cached) set itself
_PHRASAL_HEADS: dict[frozenset[str], frozenset[str]] = {}


def _phrasal_heads(phrasal: frozenset[str]) -> frozenset[str]:
    """The words a phrasal verb of *phrasal* starts with ("struck" of "struck down"): a
    trigger word that is none of them begins no phrasal verb, and needs no look at the
    words after it (asked for nearly every one-word trigger)."""
    heads = _PHRASAL_HEADS.get(phrasal)
    if heads is None:
        if len(_PHRASAL_HEADS) > 8:  # (one lexicon per process, a few in the tests)
            _PHRASAL_HEADS.clear()
        heads = _PHRASAL_HEADS[phrasal] = frozenset(p.split(" ", 1)[0] for p in phrasal)
    return heads


def _phrasal(norm: str, start: int, end: int, lx: Lexicon) -> bool:
    """Whether the word at *start* begins a multi-word verb that PETRARCH-2 codes as a verb of
    its own with no code ("struck down", "set up", "rounded up"): not the head's sense."""
    if not lx.phrasal_verbs:
        return False
    if norm[start:end] not in _phrasal_heads(lx.phrasal_verbs):
        return False  # (both phrases tried below begin with the head and a space)
    nxt = _NEXT_WORDS.match(norm, end)
    if nxt is None:
        return False
    two = f"{norm[start:end]} {nxt.group(1)}"
    return two in lx.phrasal_verbs or f"{two} {nxt.group(2)}" in lx.phrasal_verbs


def _note(text: str, start: int, end: int, pattern: Pattern, outcome: str) -> dict[str, Any]:
    return {
        "pattern_id": pattern.id,
        "code": pattern.code,
        "trigger": text[start:end],
        "start": start,
        "outcome": outcome,
    }


def _key(t: _Trigger) -> tuple[int, int, int, int, bool]:
    """A trigger's identity across ``_select`` (which copies the matches it keeps)."""
    return (t.start, t.end, t.head_end, id(t.pattern), t.light)


def _select(triggers: list[_Trigger]) -> list[_Trigger]:
    """Curated before converted, a pattern's own match before a light verb's event noun, then
    longest match first (then dictionary order), no overlaps.

    A curated pattern wins any overlap with a converted PETRARCH-2 one: the curated list is
    where the project corrects the big dictionary.
    """
    # a nominal pattern's event noun under its light verb is as good as a pattern's own
    # match, and more specific than one spanning the same words: "announced the lifting of
    # sanctions" is the lifting (085), not "<announce> ... sanctions" (163)
    triggers.sort(
        key=lambda t: (
            t.pattern.tier,
            t.light and not t.pattern.nominal,
            t.start - t.end,
            not t.pattern.nominal,
            t.pattern.order,
            t.start,
        )
    )
    chosen: list[_Trigger] = []
    lost: list[_Trigger] = []
    for trig in triggers:
        if all(trig.end <= c.start or trig.start >= c.end for c in chosen):
            chosen.append(trig)
        else:
            lost.append(trig)
    if lost:
        # a lost candidate that overlaps one chosen match only (and says something: no
        # "[---]") is that match's fallback, in the order of preference
        alternatives: dict[int, list[_Trigger]] = {}
        for trig in lost:
            over = [c for c in chosen if not (trig.end <= c.start or trig.start >= c.end)]
            if len(over) == 1 and not trig.pattern.null:
                alternatives.setdefault(id(over[0]), []).append(trig)
        chosen = [
            replace(c, overlapped=tuple(alternatives[id(c)])) if id(c) in alternatives else c
            for c in chosen
        ]
    chosen.sort(key=lambda t: t.start)
    return chosen


def _modality(
    norm: str,
    sent: Sentence,
    source: _Group,
    trig: _Trigger,
    cues: _Cues,
    *,
    claimer: Callable[[int], _Group | None] | None = None,
) -> str:
    # cues count between the subject and the trigger, and just before the subject ("denied
    # that it ...", "if it does send ...")
    # "has not yet formally announced Xi's visit to": the cue may govern the subject's noun
    lo = max(sent.start, min(source.start, trig.start) - 40)
    window = norm[lo : trig.start]
    before_source = norm[sent.start : min(source.start, trig.start)]
    if cues.negation.search(window) or cues.deny_that.search(window):
        return NEGATED
    if cues.hypothetical.search(window):
        return HYPOTHETICAL
    if claimed(norm, sent, source, trig, cues, claimer=claimer):
        return CLAIMED  # "claimed that Israel had attacked": the claim, not the attack
    future = cues.future.search(window)
    wanted = _INFINITIVE_BEFORE.search(norm, max(sent.start, trig.start - 60), trig.start)
    # "will impose", "intends to impose"; but in "will persuade X to lift" the future is the
    # persuading: the infinitive under it is not (yet) done, as without "will"
    if future and not (wanted and _INFINITIVE_BEFORE.search(norm, lo + future.end(), trig.start)):
        return FUTURE
    if wanted:
        return HYPOTHETICAL  # "moved to punish", "allowed X to strike": not (yet) done
    if cues.speech.search(before_source):
        return REPORTED
    return ASSERTED


# "accused India of attacking", "blamed Russia for the shelling of", "charged him with
# ordering": the action is what the accuser alleges, not an asserted act
_ACCUSED_OF = re.compile(
    r"\b(?:(?:accus|suspect|blam)(?:e|es|ed|ing|s)?\b(?:\s+[^\s,;:.!?]+){1,8}?\s+(?:of|for)|"
    r"charg(?:e|es|ed|ing)\b(?:\s+[^\s,;:.!?]+){1,8}?\s+with)"
    r"\s+(?:having\s+)?(?:(?:the|a|an|its|their)\s+)?(?:\w+ly\s+)?$"
)


def claimed(
    norm: str,
    sent: Sentence,
    source: _Group,
    trig: _Trigger,
    cues: _Cues,
    *,
    claimer: Callable[[int], _Group | None] | None = None,
) -> bool:
    """Whether the action of *trig* with subject *source* sits in what someone claims.

    Two clause shapes, each the complement of a claim (CAMEO codes the claim, not the act
    claimed): the clause a claim verb introduces ("X claimed (that) Y attacked Z", "insisted
    that"), and the gerund of an accusation ("accused Y of attacking Z"). The subject must
    start the clause: an actor before the claim verb is the claimer, and his own action is his
    own. So is one claimed of his own side: a pronoun subject of the clause ("Pakistan
    claimed it shot down ...") resolves to the claimer, and a subject of the claimer's country
    ("Washington claimed the US military is hitting ...", found by *claimer*: the actor
    before the claim verb at an offset) is his own side; a party claiming its own act reports
    the act (on the tune pages such a claim was judged a right event). An attribution after
    the clause ("Y attacked Z, a rights group charged") is left to reported speech: the CAMEO
    manual codes the act in its own example of that shape.
    """
    lo = sent.start
    head = min(source.start, trig.start)
    verb = None if source.coreferent else cues.claim_before.search(norm, lo, head)
    if verb is not None:
        who = claimer(verb.start()) if claimer is not None else None
        own = {a.country for a in who.actors} if who is not None else set()
        if not own & {a.country for a in source.actors if a.country}:
            return True
    return _ACCUSED_OF.search(norm, max(lo, trig.start - 120), trig.start) is not None


def _pick_date(
    dates: list[DateMention], trig: _Trigger, pub: date | None
) -> tuple[date | None, str | None, str | None]:
    if dates:
        best = min(dates, key=lambda d: min(abs(d.start - trig.end), abs(trig.start - d.end)))
        if best.value is not None:
            return best.value, best.precision, "text"
        if pub is None:  # "yesterday" with no publication date: unknown, not guessed
            return None, None, None
    if pub is not None:
        return pub, "day", "publication"
    return None, None, None
