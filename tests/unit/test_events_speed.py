"""The coder's fast paths give exactly what the slow ones give: same events, same traces.

Throughput work (issue 8, item 6) added shortcuts: a prefilter that skips sentences without an
anchor word or an actor, a word test before a converted pattern's expression is compiled, an
index of candidate patterns shared by a verb's forms, a splitter that reads only a sentence's
tail, a date scan that tries its expression only where a date can start, and a
per-user cache of the compiled lexicon. Each is checked here against the path it
shortcuts, on our own wire-style sentences (``bench/data/events_gold.jsonl`` and the documents
below, written for these tests). Timings live in ``bench/bench_events.py``, never here.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.events import code_text, load_lexicon
from pipeline.stages.events.cache import CACHE_ENV, KEEP, cache_key, cached_build
from pipeline.stages.events.dates import _DATE_RE, _date_matches
from pipeline.stages.events.entries import AnchorPatterns, Lexicon, Pattern, normalise
from pipeline.stages.events.lexicon import CONVERTED_VERBS, DATA_DIR, TSV_FILES, YAML_FILES, _load
from pipeline.stages.events.patterns import _pattern_regex
from pipeline.stages.events.sentences import _LAST_WORD, _last_word, split_sentences
from pipeline.stages.events.triggers import scan_anchors

PUB = date(2024, 3, 12)
GOLD = Path(__file__).resolve().parents[2] / "bench" / "data" / "events_gold.jsonl"
NAMES = (*YAML_FILES, *TSV_FILES, CONVERTED_VERBS)

OWN_DOCUMENTS = [
    # a person named, an actorless sentence with a trigger word, then a pronoun subject: the
    # prefilter must still commit the first sentence to coreference memory in order
    "Iranian Foreign Minister Hossein Amir-Abdollahian spent Sunday in Oman. "
    "The weather was mild. Talks were held behind closed doors. "
    "Officials gave no details. He later met Omani Sultan Haitham bin Tariq in Muscat. "
    "Oman's foreign ministry was upbeat. It has since invited both delegations back.",
    # sentences with no anchor word at all, with actors, before a coreferent action
    "Germany and France. Berlin, Paris and Warsaw on the map. "
    "The two countries signed a defence agreement with Poland on Friday.",
    # reported speech, a passive with its agent, a refusal, a future meeting
    "Ukraine was attacked by Russia overnight, Kyiv said. Hungary refused to lift its veto "
    "on aid to Ukraine. Chinese President Xi Jinping will meet Brazilian President Luiz Inacio "
    "Lula da Silva next week. The Kremlin denied that it had shelled civilian areas.",
    # HTML left in the text, a menu line, and a run of spaces after a full stop
    "<p>Japan <b>condemned</b> North Korea's missile launch on Thursday.</p>\n"
    "Home | World | Business | Sport\n"
    "Seoul protested to Pyongyang." + " " * 90 + "Washington urged both sides to show restraint.",
    # nothing an event could come of (a pronoun with nobody to stand for)
    "She later invited reporters in. It rained all week in the valley. "
    "Farmers said the harvest would be late.",
]


def _documents() -> list[str]:
    texts = [json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines()]
    return [" ".join(texts[k : k + 8]) for k in range(0, len(texts), 8)] + OWN_DOCUMENTS


def _coded(text: str, lexicon: Lexicon) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    trace: list[dict[str, Any]] = []
    events = code_text(text, PUB, lexicon=lexicon, trace=trace)
    return [dataclasses.asdict(e) for e in events], trace


def test_prefilter_changes_no_event() -> None:
    """With a trace the coder reads every sentence; without one it skips hopeless ones."""
    lexicon = load_lexicon()
    for doc in _documents():
        plain = [dataclasses.asdict(e) for e in code_text(doc, PUB, lexicon=lexicon)]
        assert plain == _coded(doc, lexicon)[0], doc


def test_prefilter_skips_what_it_promises() -> None:
    """No anchor word, or no actor and nothing pending: the sentence is not read further."""
    lexicon = load_lexicon()
    text = "It rained all week in the valley."
    sent = split_sentences(text)[0]
    assert scan_anchors(normalise(text), sent, lexicon).hits == ()
    assert code_text(text, PUB, lexicon=lexicon) == []


def test_pickled_lexicon_codes_the_same() -> None:
    """The cached (pickled) lexicon gives the same events and traces as a fresh build."""
    fresh = _load((DATA_DIR,))
    restored = pickle.loads(pickle.dumps(fresh, protocol=pickle.HIGHEST_PROTOCOL))
    assert restored.fingerprint == fresh.fingerprint
    for doc in _documents():
        assert _coded(doc, restored) == _coded(doc, fresh), doc


def _reference_candidates(anchored: AnchorPatterns, words: frozenset[str]) -> list[Pattern]:
    """The candidate list as first written: free patterns, then each matching second word's
    patterns not seen yet, sorted by dictionary order (free ones first within an entry)."""
    out = list(anchored.free)
    seen = {id(p) for p in out}
    hits = [anchored.keyed[w] for w in sorted(words) if w in anchored.keyed]
    for group in hits:
        for p in group:
            if id(p) not in seen:
                seen.add(id(p))
                out.append(p)
    if hits:
        out.sort(key=lambda p: (p.order, bool(p.keys), p.seq))
    return out


def test_candidates_and_word_prefilter_agree_with_the_full_expressions() -> None:
    """Candidates per layer are the reference list filtered by layer; a pattern the word test
    rules out never matches where its full expression is tried."""
    lexicon = load_lexicon()
    irregular: dict[str, list[str]] = {}
    checked = 0
    for doc in _documents():
        norm = normalise(doc)
        for sent in split_sentences(doc):
            scan = scan_anchors(norm, sent, lexicon)
            for start, _end, anchored in scan.hits:
                reference = _reference_candidates(anchored, scan.words)
                assert list(anchored.candidates(scan.words)) == reference
                for tier in (0, 1):
                    assert anchored.candidates(scan.words, tier) == [
                        p for p in reference if p.tier == tier
                    ]
                for pattern in reference:
                    irregular = pattern.regex._irregular
                    full = re.compile(
                        _pattern_regex(pattern.source, irregular, pattern.regex._lazy)
                    ).match(norm, start, sent.end)
                    if full is not None:
                        assert pattern.regex.possible(norm, start, sent.end), pattern.source
                        got = pattern.regex.match(norm, start, sent.end)
                        assert got is not None
                        assert got.span() == full.span()
                        checked += 1
    assert checked > 50  # the documents exercise the patterns, not just the empty case


@pytest.mark.parametrize(
    "text",
    [
        "He met Gen. Smith. Then he left.",
        "The U.S. said so. Others did not.",
        "x" * 200 + ". Next one.",
        "A sentence." + " " * 120 + "Another one.",
        "Ends with quotes.”" + "’" * 70 + " And more.",
        "A run of dots" + "." * 80 + " then text.",
    ],
)
def test_last_word_is_the_full_search(text: str) -> None:
    """The splitter's tail search finds what a search over the whole piece finds."""
    for match in re.finditer(r"[.!?]+[\"'”’)\]]*\s+", text):
        for start in (0, max(0, match.start() - 70)):
            end = match.end()
            full = _LAST_WORD.search(text[start:end])
            tail = _last_word(text, start, end)
            assert (full.group(1) if full else None) == (tail.group(1) if tail else None)


def test_cache_round_trip_and_fallbacks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written once, read back by key; a damaged or foreign file is rebuilt; off is off."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    builds: list[int] = []

    def build(dirs: Any) -> Lexicon:
        builds.append(1)
        return _load(dirs)

    first = cached_build((DATA_DIR,), NAMES, build)
    files = list((tmp_path / "cache").glob("lexicon-*.pickle"))
    assert len(files) == 1
    assert not list((tmp_path / "cache").glob("*.tmp"))
    second = cached_build((DATA_DIR,), NAMES, build)
    assert len(builds) == 1
    assert second is not first
    doc = OWN_DOCUMENTS[0]
    assert _coded(doc, second) == _coded(doc, first)

    files[0].write_bytes(b"not a pickle")
    cached_build((DATA_DIR,), NAMES, build)
    assert len(builds) == 2  # unreadable: rebuilt and rewritten
    with files[0].open("wb") as fh:
        pickle.dump(("another key", second), fh)
    cached_build((DATA_DIR,), NAMES, build)
    assert len(builds) == 3  # a key that is not ours: rebuilt
    cached_build((DATA_DIR,), NAMES, build)
    assert len(builds) == 3

    monkeypatch.setenv(CACHE_ENV, "off")
    cached_build((DATA_DIR,), NAMES, build)
    assert len(builds) == 4


def test_cache_key_follows_the_dictionaries(tmp_path: Path) -> None:
    """A user directory, and any change to one of its files, makes another key."""
    base = cache_key((DATA_DIR,), NAMES)
    assert cache_key((DATA_DIR,), NAMES) == base
    (tmp_path / "verbs.yaml").write_text('verbs:\n  - {code: "111", patterns: ["<snub>"]}\n')
    with_user = cache_key((DATA_DIR, tmp_path), NAMES)
    assert with_user != base
    (tmp_path / "verbs.yaml").write_text('verbs:\n  - {code: "111", patterns: ["<scold>"]}\n')
    assert cache_key((DATA_DIR, tmp_path), NAMES) not in (base, with_user)


def test_cache_unwritable_directory_still_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache path that cannot be created costs a build, never an error."""
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    lexicon = cached_build((DATA_DIR,), NAMES, _load)
    assert lexicon.fingerprint == load_lexicon().fingerprint


_DATE_WORDS = [
    "on", "Tuesday", "last", "next", "this", "week", "month", "year", "March", "may", "Dec.",
    "12", "5th", "of", "2023", "2023-02-28", "days", "ago", "two", "earlier", "in", "the",
    "mid-June", "yesterday", "tonight", "since", "by", "until", "remarked", "Amar", "decided",
    "summit", ",", "sept", "from", "late", "x_on", "3rd",
]  # fmt: skip


@given(st.lists(st.sampled_from(_DATE_WORDS), max_size=14), st.sampled_from([" ", "  ", "-", ""]))
@settings(max_examples=300, deadline=None)
def test_date_openers_find_what_the_full_scan_finds(words: list[str], sep: str) -> None:
    """Trying the date expression only at its possible openers equals ``finditer``."""
    lower = sep.join(words).lower()
    assert [(m.span(), m.lastgroup) for m in _date_matches(lower)] == [
        (m.span(), m.lastgroup) for m in _DATE_RE.finditer(lower)
    ]


def test_date_openers_on_our_sentences() -> None:
    for doc in _documents():
        lower = doc.lower()
        assert [m.span() for m in _date_matches(lower)] == [
            m.span() for m in _DATE_RE.finditer(lower)
        ]


def test_cache_keeps_only_the_recent_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Old cache files (other dictionary sets, other versions) are pruned on write."""
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv(CACHE_ENV, str(cache))
    for n in range(KEEP + 3):
        stale = cache / f"lexicon-stale{n}.pickle"
        stale.write_bytes(b"old")
        os.utime(stale, (1_000_000 + n, 1_000_000 + n))
    cached_build((DATA_DIR,), NAMES, _load)
    kept = sorted(p.name for p in cache.glob("lexicon-*.pickle"))
    assert len(kept) == KEEP
    assert "lexicon-stale0.pickle" not in kept
    assert any(not name.startswith("lexicon-stale") for name in kept)


def test_cue_lookahead_finds_what_the_plain_cue_expression_finds() -> None:
    """The first-character lookahead in front of the cue expressions changes no match: every
    cue (coreference groups included) matches where and as it did without it."""
    from pipeline.stages.events.actors import _COREF_KINDS, _cue_source, _cues

    lexicon = load_lexicon()
    cues = _cues(lexicon)
    kinds = _COREF_KINDS
    plain_coref = re.compile(
        "|".join(
            f"(?P<{k}>" + _cue_source(lexicon.coreference.get(k, []) or ["\x00"]) + ")"
            for k in kinds
        )
    )
    pairs = [(cues.coreference, plain_coref)] + [
        (getattr(cues, name), re.compile(_cue_source(lexicon.cues.get(name, [default]))))
        for name, default in (
            ("negation", "not"),
            ("future", "will"),
            ("hypothetical", "if"),
            ("speech", "said"),
        )
    ]
    texts = [normalise(t) for t in _documents()]
    texts.append("he said both countries won't, she'd not; it-he 'she the two sides.")
    found = 0
    for fast, plain in pairs:
        assert fast.pattern != plain.pattern  # the lookahead is there
        for text in texts:
            ours = [(m.span(), m.lastgroup) for m in fast.finditer(text)]
            assert ours == [(m.span(), m.lastgroup) for m in plain.finditer(text)]
            found += len(ours)
    assert found > 30  # the sentences hold cues of every kind


def test_candidates_kept_on_the_scan_give_each_layer_what_a_fresh_scan_gives() -> None:
    """Both layers read one scan of a sentence, whose candidate lists the first layer keeps:
    the second layer finds the triggers it finds from a scan of its own."""
    from pipeline.stages.events.triggers import _find_triggers

    lexicon = load_lexicon()
    found = 0
    for text in _documents():
        norm = normalise(text)
        for sent in split_sentences(text):
            shared = scan_anchors(norm, sent, lexicon)
            for tier in (0, 1):
                ours = _find_triggers(text, norm, sent, lexicon, tier=tier, scan=shared)
                fresh = _find_triggers(text, norm, sent, lexicon, tier=tier)
                assert [[(t.start, t.end, t.pattern.code) for t in ts] for ts in ours] == [
                    [(t.start, t.end, t.pattern.code) for t in ts] for ts in fresh
                ]
                found += sum(map(len, ours))
            assert shared.candidates or not shared.hits
    assert found > 20
