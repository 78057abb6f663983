"""The converted PETRARCH-2 verb layer and the coding conventions that came with it.

Every sentence is our own. The regeneration and coverage tests read the original dictionary
from ``../shared`` and are skipped, saying so, when it is absent.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from eventkit import triples_at

from devtools.convert_petrarch_verbs import (
    CATCH_ALL,
    OUTPUT,
    _code,
    _codes_table,
    generate,
)
from pipeline.stages.events import code_text, load_lexicon
from pipeline.stages.events.coder import SYMMETRIC, allows_no_target
from pipeline.stages.events.lexicon import DATA_DIR

PUB = date(2024, 5, 6)


triples = triples_at(PUB)


def loaded_codes(tier: int | None = None) -> set[str]:
    codes = set()
    for _, (_, anchored) in load_lexicon().anchors.items():
        for p in (*anchored.free, *(q for group in anchored.keyed.values() for q in group)):
            if tier is None or p.tier == tier:
                codes.add(p.code)
    return codes


# --- the conversion ---------------------------------------------------------------------------


def test_regenerating_from_shared_gives_the_committed_file(shared_dir: Path) -> None:
    reference = shared_dir / "reference" / "events"
    if not (reference / "phoenix-dictionaries" / "CAMEO.2.0.txt").is_file():
        pytest.skip("CAMEO.2.0.txt not present under ../shared/reference/events")
    assert generate(reference) == OUTPUT.read_text(encoding="utf-8")


def test_every_code_with_a_verb_entry_is_reachable(shared_dir: Path) -> None:
    source = shared_dir / "reference" / "events" / "phoenix-dictionaries" / "CAMEO.2.0.txt"
    if not source.is_file():
        pytest.skip(f"{source} not present")
    lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    marker = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    table = _codes_table(DATA_DIR / "cameo_codes.tsv")
    in_dictionary = set()
    for line in lines[marker:]:
        for raw in re.findall(r"\[([^\]]*)\]", line.split("#", 1)[0]):
            code = _code(raw)
            if code and code in table:
                in_dictionary.add(code)
    missing = in_dictionary - loaded_codes() - CATCH_ALL
    # 0861 appears only as the second half of "[074:0861]" codes, 1411 only in a pattern with
    # words before the verb ("- PROTEST * RESIGNATION"), which a positional coder cannot read
    assert missing == {"0861", "1411"}
    assert len(in_dictionary) > 200


def test_the_converted_layer_is_large_and_attributed() -> None:
    text = OUTPUT.read_text(encoding="utf-8")
    assert "MIT License" in text
    assert "Open Event Data Alliance" in text
    assert len(loaded_codes(tier=1)) > 200
    assert "petrarch_verbs.json" in (DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")


def test_no_bare_statement_verb_is_a_catch_all() -> None:
    assert triples("Iran said on Monday it would study the proposal.") == set()
    assert triples("The minister told reporters about the weather in Tehran.") == set()


# --- ordinary verbs and phrases the curated list lacked ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Azerbaijan bombarded Armenia.", ("AZE", "19", "ARM")),
        ("Germany met with France in Paris.", ("DEU", "04", "FRA")),
        ("Chile ratified the treaty with Argentina.", ("CHL", "03", "ARG")),
        ("Brazil recognized Palestine on Friday.", ("BRA", "05", "PSE")),
        ("Syrian forces shelled Turkey on Sunday.", ("SYRMIL", "19", "TUR")),
        ("Russia fired missiles at Ukraine overnight.", ("RUS", "19", "UKR")),
    ],
)
def test_dictionary_scale_verbs_and_phrases(
    text: str, expected: tuple[str, str, str | None]
) -> None:
    found = {(s, c[:2], t) for s, c, t in triples(text)}
    assert expected in found, found


def test_curated_patterns_win_over_converted_ones() -> None:
    events = code_text("Russia fired missiles at Ukraine overnight.", PUB)
    assert events
    assert all(not e.pattern_id.startswith("petrarch:") for e in events)


def test_every_event_names_the_entry_that_fired() -> None:
    for e in code_text("Azerbaijan bombarded Armenia. Iran protested.", PUB):
        assert e.pattern_id
        assert e.as_dict()["pattern_id"] == e.pattern_id
        assert e.trigger
        assert e.trigger_start < e.trigger_end


# --- conventions of the field --------------------------------------------------------------------


def test_symmetric_actions_are_coded_both_ways() -> None:
    assert {("ISR", "046", "EGY"), ("EGY", "046", "ISR")} <= triples(
        "Israel held talks with Egypt on Monday."
    )
    # a visit is not symmetric
    assert triples("Japan's prime minister visited Vietnam.") == {("JPNGOV", "042", "VNM")}
    assert "042" not in SYMMETRIC


def test_compound_actors_on_either_side() -> None:
    found = triples("Britain and France condemned Iran and Syria.")
    assert {("GBR", "111", "IRN"), ("GBR", "111", "SYR"), ("FRA", "111", "IRN")} <= found


def test_possessive_actor() -> None:
    assert ("PAKGOV", "114", "INDGOV") in triples(
        "Pakistan's Foreign Office summoned India's ambassador."
    )


@pytest.mark.parametrize(
    "text",
    [
        "She urged.",
        "He vowed to fight on.",
        "The Tunisians accuse.",
        "It called for calm.",
        "Trump invited.",
    ],
)
def test_actions_that_need_a_target_are_not_emitted_without_one(text: str) -> None:
    assert [e for e in code_text(text, PUB) if e.target is None] == []


def test_codes_that_allow_no_target() -> None:
    assert triples("Thousands of Kenyans protested in Nairobi on Sunday.") <= {
        ("KEN", "141", None),
        ("KEN", "140", None),
        ("KENCVL", "141", None),
    }
    assert allows_no_target("141")
    assert allows_no_target("1724")
    assert not allows_no_target("111")


# --- clause structure, names and non-events -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Switzerland beat Gibraltar 6-0 to win the group.",  # a game, not an assault
        "Officials said evidence of the attack was still being gathered.",  # evidence only
        "Iran is expected to attend.",  # a frame verb with nothing it frames
        "Ten soldiers were killed in Ukraine.",  # a passive without its agent: who acted?
    ],
)
def test_sentences_that_must_yield_nothing(text: str) -> None:
    assert code_text(text, PUB) == [], triples(text)


def test_a_travel_advisory_is_not_a_visit() -> None:
    found = triples("Japan's foreign ministry advised against travel to Syria.")
    # PETRARCH-2 codes the advisory itself as reducing relations (160); never as a visit
    assert all(not c.startswith("04") for _, c, _ in found), found
    assert triples("Britain warned against any visit to Iran.") == set()


def test_victims_and_places_are_not_sources() -> None:
    found = triples("Ten Ukrainian soldiers were killed by Russian shelling in Donetsk.")
    assert all(s is None or not s.startswith("UKR") for s, _, _ in found)


def test_a_threat_is_an_intent_not_the_act() -> None:
    codes = {c for _, c, _ in triples("Russia threatened to attack Moldova.")}
    assert codes
    assert all(c.startswith("13") for c in codes)


def test_object_control_is_an_appeal_to_the_object() -> None:
    events = code_text("France urged Israel to halt strikes on Lebanon.", PUB)
    # the appeal's sub-code is what it asks for (subcodes.py): PETRARCH-2's "HALT STRIKE"
    # (082, ending a labour strike) makes it 0252; the appeal itself is what this tests
    assert ("FRA", "02") in {(e.source.code if e.source else None, e.root_code) for e in events}
    asked = [e for e in events if e.source is not None and e.source.code == "ISR"]
    assert all(e.modality == "hypothetical" for e in asked)


def test_negation_scope() -> None:
    # a refused cooperative action is a rejection (12x), asserted; a negated attack is nothing
    events = code_text("Germany would not provide weapons to Ukraine.", PUB)
    assert events
    assert all(e.root_code == "12" and e.modality == "asserted" for e in events)
    assert code_text("Germany did not attack Ukraine.", PUB) == []


def test_claims_about_others_are_the_speakers_statement() -> None:
    events = code_text("Iran claimed that Israel had attacked Syria.", PUB)
    asserted_attacks = [
        e for e in events if e.root_code in ("18", "19") and e.modality == "asserted"
    ]
    assert asserted_attacks == []


def test_passive_agent_is_the_source() -> None:
    assert ("RUS", "190", "UKR") in triples("Ukraine was attacked by Russia on Monday.")


def test_names_that_are_ordinary_words_are_not_actions() -> None:
    # a capitalised verb form is a name ("Sue", "Lynch"), not an action
    assert triples("Sue Lynch met with the Kenyan minister.") == set() or all(
        c != "115" for _, c, _ in triples("Sue Lynch met with the Kenyan minister.")
    )
