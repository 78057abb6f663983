"""Round 6 of the event coder: structural recall, on sentences written here.

One test per mechanism (participle clauses take the main clause's subject, a targetless
ceasefire violation, a converted object through a place noun's "of"), each with sentences that
must still yield nothing. Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

from eventkit import triples_at

from pipeline.stages.events import code_text

PUB = date(2024, 5, 14)

Triple = tuple[str | None, str, str | None]


triples = triples_at(PUB)


# --- a participle clause after a comma: the main clause's subject acts


def test_a_participle_after_an_uncoded_main_clause_takes_its_subject() -> None:
    text = (
        "The Egyptian government cracked down on dissent last year, arresting opposition leaders."
    )
    assert triples(text) == {("EGYGOV", "173", "EGYOPP")}


def test_a_participle_takes_the_agent_heading_the_main_verb() -> None:
    text = (
        "Taliban fighters stormed a police post in Kandahar, killing four Afghan police officers."
    )
    assert triples(text) == {("AFGREB", "190", "AFGCOP")}


def test_a_coded_main_clause_is_one_event() -> None:
    # the killing restates the shelling's consequence: one event, the main clause's
    text = "Russian troops shelled Kharkiv on Monday, killing three Ukrainian soldiers."
    assert triples(text) == {("RUSMIL", "194", "UKR")}


def test_a_participle_without_an_agent_in_its_main_clause_codes_nothing() -> None:
    assert (
        triples("Nepal suffered its worst plane crash, killing all 72 Nepalese passengers.")
        == set()
    )
    assert triples("The storm hit the coast, killing three Ukrainian soldiers.") == set()
    assert triples("The village was shelled overnight, killing two Ukrainian soldiers.") == set()


def test_an_aside_participle_without_a_comma_is_still_no_verb() -> None:
    assert (
        triples("Russian troops said the killing of Ukrainian soldiers was unavoidable.") == set()
    )


# --- a ceasefire violation needs no named other party (CAMEO 196)


def test_a_ceasefire_violation_stands_without_a_target() -> None:
    assert triples("Israeli forces violated the ceasefire on Sunday.") == {("ISRMIL", "196", None)}


def test_an_accusation_of_a_violation_is_not_the_violation() -> None:
    events = code_text("Israel denied that its forces violated the ceasefire.", PUB)
    assert [e for e in events if e.cameo_code == "196" and e.modality == "asserted"] == []


# --- a converted pattern's object through a place noun's "of"


def test_a_converted_object_through_a_place_noun() -> None:
    text = "Israeli jets bombarded the outskirts of Damascus."
    assert {(s, c[:2], t and t[:3]) for s, c, t in triples(text)} == {("ISRMIL", "19", "SYR")}


def test_a_non_place_noun_before_of_is_no_object_frame() -> None:
    assert triples("Israeli jets bombarded the memory of Syria.") == set()


def test_a_participles_victims_take_no_country_from_a_bare_country_source() -> None:
    # whose people were killed is not said: India's name is no evidence they were Indian
    assert triples("India attacked six sites in the night, killing eight people.") == set()
