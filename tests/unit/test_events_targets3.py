"""Targets beyond the clause's object (branch ev-targets3, round 10).

Object pronouns "them" and an object "it", a verbal participle clause after a coded main
clause, a purpose infinitive of aid, the recipient PP of a bare verb of giving and "X and its
ally Y". Each resolution is paired with sentences that must code nothing of the kind: a
wrong target codes a wrong event. Sentences are written for the test. Pure: the coder and
its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

PUB = date(2023, 2, 28)

triples = triples_at(PUB)


# --- "them": the nearest plural noun phrase before it that is no clause's subject


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tanzanian police detained Kenyan fishermen and later released them.",
            ("TZACOP", "0841", "KENAGR"),
        ),
        ("Ghana summoned Nigerian diplomats and expelled them.", ("GHA", "174", "NGAGOV")),
        (
            "Malian troops fired on Burkinabe protesters and arrested them.",
            ("MLIMIL", "173", "BFAOPP"),
        ),
    ],
)
def test_them_is_the_nearest_plural_object(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


def test_them_after_a_plural_non_actor_codes_nothing() -> None:
    # "them" are the sanctions: no actor was lifted
    got = triples("Canada imposed sanctions on Peru and later lifted them.")
    assert not any(code.startswith("08") for _, code, _ in got)


def test_them_is_never_the_subject_of_its_own_clause() -> None:
    # the protesters are the subject of "marched"; the nearest plural object is none
    got = triples("Ugandan protesters marched to the border and Kenyan police arrested them.")
    assert not any(code == "173" for _, code, _ in got)


def test_them_alone_in_its_sentence_codes_nothing() -> None:
    assert not triples("They released them on Sunday.")


# --- an object "it": the nearest singular noun phrase that is no subject


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israel bombed Hezbollah and accused it of smuggling arms.", ("ISR", "112", "LBNREB")),
        ("Egypt condemned Hamas and urged it to stop the attacks.", ("EGY", "0256", "PSEREB")),
    ],
)
def test_object_it_is_the_patient_not_the_subject(
    text: str, expected: tuple[str, str, str]
) -> None:
    got = triples(text)
    assert expected in got
    assert not any(s == t for s, _, t in got)


def test_it_opening_a_clause_stays_the_subject() -> None:
    # "it" before its own verb (mis-tagged as a noun) is the claimant, not an object
    assert ("PAK", "190", "IND") in triples(
        "Pakistan claimed it shot down several Indian aircraft."
    )


def test_object_it_with_no_actor_before_codes_nothing() -> None:
    assert not triples("Israel signed the deal and later rejected it.")


# --- a verbal participle clause after a coded main clause


def test_an_accusation_beside_another_act_is_its_own_event() -> None:
    got = triples("The UN suspended aid to Yemen, accusing Houthi rebels of stealing food.")
    assert ("IGOUNO", "112", "YEMREB") in got
    assert any(code.startswith("16") for _, code, _ in got)


def test_a_participle_restating_the_act_is_still_one_event() -> None:
    got = triples("Israel shelled Gaza, killing 20 Palestinians.")
    assert [code for _, code, _ in got if code.startswith("19")] == ["194"]


def test_a_participle_of_the_same_verbal_root_is_still_one_event() -> None:
    got = triples("Israel criticized Iran, accusing it of lying.")
    assert all(code.startswith("11") for _, code, _ in got)
    assert len(got) == 1


# --- aid in a purpose infinitive after the main verb's object


def test_aid_in_a_purpose_infinitive_is_the_givers() -> None:
    assert ("JPN", "070", "NPL") in triples("Japan sent a medical team to help Nepal.")


def test_a_bracketed_amount_is_no_clause_boundary() -> None:
    assert ("DEU", "070", "HTI") in triples(
        "Germany earmarked 1.5 million euros ($2 million) in emergency aid to help Haiti."
    )


@pytest.mark.parametrize(
    "text",
    [
        "France urged Germany to help Greece.",  # the object helps, if anyone
        "The United States asked Japan to assist Nepal.",
    ],
)
def test_object_control_is_no_purpose_clause(text: str) -> None:
    got = triples(text)
    assert not any(code.startswith("07") for _, code, _ in got)


# --- the recipient PP of a bare verb of giving


def test_a_bare_verb_of_giving_takes_its_recipient_pp() -> None:
    assert ("DEU", "060", "PSE") in triples(
        "Germany provided their annual donations to Palestinians."
    )


def test_a_locative_pp_is_no_recipient() -> None:
    got = triples("Germany provided support in Kabul.")
    assert not any(t is not None and t.startswith("AFG") for _, _, t in got)


# --- "X and its ally Y": both are the verb's actors


def test_an_ally_apposed_to_a_conjunct_is_a_target_too() -> None:
    got = triples("Turkey condemned Syria and its close ally Iran.")
    assert ("TUR", "111", "SYR") in got
    assert ("TUR", "111", "IRN") in got


def test_an_ally_apposed_to_a_subject_is_a_source_too() -> None:
    got = triples("Russia and its ally Belarus threatened Poland.")
    assert {("RUS", "130", "POL"), ("BLR", "130", "POL")} <= set(got)


def test_a_person_apposed_after_its_is_no_ally() -> None:
    # "its president" names a person of Russia's, not a second party
    got = triples("France criticized Russia and its president Vladimir Putin.")
    assert ("FRA", "111", "RUS") in got
    assert len(got) == 1
