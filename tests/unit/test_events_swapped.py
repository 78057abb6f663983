"""PETRARCH-2 ``[:code]`` entries (an action done TO the subject, the dyad swapped) and the
converter's table of corrected codes. Every sentence and dictionary line here is our own."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from eventkit import outcomes_at, triples_at

from devtools.convert_petrarch_verbs import CODE_OVERRIDES, _override, convert, render
from pipeline.stages.events.swapped import agent_named

PUB = date(2024, 5, 6)
triples = triples_at(PUB)
outcomes = outcomes_at(PUB)

CODES = {"040", "050", "051", "100", "130"}

DICTIONARY = """\
####### VERB PATTERNS #######
--- MEET_UP [040] ---
JOIN
GATHER
--- CONFRONT_SOMEONE [---] ---
CONFRONT
- * PRESSURE (FROM)                 [:100]        # CONFRONT
- * CHALLENGE                       [130]         # CONFRONT
--- OBTAIN_IT [---] ---
OBTAIN
- * BACKING                         [051]         # OBTAIN
- * BACKING                         [:051]        # OBTAIN
"""


def _converted(tmp_path: Path) -> list[dict[str, object]]:
    source = tmp_path / "CAMEO.2.0.txt"
    source.write_text(DICTIONARY, encoding="utf-8")
    return list(json.loads(render(convert(source, CODES), "test"))["verbs"])


# --- the conversion ------------------------------------------------------------------------------


def test_a_colon_code_is_converted_with_the_dyad_swapped(tmp_path: Path) -> None:
    entries = _converted(tmp_path)
    pressure = [e for e in entries if "pressure" in str(e["patterns"])]
    challenge = [e for e in entries if "challenge" in str(e["patterns"])]
    assert [(e["code"], e.get("swap")) for e in pressure] == [("100", True)]
    assert [(e["code"], e.get("swap")) for e in challenge] == [("130", None)]


def test_the_same_words_coded_both_ways_keep_the_colon_reading(tmp_path: Path) -> None:
    backing = [e for e in _converted(tmp_path) if "backing" in str(e["patterns"])]
    assert [(e["code"], e.get("swap")) for e in backing] == [("051", True)]


def test_the_override_table_is_checked_against_the_dictionary() -> None:
    assert ("ASSEMBLE", "<join>") in CODE_OVERRIDES
    assert all(len(reason) > 10 for _, _, reason in CODE_OVERRIDES.values())
    assert _override("ASSEMBLE", "<join>", "040") == "050"
    assert _override("ASSEMBLE", "<gather>", "040") == "040"  # not in the table
    with pytest.raises(ValueError, match="now codes"):
        _override("ASSEMBLE", "<join>", "043")  # the source changed: the override is stale


def test_an_override_of_another_block_leaves_its_code(tmp_path: Path) -> None:
    joins = [e for e in _converted(tmp_path) if e["patterns"] == ["<join>"]]
    assert [(e["code"], e.get("igo_code")) for e in joins] == [("040", None)]  # not ASSEMBLE


def test_agent_named() -> None:
    text = "kenya faced pressure from the united states over somalia"
    end = text.index("pressure") + len("pressure")
    assert agent_named(text, end, text.index("united"))
    assert not agent_named(text, end, text.index("somalia"))
    text = "egypt got support from saudi arabia"
    assert agent_named(text, text.index("from") + 4, text.index("saudi"))


# --- the coder -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kenya faced pressure from the United States.", ("USA", "100", "KEN")),
        ("Iran came under attack from Iraqi forces.", ("IRQMIL", "190", "IRN")),
        ("Serbia received an invitation from France.", ("FRA", "026", "SRB")),
        ("Egypt got support from Saudi Arabia on Tuesday.", ("SAU", "051", "EGY")),
        ("Turkey won the backing of Germany.", ("DEU", "051", "TUR")),
    ],
)
def test_an_action_on_the_subject_is_coded_from_its_doer(
    text: str, expected: tuple[str, str, str]
) -> None:
    found = triples(text)
    assert expected in found, found
    source, code, target = expected
    assert (target, code, source) not in found  # never the subject as the doer


@pytest.mark.parametrize(
    "text",
    [
        "Kenya faced pressure.",
        "Kenya faced pressure over Somalia.",
        "Iran came under attack on Monday.",
        "Serbia received an invitation.",
    ],
)
def test_an_action_on_the_subject_by_nobody_named_codes_nothing(text: str) -> None:
    assert triples(text) == set()


def test_the_trace_says_why_a_swapped_entry_is_dropped() -> None:
    assert any("no named actor" in o for o in outcomes("Kenya faced pressure over Somalia."))


def test_joining_an_organisation_is_diplomatic_cooperation() -> None:
    found = triples("Finland joined NATO.")
    assert ("FIN", "050", "IGOWSTNAT") in found
    assert all(code != "040" for _, code, _ in found)
    assert ("KEN", "050", "IGOAFRAFU") in triples("Kenya joined the African Union last year.")


def test_joining_a_person_stays_a_meeting() -> None:
    found = triples("The Kenyan president joined his Ugandan counterpart.")
    assert ("KENGOV", "040", "UGA") in found
    assert all(code != "050" for _, code, _ in found)
