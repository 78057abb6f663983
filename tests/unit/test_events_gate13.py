"""Round 13 (ev-gate13): events the precision gate and the converted layer's frame test
refused although they are right. Sentences written here.

* a pronoun that opens the clause of a reporting verb ("X says it will ...") is that verb's
  subject, as sure as the name, for the rules that want actors named; a dyad inside one
  country still wants both sides named;
* the converted layer codes a state acting on another country's named private people with
  aid (07), yielding (08), refused aid (122) and coercion or force (17-20), and a protest
  (14) by anyone of one country against another state; cooperation or talk with private
  people, an inferred country and a domestic private target stay refused;
* a rebel group of the source's own country is no means of the state when the state cuts
  something off (CAMEO 16: "suspended military aid to the country's rebel groups");
* force on what a named actor uses or holds ("hit camps held by X") has X as its target;
* seeking refuge or asylum in a country is CAMEO 1033 with the country as target.
"""

from __future__ import annotations

from datetime import date

from pipeline.stages.events import gate
from tests.unit.eventkit import outcomes_at, triples_at

PUB = date(2023, 3, 1)
coded = triples_at(PUB)
outcomes = outcomes_at(PUB)


# --- a reporting verb's pronoun


def test_says_of_itself_reads_the_gap_between_subject_and_pronoun() -> None:
    text = "kazakhstan says it will not"
    assert gate.says_of_itself(text, len("kazakhstan"), len("kazakhstan says "))
    text = "the ministry announced on friday that it would"
    assert gate.says_of_itself(text, len("the ministry"), text.index("it would"))
    text = "officials told peru that it will"
    assert not gate.says_of_itself(text, len("officials"), text.index("it will"))


def test_a_refusal_announced_by_a_state_about_itself_is_coded() -> None:
    assert coded("Kazakhstan says it will not accept refugees from Tajikistan.") == {
        ("KAZ", "122", "TJK")
    }


def test_an_intent_reported_by_a_government_about_itself_is_coded() -> None:
    assert coded(
        "The Peruvian government has said it would allow UN agencies access to the border region."
    ) == {("PERGOV", "035", "IGOUNO")}


def test_a_pronoun_after_another_verb_stays_unnamed() -> None:
    assert coded("Officials in Chile told Peru that it will not accept refugees from Bolivia.") == (
        set()
    )


def test_a_domestic_dyad_still_wants_both_sides_named() -> None:
    assert (
        coded(
            "The Nepali government announced it will return weapons seized during Nepali "
            "army operations."
        )
        == set()
    )


# --- another country's people in the converted layer


def test_force_against_another_countrys_people() -> None:
    assert coded("Turkish troops demolished the house of a Syrian farmer.") == {
        ("TURMIL", "1712", "SYRAGR")
    }


def test_aid_to_another_countrys_people() -> None:
    assert coded("The European Commission announced new funds to help people in Chad.") == {
        ("IGOEUREEC", "070", "TCDCVL")
    }


def test_yielding_to_another_countrys_people() -> None:
    assert coded("Uganda said it had paid compensation to 40 Indian traders.") == {
        ("UGA", "0842", "INDBUS")
    }


def test_cooperation_with_private_people_stays_refused() -> None:
    assert coded("Canada supported Ghanaian girls going to school.") == set()


def test_people_of_an_inferred_country_stay_refused() -> None:
    assert coded("Norway opened its borders to refugees.") == set()
    assert any(
        "a converted pattern needs its actors named" in o
        for o in outcomes("Norway opened its borders to refugees.")
    )


def test_a_protest_against_another_state_by_anyone() -> None:
    assert coded("Protesters in Belgrade burned the Croatian flag.") == {("SRBOPP", "141", "HRV")}


def test_a_protest_by_an_agent_of_an_inferred_country_stays_refused() -> None:
    assert coded("Protesters in a Serbian town burned the Croatian flag.") == set()


# --- rebels are no state's own means


def test_a_state_acting_on_its_own_rebels() -> None:
    assert coded("Malian authorities suspended military aid to the country's rebel groups.") == {
        ("MLIGOV", "1622", "MLIREB")
    }


def test_aid_to_the_states_own_rebels_stays_a_guess() -> None:
    # (only cutting something off, CAMEO 16, makes the rebels the target)
    assert coded("Malian authorities provided food aid to the country's rebel groups.") == set()


# --- force on what an actor uses or holds


def test_force_on_what_the_target_holds() -> None:
    assert coded("Jordanian jets hit two camps held by Syrian rebels.") == {
        ("JORMIL", "190", "SYRREB")
    }


def test_force_on_something_near_an_actor_has_no_target() -> None:
    assert coded("Jordanian jets hit two camps near Syrian rebels.") == set()


# --- seeking refuge in a country


def test_seeking_refuge_in_a_country_demands_aid_of_it() -> None:
    assert coded("Hundreds of Eritrean families sought refuge in Ethiopia last year.") == {
        ("ERI", "1033", "ETH")
    }
    assert coded("Two Chinese dissidents are seeking asylum in Australia.") == {
        ("CHNOPP", "1033", "AUS")
    }


def test_refuge_in_a_building_names_no_target() -> None:
    assert coded("The family sought shelter in a school.") == set()
