"""Round 5 of the event coder: recall from the field's dictionaries, on sentences written here.

One test per mechanism (an agent's own qualifier, partitives, determiners before a converted
object, agents of one country, digit groups, Phoenix abbreviations,
plurals of the converted dictionary's head nouns, intransitive protest verbs), each with the
sentences that must still yield nothing. Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

from eventkit import triples_at

from devtools.convert_petrarch_verbs import _plural, _words
from pipeline.stages.events import Event, code_text

PUB = date(2024, 5, 14)

Triple = tuple[str | None, str, str | None]


def coded(text: str) -> list[Event]:
    return code_text(text, PUB)


triples = triples_at(PUB)


def actor_codes(text: str) -> set[str]:
    trace: list[dict[str, object]] = []
    code_text(text, PUB, trace=trace)
    return {str(a["code"]) for r in trace for a in r["actors"]}  # type: ignore[attr-defined]


# --- an agent takes the country that qualifies it, not the nearest one


def test_a_nationality_before_modifiers_qualifies_the_agent() -> None:
    # "Lebanon" is nearer to "troops" than "Nepalese", but it is where they arrived
    assert triples("Nepalese peacekeeping troops arrived in Lebanon on Monday.") == {
        ("NPLMIL", "042", "LBN")
    }


def test_an_agent_of_a_place_after_it_is_of_that_country() -> None:
    assert ("KENCOP", "173", "SOMMED") in triples(
        "Police officers in Nairobi arrested two Somali journalists."
    )
    # "groups in Uganda": the agent's head noun, then its country (no guess: a source)
    assert triples("Opposition groups in Uganda accused Kenyan officials of fraud.") == {
        ("UGAOPP", "112", "KENGOV")
    }


def test_an_agent_near_a_country_it_does_not_belong_to_is_no_source() -> None:
    # "Uganda" only names where the meeting was: the officials' country is a guess
    assert not coded("Officials met Kenyan traders in Uganda on Monday.")


# --- partitives: "thousands of X" is X


def test_the_actor_after_a_partitive_of_is_the_subject() -> None:
    events = coded("Thousands of students from Serbia demonstrated on Sunday.")
    assert [(e.source.country if e.source else None, e.root_code) for e in events] == [
        ("SRB", "14")
    ]
    # a hunger strike is CAMEO's 142 (it was coded 143 by the longer "<begin> ... strike")
    assert ("KENLEG", "142", None) in triples(
        "A member of the Kenyan parliament began a hunger strike on Monday."
    )


def test_an_ordinary_preposition_still_governs_its_actor() -> None:
    # the envoy "of Chile" is no partitive: the sentence names no one who protested
    assert not coded("The wife of the Chilean envoy demonstrated her new invention.")


# --- the converted layer: a determiner or a quantity may open the object


def test_a_quantity_before_the_object_of_a_converted_verb() -> None:
    assert ("AZE", "190", "ARM") in triples("Azerbaijan pounded several Armenian positions.")


def test_a_converted_verb_still_needs_its_object_right_after_it() -> None:
    # the object is a thing; the country comes in another phrase
    assert not coded("Azerbaijan pounded the old mountain roads leading toward Armenia.")


# --- agents of one country: an inferred source against another agent of it


def test_police_and_protesters_of_one_country() -> None:
    assert ("KENCOP", "173", "KENOPP") in triples(
        "Police arrested dozens of protesters in Nairobi on Monday."
    )


def test_an_inferred_agent_against_the_country_it_was_inferred_from_is_dropped() -> None:
    # "the government" is not Sri Lanka's: its country was only guessed from the target
    events = coded("The government agreed to provide Sri Lanka with new technology.")
    assert not [e for e in events if e.source and e.source.code == "LKAGOV"]


# --- digit groups are no commas


def test_a_number_with_a_digit_group_before_the_target() -> None:
    assert ("TURGOV", "174", "AFG") in triples(
        "Turkish authorities deported 2,500 Afghans to Kabul last week."
    )


def test_a_real_comma_still_ends_the_target_search() -> None:
    assert not [
        e
        for e in coded("Turkish authorities deported him, and 2,500 Afghans left Kabul.")
        if e.target is not None and e.target.country == "AFG"
    ]


# --- short Phoenix names are abbreviations


def test_short_phoenix_names_match_as_upper_case_abbreviations() -> None:
    assert ("TURREB", "190", "TURMIL") in triples(
        "The PKK attacked Turkish soldiers near the border."
    )


def test_a_short_name_in_ordinary_case_is_no_actor() -> None:
    assert "IMGMUSISI" not in actor_codes("Isis Morgan criticised the plan in a speech.")
    assert "IMGMUSISI" in actor_codes("ISIS criticised the plan in a statement.")


# --- the converter: head nouns in the plural, no double plurals


def test_the_head_noun_of_a_literal_phrase_matches_its_plural() -> None:
    assert _words(["ATTACK"], {}) == ["attack|attacks"]
    assert _words(["HUMAN", "RIGHTS", "ABUSE"], {}) == ["human", "rights", "abuse|abuses"]
    assert _words(["TO"], {}) == ["to"]  # a function word stays as it is
    assert _plural("TROOPS") == "TROOPS"
    assert _plural("RAID") == "RAIDS"
    assert ("ETH", "190", "ERI") in triples("Ethiopia carried out several raids against Eritrea.")


# --- protest verbs have no passive


def test_a_protest_verb_after_a_plural_noun_is_a_verb() -> None:
    events = coded("Serbian students demonstrated in Belgrade on Friday.")
    assert [(e.source.country if e.source else None, e.cameo_code) for e in events] == [
        ("SRB", "141")
    ]


def test_a_transitive_participle_after_a_noun_is_still_a_reduced_relative() -> None:
    assert not coded("Civilians attacked in Belgrade on Friday were taken to hospital.")


# --- phrasal verbs that PETRARCH-2 codes as verbs of their own, with no code


def test_a_head_verb_inside_a_null_phrasal_verb_is_no_trigger() -> None:
    # "struck down" an order is a ruling, not force; "struck" alone still is
    assert not coded("Federal judges struck down Brazil's new decree on Monday.")
    assert ("RUS", "190", "UKR") in triples("Russia struck Ukraine on Monday.")
