"""Targets found where they stand (branch ev-targets): object pronouns and other slot shapes.

A target found wrongly codes a wrong event, so every resolution is paired with sentences that
must code nothing: a possessive "her", an object pronoun whose only antecedent is the
subject of its own verb (an actor acting on itself is no event), a pronoun with no person
before it. Sentences are written for the test. Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

PUB = date(2023, 2, 28)

triples = triples_at(PUB)


# --- object pronouns: "him" / "her" resolve like "he" / "she", to the nearest person before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kenya summoned the Ugandan ambassador and accused him of spying.",
            ("KEN", "1125", "UGAGOV"),
        ),
        (
            "Ugandan police arrested the Kenyan minister and later released him.",
            ("UGACOP", "0841", "KENGOV"),
        ),
        (
            "Rwandan police detained the Ugandan foreign minister, then freed her on Sunday.",
            ("RWACOP", "0841", "UGAGOV"),
        ),
    ],
)
def test_object_pronoun_is_the_person_before_it(text: str, expected: tuple[str, ...]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        # the only person before "him" is the subject of its own verb: no event on itself
        "The Kenyan president praised him.",
        # "her" before a noun is a possessive determiner, no actor
        "The Kenyan minister praised her teachers.",
        # no person anywhere before the pronoun
        "Police in the town arrested him.",
    ],
)
def test_object_pronoun_without_an_antecedent_codes_nothing(text: str) -> None:
    assert not {t for t in triples(text) if t[1][:2] in {"05", "17", "08"}}


def test_possessive_her_is_no_target() -> None:
    got = triples("The Ugandan minister criticised her government over the delay.")
    assert not any(t[2] == "UGAGOV" and t[0] == "UGAGOV" for t in got)


# --- a participle right after a document its subject issued: "issued a statement urging X to"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Kenyan government issued a statement urging Uganda to withdraw its troops.",
            ("KENGOV", "0256", "UGA"),
        ),
        (
            "Kenya's foreign ministry issued a statement calling on Uganda to free the prisoners.",
            ("KENGOV", "0253", "UGA"),
        ),
        ("The Security Council adopted a resolution condemning Iran.", ("IGOUNO", "111", "IRN")),
    ],
)
def test_document_participle_is_the_issuers_act(text: str, expected: tuple[str, ...]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        # the subject did not issue the statement: it rejected someone else's
        "Kenya rejected a statement urging Uganda to withdraw its troops.",
        # nobody named issued it
        "A statement urging Uganda to withdraw was read out.",
        # a noun that is no document: "Kenyan officials watching Uganda" is no appeal
        "Kenyan officials issued visas to people urging Uganda to withdraw.",
    ],
)
def test_document_participle_without_its_issuer_codes_no_appeal(text: str) -> None:
    assert not {t for t in triples(text) if t[1][:2] == "02"}
