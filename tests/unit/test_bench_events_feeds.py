"""The pure helpers of ``bench/bench_events_feeds.py``: coding text, language, judgements."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_events_feeds import (
    Item,
    coding_text,
    declared_english,
    looks_english,
)
from judgements import parse_judgements, precision
from splits import half_of


def test_coding_text_makes_the_title_a_sentence_of_its_own() -> None:
    assert coding_text("Ministers meet in Oslo", "The talks ran late.") == (
        "Ministers meet in Oslo. The talks ran late."
    )
    assert coding_text("Will the talks resume?", "Nobody knows.") == (
        "Will the talks resume? Nobody knows."
    )
    assert coding_text("A headline", None) == "A headline"
    assert coding_text(None, "Only a summary.") == "Only a summary."
    assert coding_text(None, None) == ""


def test_a_summary_that_repeats_the_title_is_coded_once() -> None:
    assert coding_text("Ministers meet", "Ministers meet in Oslo today.") == (
        "Ministers meet in Oslo today."
    )


def test_declared_language_is_taken_at_its_word() -> None:
    assert declared_english("en-gb") is True
    assert declared_english("en_US") is True
    assert declared_english("EN") is True
    assert declared_english("es-ES") is False
    assert declared_english("eng-x") is False
    assert declared_english("") is None
    assert declared_english(None) is None


def test_undeclared_feeds_are_english_by_their_function_words() -> None:
    english = ["The minister said on Monday that the talks with the union would resume."]
    german = ["Die Regierung hat am Montag neue Regeln für den Handel beschlossen."]
    french = ["Le gouvernement a annoncé lundi de nouvelles règles pour le commerce."]
    assert looks_english(english)
    assert not looks_english(german)
    assert not looks_english(french)
    assert not looks_english([])


def test_items_split_by_feed_and_entry_id() -> None:
    item = Item("wire_1.xml", "https://example.invalid/a/1", "Text.", None)
    assert item.key == "wire_1.xml:https://example.invalid/a/1"
    assert item.half == half_of("feeditem:wire_1.xml:https://example.invalid/a/1")


def test_judgements_are_keyed_like_events_and_counted() -> None:
    rec = {
        "item": "wire_1.xml:id-1",
        "trigger_start": 12,
        "trigger": "visited",
        "source": "FRA",
        "code": "042",
        "target": None,
        "label": "right",
    }
    judged = parse_judgements([json.dumps(rec), ""], "item")
    assert list(judged) == [("wire_1.xml:id-1", 12, "042", "FRA", None)]
    line = precision(Counter({"right": 3, "partly": 1, "wrong": 4, "UNJUDGED": 2}))
    assert "judged 8" in line
    assert "precision (right) 0.375" in line
    assert "right or partly 0.500" in line
    assert precision(Counter()) == "no judged events"


def test_a_stub_finds_its_event_again_and_keeps_no_text() -> None:
    from judgements import event_key, sentence_of, stub

    from pipeline.stages.events import code_text

    text = "Rain fell. France condemned Iran on Monday."
    event = code_text(text, None)[0]
    record = stub("page", "own_1", sentence_of(text, event.trigger_start), event)
    assert record["page"] == "own_1"
    assert record["label"] == "?"
    assert record["sentence_start"] == text.index("France")
    assert "France" not in str(record["sentence_sha"])
    key = parse_judgements([json.dumps(record)], "page")
    assert list(key) == [event_key("own_1", event)]


def test_claimed_events_are_set_aside_like_the_marts_do() -> None:
    from datetime import date

    from judgements import happened

    from pipeline.stages.events import code_text

    events = code_text("Iran claimed that Israel had attacked Syria.", date(2024, 3, 5))
    kept, aside = happened(events)
    assert aside == len(events) - len(kept) >= 1
    assert all(e.modality != "claimed" for e in kept)
