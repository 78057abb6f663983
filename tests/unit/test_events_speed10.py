"""Speed pass 10: each shortcut gives exactly what the path it replaces gives.

* the cue expressions' needed strings found by one automaton (``actors.CueRegex.holds``
  from ``AUTOMATON_MIN`` strings on): the substring tests' answer, so the same search;
* the required words of a converted pattern tested rarest first (``patterns.rarest_first``):
  the same tokens, the same ``possible`` answer;
* string tests in front of ``document_relative``, ``coordinated_predicate`` and the named
  modifier test: where they skip the expression, it finds nothing;
* the tokeniser without the digit-group and abbreviation alternatives where they cannot
  match (``syntax._tokeniser``): ``_TOKEN``'s spans;
* the sentence boundary with its first character as one set (``sentences._BOUNDARY``):
  the old expression's matches;
* the coreference cues behind a word boundary: the same matches and groups;
* whole documents coded the same with every shortcut and with the old paths.

Checked on our own sentences and on generated input; timings live in ``bench/``, never here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.events import (
    actors,
    clauses,
    load_lexicon,
    sentences,
    subjects,
    syntax,
    triggers,
)
from pipeline.stages.events.actors import AUTOMATON_MIN, CueRegex, _cue_regex, _cues
from pipeline.stages.events.entries import normalise
from pipeline.stages.events.patterns import LazyRegex, rarest_first, required_words
from tests.unit.eventkit import coded_with_trace

OWN_TEXTS = [
    "The Latvian cabinet issued a statement that urges Estonia to reopen the crossing.",
    "Peru has troops near the border and is warning Ecuador, officials in Lima said.",
    "An Icelandic request for talks reached Oslo; their Faroese counterparts declined to reply.",
    "Malta's envoy didn't attend, but she said the two governments will meet in 2,400 days.",
    "Ghana and Togo agreed to talk. U.S. and U.N. officials weren't told.\nThey left at 9.30.",
    "It denied that its navy had seized 1,250 tonnes of fuel, which Senegal may yet dispute.",
    "Rebels who had shelled the town, killing 12, were expected to surrender if pressed!",
    "a report which calls on Chile  to act , and then condemned Bolivia",
    "Nothing here names anyone at all",
    "",
]
DAY = date(2023, 2, 28)
_OLD_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+|\n\s*")


def _windows(text: str) -> list[tuple[int, int]]:
    size = len(text)
    return [(lo, hi) for lo in range(0, size + 1, 3) for hi in range(lo, size + 1, 2)]


# -- the cue automaton -------------------------------------------------------------------


def _holds_by_substrings(cue: CueRegex, text: str, pos: int, endpos: int) -> bool:
    assert cue._needs is not None
    span = text[pos:endpos]
    return any(need in span for need in cue._needs)


def test_cue_automaton_answers_as_the_substring_tests() -> None:
    cues = _cues(load_lexicon())
    names = ("negation", "future", "hypothetical", "speech", "speaker", "clause_break")
    with_automaton = 0
    for name in (*names, "deny_that"):
        cue = getattr(cues, name)
        with_automaton += cue._automaton is not None
        for text in [*OWN_TEXTS, "he'll go", "they won't", "x"]:
            norm = normalise(text)
            for lo, hi in [*_windows(norm), (0, 10**9), (len(norm) + 5, len(norm) + 9)]:
                assert cue.holds(norm, lo, hi) == _holds_by_substrings(cue, norm, lo, hi)
                found, want = cue.search(norm, lo, hi), cue.regex.search(norm, lo, hi)
                assert (found and found.span()) == (want and want.span())
    assert with_automaton >= 4  # the long lists use it, "deny_that" (3 strings) does not
    assert cues.deny_that._automaton is None


def test_cue_automaton_edge_cases() -> None:
    words = ["alpha to", "beta", "gamma", "delta", "epsilon", "zeta", "iota", "kappa"]
    cue = _cue_regex(words)
    assert len(words) >= AUTOMATON_MIN
    assert cue._automaton is not None
    assert cue.holds("say beta now")
    assert cue.search("say beta now") is not None
    assert not cue.holds("say bet a now")
    assert cue.search("say bet a now") is None
    assert cue.holds("xx iota", 3)
    assert not cue.holds("xx iota", 0, 6)
    assert not cue.holds("xx iota", 7)
    assert not cue.holds("xx iota", 4, 2)
    assert cue.holds("xx iota", 0, 10**9)  # past the end: up to the end
    # negative offsets slice from the end, as the substring tests do
    assert cue.holds("beta xx", -7, -3) == _holds_by_substrings(cue, "beta xx", -7, -3)
    assert cue.holds("xx beta", -4) == _holds_by_substrings(cue, "xx beta", -4, 10**9)
    few = _cue_regex(["one", "two"])
    assert few._automaton is None
    assert few.holds("a two b")
    assert not few.holds("a b")
    assert CueRegex(re.compile(""), []).holds("abc")  # no needed strings: always


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abt ehlo'", max_size=30), st.integers(-3, 33), st.integers(-3, 33))
def test_cue_automaton_on_generated_text(text: str, pos: int, endpos: int) -> None:
    cue = _cue_regex(["the", "hat", "a b", "lo", "tho", "bel", "'ll", "o o"])
    assert cue.holds(text, pos, endpos) == _holds_by_substrings(cue, text, pos, endpos)


# -- required words, rarest first ---------------------------------------------------------


def test_rarest_first_keeps_the_tokens_and_the_answer() -> None:
    lx = load_lexicon()
    norms = [normalise(t) for t in OWN_TEXTS]
    tried = 0
    for _length, anchored in list(lx.anchors.values())[::199]:
        for pattern in (*anchored.free, *[p for g in anchored.keyed.values() for p in g]):
            regex = pattern.regex
            plain = required_words(regex.source, regex._irregular)
            ordered = rarest_first(plain)
            assert sorted(ordered) == sorted(plain)
            fresh = LazyRegex(regex.source, regex._irregular, lazy=True)
            for norm in norms:
                for pos in range(0, len(norm), 9):
                    want = all(any(a in norm[pos:] for a in alts) for alts in plain)
                    assert fresh.possible(norm, pos, len(norm)) == want
                    tried += 1
    assert tried > 300


def test_rarest_first_order() -> None:
    # few long strings first; ties keep the pattern's order
    assert rarest_first((("to", "on"), ("sanctions",), ("a",))) == (
        ("sanctions",),
        ("to", "on"),
        ("a",),
    )
    assert rarest_first(()) == ()


# -- prefilters ---------------------------------------------------------------------------


def test_document_relative_prefilter_changes_no_answer() -> None:
    seen = 0
    for text in [*OWN_TEXTS, "they issued a report which  calls", "sent a letter, that\tsays"]:
        norm = normalise(text)
        for start in range(len(norm) + 1):
            want = triggers._DOCUMENT_RELATIVE.search(norm, max(0, start - 100), start)
            assert triggers.document_relative(norm, start) == (want and want.start())
            seen += want is not None
    assert seen >= 3


def test_ends_in_word() -> None:
    words = ("that", "which")
    assert triggers.ends_in_word("a report that ", 0, 14, words)
    assert triggers.ends_in_word("a report that \t\n", 0, 16, words)
    assert not triggers.ends_in_word("a report that", 0, 13, words)  # no space after
    assert not triggers.ends_in_word("a report thatch ", 0, 16, words)
    assert not triggers.ends_in_word("that ", 1, 5, words)  # the word starts before lo
    assert not triggers.ends_in_word("   ", 0, 3, words)
    assert triggers.ends_in_word("which ", 0, 99, words)  # past the end: up to the end


def test_coordinated_predicate_prefilter_changes_no_answer() -> None:
    seen = 0
    for text in [*OWN_TEXTS, "Oslo rebuilt the port but then closed it", "Rome, and is now"]:
        norm = normalise(text)
        for start in range(len(norm) + 1):
            for sent_start in (0, max(0, start - 20)):
                m = clauses._COORDINATED_PREDICATE.search(norm, max(sent_start, start - 60), start)
                assert clauses.coordinated_predicate(norm, sent_start, start) == (m and m.start())
                seen += m is not None
    assert seen >= 3


def _named_slow(text: str, lo: int, end: int) -> bool:
    return triggers._NAMED_MODIFIER.search(text, lo, end) is not None


def test_named_modifier_prefilter_changes_no_answer() -> None:
    seen = 0
    extra = ["an Icelandic\tstrike", "their Faroese  Danish\nallies", "a U.S.-led raid", "a  "]
    for text in [*OWN_TEXTS, *extra]:
        for lo, end in _windows(text):
            want = _named_slow(text, lo, end)
            assert triggers.named_modifier(text, lo, end) == want
            seen += want
    assert seen >= 5
    assert triggers.named_modifier("their Faroese ", 0, 99)
    assert not triggers.named_modifier("their faroese ", 0, 14)
    assert not triggers.named_modifier("their Faroese", 0, 13)


_MODIFIER_PIECES = ["a ", "an ", "their ", "Ice ", "U.S. ", "x", " ", "\t"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_MODIFIER_PIECES)).map("".join))
def test_named_modifier_on_generated_windows(text: str) -> None:
    for end in range(len(text) + 1):
        assert triggers.named_modifier(text, 0, end) == _named_slow(text, 0, end)


# -- tokeniser, sentence boundary, coreference cues ---------------------------------------


# (the full-token equivalence of the per-text tokenisers: test_events_speed7, with these texts)


def test_tokeniser_drops_only_what_cannot_match() -> None:
    assert syntax._tokeniser("one dot only.").pattern == r"\w+(?:[-.&]\w+)*|[^\w\s]"
    assert syntax._tokeniser("U.S. forces").pattern.startswith(r"(?:[A-Za-z]\.){2,}|")
    assert syntax._tokeniser("1,000 men, no dot").pattern.startswith(r"\d{1,3}")
    assert syntax._tokeniser("7, not a number").pattern == r"\w+(?:[-.&]\w+)*|[^\w\s]"
    assert syntax._tokeniser("1,000 U.S. men didn't").pattern == syntax._TOKEN.pattern
    assert syntax._tokeniser("1,000 U.S. men's").pattern == syntax._TOKEN_NO_NT.pattern
    assert "n['’]t" not in syntax._tokeniser("U.S. men's").pattern
    assert syntax._tokeniser("2,000 U.S. men").pattern == syntax._TOKEN_PLAIN.pattern
    assert syntax._digit_group_possible("a,1")
    assert syntax._digit_group_possible(",a ,٣")
    assert not syntax._digit_group_possible("a, b,")
    assert not syntax._digit_group_possible("")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aU t'’s.,1٣-&é\n", max_size=40))
def test_tokeniser_on_generated_text(text: str) -> None:
    want = [m.span() for m in syntax._TOKEN.finditer(text)]
    assert [m.span() for m in syntax._tokeniser(text).finditer(text)] == want


def _boundaries(regex: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group(0)) for m in regex.finditer(text)]


def test_sentence_boundary_is_the_old_expression() -> None:
    for text in [*OWN_TEXTS, " ".join(OWN_TEXTS), "Yes?!” he said.)  No.\n\n x!'\t"]:
        assert _boundaries(sentences._BOUNDARY, text) == _boundaries(_OLD_BOUNDARY, text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="a .!?\"'”’)]\n\t\xa0", max_size=30))
def test_sentence_boundary_on_generated_text(text: str) -> None:
    assert _boundaries(sentences._BOUNDARY, text) == _boundaries(_OLD_BOUNDARY, text)


def test_coreference_cues_behind_a_word_boundary_match_alike() -> None:
    fast = _cues(load_lexicon()).coreference
    assert fast.pattern.startswith(r"\b")
    slow = re.compile(fast.pattern.removeprefix(r"\b"))
    texts = [*OWN_TEXTS, "both sides said he, she and it; they told them we'd go. i'd"]
    for text in texts:
        norm = normalise(text)
        want = [(m.span(), m.lastgroup) for m in slow.finditer(norm)]
        assert [(m.span(), m.lastgroup) for m in fast.finditer(norm)] == want
    assert actors._word_start(["he", "the two sides"]) == r"\b"
    assert actors._word_start(["he", "n't"]) == ""  # a contraction starts inside a word
    assert actors._word_start(["he", "'ll"]) == ""
    assert actors._word_start(["“he"]) == ""
    assert actors._word_start([]) == ""


_COREF_PIECES = ["he", "it", "they", "both sides", "'", "x", " ", "."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_COREF_PIECES)).map("".join))
def test_coreference_cues_on_generated_text(text: str) -> None:
    fast = _cues(load_lexicon()).coreference
    slow = re.compile(fast.pattern.removeprefix(r"\b"))
    want = [(m.span(), m.lastgroup) for m in slow.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in fast.finditer(text)] == want


# -- whole documents ----------------------------------------------------------------------


def _coded(text: str) -> tuple[list[Any], list[dict[str, Any]]]:
    """The events of *text*, and its ``--explain`` trace."""
    return coded_with_trace(text, DAY)


def test_documents_coded_alike_with_the_old_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    document = " ".join(OWN_TEXTS)
    texts = [*OWN_TEXTS, document]
    fast = [_coded(t) for t in texts]
    assert any(events for events, _ in fast)  # the sentences make events
    assert not all(events for events, _ in fast)  # and some make none
    monkeypatch.setattr(syntax, "_tokeniser", lambda _text: syntax._TOKEN)
    monkeypatch.setattr(sentences, "_BOUNDARY", _OLD_BOUNDARY)
    monkeypatch.setattr(triggers, "named_modifier", _named_slow)
    monkeypatch.setattr(triggers, "ends_in_word", lambda *_args: True)
    monkeypatch.setattr(actors, "AUTOMATON_MIN", 10**9)
    monkeypatch.setattr(actors, "_word_start", lambda _words: "")
    monkeypatch.setattr(actors, "_CUE_CACHE", {})
    monkeypatch.setattr(subjects, "coordinated_predicate", _coordinated_slow)
    slow = [_coded(t) for t in texts]
    assert fast == slow


def _coordinated_slow(norm: str, sent_start: int, trig_start: int) -> int | None:
    m = clauses._COORDINATED_PREDICATE.search(norm, max(sent_start, trig_start - 60), trig_start)
    return m.start() if m is not None else None
