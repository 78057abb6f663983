"""Round 10 precision gates, from the evidence classes that were weak on the tune halves of
whole articles (pages, feed items): a converted PETRARCH-2 gap that runs into a clause of its
own ("said he received death threats", "says Putin's threat cannot stand"), a sponsor named
before "-backed" / "-funded" / ... read as the actor (or lending its context's country to the
agent after it), a share of a population as a source (an opinion poll), and leaving an
agreement or a contest read as a military retreat. Each rule is about the kind of reading,
never a sentence; our own sentences only, and every rule has sentences that must still code
and sentences that must yield nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import outcomes_at, triples_at

PUB = date(2024, 7, 19)

triples = triples_at(PUB)
outcomes = outcomes_at(PUB)


# --- a subject pronoun inside a converted gap opens a clause of its own


@pytest.mark.parametrize(
    "text",
    [
        "The governor of Ohio said he received death threats from strangers online.",
        "A Kenyan senator said she received threats after the vote.",
    ],
)
def test_a_threat_received_in_a_reported_clause_is_no_statement(text: str) -> None:
    assert triples(text) == set()


def test_a_pronoun_right_before_the_pattern_verb_still_codes() -> None:
    # "said he hopes": the pronoun is the subject of the pattern's own word
    found = triples("Iran's foreign minister said he hopes for better ties with Saudi Arabia.")
    assert ("IRNGOV", "013", None) in found


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        ("Chile expressed its deep concerns to Peru on Tuesday.", ("CHL", "012", "PER")),
        ("Canada expressed concern over the crackdown in Belarus.", ("CAN", "012", None)),
    ],
)
def test_gaps_without_a_clause_of_their_own_still_code(
    text: str, triple: tuple[str, str, str | None]
) -> None:
    assert triple in triples(text)


# --- the noun after "say" heads a clause of its own, not what was said


@pytest.mark.parametrize(
    "text",
    [
        "Australia's defence minister says Vladimir Putin's threat cannot be allowed to stand.",
        "The Kenyan president said the threats against Uganda were unacceptable.",
    ],
)
def test_a_noun_after_say_is_no_statement_of_it(text: str) -> None:
    assert not any(t[1] == "012" for t in triples(text))
    if "Putin" in text:
        assert any("clause of its own" in o for o in outcomes(text))


def test_say_with_a_pronoun_and_the_pattern_verb_still_codes() -> None:
    assert ("JPN", "013", None) in triples("Japan said it hopes Seoul will respond.")


# --- a sponsor before "-backed" is no actor, and lends no country to the agent after it


def test_a_sponsor_is_not_the_target_of_an_attack_on_its_proxies() -> None:
    found = triples("The US launched airstrikes on Iranian-backed forces in Iraq.")
    assert not any(t[2] == "IRN" for t in found)
    assert ("USA", "195", "IRQMIL") in found  # the forces' own qualifier still places them


def test_an_agent_after_a_sponsor_takes_no_country_from_the_attacker() -> None:
    found = triples("Jordan launched airstrikes on Syrian-backed militias near the border.")
    assert found == set()  # neither JORUAF (the attacker's) nor SYR (the sponsor)


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        (
            "Jordan launched airstrikes on Syrian militias near the border.",
            ("JOR", "195", "SYRUAF"),
        ),
        ("The US launched airstrikes on Iranian forces in Syria.", ("USA", "195", "IRNMIL")),
    ],
)
def test_a_plain_demonym_still_names_the_target(
    text: str, triple: tuple[str, str, str | None]
) -> None:
    assert triple in triples(text)


# --- a share of a population is the subject of a poll, not an actor


@pytest.mark.parametrize(
    "text",
    [
        "Most Canadians want Parliament to investigate the contract.",
        "Sixty percent of Germans say they want the Bundestag to ban the party.",
        "A majority of Kenyans urged the president to resign, a survey found.",
    ],
)
def test_a_share_of_a_population_is_no_source(text: str) -> None:
    assert triples(text) == set()
    if text.startswith("Most"):
        assert any("opinion poll" in o for o in outcomes(text))


def test_a_population_named_without_a_share_still_codes() -> None:
    text = "Canadians want Parliament to investigate the contract, the prime minister said."
    assert ("CAN", "0214", "CANLEG") in triples(text)


# --- leaving an agreement, a negotiation or a contest is no military retreat


@pytest.mark.parametrize(
    "text",
    [
        "Chile pulled out of the trade agreement with Peru last year.",
        "The Greek prime minister pulled out of the race.",
        "Ecuador withdrew from the new defence pact with Peru.",
    ],
)
def test_leaving_an_agreement_or_a_contest_is_no_retreat(text: str) -> None:
    assert not any(t[1].startswith(("087", "04")) for t in triples(text))


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        ("Russian troops pulled out of the Ukrainian city of Kherson.", ("RUSMIL", "0874", "UKR")),
        ("Russia withdrew its troops from Moldova.", ("RUS", "0874", "MDA")),
        ("The rebels surrendered to the Colombian army.", ("COLREB", "0874", "COLMIL")),
    ],
)
def test_a_military_retreat_still_codes(text: str, triple: tuple[str, str, str | None]) -> None:
    assert triple in triples(text)
