"""PETRARCH's discard list (discards.py): sentence-level and story-level discard phrases.

Every sentence is our own. The regeneration test reads the original list from ``../shared``
and is skipped, saying so, when it is absent.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from eventkit import triples_at

from devtools.convert_phoenix import convert
from pipeline.stages.events import code_text, load_lexicon
from pipeline.stages.events.discards import DISCARDS_FILE, DiscardIndex, read_discards
from pipeline.stages.events.lexicon import DATA_DIR

PUB = date(2025, 3, 4)
triples = triples_at(PUB)

CODES = "Germany accused Russia of sabotage on Monday."


def _skipped(text: str) -> list[str | None]:
    trace: list[dict[str, object]] = []
    code_text(text, PUB, trace=trace)
    return [record.get("skipped") for record in trace]  # type: ignore[misc]


# --- the conversion ---------------------------------------------------------------------------


def test_regenerating_from_shared_gives_the_committed_file(
    shared_dir: Path, tmp_path: Path
) -> None:
    reference = shared_dir / "reference" / "events"
    if not (reference / "phoenix-dictionaries" / "Phoenix.discards.txt").is_file():
        import pytest

        pytest.skip("Phoenix.discards.txt not present under ../shared/reference/events")
    convert(reference, tmp_path)
    committed = (DATA_DIR / DISCARDS_FILE).read_text(encoding="utf-8")
    assert (tmp_path / DISCARDS_FILE).read_text(encoding="utf-8") == committed


def test_the_committed_list_has_both_scopes() -> None:
    rows = dict(read_discards(DATA_DIR / DISCARDS_FILE))
    assert rows["WORLD WAR II"] is False
    assert rows["CHAMPIONS LEAGUE"] is True
    assert "2000" not in rows  # commented out in the original


# --- matching ---------------------------------------------------------------------------------


def test_matches_whole_words_case_insensitively_across_spacing() -> None:
    index = DiscardIndex([("GOALLESS DRAW", False), ("WORLD WAR I", False)])
    text = "It ended in a Goalless\n draw, the veterans of world war ii said."
    hits = index.find(text)
    assert [(text[h.start : h.end], h.phrase) for h in hits] == [
        ("Goalless\n draw", "GOALLESS DRAW")
    ]


def test_no_match_inside_a_longer_word() -> None:
    index = DiscardIndex([("CRICKET", False), ("WORLD WAR I", False)])
    assert index.find("Crickets sang in the cricketers' field after World War II.") == []
    hits = index.find("After World War I-era rules they played cricket.")
    assert [h.phrase for h in hits] == ["WORLD WAR I", "CRICKET"]


def test_a_phrase_at_both_levels_discards_the_story() -> None:
    index = DiscardIndex([("UNITED FC", False), ("UNITED FC", True)])
    assert [h.story for h in index.find("United FC won.")] == [True]


def test_the_lexicon_loads_the_list() -> None:
    lexicon = load_lexicon()
    assert lexicon.discards is not None
    assert lexicon.discards.size > 350
    assert any(DISCARDS_FILE in f for f in lexicon.files)  # part of the fingerprint


# --- coding -----------------------------------------------------------------------------------


def test_a_story_that_must_still_code() -> None:
    assert triples(CODES) == {("DEU", "112", "RUS")}
    assert _skipped(CODES) == [None]


def test_a_historical_aside_drops_only_its_sentence() -> None:
    text = CODES + " During World War II the German army invaded Poland."
    assert triples(text) == {("DEU", "112", "RUS")}
    assert _skipped(text)[1] == "sentence discarded: 'WORLD WAR II' (PETRARCH discard phrase)"


def test_bare_years_and_relative_times_are_not_discards() -> None:
    index = DiscardIndex([("1961", False), ("YEARS AGO", False), ("APRIL 1942", False)])
    text = "They split in 1961, 18 years ago; in April 1942 they fought."
    assert [h.phrase for h in index.find(text)] == ["APRIL 1942"]
    assert triples("France accused Germany of breaking a treaty signed in 1961.") != set()


def test_the_same_sentence_without_the_aside_codes() -> None:
    assert triples("The German army invaded Poland.") != set()


def test_a_sports_story_gives_no_events() -> None:
    text = (
        "France accused Spain of cheating after the Champions League game on Tuesday. "
        "The Spanish coach criticised the French federation."
    )
    assert triples(text) == set()
    reason = "story discarded: 'CHAMPIONS LEAGUE' (PETRARCH story-level discard phrase)"
    assert _skipped(text) == [reason, reason]


def test_a_sentence_level_sports_word_leaves_the_other_sentences() -> None:
    text = "The cricket board of India condemned Pakistan. " + CODES
    assert triples(text) == {("DEU", "112", "RUS")}
