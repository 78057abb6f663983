"""Actor names the dictionaries missed (actors.py, countries.yaml): the project's own sentences.

Wire copy writes the Arabic article in lower case before a capitalised name ("al-Qaeda",
"al Shabaab"), which the capitalisation test for names refused; and armed groups that rose
after the Phoenix lists (2014) were no actors at all. Abbreviations that also name other
bodies (SDF, RSF, ADF) stay unknown.
"""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.stages.events import code_text
from tests.unit.eventkit import triples_at

PUB = date(2024, 5, 6)
triples = triples_at(PUB)


def actors(text: str) -> list[tuple[str, str]]:
    """The (surface, code) of every actor the trace lists for *text*."""
    trace: list[dict[str, object]] = []
    code_text(text, PUB, trace=trace)
    return [
        (str(a["text"]), str(a["code"]))
        for record in trace
        for a in record["actors"]  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fighters from al-Shabaab attacked a Kenyan police post on Monday.", "SOMREB"),
        ("Officials blamed al Qaeda for the blast.", "IMGMUSALQ"),
        ("The statement was issued by ash-Shabaab.", "SOMREB"),
        ("The Houthis fired missiles at Saudi Arabia on Sunday.", "YEMREB"),
        ("Houthi fighters seized a ship.", "YEMREB"),
        ("The Libyan National Army shelled Tripoli on Friday.", "LBYREB"),
        ("Hayat Tahrir al-Sham took a village near Idlib.", "SYRREB"),
        ("Colombia resumed talks with the ELN in Havana.", "COLREB"),
        ("The Ethiopian government accused the TPLF of attacking an army base.", "ETHREB"),
        ("Myanmar's junta bombed positions of the Arakan Army.", "MMRREB"),
    ],
)
def test_named_groups_are_actors(text: str, expected: str) -> None:
    assert expected in {code for _, code in actors(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Fighters from al-Shabaab attacked a Kenyan police post on Monday.",
            ("SOMREB", "190", "KENCOP"),
        ),
        ("The Houthis fired missiles at Saudi Arabia on Sunday.", ("YEMREB", "195", "SAU")),
        ("Myanmar's junta bombed positions of the Arakan Army.", ("MMRGOV", "195", "MMRREB")),
    ],
)
def test_named_groups_make_events(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        # a lower-case particle before a lower-case word is no name
        "We ate al fresco in the square on Monday.",
        # an abbreviation that names other bodies too is left unknown
        "The SDF held a drill on Monday.",
        # a group named, but no action
        "A documentary about al-Qaeda was released on Monday.",
    ],
)
def test_no_event(text: str) -> None:
    assert triples(text) == set()


def test_ambiguous_abbreviation_is_no_actor() -> None:
    assert actors("The SDF held a drill on Monday.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Immigration and Customs Enforcement detained the Mexican consul.", "USAGOV"),
        ("ICE said it had deported the Guatemalan activist.", "USAGOV"),
        ("The Government Accountability Office criticised the Pentagon.", "USAGOV"),
        # a country named with it wins: a department of that country's government
        ("Kenya's Treasury Department rejected the plan.", "KENGOV"),
    ],
)
def test_us_federal_bodies(text: str, expected: str) -> None:
    assert expected in {code for _, code in actors(text)}


def test_lower_case_ice_is_no_actor() -> None:
    assert actors("The ice on the lake broke on Monday.") == []


def test_compass_point_before_own_country_qualifies_the_agent() -> None:
    # "protesters in the western Ruritanian city": the demonym is the protesters' own country,
    # not a guess from another actor of the sentence
    from pipeline.stages.events.actors import _OWN_QUALIFIER_AFTER

    assert _OWN_QUALIFIER_AFTER.fullmatch(" in the western ")
    assert _OWN_QUALIFIER_AFTER.fullmatch(" in the north-eastern ")
    assert _OWN_QUALIFIER_AFTER.fullmatch(" from ")
    assert not _OWN_QUALIFIER_AFTER.fullmatch(" in the south of ")
    assert not _OWN_QUALIFIER_AFTER.fullmatch(" in the old ")


def test_compass_qualified_agent_is_a_source() -> None:
    # a second country in the sentence: without the qualifier the police's country would only
    # be inferred, and an inferred agent is no source
    text = "Police in the eastern Kenyan town of Garissa arrested Ugandan traders."
    assert ("KENCOP", "173", "UGABUS") in triples(text)
    assert triples("Police near the old Kenyan border arrested Ugandan traders.") == set()
