"""Speed pass 4: each shortcut gives exactly what the path it replaces gives.

* the chunker runs TextBlob's rules over one character per tag (``chunker._CHAR_RULES``);
* the sentence splitter looks for a piece's last word only after the last space before its
  closing punctuation (``sentences._last_word`` with *stop*);
* a sentence without an apostrophe is tokenised without the contraction alternatives
  (``syntax._TOKEN_PLAIN``), a token found by ``bisect`` (``Parse.index``);
* the anchor scan spells its window with fewer replacements (``_NOT_ALNUM_OR_SPACE``);
* the actor automaton holds phrases bounded by spaces (``ActorIndex.bounded``): the hits the
  boundary test kept, and no others.

Checked on our own sentences and on generated input; timings live in ``bench/``, never here.
"""

from __future__ import annotations

import pickle
import re
from datetime import date

import ahocorasick
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.events import Event, code_text, load_lexicon
from pipeline.stages.events.actors import _find_mentions
from pipeline.stages.events.chunker import _TAG_CHARS, _char_rules, find_chunks
from pipeline.stages.events.entries import (
    COUNTRY,
    NOT_ALNUM,
    ActorEntry,
    ActorIndex,
    Term,
    normalise,
)
from pipeline.stages.events.sentences import _LAST_WORD, _last_word, split_sentences
from pipeline.stages.events.syntax import _TOKEN, _TOKEN_PLAIN, _parse, _parser, _textblob, parse
from pipeline.stages.events.triggers import _NOT_ALNUM_OR_SPACE, _PUNCT, scan_anchors

OWN_SENTENCES = [
    "Which of the two envoys did the ministry summon on Tuesday?",
    "All the rebels who fought near the dam were quietly disarmed by the army.",
    "Both sides very nearly agreed to lift the blockade, officials said.",
    "Perhaps the talks will resume when the monsoon ends.",
    "The very first convoy reached the town of Kadugli before dawn.",
    "Such a deal, which neither party wanted, was signed in Geneva.",
    "Half the villagers fled; the others stayed and quickly rebuilt their homes.",
    "He said that Mr. Okafor met Gen. Ruiz (retd.) in St. Louis on Feb. 3.",
]


def _textblob_chunks(tags: list[str]) -> list[str]:
    rows = _parser().find_chunks([[f"w{i}", tag] for i, tag in enumerate(tags)])
    return [row[2] for row in rows]


def _chunks(tags: list[str]) -> list[str] | None:
    module = _textblob()
    return find_chunks(tags, module.CHUNKS[0], module.SEPARATOR)


def test_character_rules_stand_in_for_textblobs_english_rules() -> None:
    module = _textblob()
    assert _char_rules(module.CHUNKS[0], module.SEPARATOR)
    assert not _char_rules(module.CHUNKS[0][:-1], module.SEPARATOR)  # another rule list
    assert not _char_rules(module.CHUNKS[0], "|")


def test_spelled_chunker_is_textblobs_on_our_sentences() -> None:
    checked = 0
    for text in OWN_SENTENCES:
        for sent in split_sentences(text):
            tags = [t.tag for t in parse(text, sent.start, sent.end).tokens]
            assert all(tag in _TAG_CHARS for tag in tags)  # the spelled path is the one taken
            assert _chunks(tags) == _textblob_chunks(tags), sent.text
            checked += 1
    assert checked == len(OWN_SENTENCES)


# every spelled tag (PDT and WDT open a noun phrase from inside the tag), and a few the
# spelled path leaves to the general one
_TAGS = [*_TAG_CHARS, "CJ", "PP", "NN|JJ", "NNP-ORG"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_TAGS), min_size=1, max_size=40))
def test_spelled_chunker_is_textblobs_on_any_tag_sequence(tags: list[str]) -> None:
    assert _chunks(tags) == _textblob_chunks(tags)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["PDT", "WDT", "DT", "CD", "CC", "JJ", "RB", "WRB", "NN", "NNS", "VB"]),
        min_size=1,
        max_size=12,
    )
)
def test_determiners_spelled_inside_a_tag_chunk_as_textblob(tags: list[str]) -> None:
    assert _chunks(tags) == _textblob_chunks(tags)


_PIECE = st.text(alphabet=" \t\xa0.!?\"'”’)]aZ.-_é1\n", min_size=1, max_size=40)


@settings(max_examples=600, deadline=None)
@given(_PIECE)
def test_last_word_after_the_last_space_is_the_full_search(text: str) -> None:
    for match in re.finditer(r"[.!?]+[\"'”’)\]]*\s+", text):
        for start in range(0, match.start() + 1):
            end = match.end()
            full = _LAST_WORD.search(text, start, end)
            tail = _last_word(text, start, end, match.start())
            assert (full.span() if full else None) == (tail.span() if tail else None)


def test_splitter_keeps_abbreviations_and_initials() -> None:
    text = OWN_SENTENCES[-1] + " Ulysses S. Grant arrived. It rained."
    assert [s.text for s in split_sentences(text)] == [
        OWN_SENTENCES[-1],
        "Ulysses S. Grant arrived.",
        "It rained.",
    ]


_TEXT = st.text(alphabet="aZé1_ -.&'’,;\"()\n\t\xa0U.S.n't000", max_size=60)


def test_plain_tokeniser_keeps_thousands_separated_numbers() -> None:
    # the two tokenisers were written on separate branches: a number rule added to one only
    text = "Troops held 2,000 men, 1,250.5 tonnes and 12,34 items"
    assert [m.group() for m in _TOKEN_PLAIN.finditer(text)] == [
        m.group() for m in _TOKEN.finditer(text)
    ]
    assert "2,000" in [m.group() for m in _TOKEN_PLAIN.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_plain_tokeniser_is_the_full_one_without_apostrophes(text: str) -> None:
    plain = text.replace("'", " ").replace("’", " ")
    assert [m.span() for m in _TOKEN_PLAIN.finditer(plain)] == [
        m.span() for m in _TOKEN.finditer(plain)
    ]
    assert [(t.start, t.end, t.word) for t in _parse(text, 5).tokens] == [
        (m.start() + 5, m.end() + 5, m.group()) for m in _TOKEN.finditer(text)
    ]


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_token_index_is_the_covering_token(text: str) -> None:
    parsed = _parse(text, 3)
    for offset in range(0, len(text) + 6):
        covering = [i for i, t in enumerate(parsed.tokens) if t.start <= offset < t.end]
        assert parsed.index(offset) == (covering[0] if covering else None)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_anchor_window_spelling_is_not_alnums(text: str) -> None:
    assert _NOT_ALNUM_OR_SPACE.sub(" ", text) == NOT_ALNUM.sub(" ", text)


def test_anchor_scan_words_are_the_sentences_words() -> None:
    lx = load_lexicon()
    for text in OWN_SENTENCES:
        norm = normalise(text)
        for sent in split_sentences(text):
            scan = scan_anchors(norm, sent, lx)
            if scan.hits:
                raw = norm[sent.start : sent.end].split()
                assert scan.words == frozenset(raw) | {w.strip(_PUNCT) for w in raw}


# phrases of every shape the boundary test meets: words, several words, inner and outer
# punctuation, spelled alike ("a-b", "a b", "a_b"), a word inside another, one character
_PHRASES = ["us", "u.s.", "u.s", "south korea", "south-korea", "a-b", "a b", "a_b", "-x", "b", "a"]


def _plain_hits(phrases: list[str], norm: str) -> list[tuple[int, int, str]]:
    """What the plain automaton and the boundary test found (the path ``bounded`` replaces)."""
    automaton = ahocorasick.Automaton()
    for p in phrases:
        automaton.add_word(p, (len(p), p))
    automaton.make_automaton()
    size = len(norm)
    out = []
    for end_idx, (length, phrase) in automaton.iter(norm):
        start, end = end_idx - length + 1, end_idx + 1
        if (start > 0 and (norm[start - 1].isalnum() or norm[start - 1] == "_")) or (
            end < size and (norm[end].isalnum() or norm[end] == "_")
        ):
            continue
        out.append((start, end, phrase))
    return sorted(out)


def _index(phrases: list[str]) -> ActorIndex:
    automaton = ahocorasick.Automaton()
    for n, p in enumerate(phrases):
        automaton.add_word(p, (len(p), n))
    automaton.make_automaton()
    entries = [(ActorEntry(COUNTRY, p, (Term("XXX", None, None, None),)),) for p in phrases]
    return ActorIndex(automaton, entries)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*_PHRASES, " ", "_", ".", "-", ",", "x", "é", "1"]), max_size=14))
def test_bounded_actor_hits_are_the_boundary_tested_ones(parts: list[str]) -> None:
    norm = "".join(parts)
    index = _index(_PHRASES)
    got = sorted((s, e, g[0].phrase) for s, e, g in index.bounded(norm))
    assert got == _plain_hits(_PHRASES, norm)


def test_bounded_actor_hits_survive_the_cache_pickle() -> None:
    index = pickle.loads(pickle.dumps(_index(_PHRASES)))
    norm = "the u.s. and south-korea met a_b, a-b and -x in bus"
    assert sorted((s, e, g[0].phrase) for s, e, g in index.bounded(norm)) == _plain_hits(
        _PHRASES, norm
    )
    assert list(_index([]).bounded(norm)) == []


def test_mentions_on_our_sentences_are_the_boundary_tested_ones() -> None:
    lx = load_lexicon()
    tail = " The U.S.-led coalition and Russia_based N.A.T.O. envoys met Iran's."
    text = " ".join(OWN_SENTENCES) + tail
    norm = normalise(text)
    got = [(m.start, m.end) for m in _find_mentions(text, norm, lx, None)]
    assert (text.index("Russia"), text.index("Russia") + 6) not in got  # "_" is no boundary
    assert got
    assert all(
        not (s > 0 and (norm[s - 1].isalnum() or norm[s - 1] == "_"))
        and not (e < len(norm) and (norm[e].isalnum() or norm[e] == "_"))
        for s, e in got
    )


_DOCUMENTS = [
    "Rebels fired rockets at the garrison in Kadugli. Sudan condemned the attack on Monday.",
    "The Kenyan president met Ethiopia's prime minister in Nairobi and signed a trade deal.",
    "Police arrested 40 protesters outside the parliament in Belgrade, officials said.",
    "Which of the two envoys did the ministry summon? Nobody would say.",
]


def _coded(text: str) -> list[Event]:
    return code_text(text, date(2023, 2, 28))


def test_documents_code_the_same_repeated_and_interleaved() -> None:
    """What the fast paths remember (tag memo, the chunker's rule check, lazily built actor
    entries, restricted expressions) never leaks from one document into another."""
    first = [_coded(d) for d in _DOCUMENTS]
    assert any(first)
    for order in (_DOCUMENTS[::-1], _DOCUMENTS * 2, _DOCUMENTS[1::2] + _DOCUMENTS[::2]):
        assert [_coded(d) for d in order] == [first[_DOCUMENTS.index(d)] for d in order]
