"""Speed pass 6: each shortcut gives exactly what the path it replaces gives.

* the word before a trigger (``triggers.prev_word``) read from the reversed window instead
  of a search trying every start: the same match object;
* the noun guard and the plural-noun test (``noun_guard``, ``noun_plural_before``) behind
  string tests that every match passes: the same answers as their expressions;
* ``_verbal``'s answers kept on the sentence's anchor scan for the next layer tried;
* the cue expressions (``actors.CueRegex``) behind substring tests;
* the document spelled by ``bytes.translate`` (``entries.spell_bounded``);
* the page-furniture test (``gate.clutter``): its searches behind string tests.

Checked on our own sentences and on generated input; timings live in ``bench/``, never here.
"""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.events import code_text, load_lexicon
from pipeline.stages.events.actors import CueRegex, _cue_regex, _cues
from pipeline.stages.events.entries import _NOT_ALNUM_OR_SPACE, normalise, spell_bounded
from pipeline.stages.events.gate import _TERMINAL, clutter, ends_terminal
from pipeline.stages.events.sentences import split_sentences
from pipeline.stages.events.triggers import (
    _NOUN_GUARD,
    _NOUN_PLURAL_BEFORE,
    _PREV_WORD,
    noun_guard,
    noun_plural_before,
    prev_word,
    scan_anchors,
)

OWN_TEXTS = [
    "The Iranian strikes on the border town drew a protest from Turkey's foreign minister.",
    "A visit by the Danish premier was called off; officials from Oslo denied that it mattered.",
    "Chile's president said he will not meet the rebels' envoy, who'd threatened to walk out.",
    "Reports of renewed shelling near Harrow: what Kyiv calls attacks on civilians go on.",
    "They'd agreed ' ' to talk -- ’tis said -- and then   \n   the army stormed the camp.",
    "Москва заявила, что Kenya's police arrested 12 protesters in Nairobi on Tuesday.",
]

# words and separators the three expressions care about, in generated windows
_PIECES = st.sampled_from(
    [
        "a",
        "an",
        "the",
        "his",
        "of",
        "in",
        "what",
        "calls",
        "called",
        "iranian",
        "thais",
        "x",
        "ban",
        "'",
        "’",
        "-",
        "_",
        " ",
        "  ",
        "\n",
        "\t",
        "\xa0",
        ",",
        "(",
        "é",
        "1",
        "d'",
    ]
)
_WINDOW = st.lists(_PIECES, max_size=14).map("".join)


def _windows(text: str) -> list[tuple[str, int, int]]:
    """Every (normalised text, lo, hi) window ending at a word's start, as ``_verbal``
    asks them (30, 20 and 40 characters back), and some clipped at the text's start."""
    norm = normalise(text)
    out = []
    for m in re.finditer(r"\S+", norm):
        for back in (0, 3, 20, 30, 40):
            out.append((norm, max(0, m.start() - back), m.start()))
    return out


def _same_match(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.span(), a.span(1), a.group(1)) == (b.span(), b.span(1), b.group(1))


def test_prev_word_is_the_search_on_our_sentences() -> None:
    for text in OWN_TEXTS:
        for norm, lo, hi in _windows(text):
            assert _same_match(prev_word(norm, lo, hi), _PREV_WORD.search(norm, lo, hi))


@settings(max_examples=400, deadline=None)
@given(_WINDOW, st.integers(0, 60), st.integers(0, 60))
def test_prev_word_is_the_search_on_generated_windows(text: str, a: int, b: int) -> None:
    lo, hi = min(a, b, len(text)), min(max(a, b), len(text))
    assert _same_match(prev_word(text, lo, hi), _PREV_WORD.search(text, lo, hi))


def test_prev_word_edge_cases() -> None:
    # only apostrophes in the window: the search takes the first one, and so does it
    assert _same_match(prev_word("' ' x", 0, 3), _PREV_WORD.search("' ' x", 0, 3))
    assert prev_word("' ' x", 0, 3) is not None
    assert prev_word(" , ( ", 0, 5) is None  # no word at all
    assert prev_word("", 0, 0) is None
    m = prev_word("the army's  ", 0, 12)
    assert m is not None
    assert m.group(1) == "army's"
    m = prev_word("rebels' , ", 0, 10)
    assert m is not None
    assert m.group(1) == "rebels'"
    m = prev_word("xyz abc ", 5, 8)  # clipped at lo: the part of the word inside
    assert m is not None
    assert m.group(1) == "bc"


def test_noun_guard_and_plural_test_are_their_expressions_on_our_sentences() -> None:
    for text in OWN_TEXTS:
        for norm, lo, hi in _windows(text):
            assert noun_guard(norm, lo, hi) == bool(_NOUN_GUARD.search(norm, lo, hi))
            assert noun_plural_before(norm, lo, hi) == bool(
                _NOUN_PLURAL_BEFORE.search(norm, lo, hi)
            )


@settings(max_examples=400, deadline=None)
@given(_WINDOW, st.integers(0, 60), st.integers(0, 60))
def test_noun_guard_and_plural_test_on_generated_windows(text: str, a: int, b: int) -> None:
    lo, hi = min(a, b, len(text)), min(max(a, b), len(text))
    assert noun_guard(text, lo, hi) == bool(_NOUN_GUARD.search(text, lo, hi))
    assert noun_plural_before(text, lo, hi) == bool(_NOUN_PLURAL_BEFORE.search(text, lo, hi))


def test_guard_and_plural_answers() -> None:
    assert noun_guard("a visit", 0, 2)  # "a " before "visit"
    assert not noun_guard("ban visit", 0, 4)  # "an" inside "ban" is no determiner
    assert not noun_guard("the", 0, 3)  # no space before the trigger
    assert noun_plural_before("iranian strikes", 0, 8)
    assert noun_plural_before("months of renewed strikes", 0, 18)
    assert not noun_plural_before("of one two three strikes", 0, 17)  # three words back
    assert noun_plural_before("what kyiv calls ", 0, 16)
    assert not noun_plural_before("the ministers strikes", 0, 14)


def test_cue_regex_search_is_the_expression() -> None:
    lx = load_lexicon()
    cues = _cues(lx)
    for name in ("negation", "future", "hypothetical", "speech", "clause_break", "deny_that"):
        cue = getattr(cues, name)
        assert isinstance(cue, CueRegex)
        for text in [*OWN_TEXTS, "he won't go", "it denies the claims that", "they rejected"]:
            norm = normalise(text)
            for lo in range(0, len(norm), 7):
                for hi in (lo, len(norm), min(len(norm), lo + 25)):
                    assert _same_cue(cue.search(norm, lo, hi), cue.regex.search(norm, lo, hi))
            assert _same_cue(cue.search(norm), cue.regex.search(norm))


def _same_cue(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.span() == b.span())


def test_cue_regex_needs() -> None:
    cue = _cue_regex(["is expected to", "expected to", "n't", "will"])
    assert cue.search("she is expected to go") is not None
    assert cue.search("they won't") is not None
    assert cue.search("nothing of the kind") is None
    assert cue.search("he will", 3) is not None
    assert cue.search("he will", 0, 5) is None
    # an empty needed string (or none): the expression always runs
    always = CueRegex(re.compile(""), [])
    assert always.search("abc") is not None
    assert CueRegex(re.compile("x?"), ["x", ""]).search("abc") is not None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZé1_ -.&'’,;\"()\n\t\xa0—“жк\u3000\u2028", max_size=60))
def test_spelling_by_translate_is_the_expression(text: str) -> None:
    assert spell_bounded(text) == f" {_NOT_ALNUM_OR_SPACE.sub(' ', text)} "


def test_spelling_every_latin1_character_and_some_others() -> None:
    chars = "".join(chr(c) for c in range(256)) + "—“”…\u3000\u2028ж中"
    for text in (chars, chars[:256], "".join(chr(c) for c in range(128)), "ab—cd"):
        assert spell_bounded(text) == f" {_NOT_ALNUM_OR_SPACE.sub(' ', text)} "


def test_verbal_answers_shared_by_the_layers_change_nothing() -> None:
    """A sentence coded with a fresh scan for each layer and with the shared one: the same
    events, including sentences that must yield nothing."""
    day = date(2024, 3, 5)
    texts = [
        *OWN_TEXTS,
        "Kenya attacked Uganda.",
        "The attack on Uganda was condemned.",  # a noun: no event from "attack"
        "Nothing happened in the capital today.",  # no event at all
    ]
    for text in texts:
        first = code_text(text, day)
        assert code_text(text, day) == first
        assert code_text(text, day, trace=[]) == first
    assert code_text("Nothing happened in the capital today.", day) == []
    lx = load_lexicon()
    norm = normalise(texts[0])
    sent = split_sentences(texts[0])[0]
    scan = scan_anchors(norm, sent, lx)
    assert scan.verbal == {}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab .!?…\"”’')]|•»\n\t\xa0(“", max_size=20))
def test_ends_terminal_is_the_expression(text: str) -> None:
    assert ends_terminal(text) == bool(_TERMINAL.search(text))


def test_clutter_answers() -> None:
    for text in OWN_TEXTS:
        assert not clutter(text)
    assert clutter("Home | World | Business | Sport")
    assert clutter("News • Weather • Sport")
    assert not clutter("He said “it is over.”  ")
    assert ends_terminal("He said “it is over.”  ")
    assert not ends_terminal("Breaking news from the capital")
    long_run = " ".join(["word"] * 80)
    assert clutter(long_run)
    assert not clutter(long_run + ".")
