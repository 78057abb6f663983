"""Speed pass 9: the converted layer's reading is found only when a curated code can use it.

``subcodes.refines`` and ``subcodes.asks_for_action`` decide, on the pattern alone, whether
``by_phrase`` and ``by_asked_action`` could use a converted trigger at all;
``ConvertedReading.may_refine`` must say yes whenever a converted trigger of the sentence
refines the code (its "no" skips the converted matching), and the reading, found late, must
be the one found at once. Our own sentences.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.stages.events import load_lexicon
from pipeline.stages.events.entries import normalise
from pipeline.stages.events.sentences import split_sentences
from pipeline.stages.events.subcodes import asks_for_action, refines
from pipeline.stages.events.syntax import Parse, parse
from pipeline.stages.events.triggers import ConvertedReading, _find_triggers, scan_anchors

SENTENCES = [
    "The mayor of Lyon called for the withdrawal of the troops from the border town.",
    "Our neighbours demanded a ceasefire and threatened to impose sanctions on the company.",
    "The delegation lifted the curfew and asked the council for military aid on Monday.",
    "The farmers attacked the office, and the minister rejected the plan.",
    "Nothing happened in the quiet village this week.",
]


def _reading(text: str) -> list[tuple[ConvertedReading, object]]:
    lx = load_lexicon()
    norm = normalise(text)
    out = []
    for sent in split_sentences(text):
        scan = scan_anchors(norm, sent, lx)
        parses: dict[int, Parse] = {}

        def syntax(s: object, _p: dict[int, Parse] = parses) -> Parse:
            return _p.setdefault(s.start, parse(text, s.start, s.end))  # type: ignore[attr-defined]

        reading = ConvertedReading(text, norm, sent, lx, scan=scan, syntax=syntax)
        direct = _find_triggers(text, norm, sent, lx, tier=1, scan=scan, syntax=syntax)
        out.append((reading, direct))
    return out


@pytest.mark.parametrize("text", SENTENCES)
def test_the_late_reading_is_the_reading_found_at_once(text: str) -> None:
    for reading, direct in _reading(text):
        assert reading.triggers() == direct
        assert reading.triggers() is reading.triggers()  # found once


@pytest.mark.parametrize("text", SENTENCES)
def test_may_refine_never_says_no_when_a_converted_trigger_refines(text: str) -> None:
    codes = ["010", "020", "025", "042", "081", "100", "120", "130", "190", "0232"]
    for reading, (verbs, _complements) in _reading(text):
        for code in codes:
            if any(refines(code, t.pattern) for t in verbs):
                assert reading.may_refine(code)
            # the answer is kept per code: asked twice, the same
            assert reading.may_refine(code) == reading.may_refine(code)


def test_refines_and_asks_for_action_on_the_pattern_alone() -> None:
    (_reading0, (verbs, _)), *_ = _reading(SENTENCES[0])
    assert verbs, "the converted layer reads 'called for the withdrawal'"
    base = verbs[0].pattern
    plain = replace(base, code="025", weak=False, swap=False)
    assert refines("020", plain)  # an appeal's default: any appeal of the root
    assert refines("02", plain)  # a sub-code
    assert not refines("025", plain)  # the same code names nothing more
    assert not refines("042", plain)  # another root
    assert not refines("020", replace(plain, weak=True))
    assert not refines("020", replace(plain, swap=True))
    assert not refines("120", replace(plain, code="123"))  # a rejection's default: no
    for code in ("020", "030", "100", "130"):
        assert asks_for_action(code)
    for code in ("025", "042", "120"):
        assert not asks_for_action(code)
