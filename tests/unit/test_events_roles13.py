"""Round 13 (ev-roles3): actor roles and resolution. Sentences written here.

* "a spokesman for X" (and "of X") is one actor with X's code: the spokesman speaks for X;
* "former" on a text without a publication date means out of office (ELI), since the most
  recent term the lists give proves no office on no date;
* an institution named after its leader ("the Assad regime", "the Maduro government") is an
  organisation, so "it" resolves to it, and it keeps the government's role;
* a compass region of a country ("in eastern X", "in the north of X") is where a verbal or
  cooperative act happened, not its target; a use of force keeps it as its target;
* ``bench/diag_events_misses.py`` files an uncovered sentence under the furthest stage its
  candidates reached.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from pipeline.stages.events import code_text
from tests.unit.eventkit import outcomes_at, triples_at

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from diag_events_misses import reason

PUB = date(2023, 3, 1)
coded = triples_at(PUB)
outcomes = outcomes_at(PUB)


def undated(text: str) -> set[tuple[str | None, str, str | None]]:
    return {
        (e.source.code if e.source else None, e.cameo_code, e.target.code if e.target else None)
        for e in code_text(text, None)
    }


# --- spokespersons


def test_a_spokesperson_for_an_actor_is_that_actor() -> None:
    assert coded(
        "A spokeswoman for the Ugandan army accused Rwanda of shelling border villages."
    ) == {("UGAMIL", "112", "RWA")}
    assert coded("A spokesman for Hamas condemned the Egyptian decision.") == {
        ("PSEREB", "111", "EGY")
    }


def test_a_spokesperson_for_a_country_speaks_for_its_government() -> None:
    assert coded("A spokesperson for Turkey criticised Greece on Tuesday.") == {
        ("TURGOV", "111", "GRC")
    }


def test_a_spokesperson_of_an_organ_takes_its_role() -> None:
    assert coded("A spokesman of the Iranian army criticised Iraq.") == {("IRNMIL", "111", "IRQ")}


def test_a_spokesperson_is_a_person_for_he() -> None:
    assert ("UGAMIL", "036", "KENGOV") in coded(
        "A spokesman for the Ugandan army said he would meet Kenyan officials."
    )


def test_a_spokesperson_for_no_state_actor_yields_nothing() -> None:
    assert coded("A spokesman for the company criticised the union.") == set()


# --- former offices on no date


def test_former_on_an_undated_text_is_out_of_office() -> None:
    assert undated("Former president Hosni Mubarak praised the Jordanian king.") == {
        ("EGYELI", "051", "JORGOV")
    }


def test_without_former_an_undated_text_keeps_the_latest_office() -> None:
    assert undated("President Hosni Mubarak praised the Jordanian king.") == {
        ("EGYGOV", "051", "JORGOV")
    }


def test_former_on_a_dated_text_is_unchanged() -> None:
    assert coded("Former president Hosni Mubarak praised the Jordanian king.") == {
        ("EGYELI", "051", "JORGOV")
    }


# --- institutions named after a person


def test_an_institution_named_after_its_leader_is_it() -> None:
    assert coded("The Assad regime said it would expel the Turkish ambassador.") == {
        ("SYRGOV", "131", "TURGOV")
    }
    assert undated("The Maduro government said it would expel the Peruvian ambassador.") == {
        ("VENGOV", "131", "PERGOV")
    }


def test_a_person_is_not_it() -> None:
    # "it" cannot be the president himself: who expels is not said
    assert coded("President Bashar al-Assad said it would expel the Turkish ambassador.") == set()


# --- compass regions


def test_a_compass_region_is_where_an_agreement_was_made() -> None:
    events = code_text("Ethiopia agreed to a ceasefire in western Sudan.", PUB)
    assert [(e.source.code, e.cameo_code, e.target) for e in events] == [("ETH", "0356", None)]
    assert events[0].location_country == "SDN"


def test_a_compass_region_is_no_target_of_criticism() -> None:
    assert coded("Egypt criticised the fighting in southern Libya.") == set()
    assert coded("Turkey called for calm in the north of Iraq.") == set()
    assert "dropped: no target, and the code needs one" in outcomes(
        "Egypt criticised the fighting in southern Libya."
    )


def test_a_compass_region_stays_the_target_of_force() -> None:
    assert coded("Turkish jets bombed villages in northern Iraq.") == {("TURMIL", "195", "IRQ")}


def test_a_country_without_a_compass_word_is_still_a_target() -> None:
    assert coded("Egypt criticised Libya.") == {("EGY", "111", "LBY")}


# --- the misses diagnostic


def test_diag_files_a_sentence_under_its_furthest_stage() -> None:
    def filed(*outs: str) -> str:
        return reason([{"candidates": [{"outcome": o} for o in outs]}])

    assert reason([{"candidates": []}]) == "no trigger pattern"
    assert filed("not read as a verb here", "syntax: tagged NN, not a verb") == "noun-only"
    assert filed("not read as a verb here", "dropped: no source actor in its clause") == (
        "no source"
    )
    assert filed("dropped: no target, and the code needs one") == "no target"
    assert filed("dropped: an actor without a country (---GOV 111 -)") == "gate dropped"
    assert filed("dropped: hypothetical, not an event") == "not counted"


def test_diag_on_a_sentence_without_any_pattern() -> None:
    trace: list[dict[str, object]] = []
    assert code_text("The weather in Nairobi was mild and dry.", None, trace=trace) == []
    assert reason(trace) == "no trigger pattern"
