"""Source actors the coder used to miss (round 12, branch ev-sources2).

Six clause-structure rules, each a convention of the field rather than a word list:

* a named actor of the lists is a person only when its entry is dated and its term has a
  role; an institution ("the Pentagon") or a country the lists date by its statehood
  ("Serbia") is "it", so "X said it would ..." finds its subject;
* a part or a quantity before "of" (the cue list's partitives: "a unit of", "a group of")
  names the actor after "of" as the subject also with a number or a modifier between ("a
  unit of 300 Kenyan troops"), but not when the part is itself a verb's or a preposition's
  object;
* the relative clause of a document ("issued a resolution that condemns") is the issuer's act;
* actors of one country joined by a comma alone are an apposition or meet at a clause
  boundary, not a compound ("According to Iran's state television, the Iranian president");
* the "by" phrase of an event noun is its agent, also as the subject of an act of force
  ("an attack by X killed Y");
* an agent "led", "run" or "controlled" by a named actor has that actor's country ("the
  Taliban-led government"), a "backed" one has not.

The sentences are the project's own.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.eventkit import triples_at

triples = triples_at(date(2024, 5, 6))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "it" is the named country or institution that speaks
        ("Serbia said it would expel two Croatian diplomats.", ("SRB", "131", "HRV")),
        (
            "The Pentagon said it struck three bases of the Iraqi militia on Sunday.",
            ("USAMIL", "190", "IRQUAF"),
        ),
        # a part before "of", with a number or a modifier between
        ("A unit of 300 Kenyan troops arrived in Somalia on Monday.", ("KENMIL", "042", "SOM")),
        # a document's relative clause
        (
            "Kenya's parliament issued a bipartisan resolution that condemns Uganda.",
            ("KENLEG", "111", "UGA"),
        ),
        # a fronted "according to" phrase is no conjunct of the subject
        (
            "According to Iran's state television, the Iranian president telephoned the "
            "Lebanese prime minister on Tuesday.",
            ("IRNGOV", "041", "LBNGOV"),
        ),
        # the agent of the subject's event noun
        ("An attack by Somali rebels killed 20 Kenyan soldiers.", ("SOMREB", "190", "KENMIL")),
        # who leads the agent gives its country
        (
            "The Taliban-led government arrested two Pakistani journalists.",
            ("AFGGOV", "173", "PAKMED"),
        ),
    ],
)
def test_source_found(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the part is the object: the police arrested, the students did not
        (
            "Kenyan police arrested a group of 200 Ugandan students on Monday.",
            {("KENCOP", "173", "UGACVL")},
        ),
        # a preposition between "of" and the actor keeps the actor a place
        (
            "Thousands of protesters in Iraqi Kurdistan attacked the police.",
            {("IRQ", "190", "IRQCOP")},
        ),
        # a list of three countries without "and" is still a compound
        (
            "Britain, France, Germany condemned Iran.",
            {("GBR", "111", "IRN"), ("FRA", "111", "IRN"), ("DEU", "111", "IRN")},
        ),
    ],
)
def test_source_unchanged(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a statement is no act of force: its "by" phrase names no killer
        "A statement by Kenya killed the deal with Uganda.",
        # a sponsor abroad gives no country
        "The Russian-backed rebels attacked Ukrainian troops.",
        # a passive without its agent still names no source
        "Two Kenyan journalists were arrested on Monday.",
    ],
)
def test_no_event(text: str) -> None:
    assert triples(text) == set()
