"""Speed pass 7: each shortcut gives exactly what the path it replaces gives.

* candidate patterns (``AnchorPatterns.candidates``): the indexed second words met, found
  from the smaller side, give the same candidate list as ``keyed.keys() & words``;
* the restricted match with ``possible`` inlined: the full expression's match;
* the tokeniser without the negation alternatives (``syntax._tokeniser``) for a sentence
  with an apostrophe and no "n't": ``_TOKEN``'s spans;
* substring tests in front of the menu separator, the relative-clause opener, "threat to"
  and the digit-group removal: where they skip the expression, it finds nothing;
* the phrasal-verb heads (``triggers._phrasal_heads``): a word that heads none begins none;
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

from pipeline.stages.events import clauses, load_lexicon, senses, syntax, triggers
from pipeline.stages.events.entries import _rank, normalise
from pipeline.stages.events.patterns import LazyRegex
from pipeline.stages.events.sentences import _MENU_SEPARATOR, _menu_split, split_sentences
from pipeline.stages.events.slots import _DIGIT_GROUP
from pipeline.stages.events.triggers import _NEXT_WORDS, _phrasal, scan_anchors
from tests.unit.eventkit import coded_with_trace

OWN_TEXTS = [
    "The Danish premier, who had long opposed the plan, signed a deal with Norway on Monday.",
    "Kenya's police didn't arrest the protesters; officials in Nairobi said they won’t either.",
    "The threat to attack Oslo drew a protest from Sweden's foreign minister, which it denied.",
    "Home | World | Africa The army of Chad shelled a rebel camp near the border on Friday.",
    "Chile deported 1,086 migrants to Peru, and Bolivia struck down the accord with Brazil.",
    "Rebels rounded up 20,000 villagers; the government can't say whether talks will resume.",
    "O'Neill's envoy met the Iraqi prime minister in Baghdad » the two sides agreed to talk.",
    "Protesters marched through the capital of Ghana on Tuesday • no arrests were reported.",
]
DAY = date(2023, 2, 28)


def _old_candidates(anchored: Any, words: frozenset[str]) -> tuple[Any, ...]:
    """``AnchorPatterns.candidates`` as it was: ``keys() & words``, merged and sorted."""
    keyed = anchored.keyed
    hits = keyed.keys() & words if keyed else set()
    if not hits:
        return tuple(anchored.free)
    merged = list(anchored.free)
    seen = {id(p) for p in merged}
    for word in hits:
        for p in keyed[word]:
            if id(p) not in seen:
                seen.add(id(p))
                merged.append(p)
    merged.sort(key=_rank)
    return tuple(merged)


def _anchor_entries() -> list[Any]:
    lx = load_lexicon()
    found: dict[int, Any] = {}
    for _key, (_length, hits) in lx.anchor_words.items():
        for _spelling, anchored in hits:
            found[id(anchored)] = anchored
    return list(found.values())


def test_candidates_are_the_old_intersection_on_our_sentences() -> None:
    lx = load_lexicon()
    for text in OWN_TEXTS:
        norm = normalise(text)
        for sent in split_sentences(text):
            scan = scan_anchors(norm, sent, lx)
            for _start, _end, anchored in scan.hits:
                assert tuple(anchored.candidates(scan.words)) == _old_candidates(
                    anchored, scan.words
                )


def test_candidates_are_the_old_intersection_for_every_keyed_anchor() -> None:
    # word sets smaller and larger than each anchor's index of second words, holding some of
    # its keys (the merge from several of them) or none
    entries = [a for a in _anchor_entries() if a.keyed]
    assert entries
    filler = [f"w{i}" for i in range(120)]
    for anchored in entries:
        keys = sorted(anchored.keyed)
        for words in (
            frozenset(keys[:1]),
            frozenset(keys[:3] + filler[:5]),
            frozenset(keys[::2] + filler),
            frozenset(filler[:2]),
        ):
            assert tuple(anchored.candidates(words)) == _old_candidates(anchored, words)


def test_the_ranks_of_an_anchors_patterns_are_unique() -> None:
    # what makes the merge order independent of the order the hits come in
    for anchored in _anchor_entries():
        patterns = {id(p): p for g in (anchored.free, *anchored.keyed.values()) for p in g}
        ranks = [p.rank for p in patterns.values()]
        assert len(ranks) == len(set(ranks))


def test_restricted_match_is_the_full_expression_on_our_sentences() -> None:
    lx = load_lexicon()
    tried = 0
    for text in OWN_TEXTS:
        norm = normalise(text)
        for sent in split_sentences(text):
            scan = scan_anchors(norm, sent, lx)
            for start, _end, anchored in scan.hits:
                for pattern in anchored.candidates(scan.words):
                    regex = pattern.regex
                    fresh = LazyRegex(regex.source, regex._irregular, lazy=regex._lazy)
                    got = fresh.match(norm, start, sent.end)
                    want = regex.compiled().match(norm, start, sent.end)
                    assert (got and got.span()) == (want and want.span()), regex.source
                    tried += 1
    assert tried > 50


_TOKEN_TEXTS = [
    *OWN_TEXTS,
    "don't can't won’t isn't O'Brien's d'Estaing ’tis rock'n'roll n't n’t",
    "U.S. and U.K. troops: 1,000,000.50 rounds, 12,34 and 1,2345 -- pre-war A&B",
    "the ministers' envoy's ’s 're 've 'll 'd 'm 'x",
    # speed pass 10's per-text tokenisers (a digit group, dots)
    "1,000,000.5 people; U.S.A. and e.g. 3,4 or 12,345x",
    "It's 1,2 and 99,999 ,5 A.B",
    "dots... end.",
]


def test_tokeniser_gives_the_full_tokens_on_our_texts() -> None:
    for text in _TOKEN_TEXTS:
        want = [m.span() for m in syntax._TOKEN.finditer(text)]
        assert [m.span() for m in syntax._tokeniser(text).finditer(text)] == want


def test_tokeniser_choice() -> None:
    # (with a digit group and two dots: speed pass 10 also drops those alternatives)
    n = " 1,000 U.S."
    assert syntax._tokeniser("no apostrophe here" + n).pattern == syntax._TOKEN_PLAIN.pattern
    assert syntax._tokeniser("Chad's army" + n).pattern == syntax._TOKEN_NO_NT.pattern
    assert syntax._tokeniser("Chad’s army" + n).pattern == syntax._TOKEN_NO_NT.pattern
    assert syntax._tokeniser("Chad didn't" + n).pattern == syntax._TOKEN.pattern
    assert syntax._tokeniser("Chad didn’t" + n).pattern == syntax._TOKEN.pattern


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="an t'’s.,1-&Ué\n", max_size=40))
def test_tokeniser_on_generated_text(text: str) -> None:
    want = [m.span() for m in syntax._TOKEN.finditer(text)]
    assert [m.span() for m in syntax._tokeniser(text).finditer(text)] == want


_PIECES = st.sampled_from(
    [
        "who",
        "which",
        "wh",
        "o",
        "threat",
        "threats",
        "plot",
        "to",
        "t",
        "a",
        "1",
        "086",
        ",0",
        "conspiracy",
        "Who",
        ",",
        "-",
        "—",
        "|",
        "•",
        "»",
        " ",
        "  ",
        "\n",
    ]
)
_WINDOW = st.lists(_PIECES, max_size=16).map("".join)


def _skip_implies_no_match(text: str) -> None:
    # each prefilter, where it lets the expression be skipped, stands for "no match"
    if "|" not in text and "•" not in text and "»" not in text:
        assert _MENU_SEPARATOR.search(text) is None
        assert list(_menu_split(text, 0, len(text))) == [(0, len(text))]
    if "who" not in text and "which" not in text:
        assert clauses._REL_OPEN.search(text) is None
        assert clauses.relative_subject(text, 0, len(text), lambda _at: "VB") is None
    if not text.rstrip().endswith("to"):
        assert senses._INTENDED.search(text) is None
    if "," not in text:
        assert _DIGIT_GROUP.sub("", text) == text


def test_prefilters_on_our_sentences() -> None:
    for text in OWN_TEXTS:
        norm = normalise(text)
        for cut in range(len(norm) + 1):
            _skip_implies_no_match(norm[:cut])
            _skip_implies_no_match(norm[cut:])


@settings(max_examples=500, deadline=None)
@given(_WINDOW)
def test_prefilters_on_generated_windows(text: str) -> None:
    _skip_implies_no_match(text)


def test_prefilters_let_the_matches_through() -> None:
    assert clauses._REL_OPEN.search("the premier, who had")
    assert senses._INTENDED.search("a threat to ")
    assert senses.sense_veto("the plot to attack", "190", (12, 18), None) is not None
    assert _MENU_SEPARATOR.search("home | world")
    assert _DIGIT_GROUP.sub("", "1,086 migrants") == "1086 migrants"


def _old_phrasal(norm: str, start: int, end: int, phrasal: frozenset[str]) -> bool:
    nxt = _NEXT_WORDS.match(norm, end)
    if nxt is None:
        return False
    two = f"{norm[start:end]} {nxt.group(1)}"
    return two in phrasal or f"{two} {nxt.group(2)}" in phrasal


def test_phrasal_heads_change_no_answer() -> None:
    lx = load_lexicon()
    assert lx.phrasal_verbs
    texts = [*OWN_TEXTS, *(f"They {p} the plan." for p in sorted(lx.phrasal_verbs)[:300])]
    answers = set()
    for text in texts:
        norm = normalise(text)
        for m in re.finditer(r"[a-z]+", norm):
            got = _phrasal(norm, m.start(), m.end(), lx)
            assert got == _old_phrasal(norm, m.start(), m.end(), lx.phrasal_verbs), text
            answers.add(got)
    assert answers == {True, False}


class _Everything:
    def __contains__(self, _item: object) -> bool:
        return True


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
    monkeypatch.setattr(triggers, "_phrasal_heads", lambda _phrasal: _Everything())
    slow = [_coded(t) for t in texts]
    assert fast == slow
