"""Speed pass 3: each shortcut gives exactly what the path it replaces gives.

* a converted pattern is matched, until its full expression is built, with an expression
  restricted to the alternatives whose words occur in the text (``LazyRegex.match``);
* the chunker (``chunker.find_chunks``) is TextBlob's ``Parser.find_chunks`` re-done with one
  pass over the tag string instead of a count per match.

Checked on our own sentences (``bench/data/events_gold.jsonl`` and the ones below, written
for these tests); timings live in ``bench/``, never here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import ahocorasick
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.events import load_lexicon
from pipeline.stages.events.chunker import find_chunks, find_pnp
from pipeline.stages.events.entries import MERGED_KEPT, AnchorPatterns, Lexicon, normalise
from pipeline.stages.events.lexicon import bounded_anchors
from pipeline.stages.events.patterns import HOT_USES, RESTRICTED_MAX, LazyRegex, _pattern_regex
from pipeline.stages.events.sentences import Sentence, split_sentences
from pipeline.stages.events.syntax import _parser, _textblob, parse
from pipeline.stages.events.triggers import _anchor_hits, _bounded_hits, scan_anchors

GOLD = Path(__file__).resolve().parents[2] / "bench" / "data" / "events_gold.jsonl"

OWN_SENTENCES = [
    "Rebels fired rockets and mortar shells at the garrison overnight.",
    "The navy fired a warning shot across the trawler's bow.",
    "Police fired tear gas at students outside the ministry.",
    "The board fired its chief executive on Monday.",
    "Militants fired on a convoy of aid trucks near the border.",
    "Troops fired back at the gunmen, the army said.",
    "Nobody fired anything; the weapons stayed in their crates.",
    "Protesters threw stones and fired flares at riot police.",
    "The government fought back against the opposition's claims in parliament.",
    "Villagers fought off the raiders with sticks and stones.",
]


def _texts() -> list[str]:
    gold = [json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines()]
    return gold + OWN_SENTENCES


def _same(got: re.Match[str] | None, full: re.Match[str] | None) -> bool:
    return (got is None and full is None) or (
        got is not None and full is not None and got.span() == full.span()
    )


# a pattern of the converted layer's shape: synonyms, an optional letter, multi-word verbs
_SYNTHETIC = [
    "<fire> ... rocket|rockets|mortar|shell?|flare?|tear_gas|warning_shot",
    "<fire> on|at|upon ... convoy|garrison|police",
    "fight_back|fights_back|fought_back|<repel> ... against|at",
    "fight_off|fought_off|<rebuff> ... raider?|attacker?",
    "<fire> ... its|his|her chief|head|director",
]


def test_restricted_expressions_match_as_the_full_ones() -> None:
    """Every converted pattern on every anchor word of our sentences (and a few synthetic
    patterns): a fresh pattern's restricted match has the full expression's span, or both
    fail; so does the same pattern object once it has compiled several restricted shapes."""
    lexicon = load_lexicon()
    checked = matched = 0
    for text in _texts():
        norm = normalise(text)
        for sent in split_sentences(text):
            scan = scan_anchors(norm, sent, lexicon)
            for start, _end, anchored in scan.hits:
                for pattern in anchored.candidates(scan.words, 1):
                    regex = pattern.regex
                    full = re.compile(
                        _pattern_regex(regex.source, regex._irregular, regex._lazy)
                    ).match(norm, start, sent.end)
                    fresh = LazyRegex(regex.source, regex._irregular, lazy=True)
                    assert _same(fresh.match(norm, start, sent.end), full), regex.source
                    assert _same(regex.match(norm, start, sent.end), full), regex.source
                    checked += 1
                    matched += full is not None
            for source in _SYNTHETIC:
                shared = LazyRegex(source, {}, lazy=True)
                full_regex = re.compile(_pattern_regex(source, {}, True))
                for m in re.finditer(r"\b(?:fir|fight|fought|repel|rebuff)", norm):
                    full = full_regex.match(norm, m.start(), sent.end)
                    fresh = LazyRegex(source, {}, lazy=True)
                    assert _same(fresh.match(norm, m.start(), sent.end), full), (source, text)
                    assert _same(shared.match(norm, m.start(), sent.end), full), (source, text)
                    checked += 1
                    matched += full is not None
    assert checked > 200
    assert matched > 10  # the sentences exercise matches, not only failures


def test_restricted_expressions_give_way_to_the_full_one() -> None:
    """A pattern met with many different sets of words builds its full expression once."""
    pattern = LazyRegex("<strike> ... a|b|c|d|e|f|g|h|i|j|k|l", {}, lazy=True)
    texts = [f"strikes {w}" for w in "abcdefghijkl"]
    for text in texts:
        assert pattern.match(text, 0, len(text)) is not None
    assert pattern._compiled is not None  # (switched after RESTRICTED_MAX shapes)
    assert len(texts) > RESTRICTED_MAX
    for text in [*texts, "strikes zz", "struck a"]:
        full = re.compile(_pattern_regex(pattern.source, {}, True)).match(text, 0, len(text))
        assert _same(pattern.match(text, 0, len(text)), full)


def test_restricted_expression_refuses_missing_words() -> None:
    """No alternative of a later word in the text: no match, and nothing compiled."""
    pattern = LazyRegex("<shell> ... village|town|camp", {}, lazy=True)
    text = "artillery shelled the valley all night"
    start = text.index("shelled")
    assert pattern.match(text, start, len(text)) is None
    assert pattern._by_kept == {}
    assert pattern._compiled is None
    text = "artillery shelled the camp all night"
    got = pattern.match(text, start, len(text))
    assert got is not None
    assert text[start : got.end()] == "shelled the camp"


def _textblob_rows(tags: list[str]) -> tuple[list[str], list[bool]]:
    rows = _parser().find_chunks([[f"w{i}", tag] for i, tag in enumerate(tags)])
    return [row[2] for row in rows], [row[3] != "O" for row in rows]


def _ours(tags: list[str]) -> tuple[list[str], list[bool]]:
    module = _textblob()
    chunks = find_chunks(tags, module.CHUNKS[0], module.SEPARATOR)
    assert chunks is not None
    return chunks, find_pnp(tags, chunks)


def test_chunker_is_textblobs_on_our_sentences() -> None:
    """Chunks and PNP flags of every sentence of ours equal TextBlob's own chunker's."""
    checked = 0
    for text in _texts():
        for sent in split_sentences(text):
            tokens = parse(text, sent.start, sent.end).tokens
            tags = [t.tag for t in tokens]
            if tags:
                assert _ours(tags) == _textblob_rows(tags), sent.text
                checked += 1
    assert checked > 40


# the tags the tagger gives, among them "WDT" (a rule matches inside it) and conjunctions,
# which may not open a chunk
_TAGS = [
    "NN", "NNS", "NNP", "NNPS", "PRP", "PRP$", "DT", "CD", "CC", "JJ", "JJR", "JJS", "RB",
    "RBR", "RBS", "WRB", "WDT", "WP", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD", "IN",
    "TO", "RP", "POS", ",", ".", ":", "(", ")", "UH", "FW", "EX", "SYM", "CJ", "NN|JJ",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TAGS), min_size=1, max_size=30))
def test_chunker_is_textblobs_on_any_tag_sequence(tags: list[str]) -> None:
    assert _ours(tags) == _textblob_rows(tags)


def test_chunker_leaves_a_tag_with_the_separator_to_textblob() -> None:
    module = _textblob()
    assert find_chunks(["NN", "A/B", "VBD"], module.CHUNKS[0], module.SEPARATOR) is None


def test_a_pattern_tried_often_gets_its_full_expression() -> None:
    """A hot pattern stops working out its alternatives: one full expression, same answers."""
    pattern = LazyRegex("<shell> ... village|town|camp", {}, lazy=True)
    text = "artillery shelled the camp all night"
    start = text.index("shelled")
    spans = [m.span() for _ in range(HOT_USES + 2) if (m := pattern.match(text, start, len(text)))]
    assert spans == [(start, text.index(" all"))] * (HOT_USES + 2)
    assert pattern._compiled is not None
    assert pattern.match("artillery shelled the valley", start, 28) is None


def test_merged_candidates_are_remembered_per_set_of_second_words() -> None:
    """The remembered merge is the one computed afresh, whatever other words a sentence
    holds; and the memo stays bounded."""
    lexicon = load_lexicon()
    merges = 0
    for text in _texts():
        norm = normalise(text)
        for sent in split_sentences(text):
            scan = scan_anchors(norm, sent, lexicon)
            for _start, _end, anchored in scan.hits:
                first = list(anchored.candidates(scan.words))
                fresh = AnchorPatterns(anchored.free, anchored.keyed, anchored.tiers)
                assert list(fresh.candidates(scan.words)) == first
                # the same second words among other words: the remembered list
                padded = scan.words | {"zzyzx", "qwerty"}
                assert list(anchored.candidates(padded)) == first
                merges += bool(fresh.merged)
                assert len(anchored.merged) <= MERGED_KEPT
    assert merges > 5  # the sentences reach the merge, not only single groups


_BOUNDARY_TEXTS = [
    "Troops attacked. Cease-fire talks collapsed; the cease-fire-like pause ended.",
    "attack",  # an anchor word as the whole text
    "Counterattacks, re-attacked, attack_plan, attack's aftermath and (attack) again.",
    "Rebels’ attack-ready units fired—then fired again—at 'attack' posts.",
    "Ölattack and attackÖl: letters either side; 3attack and attack3: digits either side.",
    "The minister's visit: she visits, visited and re-visited Kyiv's port.",
    "Police re-arrested him; they re arrested nobody else. The border re-opens, re'opens.",
    "They can't re-open it and couldn't re-examine the file; they can t say.",
]


def test_bounded_anchor_scan_finds_what_the_boundary_test_finds() -> None:
    """The space-bounded automaton gives the hits (same order) of testing every occurrence's
    neighbours, on our sentences, sentence by sentence and on whole texts."""
    lexicon = load_lexicon()
    assert lexicon.anchor_words is not None
    checked = 0
    for text in [*_texts(), *_BOUNDARY_TEXTS]:
        norm = normalise(text)
        sentences = split_sentences(text)
        whole = Sentence(0, 0, len(text), text)
        for sent in [*sentences, whole]:
            expected = _anchor_hits(norm, sent, lexicon)
            assert _bounded_hits(norm, sent, lexicon.anchor_words) == expected, sent.text
            checked += len(expected)
    assert checked > 300


def test_bounded_anchors_tell_words_spelled_alike_apart() -> None:
    """Words that differ only in their non-alphanumeric characters share a spelling in the
    bounded automaton: the text decides which one (or none) was found."""
    plain = ahocorasick.Automaton()
    for n, word in enumerate(["re-open", "re'open", "open", "reopen"]):
        plain.add_word(word, (len(word), n))
    plain.make_automaton()
    bounded = bounded_anchors(plain)
    for text in ["they re-open", "they re'open", "they re open", "they reopen it", "re_open"]:
        sent = Sentence(0, 0, len(text), text)
        lexicon = Lexicon(None, plain, {}, {}, {}, {}, "", anchor_words=bounded)  # type: ignore[arg-type]
        assert _bounded_hits(text, sent, bounded) == _anchor_hits(text, sent, lexicon), text
    text = "they re open"
    found = [index for _, _, index in _bounded_hits(text, Sentence(0, 0, 12, text), bounded)]
    assert found == [2]  # "open" only: no word of the dictionary is spelled "re open"
