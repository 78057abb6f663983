"""Speed pass 5: each shortcut gives exactly what the path it replaces gives.

* a document is spelled once for both bounded automata (``entries.spell_bounded``): the
  actor automaton reads that spelling, and each sentence's anchor window is a slice of it
  instead of a spelling of its own;
* the "-held" test after an actor phrase is asked only where a hyphen follows it;
* the discard list's quick pass over the same spelling (its words are the exact pass's);
* the patterns' quick test (``LazyRegex.possible``) as loops, the tag memo read by ``map``.

Checked on our own sentences and on generated input; timings live in ``bench/``, never here.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.events import Event, code_text, load_lexicon
from pipeline.stages.events.actors import _find_mentions
from pipeline.stages.events.entries import _NOT_ALNUM_OR_SPACE, normalise, spell_bounded
from pipeline.stages.events.patterns import LazyRegex, required_words
from pipeline.stages.events.sentences import split_sentences
from pipeline.stages.events.syntax import _parser, _tags
from pipeline.stages.events.triggers import _bounded_hits, scan_anchors

OWN_TEXTS = [
    "The rebel-held town of Harrow was shelled by the army on Monday. Canada condemned it.",
    "Ministers from Peru and Chile met in Lima; they agreed to reopen the border crossing.",
    "Government-controlled areas stayed calm. Police arrested 12 protesters in Nairobi.",
    "(Reuters) - Kenya's president said on Friday he would visit Uganda next week.",
    "Japan_based firms... and U.S.-led forces! Iran accused Iraq of attacking its troops",
]

_TEXT = st.text(alphabet="aZé1_ -.&'’,;\"()\n\t\xa0U.S.n't", max_size=80)


@given(_TEXT, st.integers(0, 80), st.integers(0, 80))
def test_a_slice_of_the_spelling_spells_the_slice(text: str, a: int, b: int) -> None:
    a, b = sorted((min(a, len(text)), min(b, len(text))))
    spaced = spell_bounded(text)
    assert len(spaced) == len(text) + 2
    assert spaced[a + 1 : b + 1] == _NOT_ALNUM_OR_SPACE.sub(" ", text[a:b])


def test_anchor_hits_from_the_document_spelling_are_the_windows_own() -> None:
    lx = load_lexicon()
    assert lx.anchor_words is not None
    for text in [*OWN_TEXTS, " ".join(OWN_TEXTS)]:
        norm = normalise(text)
        spaced = spell_bounded(norm)
        sentences = split_sentences(text)
        assert sentences
        for sent in sentences:
            own = _bounded_hits(norm, sent, lx.anchor_words)
            assert _bounded_hits(norm, sent, lx.anchor_words, spaced) == own
            assert scan_anchors(norm, sent, lx, spaced) == scan_anchors(norm, sent, lx)
    assert any(
        scan_anchors(normalise(t), s, lx).hits for t in OWN_TEXTS for s in split_sentences(t)
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*OWN_TEXTS, " ", ".", "-", "_", "x", "("]), max_size=6))
def test_generated_documents_scan_the_same_from_one_spelling(parts: list[str]) -> None:
    lx = load_lexicon()
    text = "".join(parts)
    norm = normalise(text)
    spaced = spell_bounded(norm)
    for sent in split_sentences(text):
        assert scan_anchors(norm, sent, lx, spaced) == scan_anchors(norm, sent, lx)
    assert _find_mentions(text, norm, lx, None, spaced) == _find_mentions(text, norm, lx, None)


def test_mentions_from_the_document_spelling_and_held_territory() -> None:
    lx = load_lexicon()
    for text in OWN_TEXTS:
        norm = normalise(text)
        got = _find_mentions(text, norm, lx, None, spell_bounded(norm))
        assert got == _find_mentions(text, norm, lx, None)
    text = OWN_TEXTS[0]
    phrases = [text[m.start : m.end] for m in _find_mentions(text, normalise(text), lx, None)]
    assert "rebel" not in phrases  # "rebel-held": a territory, no actor
    assert "Canada" in phrases


def _coded(text: str) -> list[Event]:
    return code_text(text, date(2023, 2, 28))


def test_documents_code_the_same_repeated_and_interleaved() -> None:
    """The spelling belongs to one document: nothing of it is kept for the next."""
    first = [_coded(t) for t in OWN_TEXTS]
    assert any(first)
    for order in (OWN_TEXTS[::-1], OWN_TEXTS * 2, OWN_TEXTS[1::2] + OWN_TEXTS[::2]):
        assert [_coded(t) for t in order] == [first[OWN_TEXTS.index(t)] for t in order]


def _possible_as_before(regex: LazyRegex, text: str, pos: int, endpos: int) -> bool:
    required = required_words(regex.source, regex._irregular)
    span = text[pos:endpos]
    return all(any(a in span for a in alternatives) for alternatives in required)


def test_pattern_quick_test_as_loops_answers_as_before() -> None:
    """``LazyRegex.possible`` written as loops: the same answer for every pattern of the
    lexicon, at every word of our sentences."""
    lx = load_lexicon()
    norms = [normalise(t) for t in OWN_TEXTS]
    asked = said_yes = 0
    patterns = {
        id(p): p
        for _length, anchored in list(lx.anchors.values())[::5]
        for group in (anchored.free, *anchored.keyed.values())
        for p in group
    }
    for pattern in patterns.values():
        regex = pattern.regex
        if not isinstance(regex, LazyRegex):
            continue
        for norm in norms:
            for pos in (0, *[n + 1 for n, c in enumerate(norm) if c == " "]):
                got = regex.possible(norm, pos, len(norm))
                assert got == _possible_as_before(regex, norm, pos, len(norm))
                asked += 1
                said_yes += got
    assert said_yes > 0
    assert said_yes < asked


def test_tag_memo_reads_as_before() -> None:
    """The tag memo read with ``map``: a sentence's tags are the tagger's, memo or not."""
    words = ["Rebels", "shelled", "the", "town", "and", "fled", "north", "."]
    first = _tags(words)
    assert _tags(words) == first
    assert [row[1] for row in _parser().find_tags(words)] == first


def _discard_phrases() -> list[str]:
    lx = load_lexicon()
    assert lx.discards is not None
    return sorted(k.strip() for k in lx.discards.automaton.keys())[::40][:30]  # noqa: SIM118 (an automaton, no dict)


def test_discard_quick_pass_over_the_bounded_spelling_finds_as_before() -> None:
    lx = load_lexicon()
    assert lx.discards is not None
    phrases = _discard_phrases()
    assert phrases
    texts = [*OWN_TEXTS, *(f"Officials said the {p} was over." for p in phrases)]
    # a phrase whose words are joined by other gaps, or glued to other letters
    texts += [f"({p.replace(' ', ' -- ')})" for p in phrases]
    texts += [f"é{p} {p}_x" for p in phrases]
    found = 0
    for text in texts:
        norm = normalise(text)
        got = lx.discards.find(text, norm, spell_bounded(norm))
        assert got == lx.discards.find(text)
        found += bool(got)
    assert found >= len(phrases)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_generated_discard_texts_find_as_before(data: st.DataObject) -> None:
    lx = load_lexicon()
    assert lx.discards is not None
    pieces = [*_discard_phrases(), " ", "-", "_", "é", "\n", "\xa0", "x", ".", "'"]
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=10)))
    norm = normalise(text)
    assert lx.discards.find(text, norm, spell_bounded(norm)) == lx.discards.find(text)
