"""Nominalised actions under a light verb, and "talks between A and B" as a clause's subject.

"announced a suspension of aid to", "ordered the withdrawal of troops from": the noun names the
action (a ``nominal`` pattern of ``verbs.yaml``), the verb before it makes it one; "demanded
the withdrawal of", "called for the lifting of" are the demand or appeal for that action, and
"agreed to the lifting of" its intent. The same noun phrases alone are background and code
nothing. "Talks between A and B began" is a two-way 046 only when the noun phrase is the
subject of an event verb in the present or past. Sentences written here; pure.
"""

from __future__ import annotations

from datetime import date

from eventkit import outcomes_at, triples_at

from pipeline.stages.events import code_text
from pipeline.stages.events.syntax import parse

PUB = date(2024, 5, 14)

triples = triples_at(PUB)
outcomes = outcomes_at(PUB)


def head(text: str, word: str) -> tuple[str, str] | None:
    """The light verb's words and kind for the nominal noun *word* in *text*, or None."""
    found = parse(text, 0, len(text)).nominal_head(text.index(word), gerund=True)
    return None if found is None else (text[found[0] : found[1]], found[2])


# --- the parse: which verb, of which kind


def test_the_kind_of_light_verb_is_read() -> None:
    assert head("Chile announced a suspension of aid to Peru.", "suspension") == (
        "announced",
        "do",
    )
    assert head("Chile demanded the withdrawal of Peruvian troops.", "withdrawal") == (
        "demanded",
        "demand",
    )
    assert head("Chile called for the release of Peruvian sailors.", "release") == (
        "called for",
        "ask",
    )
    assert head("Chile agreed to the lifting of sanctions on Peru.", "lifting") == (
        "agreed to",
        "agree",
    )


def test_the_old_light_verb_question_still_answers_only_doing_verbs() -> None:
    text = "Chile demanded the withdrawal of Peruvian troops."
    assert parse(text, 0, len(text)).light_verb(text.index("withdrawal")) is None


# --- the coder


def test_an_announced_suspension_of_aid_is_a_cut_in_aid() -> None:
    assert triples("Chile announced a suspension of aid to Peru on Monday.") == {
        ("CHL", "162", "PER")
    }
    assert triples("Chile announced a suspension of military aid to Peru.") == {
        ("CHL", "1622", "PER")
    }


def test_an_ordered_withdrawal_is_the_retreat() -> None:
    found = triples("Chile ordered the withdrawal of troops from Peru.")
    assert {code for _, code, _ in found} == {"0874"}


def test_an_announced_lifting_of_sanctions_is_easing_not_imposing() -> None:
    # the event noun is more specific than "<announce> ... sanctions" over the same words
    assert triples("Chile announced the lifting of sanctions on Peru.") == {("CHL", "085", "PER")}


def test_a_suspension_of_talks_and_a_resumption_of_talks() -> None:
    assert triples("Chile announced the suspension of talks with Peru.") == {("CHL", "164", "PER")}
    assert triples("Chile announced the resumption of talks with Peru.") == {
        ("CHL", "046", "PER"),
        ("PER", "046", "CHL"),
    }


def test_demanded_or_called_for_is_the_demand_or_appeal_for_the_action() -> None:
    assert triples("Bolivia demanded the withdrawal of Chilean troops from the border.") == {
        ("BOL", "1056", "CHLMIL")
    }
    assert triples("Bolivia called for the lifting of sanctions on Peru.") == {
        ("BOL", "0254", "PER")
    }


def test_agreed_to_is_the_intent() -> None:
    assert triples("Bolivia agreed to the lifting of sanctions on Peru.") == {
        ("BOL", "0354", "PER")
    }


def test_the_light_verb_carries_negation_and_future() -> None:
    assert not triples("Bolivia did not announce a suspension of aid to Peru.")
    [event] = code_text("Bolivia will announce a suspension of aid to Peru.", PUB)
    assert (event.root_code, event.modality) == ("13", "future")


def test_a_nominal_action_without_a_light_verb_is_background() -> None:
    assert not triples("The withdrawal of Chilean troops from Bolivia was completed in 1990.")
    assert not triples("The suspension of aid to Peru by Chile angered Bolivia.")
    assert "a nominal event needs a light verb" in outcomes(
        "The suspension of aid to Peru by Chile angered Bolivia."
    )


# --- talks between A and B


def test_talks_between_a_and_b_that_began_are_two_way_negotiations() -> None:
    assert triples("Talks between Chile and Peru began in Lima on Monday.") == {
        ("CHL", "046", "PER"),
        ("PER", "046", "CHL"),
    }
    assert triples("The meeting between Chile and Peru took place on Friday.") == {
        ("CHL", "040", "PER"),
        ("PER", "040", "CHL"),
    }


def test_talks_between_a_and_b_not_yet_held_or_only_discussed_code_nothing() -> None:
    assert not triples("Talks between Chile and Peru will begin next week.")
    assert not triples("A meeting between Chile and Peru is planned for May.")
    assert not triples("Analysts said talks between Chile and Peru were unlikely to succeed.")
    assert not triples("Chile said talks between Bolivia and Peru would resume.")
    assert "dropped: 'talks between A and B' heads no event verb" in outcomes(
        "Talks between Chile and Peru will begin next week."
    )


def test_announced_impositions_and_severed_ties() -> None:
    assert triples("Chile announced the imposition of sanctions on Peru.") == {
        ("CHL", "163", "PER")
    }
    assert triples("Chile announced the severing of ties with Peru.") == {("CHL", "161", "PER")}
    assert not triples("The severing of ties with Peru was a mistake, Chile said.")
