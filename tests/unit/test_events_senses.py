"""Non-events and other senses (senses.py): the content of an allegation or of evidence, the
victim of an investigated incident, the release of a text or recording, and advice to one's own
people about a country. Our own sentences only; each rule has sentences that must still code
and sentences that must yield nothing."""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

PUB = date(2024, 5, 10)

triples = triples_at(PUB)


# --- reported only: allegations and evidence assert no act of the accused


@pytest.mark.parametrize(
    "text",
    [
        "Allegations that Belgian soldiers looted the Congolese town emerged on Friday.",
        "New evidence shows that Serbian forces shelled the Bosnian village.",
        "Leaked documents suggest Peruvian officials met Bolivian agents in Lima.",
        "Satellite footage indicates that Sudanese troops attacked Chadian refugees.",
        "The complaint alleges that the Turkish army bombed Syrian Kurds.",
    ],
)
def test_the_content_of_an_allegation_or_evidence_codes_no_act(text: str) -> None:
    assert triples(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Serbian forces shelled the Bosnian village.", ("SRB", "BIH")),
        ("Peruvian officials met Bolivian agents in Lima.", ("PERGOV", "BOL")),
    ],
)
def test_the_same_acts_asserted_still_code(text: str, expected: tuple[str, str]) -> None:
    assert any(
        s and s.startswith(expected[0]) and t and t.startswith(expected[1])
        for s, _, t in triples(text)
    )


# --- investigating an incident: the actor "of" it is its victim


@pytest.mark.parametrize(
    "text",
    [
        "Spanish police are investigating the death of a Moroccan migrant.",
        "Greek police are probing the shooting of an Albanian lorry driver.",
        "The Dutch authorities are investigating the murder of a Polish worker.",
    ],
)
def test_the_victim_of_an_investigated_incident_is_no_target(text: str) -> None:
    assert not {t for t in triples(text) if t[1].startswith("09")}


def test_investigating_an_actor_still_codes() -> None:
    assert any(
        c.startswith("09") for _, c, _ in triples("Italy opened an investigation into Libya.")
    )


# --- release of a text or recording, not of persons


@pytest.mark.parametrize(
    "text",
    [
        "The Japanese government released a report on China.",
        "The Israeli army released a video showing the strike on Lebanon.",
        "Ukraine released a statement about Russia on Tuesday.",
    ],
)
def test_releasing_a_text_is_no_release_of_persons(text: str) -> None:
    assert not {t for t in triples(text) if t[1] == "0841"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Morocco released four Spanish fishermen on Friday.", ("MAR", "0841", "ESP")),
        ("Venezuela freed two Colombian prisoners.", ("VEN", "0841", "COL")),
    ],
)
def test_releasing_persons_still_codes(text: str, expected: tuple[str, str, str]) -> None:
    assert any(
        s and s.startswith(expected[0]) and c == expected[1] and t and t.startswith(expected[2])
        for s, c, t in triples(text)
    )


# --- advice to one's own people about a country (a travel advisory)


@pytest.mark.parametrize(
    "text",
    [
        "Canada advised its citizens against all travel to Haiti.",
        "Germany urged its nationals to leave Niger immediately.",
        "The Australian government warned Australians against travel to Myanmar.",
    ],
)
def test_a_travel_advisory_is_no_act_toward_the_country(text: str) -> None:
    assert triples(text) == set()


def test_an_appeal_to_a_country_still_codes() -> None:
    assert any(
        s and s.startswith("DEU") and c.startswith("02") and t and t.startswith("NER")
        for s, c, t in triples("Germany urged Niger to release the detained president.")
    )


# --- page furniture run together with body text: menus, teasers, datelines


def test_a_menu_before_a_body_sentence_is_split_off() -> None:
    text = "Home | World | Americas Chilean police detained forty protesters in Santiago."
    assert any(s and s.startswith("CHL") and c == "173" for s, c, _ in triples(text))


def test_a_menu_alone_still_codes_nothing() -> None:
    assert triples("Home | World | Chile detains protesters | Peru sanctions Bolivia") == set()


@pytest.mark.parametrize(
    "text",
    [
        "READ MORE: Chile detains forty Peruvian protesters",
        "Related: Ecuador expels the Colombian ambassador",
        "See also: Uruguay condemns Paraguay over border raid.",
    ],
)
def test_a_teaser_for_another_article_codes_nothing(text: str) -> None:
    assert triples(text) == set()


def test_a_spaced_dash_after_an_agency_is_a_dateline_not_a_hyphen() -> None:
    text = "Reuters - Chilean police detained forty protesters in Santiago."
    sources = {s for s, c, _ in triples(text) if c == "173"}
    assert sources
    assert all(s and s.startswith("CHL") for s in sources)


@pytest.mark.parametrize(
    "text",
    [
        "Belgian soldiers allegedly looted the Congolese town.",
        "Serbian forces purportedly shelled the Bosnian village on Monday.",
    ],
)
def test_an_action_marked_as_alleged_codes_no_act(text: str) -> None:
    assert triples(text) == set()
