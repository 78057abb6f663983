"""Trigger words the word-shape tests refused as verbs, on sentences written here.

Round ev-verbs: of the refusals ("not read as a verb here") of a gold-code trigger on the tune
halves, the wrong ones fell into a few kinds; each rule here reads one kind as a verb and keeps
the right refusals (nouns after a determiner, a message someone else issued, adjectives).
Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

from eventkit import triples_at

PUB = date(2024, 5, 14)

triples = triples_at(PUB)


# --- a message's reduced relative: "issued a statement urging", "a declaration demanding"


def test_an_issued_message_acts_through_its_participle() -> None:
    assert triples("The Kenyan government issued a statement calling on Uganda to withdraw.") == {
        ("KENGOV", "020", "UGA")
    }
    assert ("NORGOV", "020", "ISR") in triples(
        "Norway's foreign ministry issued a strongly worded statement calling on Israel to"
        " halt the raids."
    )
    assert any(
        code.startswith("10") and (source, target) == ("IRNLEG", "USAGOV")
        for source, code, target in triples(
            "The Iranian parliament passed a resolution demanding that Washington withdraw"
            " its troops."
        )
    )


def test_a_message_not_issued_by_the_subject_stays_a_noun_phrase() -> None:
    # the subject reads, rejects or receives the message: its issuer is someone else
    assert triples("Officials read the declaration demanding reforms from Egypt.") == set()
    assert not any(
        code == "111" for _, code, _ in triples("Canada vetoed a resolution censuring Israel.")
    )
    assert triples("The statement urging calm was ignored.") == set()
    assert triples("A letter demanding money reached the Peruvian embassy.") == set()
    # a message noun with no issuing verb: no subject acts through it
    # a message noun with no issuing verb: its call is not the subject's ("welcomed" may be
    # coded, the call on Peru is not)
    assert not any(
        code == "020" for _, code, _ in triples("Chile welcomed the statement calling on Peru.")
    )


# --- an adverb of time between the subject (or "be") and the verb


def test_a_time_adverb_between_subject_and_verb_keeps_the_verb() -> None:
    assert triples("French authorities today release Peruvian sailors.") == {
        ("FRAGOV", "0841", "PER")
    }
    assert triples("Chile today attacks Peru.") == {("CHL", "190", "PER")}
    assert triples("The United States is once again sending aid to Afghanistan.") == {
        ("USA", "070", "AFG")
    }


def test_a_noun_before_or_after_a_time_adverb_stays_a_noun() -> None:
    assert triples("The visit today to Peru was cancelled.") == set()
    assert triples("There are now talks between Chile and Peru.") == set()
    assert triples("Chile's attack today on Peru was condemned.") == set()
    assert triples("Peru's protests yesterday against Chile turned violent.") == set()
