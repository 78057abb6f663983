"""Light verbs and their event nouns, and subject pronouns before a verb, on sentences written here.

"launched strikes on", "carried out attacks against", "ordered the release of": the noun is
the action CAMEO codes, the verb before it makes it one (``Parse.light_verb``). The nouns
stay nouns everywhere else: after a determiner or a nationality, as a compound's modifier,
before a purpose clause or a complement clause. Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

from eventkit import outcomes_at, triples_at

from pipeline.stages.events import code_text
from pipeline.stages.events.syntax import parse
from pipeline.stages.events.triggers import participle_clause

PUB = date(2024, 5, 14)

triples = triples_at(PUB)
outcomes = outcomes_at(PUB)


def light(text: str, word: str) -> str | None:
    """The light verb found for the event noun *word* in *text* (its words), or None."""
    found = parse(text, 0, len(text)).light_verb(text.index(word))
    return None if found is None else text[found[0] : found[1]]


# --- the parse: which verb makes the noun an action


def test_a_light_verb_is_found_across_the_object_noun_phrase() -> None:
    assert light("Chile launched air and artillery strikes on Peru.", "strikes") == "launched"
    assert light("Chile carried out numerous raids on Peru.", "raids") == "carried out"
    assert light("Chile ordered the release of the Peruvian sailors.", "release") == "ordered"
    assert light("Chile is stepping up attacks against Peru.", "attacks") == "stepping up"
    # a hyphenated compound the lexicon does not know ("cyber-attacks" reads JJ)
    assert light("Chile launched cyber-attacks on Peru.", "attacks") == "launched"


def test_agents_and_goods_are_no_event_nouns() -> None:
    # "led forces into", "provided arms to": who or what, not an action by the subject
    assert light("The general led Chilean forces into Peru.", "forces") is None
    assert light("Chile provided arms to the Peruvian rebels.", "arms") is None
    # "regarding" is a preposition the lexicon tags as a participle
    assert light("Chile voiced concerns regarding Peru.", "concerns") == "voiced"


def test_no_light_verb_for_a_noun_without_one_or_without_its_pp() -> None:
    assert light("The Chilean strikes on Peru continued.", "strikes") is None
    # the noun is a modifier of another noun, not the head of the object
    assert light("Chile launched attack helicopters at dawn.", "attack") is None
    # a purpose clause, a complement clause: no recipient of the action
    assert light("Chile imposed blockades to limit Peruvian trade.", "blockades") is None
    assert light("Chile issued a warning that it would respond.", "warning") is None
    # "the order" is a noun, and a participle after a determiner no verb
    assert light("The order of attacks on Peru was secret.", "attacks") is None


# --- the coder: the noun's code, the light verb's subject, the PP's object


def test_launched_strikes_on_is_an_attack_by_the_subject() -> None:
    assert triples("The Chilean army launched air and artillery strikes on Peru.") == {
        ("CHLMIL", "190", "PER")
    }
    assert triples("Bolivia launched cyber attacks on the government of Peru.") == {
        ("BOL", "190", "PERGOV")
    }


def test_carried_out_attacks_against_is_an_attack() -> None:
    assert triples("Rebels in Chad carried out coordinated attacks on Sudanese troops.") == {
        ("TCDREB", "190", "SDNMIL")
    }


def test_announced_the_release_of_is_a_release() -> None:
    assert triples("The Chilean government announced the release of two Peruvian sailors.") == {
        ("CHLGOV", "0841", "PER")
    }


def test_the_light_verb_carries_the_modality() -> None:
    # "will launch attacks": a future attack is a threat of force (13x), as "will attack" is
    [event] = code_text("Bolivia will launch cyber attacks on Peru.", PUB)
    assert (event.root_code, event.modality) == ("13", "future")
    assert event.trigger == "launch cyber attacks"


def test_event_nouns_without_a_light_verb_stay_nouns() -> None:
    # (round 13, ev-nominal13: an event noun heading the subject of a finite verb that
    # asserts it, "The Chilean strikes on Peru continued", is coded; see
    # test_events_nominal13.py. Under a modal or "be" it stays a noun.)
    assert not triples("The Chilean strikes on Peru will continue for a week.")
    assert not triples("Bolivian attacks on Peru were reported.")
    # "bought attack helicopters": the noun modifies another noun (the purchase may be coded)
    assert all(
        code[:2] != "19" for _, code, _ in triples("Chile bought attack helicopters from France.")
    )


def test_the_refusal_is_still_explained_where_no_light_verb_is() -> None:
    assert "not read as a verb here" in outcomes("The Chilean strikes on Peru may continue.")


# --- word shapes: a subject pronoun before the verb


def test_a_subject_pronoun_lets_a_base_or_s_form_read_as_a_verb() -> None:
    # "they agree", "it hit": the word shapes no longer refuse the verb (what the frame
    # check makes of the clause is its own business)
    assert "not read as a verb here" not in outcomes(
        "Officials in Peru said they agree with Chile."
    )
    assert "not read as a verb here" not in outcomes(
        "The Chilean navy said it hit two Peruvian boats."
    )
    # a demonstrative before a base form is still a determiner
    assert "not read as a verb here" in outcomes("Chile condemned that attack on Peru.")


def test_a_light_verb_reaches_a_phrase_pattern_of_its_noun() -> None:
    # "renewed an appeal to": the noun's own phrase pattern ("appeal to"), the verb before it
    assert triples("Chile renewed an appeal to Peru to return the fishermen.") == {
        ("CHL", "020", "PER")
    }


def test_the_pp_after_a_light_verb_noun_is_no_embedded_verb() -> None:
    # a converted bare verb before "to" frames the verb it embeds, but "aid to Peru" is a PP
    assert ("CHL", "060", "PER") in triples("Chile extended aid to Peru.")
    assert "frames an embedded verb" in outcomes("Chile plans to aid Peru.")


def test_commas_between_light_verb_and_noun_only_in_a_coordination() -> None:
    assert (
        light("Chile launched artillery, mortar, and rocket attacks on Peru.", "attacks")
        == "launched"
    )
    assert light("Chile launched raids, attacks on Peru.", "attacks") is None


# --- two coordinated participle clauses share the main clause's subject


def test_the_second_of_two_participle_clauses_is_one_too() -> None:
    assert participle_clause(
        "the army entered the town, seizing a post and killing three soldiers.",
        len("the army entered the town, seizing a post and "),
    )
    # an -ing noun after "and" with no participle clause before it is none
    assert not participle_clause(
        "chile hosts many refugees and fighting continues.", len("chile hosts many refugees and ")
    )
    # its subject is the main clause's
    assert triples(
        "The Chilean army entered Peru, seizing a border post and killing three Peruvian soldiers."
    ) == {("CHLMIL", "190", "PERMIL")}


# --- word shapes: a relative clause's verb, a quantity after a past tense


def trigger_outcomes(text: str, trigger: str) -> list[str]:
    """The trace outcomes of the candidates whose trigger is *trigger*."""
    trace: list[dict[str, object]] = []
    code_text(text, PUB, trace=trace)
    return [
        str(note["outcome"])
        for record in trace
        for note in record["candidates"] or []  # type: ignore[attr-defined]
        if note["trigger"] == trigger
    ]


def test_after_that_a_past_tense_is_a_relative_clause_verb() -> None:
    # no longer refused as a noun after a determiner; who acted is then the clause's business
    killed = trigger_outcomes(
        "Chile condemned the raid in Peru that killed two fishermen.", "killed"
    )
    assert killed
    assert "not read as a verb here" not in killed
    assert "not read as a verb here" in trigger_outcomes(
        "Chile condemned that attack on Peru.", "attack"
    )


def test_at_least_after_a_past_tense_counts_its_object() -> None:
    # "killed at least": the object's quantity, no reduced relative clause ("killed at the")
    assert ("CHLREB", "190", "PERMIL") in triples(
        "Chilean rebels killed at least 12 Peruvian soldiers on Monday."
    )
    assert not triples("Peruvian soldiers killed at the border were buried on Monday.")


def test_a_pattern_naming_the_phrase_wins_over_a_light_verb() -> None:
    # PETRARCH-2's own "EXPRESS * CONCERN" is the explanation, not the bare noun "concern"
    [event] = code_text("Chile expressed concern about the Peruvian build-up.", PUB)
    assert event.pattern_id.startswith("petrarch:EXPLAIN_VERBAL:")
    # where no pattern names the phrase, the noun's own pattern is the one that fired
    [event] = code_text("Chile launched attacks on Peru.", PUB)
    assert event.pattern_id.startswith("verbs.yaml#")
    assert event.trigger == "launched attacks"
