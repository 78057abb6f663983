"""Clause structure and the precision gate of the event coder, on sentences written for the test.

One test per kind the issue lists (complement clauses, infinitival intents, object control,
negation scope, passive agents, relative and subordinate clauses), and the kinds of page text
that must yield nothing (private parties, other word senses, page furniture). Pure: the coder
and its packaged dictionaries, no database, no network.
"""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import outcomes_at, triples_at

from pipeline.stages.events import Event, code_text, gate

PUB = date(2023, 2, 28)

Triple = tuple[str | None, str, str | None]


def coded(text: str) -> list[Event]:
    return code_text(text, PUB)


triples = triples_at(PUB)


def roots(text: str) -> set[tuple[str | None, str, str | None]]:
    return {(s, c[:2], t) for s, c, t in triples(text)}


outcomes = outcomes_at(PUB)


# --- complement clauses: "X claimed / said / found that Y ..."


def test_a_claim_about_an_attack_is_no_attack_by_the_claimant() -> None:
    events = coded("Iran claimed that Israel had attacked Syria.")
    assert not [e for e in events if e.source and e.source.code == "IRN" and e.root_code == "19"]
    attack = [e for e in events if e.root_code == "19"]
    assert attack, "the embedded clause still has its own subject"
    assert all(e.modality == "claimed" for e in attack)  # Iran's claim, no attack that happened
    assert {(e.source.code if e.source else None) for e in attack} == {"ISR"}


def test_the_subject_of_an_embedded_clause_is_after_that() -> None:
    # "a tank" is no actor: the finder before "that" must not become the shooter
    assert coded("A Reuters report found that a tank had fired at the journalists.") == []
    assert ("USA", "19", "IRN") in roots(
        "The Kremlin said that the United States had attacked Iran."
    )


# --- infinitival intents and object control


def test_wanting_or_threatening_to_attack_is_a_threat() -> None:
    assert ("IRN", "13", "ISR") in roots("Iran threatened to attack Israel.")
    assert ("IRN", "13", "ISR") in roots("Iran wants to attack Israel.")
    assert not [r for r in roots("Iran wants to attack Israel.") if r[1] == "19"]


def test_wanting_someone_else_to_act_is_an_appeal_to_them() -> None:
    found = triples("China wants the United States to attack Russia.")
    assert ("CHN", "020", "USA") in found
    assert not [t for t in found if t[1].startswith("19")]  # the attack has not happened


def test_urging_someone_to_act_codes_the_appeal_not_the_act() -> None:
    found = roots("Britain urged Pakistan to hold talks with India.")
    assert ("GBR", "02", "PAK") in found
    assert not [t for t in found if t[0] == "PAK"]


def test_an_infinitive_under_moving_or_allowing_is_not_done() -> None:
    assert coded("India moved to punish Pakistan.") == []
    assert not [
        e for e in coded("Washington allowed Ukraine to strike Russia.") if e.root_code == "19"
    ]
    assert "dropped: hypothetical, not an event" in outcomes("India moved to punish Pakistan.")


def test_a_future_supply_is_an_intent_code() -> None:
    (event,) = coded("Russia will supply arms to Syria.")
    assert (event.cameo_code[:2], event.modality) == ("03", "future")


# --- negation scope


def test_a_negated_attack_is_nothing() -> None:
    assert coded("Russia did not attack Ukraine.") == []
    assert "dropped: negated, not an event" in outcomes("Russia did not attack Ukraine.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Germany refused to lift sanctions on Iran.", ("DEU", "1244", "IRN")),
        ("Germany would not provide support to Ukraine.", ("DEU", "120", "UKR")),
    ],
)
def test_a_refused_cooperation_is_a_rejection(text: str, expected: Triple) -> None:
    events = coded(text)
    assert expected in triples(text)
    assert all(e.modality == "asserted" for e in events)


def test_rejection_codes_follow_what_was_refused() -> None:
    assert gate.rejection("036", "refused to ") == "125"
    assert gate.rejection("0841", "declined to ") == "1243"  # refuse to release
    assert gate.rejection("080", "will not ") == "124"
    assert gate.rejection("190", "refused to ") is None  # a refused attack is no rejection
    assert gate.rejection("036", "has not ") is None  # a plain negation is no refusal


# --- passive agents


def test_a_passive_agent_is_the_source_and_the_victims_the_target() -> None:
    assert ("RUS", "19", "UKR") in roots("Ukraine was attacked by Russia.")
    found = roots("Ten Ukrainian soldiers were killed by Russian shelling on Monday.")
    assert ("RUS", "19", "UKRMIL") in found
    assert not [t for t in found if t[0] == "UKRMIL"]


def test_passive_victims_do_not_take_the_agents_country() -> None:
    # "civilians" has no country of its own; the agent's is not theirs
    assert (
        coded("At least three civilians were also killed in Kashmir by Pakistani shelling.") == []
    )


# --- relative, subordinate and wh- clauses


def test_a_relative_clause_between_subject_and_verb() -> None:
    assert ("USAGOV", "111", "CHN") in triples(
        "Secretary of State Antony Blinken, who was in Kazakhstan on Tuesday, criticised China."
    )


def test_a_target_is_not_taken_from_a_subordinate_clause() -> None:
    found = triples("Japan criticised NATO allies after the US and Israel attacked Iran.")
    assert ("JPN", "111", "IRN") not in found
    assert ("JPN", "111", "ISR") not in found
    assert ("USA", "190", "IRN") in found  # the subordinate clause's own event


def test_a_target_is_not_taken_from_a_wh_clause_or_a_quotation() -> None:
    assert coded("Germany warned what it might mean for Russia.") == []
    assert not [
        e
        for e in coded("EU ministers will meet within days to “discuss pressure on Russia.”")
        if e.target is not None and e.target.code == "RUS"
    ]


# --- what must yield nothing


@pytest.mark.parametrize(
    "text",
    [
        # private parties on both sides, or a state and a private party cooperating at home
        "The doctor prescribed the man steroids on Monday.",
        "South Korea hosts several polysilicon manufacturers.",
        # other senses of action words
        "India has demonstrated considerable restraint in its response.",
        "Pakistan condemned what it called Indian strikes.",
        "Lower courts have struck down the executive order.",
        # a bare cooperation verb of the big dictionary frames another clause
        "The actors found out that Canada had joined.",
        # an agent whose country is only a guess
        "Officials have warned people to stay away from infected areas.",
        # headline and link lists run together
        "Senators call for sanctions | Iran attacks Israel | Markets fall on Monday | Weather",
    ],
)
def test_sentences_that_must_yield_nothing(text: str) -> None:
    assert coded(text) == [], triples(text)


def test_a_travel_advisory_is_no_visit() -> None:
    assert not [e for e in coded("Britain advised against travel to Syria.") if e.root_code == "04"]


def test_plural_nouns_after_a_nationality_are_no_verbs() -> None:
    found = triples("Pakistan condemned the Indian strikes on Monday.")
    assert ("PAK", "111", "IND") in found
    assert not [t for t in found if t[1].startswith("19")]


def test_page_furniture_is_skipped_with_its_reason() -> None:
    trace: list[dict[str, object]] = []
    code_text("Senators call for sanctions | Iran attacks Israel | Markets fall", PUB, trace=trace)
    assert trace
    assert trace[0]["skipped"]


def test_every_kept_event_names_its_trigger_pattern_and_modality() -> None:
    for event in coded(
        "Iran threatened to attack Israel. Germany refused to lift sanctions on Iran."
    ):
        assert event.trigger
        assert event.pattern_id
        assert event.modality in ("asserted", "future", "reported")
        assert event.trigger_end > event.trigger_start


def test_a_participle_after_a_preposition_is_an_adjective() -> None:
    # "from occupied Norway" names a place; the verb itself still codes an occupation
    assert not roots("German troops crossed the border from occupied Norway.")
    assert ("RUS", "19", "UKR") in roots("Russia occupied Crimea in 2014.")


def test_a_coordinated_phrase_verb_ends_the_first_verbs_object() -> None:
    # "opposes all forms of terrorism and calls on both India and Pakistan": the countries
    # are the addressees of the appeal, not what China opposes
    got = triples(
        "China opposes all forms of terrorism and calls on both India and Pakistan to show"
        " restraint."
    )
    assert {("CHN", "020", "IND"), ("CHN", "020", "PAK")} <= got
    assert not {t for t in got if t[1].startswith("12")}


def test_an_unresolved_subject_pronoun_is_not_skipped_for_an_earlier_actor() -> None:
    # "they" are the polled Americans, not the news agency that ran the poll
    got = triples(
        "A Reuters poll shows 44 percent of Americans say they want the House to impeach Trump."
    )
    assert not {t for t in got if t[0] == "MED"}
    # right after a speech verb, an unresolved pronoun is the speaker
    assert ("AFGREB", "036", "IGOUNO") in triples(
        "Afghan rebel leaders said on Wednesday they would meet U.N. mediator Diego Cordovez."
    )
    # a pronoun the coreference resolves still codes its event
    assert ("DEUELI", "111", "RUS") in triples(
        "Merkel arrived in Paris. Later she criticised Russia."
    )


def test_both_countries_resolves_to_the_countries_not_their_agents() -> None:
    before = "Pakistan's military said Indian forces shelled Kashmir. "
    got = triples(before + "The UN chief is calling for restraint from both countries.")
    assert {("IGOUNO", "0256", "PAK"), ("IGOUNO", "0256", "IND")} <= got
    assert not {t for t in got if t[2] in ("PAKMIL", "INDMIL")}
