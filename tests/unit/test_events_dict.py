"""The PETRARCH-2 converter reads every synonym set and every verb line as written (branch
ev-dict): a comment line inside a set does not end it, and ``{}`` lists no other forms.

Sentences are our own, not corpus sentences.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from eventkit import triples_at

from devtools.convert_petrarch_verbs import Block, Conversion, _verb_line, convert, read_synsets
from pipeline.stages.events.lexicon import DATA_DIR

triples = triples_at(date(2024, 5, 6))


def test_a_comment_line_inside_a_synonym_set_does_not_end_it() -> None:
    lines = ["&MONEYISH", "# some members are plural already", "+CASH_", "+DOLLAR", "", "&NEXT"]
    sets = read_synsets(lines)
    assert sets["&MONEYISH"] == ["cash", "dollar", "dollars"]


def test_a_set_still_ends_at_a_blank_line() -> None:
    sets = read_synsets(["&ONE", "+APPLE", "", "+PEAR"])
    assert sets["&ONE"] == ["apple", "apples"]


def test_empty_braces_list_no_other_forms() -> None:
    conv = Conversion()
    block = Block("X", "190", 1)
    _verb_line("+SEIZED_AND_HELD {} [180]", block, conv)
    assert [v.token for v in block.verbs] == ["seized_and_held"]


def test_a_multi_word_verb_without_braces_still_inflects() -> None:
    conv = Conversion()
    block = Block("X", "160", 1)
    _verb_line("+CALL_OFF [160]", block, conv)
    assert block.verbs[0].token.split("|") == ["call_off", "calls_off", "called_off", "calling_off"]


def test_a_synset_after_a_comment_reaches_the_patterns(tmp_path: Path) -> None:
    source = tmp_path / "dict.txt"
    source.write_text(
        "&CURRENCY\n# a note\n+DOLLAR\n+EURO\n\n####### VERB PATTERNS #######\n"
        "--- PLEDGE [030] ---\nPLEDGE\n- * &CURRENCY [0331]\n",
        encoding="utf-8",
    )
    conv = convert(source, {"030", "0331"})
    patterns = {str(e["code"]): e["patterns"][0] for e in conv.entries}
    assert patterns["0331"] == "<pledge> ... dollar|dollars|euro|euros"
    assert "undefined synset" not in conv.skipped


def test_the_committed_dictionary_has_the_currency_set() -> None:
    text = (DATA_DIR / "petrarch_verbs.json").read_text(encoding="utf-8")
    assert "dollar|dollars" in text
    assert "kidnappeded" not in text
    assert "killeded" not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Japan pledged 50 million dollars to Kenya on Monday.", ("JPN", "0331", "KEN")),
        ("Germany gave 20 million euros to Ukraine.", ("DEU", "071", "UKR")),
        ("Norway offered cash to Somalia.", ("NOR", "0331", "SOM")),
    ],
)
def test_money_given_or_pledged_is_aid(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        "The charity raised money for flood victims.",
        "Kenya spent money on new roads.",
        "The bank lent dollars to local farmers.",
        "Shoppers paid cash at the market in Nairobi.",
    ],
)
def test_money_without_a_target_actor_codes_nothing(text: str) -> None:
    assert triples(text) == set()
