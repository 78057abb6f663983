"""Which codes stand without a target: those whose CAMEO definition names no other party.

Every sentence is our own.
"""

from __future__ import annotations

import pytest

from pipeline.stages.events import code_text
from pipeline.stages.events.event import allows_no_target


def coded(text: str) -> list[tuple[str | None, str, str | None]]:
    return [
        (e.source.code if e.source else None, e.cameo_code, e.target.code if e.target else None)
        for e in code_text(text, None)
    ]


@pytest.mark.parametrize(
    "code",
    # curbs on civilians and their easing, in every tense; dissent called off; one's own forces
    [
        "172",
        "1721",
        "1723",
        "1724",
        "081",
        "0813",
        "0814",
        "0351",
        "1241",
        "1323",
        "1324",
        "082",
        "0352",
        "1242",
        "133",
        "087",
        "0871",
        "0873",
        "0874",
        "0356",
        "1246",
        "196",
        "0831",
        "0341",
        "1231",
        "010",
        "141",
        "150",
    ],
)
def test_codes_whose_definition_names_no_other_party(code: str) -> None:
    assert allows_no_target(code)


@pytest.mark.parametrize(
    "code",
    # a party banned, persons held or freed, a proposal rejected, a place attacked: a target
    ["1722", "0812", "1322", "173", "0841", "120", "125", "190", "193", "111", "042"],
)
def test_codes_aimed_at_a_party_need_one(code: str) -> None:
    assert not allows_no_target(code)


@pytest.mark.parametrize(
    ("text", "code", "source"),
    [
        ("Indian authorities imposed a curfew in the old city on Monday.", "1723", "INDGOV"),
        ("The Jordanian government eased the curfew on Sunday.", "0813", "JORGOV"),
        ("The Kenyan government lifted the state of emergency on Tuesday.", "0814", "KENGOV"),
        ("Colombian rebels surrendered on Friday.", "0874", "COLREB"),
    ],
)
def test_one_sided_acts_stand_without_a_target(text: str, code: str, source: str) -> None:
    assert (source, code, None) in coded(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Nigerian government rejected the plan on Monday.",  # whose plan is not said
        "Kenyan police arrested dozens on Monday.",  # whom is not said
    ],
)
def test_acts_on_an_unnamed_party_yield_nothing(text: str) -> None:
    assert coded(text) == []


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("Russian forces attacked in Syria on Monday.", ("RUSMIL", "190", "SYR")),
        ("Turkish troops fought in northern Iraq on Monday.", ("TURMIL", "193", "IRQ")),
    ],
)
def test_a_use_of_force_abroad_targets_the_country_it_happened_in(
    text: str, event: tuple[str, str, str]
) -> None:
    assert event in coded(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nigerian troops fought in Borno on Monday.",  # at home: where, not whom
        "Nigerian troops fought in the north on Monday.",  # no country named
        "Three Kenyans Among 12 Killed In Uganda Bus Attack",  # a headline: victims, a place
    ],
)
def test_a_use_of_force_at_home_or_nowhere_named_takes_no_place_target(text: str) -> None:
    assert coded(text) == []


def test_a_named_target_beats_the_place() -> None:
    events = coded("Nigerian troops clashed with gunmen in Niger on Monday.")
    assert ("NGAMIL", "193", "NER") not in events
    assert events


def test_a_symmetric_act_takes_the_counterpart_of_the_one_before() -> None:
    events = coded("Japan held talks with South Korea on Sunday and signed a deal on Monday.")
    assert ("JPN", "057", "KOR") in events
    assert ("KOR", "057", "JPN") in events


def test_the_counterpart_stays_with_its_own_source() -> None:
    events = coded(
        "The Japanese minister held talks with South Korea, but Chinese officials signed a deal."
    )
    assert not [e for e in events if e[1] == "057"]


def test_a_non_symmetric_act_takes_no_counterpart() -> None:
    events = coded("Japan held talks with South Korea on Sunday and protested on Monday.")
    assert not [e for e in events if e[1] != "046" and e[2] is not None]
