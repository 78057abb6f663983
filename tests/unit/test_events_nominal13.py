"""Event nouns heading their clause's subject (branch ev-nominal13, round 13).

A dictionary word of an act that took place (meetings, protests, coercion, assaults,
fighting, mass violence: ``triggers._EVENT_NOUN_ROOTS``), read as a noun, is an event when it
heads the subject of its clause's finite verb ("Ethiopian raids on Eritrea have left dozens
dead"): the source is an actor before the noun in its phrase or after "by", the target the
actor after "on", "against", "of", "into", "with" or "upon" (``Parse.subject_event_noun``,
``coder._noun_sides``). A noun that is a preposition's object ("the threat of an attack"),
the object of another verb ("called for talks"), a modifier ("attack helicopters"), or the
subject of a modal, of "be" or of a verb that does not assert it ("seems likely") is no
event of its own. Sentences are written for the test. Pure: the coder and its packaged
dictionaries.
"""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import outcomes_at, triples_at

from pipeline.stages.events.syntax import parse

PUB = date(2023, 2, 28)

triples = triples_at(PUB)
outcomes = outcomes_at(PUB)


def _roots(text: str) -> set[str]:
    return {code[:2] for _, code, _ in triples(text)}


# --- the event noun as the subject of a finite verb


@pytest.mark.parametrize(
    ("text", "event"),
    [
        # a modifier actor before the noun is its source, the "on" actor its target
        ("Sudanese attacks on Chad continued on Friday.", ("SDN", "190", "TCD")),
        ("Ethiopian raids on Eritrea have left dozens dead.", ("ETH", "190", "ERI")),
        # after an opening adverbial and its comma
        ("On Monday, Ethiopian raids on Eritrea destroyed two bridges.", ("ETH", "190", "ERI")),
        # the "by" actor is the source, a past verb the tagger calls a participle
        ("The attack on Somalia by Kenyan troops killed twelve people.", ("KENMIL", "190", "SOM")),
        (
            "The arrest of three Kenyan journalists by Ugandan police sparked outrage.",
            ("UGACOP", "173", "KENMED"),
        ),
    ],
)
def test_an_event_noun_heading_the_subject_is_coded(text: str, event: tuple[str, str, str]) -> None:
    assert event in triples(text)


def test_the_target_of_an_event_noun_is_no_subject_for_the_next_verb() -> None:
    # "killed" takes no source from the attack's target: only the attack is coded
    assert triples("The attack on Somalia by Kenyan troops killed twelve people.") == {
        ("KENMIL", "190", "SOM")
    }


# --- what must yield no event of the noun


@pytest.mark.parametrize(
    "text",
    [
        # a preposition's object: the threat, not the attack
        "Ethiopia warned of the threat of an attack on Eritrea.",
        # a modal, "be", a verb that does not assert the event
        "Attacks on Somalia by Kenyan troops will continue, officials warned.",
        "An attack on Chad by Sudan seems likely.",
        "Sudanese attacks on Chad are a violation of the truce.",
        # a conditional clause
        "If Ethiopian raids on Eritrea continue, the talks will fail.",
        # a modifier, not the head of its phrase
        "Attack helicopters from Kenya flew over Somalia.",
        # a reduced relative clause, a relative clause between noun and verb
        "Sudanese attacks on Chad planned by the army were called off.",
        "The Sudanese attacks on Chad, which began in May, killed dozens.",
    ],
)
def test_an_event_noun_that_is_not_asserted_codes_no_attack(text: str) -> None:
    assert "19" not in _roots(text)


def test_calls_for_talks_stay_an_appeal() -> None:
    # the talks are what is asked for: an appeal, no meeting
    found = triples("Kenya called for talks with Ethiopia.")
    assert found
    assert all(not code.startswith("04") for _, code, _ in found)


def test_an_object_of_another_verb_stays_that_verbs_event() -> None:
    found = triples("Chad condemned the attack on its border by Sudan.")
    assert all(not code.startswith("19") for _, code, _ in found)


def test_a_common_noun_target_of_the_sources_own_country_is_no_target() -> None:
    # whose convoy is not said: the country the noun took from the sentence is the source's
    assert "19" not in _roots("Sudan's raid on the convoy drew a muted response from Chad.")


def test_an_event_noun_without_a_source_codes_nothing() -> None:
    assert "19" not in _roots("Attacks on Chad continued on Friday.")


# --- the parse question itself


@pytest.mark.parametrize(
    ("text", "word", "verb"),
    [
        ("Ethiopian raids on Eritrea have left dozens dead.", "raids", "left"),
        ("Sudanese attacks on Chad continued on Friday.", "attacks", "continued"),
        ("Attacks on Somalia by Kenyan troops will continue.", "Attacks", None),
        ("Kenya warned of the threat of an attack on Eritrea.", "attack", None),
    ],
)
def test_subject_event_noun(text: str, word: str, verb: str | None) -> None:
    found = parse(text, 0, len(text)).subject_event_noun(text.index(word))
    if verb is None:
        assert found is None
    else:
        assert found is not None
        assert found[1] == text.index(verb)
