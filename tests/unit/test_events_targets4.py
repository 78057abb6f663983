"""Targets for converted patterns (branch ev-targets4, round 12).

A converted PETRARCH-2 pattern whose code needs no target (a statement, CAMEO 01) stands on
its subject when the actor after it is no object of its verb ("expressed concerns about the
impact on allies such as Japan"); a code that needs a target never does. Sentences are
written for the test. Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

PUB = date(2023, 2, 28)

triples = triples_at(PUB)


# --- a statement phrase whose following actor is no object: one-sided


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Kenyan foreign ministry expressed deep concerns regarding the fate of Somali "
            "refugees.",
            ("KENGOV", "012", None),
        ),
        (
            "Ghana's president expressed concerns about the impact on neighbours such as Togo.",
            ("GHAGOV", "012", None),
        ),
        (
            "The Nigerian government rejected accusations that its army had burned villages.",
            ("NGAGOV", "016", None),
        ),
    ],
)
def test_statement_phrase_with_a_non_object_actor_is_one_sided(
    text: str, expected: tuple[str, str, None]
) -> None:
    assert expected in triples(text)


def test_statement_phrase_does_not_take_the_later_actor_as_target() -> None:
    got = triples(
        "Ghana's president expressed concerns about the impact on neighbours such as Togo."
    )
    assert not any(t == "TGO" for _, _, t in got)


def test_a_code_that_needs_a_target_stays_dropped() -> None:
    # 071 (economic aid) needs a recipient: "schools" are none, and Haiti is past a clause
    got = triples(
        "Norway provided 4 million euros to rebuild schools which serve children in Haiti."
    )
    assert not any(code.startswith("07") and t is None for _, code, t in got)


def test_a_statement_without_a_named_subject_codes_nothing() -> None:
    assert not triples("Deep concerns were expressed about the fate of refugees in Chad.")


# --- a converted pattern of a mutual code with a compound subject: each member the other's


def test_compound_subject_of_a_mutual_converted_verb_codes_both_ways() -> None:
    got = triples("Kenya and Uganda have agreed a landmark trade agreement.")
    assert {("KEN", "050", "UGA"), ("UGA", "050", "KEN")} <= got


def test_a_single_subject_of_a_mutual_converted_verb_codes_nothing() -> None:
    assert not triples("Kenya agreed a trade agreement.")


def test_a_compound_subject_agreeing_that_codes_no_mutual_act() -> None:
    # what they agreed on is a clause of its own: no 05x between them
    got = triples(
        "Kenyan and Ugandan officials agreed on Monday that their countries should cooperate "
        "on refugees."
    )
    assert not any(code.startswith("05") for _, code, _ in got)


# --- giving up one's own office (CAMEO 0831 and its mirrors): one-sided by definition


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Malawi's finance minister resigned on Monday.", ("MWIGOV", "0831", None)),
        ("Malawi's finance minister has agreed to step down.", ("MWIGOV", "0341", None)),
        ("Malawi's finance minister refused to resign.", ("MWIGOV", "1231", None)),
    ],
)
def test_giving_up_ones_own_office(text: str, expected: tuple[str, str, None]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Malawian minister resigned himself to defeat.",
        "Malawi's finance minister was given a last chance to resign.",
        "Malawi's finance minister has no plans to step down.",
        "Opposition leaders renewed calls for Malawi's finance minister to resign.",
    ],
)
def test_no_office_given_up(text: str) -> None:
    got = triples(text)
    assert not any(code in ("0831", "0341") for _, code, _ in got)


# --- "used X as human shields": the event noun after "as" is done to the verb's object


def test_as_predicative_object_is_the_target() -> None:
    got = triples("The Kenyan army used Somali civilians as human shields.")
    assert ("KENMIL", "184", "SOMCVL") in got


def test_as_predicative_inside_an_accusation_is_no_act() -> None:
    # "accused X of using": the accusation (112) is the event, not the use claimed
    got = triples("The Kenyan army accused Somali militants of using civilians as human shields.")
    assert not any(code == "184" for _, code, _ in got)


def test_as_predicative_without_a_subject_codes_nothing() -> None:
    assert not triples("Somali civilians as human shields, the report says.")


# --- the author of a request or proposal is the target of its rejection


@pytest.mark.parametrize(
    "text",
    [
        "The Kenyan government rejected a proposal from Uganda.",
        "The Kenyan government refused a request from Uganda to extradite the suspects.",
    ],
)
def test_rejection_is_directed_at_the_author(text: str) -> None:
    assert any(code.startswith("12") and t == "UGA" for _, code, t in triples(text))


def test_a_place_after_from_is_no_author() -> None:
    # no request or proposal: "from Uganda" is where they came back from
    got = triples("Kenyan troops returned from Uganda.")
    assert not any(t == "UGA" for _, _, t in got)
