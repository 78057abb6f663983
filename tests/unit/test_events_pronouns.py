""" "they" as a source: the nearest plural subject, in its sentence or the one right before.

A pronoun resolved wrongly codes a wrong event, an unresolved one codes nothing, so the tests
pair every resolution with sentences where the same pronoun must stay unresolved: no antecedent,
the wrong number, a plural subject that is no actor, an antecedent too far back. Sentences are
written for the test. Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

from pipeline.stages.events import code_text
from pipeline.stages.events.clauses import subjects_before
from pipeline.stages.events.syntax import parse

PUB = date(2023, 2, 28)

triples = triples_at(PUB)


# --- resolved: the speaker or matrix subject of a complement clause


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a collective armed group named without a singular verb
        ("The Taliban claimed that they had attacked Pakistan.", ("AFGREB", "190", "PAK")),
        # plural by the head noun, not by the "of" complement's country
        (
            "Houthi rebels of Yemen have claimed that they attacked Saudi Arabia.",
            ("YEMREB", "190", "SAU"),
        ),
        # a time adjunct between the subject and its verb
        ("Iraqi officials on Friday said that they had attacked Syria.", ("IRQGOV", "190", "SYR")),
        # "a group of X": the number and the referent are the complement's
        (
            "A group of Kenyan officials announced on Friday that they would attack Somalia.",
            ("KENGOV", "1384", "SOM"),
        ),
    ],
)
def test_they_in_a_complement_clause_is_the_plural_subject(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in triples(text)


def test_the_resolved_pronoun_is_marked_coreferent() -> None:
    (event,) = code_text("The Taliban claimed that they had attacked Pakistan.", PUB)
    assert event.source is not None
    assert event.source.coreferent
    assert event.source.text == "they"


def test_they_after_a_compound_subject_is_every_member() -> None:
    got = triples("Serbia and Croatia signed a treaty before they attacked Bosnia.")
    assert {("SRB", "190", "BIH"), ("HRV", "190", "BIH")} <= got


def test_they_is_the_plural_subject_of_the_sentence_before() -> None:
    got = triples("Serbian troops entered the village on Monday. They attacked Croatia.")
    assert {t for t in got if t[1] == "190"} == {("SRB", "190", "HRV")}


# --- unresolved: nothing is coded


@pytest.mark.parametrize(
    "text",
    [
        # no antecedent at all
        "They attacked Croatia.",
        # the wrong number: one person is not "they"
        "The Serbian president said that they had attacked Croatia.",
        # a collective with a singular verb ("Hamas says") is "it"
        "Hamas says they attacked Israel.",
        # the nearest plural subject is no actor: they are the residents
        "Israeli troops raided the camp and residents said that they attacked Hamas.",
        # too far: the antecedent is two sentences back
        "Serbian troops entered the village. The weather was bad. They attacked Croatia.",
        # the sentence before names a singular subject only
        "Serbian troops entered the village. The Serbian president visited Belgrade. "
        "They attacked Croatia.",
    ],
)
def test_they_without_an_agreeing_antecedent_codes_nothing(text: str) -> None:
    assert not {t for t in triples(text) if t[1] == "190"}


def test_an_unresolved_he_is_not_a_plural_speaker() -> None:
    # "he" after "officials said" is someone else, not the officials
    assert not triples("Russian officials said he attacked Ukraine.")


def test_a_singular_speaker_still_takes_his_own_pronoun() -> None:
    assert ("UGAREB", "036", "UGAGOV") in triples(
        "Rebel leaders said on Wednesday they would meet the Ugandan government."
    )


# --- the clause helper itself


def test_subjects_before_lists_subjects_nearest_first_with_their_number() -> None:
    text = "A group of Yoruba leaders announced that the president said that they would go."
    parsed = parse(text, 0, len(text))
    found = subjects_before(parsed.chunked(), parsed.heads_clause, text.index("they"))
    assert [(text[s.start : s.end], s.plural) for s in found] == [
        ("the president", False),
        ("A group of Yoruba leaders", True),
    ]
    assert text[found[1].head_start : found[1].head_end] == "Yoruba leaders"


def test_a_phrase_cut_off_at_the_pronoun_is_not_a_compound() -> None:
    # "Kharkiv and they accused": "they" opens a new clause; its antecedent is the officials
    got = triples(
        "Ukrainian officials said Russia had attacked Kharkiv "
        "and they accused Moscow of war crimes."
    )
    assert ("UKRGOV", "1124", "RUSGOV") in got
    assert not any(s == "UKR" and c == "1124" for s, c, _ in got)


# --- "he"/"she": a noun phrase headed by a person's title is a person


def test_he_is_the_titled_person_of_the_sentence_before() -> None:
    got = triples(
        "The Kenyan president arrived in Uganda on Monday. "
        "He met Ugandan President Yoweri Museveni."
    )
    assert ("KENGOV", "040", "UGAGOV") in got


def test_he_is_not_an_organisation_named_by_a_role_noun() -> None:
    # "the Kenyan government" is no person: "he" has no antecedent, and no meeting is coded
    got = triples(
        "The Kenyan government arrived in Uganda on Monday. "
        "He met Ugandan President Yoweri Museveni."
    )
    assert not {t for t in got if t[1] == "040"}


# --- "it": the nearest singular subject of its sentence, when it has one


def test_it_after_a_coordinating_and_is_the_subject_not_the_object() -> None:
    got = triples("Russia attacked Ukraine on Monday, and it later bombed Georgia.")
    assert ("RUS", "195", "GEO") in got
    assert not any(s == "UKR" for s, _, _ in got)


def test_it_whose_subject_is_no_actor_codes_nothing() -> None:
    # "it" is the deal; neither Iran (the object) nor anyone else attacked
    assert not triples("The sanctions deal hurt Iran, and it later attacked Iraq.")


def test_it_is_no_person_speaker() -> None:
    # the president is "he"/"she": "it" is someone else, and who acts is not said
    assert not triples("The Kenyan president said it would expel the Somali ambassador.")


def test_it_after_a_claim_is_the_claimant() -> None:
    assert ("PAK", "190", "IND") in triples(
        "Pakistan claimed it shot down several Indian aircraft."
    )


# --- a relative clause on a passive's "by" agent


def test_a_relative_clause_on_a_by_agent_has_the_agent_as_subject() -> None:
    got = triples("Ukraine was attacked by Russian forces, which later shelled Moldova.")
    assert {("RUSMIL", "190", "UKR"), ("RUSMIL", "194", "MDA")} <= got


def test_a_relative_clause_on_another_preposition_s_object_has_no_actor_subject() -> None:
    # "the talks with Russia, which ...": the talks, not Russia
    got = triples("Ukraine ended the talks with Russia, which later shelled Moldova.")
    assert not any(s == "RUS" for s, _, _ in got)


# --- "we": the speaker of the quotation it stands in


def test_we_in_a_quotation_is_the_speaker_named_after_it() -> None:
    got = triples('"We condemned Russia," the Ukrainian foreign minister said.')
    assert got == {("UKRGOV", "111", "RUS")}


def test_we_in_a_quotation_spanning_sentences_is_its_speaker() -> None:
    got = triples(
        "\u201cWe condemn Russia for the strikes. This is our position,\u201d "
        "the Ukrainian foreign minister said."
    )
    assert ("UKRGOV", "111", "RUS") in got


@pytest.mark.parametrize(
    "text",
    [
        # no quotation: who "we" are is not said
        "We condemned Russia, the Ukrainian foreign minister said.",
        # a quotation without an attribution
        '"We condemned Russia."',
    ],
)
def test_we_without_a_quoted_speaker_codes_nothing(text: str) -> None:
    assert not triples(text)


@pytest.mark.parametrize(
    "text",
    [
        'Ukrainian President Volodymyr Zelensky said: "We condemn Russia."',
        "The Ukrainian foreign minister told reporters, \u201cWe condemn Russia.\u201d",
        '"I condemn Russia," the Ukrainian foreign minister said.',
    ],
)
def test_a_first_person_pronoun_is_the_speaker_before_or_after_the_quotation(text: str) -> None:
    assert ("UKRGOV", "111", "RUS") in triples(text)
