"""Direction of symmetric codes (branch ev-direction, round 13).

CAMEO codes joint acts (meetings, talks, agreements, cooperation) both ways. A verb of giving
or handing over (``senses.GIVING_VERBS``: the verbs of CAMEO's one-way aid codes, 07x, and
of PETRARCH-2's giving blocks) stays one-way under a symmetric code ("sold jets to" 062,
"extradited" 063, "shared intelligence with" 064, and their intents), and a bare intent
("agreed to <an act not coded>") is shared only with an actor named after "with". Sentences
are written for the test. Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from eventkit import triples_at

from pipeline.stages.events import senses
from pipeline.stages.events.lexicon import DATA_DIR

PUB = date(2023, 2, 28)

triples = triples_at(PUB)


def _pairs(text: str) -> set[tuple[str | None, str | None]]:
    return {(s, t) for s, _, t in triples(text)}


# --- the word class


def test_every_verb_of_the_one_way_aid_codes_is_a_giving_verb() -> None:
    # the class is tied to CAMEO's one-way codes: each head verb of a curated 07x pattern
    entries = yaml.safe_load((DATA_DIR / "verbs.yaml").read_text(encoding="utf-8"))
    heads = {
        lemma
        for group in entries.values()
        if isinstance(group, list)
        for entry in group
        if isinstance(entry, dict) and str(entry.get("code", "")).startswith("07")
        for pattern in entry["patterns"]
        for lemma in senses._LEMMA.findall(pattern.split(maxsplit=1)[0])
    }
    assert heads
    assert heads <= senses.GIVING_VERBS


@pytest.mark.parametrize(
    ("source", "giving"),
    [
        ("<sell> ... weapons|arms", True),
        ("<send>|<supply> ... arms", True),
        ("<hand> over ... suspects?", True),
        ("<share> ... intelligence", True),
        ("<meet> with", False),
        ("<hold> ... talks|negotiations with", False),
        ("<sign>|<share> ... agreements?", False),  # one head that gives nothing
        ("military cooperation with", False),
    ],
)
def test_giving_pattern_reads_the_head_verbs(source: str, giving: bool) -> None:
    assert senses.giving_pattern(source) is giving


# --- giving verbs under a symmetric code: the recipient did nothing


@pytest.mark.parametrize(
    ("text", "forward", "code"),
    [
        ("Norway will supply arms to Moldova.", ("NOR", "MDA"), "0332"),
        ("Norway will sell fighter jets to Moldova.", ("NOR", "MDA"), "0312"),
        ("Norway sold fighter jets to Moldova last year.", ("NOR", "MDA"), "062"),
        ("Norwegian intelligence shared evidence with Moldova.", ("NORSPY", "MDA"), "064"),
        ("Norway extradited a Moldovan businessman to Moldova.", ("NOR", "MDA"), "063"),
    ],
)
def test_a_giving_verb_is_coded_one_way(text: str, forward: tuple[str, str], code: str) -> None:
    got = triples(text)
    assert (forward[0], code, forward[1]) in got
    assert not any(s == forward[1] for s, _, _ in got)


def test_training_anothers_soldiers_is_the_trainers_act() -> None:
    got = triples("Norwegian officers are training Moldovan soldiers near Chisinau.")
    assert not any(s and s.startswith("MDA") for s, _, _ in got)


# --- a bare intent: shared only with an actor after "with"


def test_agreeing_to_lift_sanctions_is_no_agreement_of_the_target() -> None:
    got = triples("Norway agreed to lift sanctions on Moldova.")
    assert got
    assert all(s == "NOR" for s, _, _ in got)


@pytest.mark.parametrize(
    "text",
    [
        "Norway agreed to open its ports to Moldovan fishing boats.",
        "The Norwegian government agreed to discontinue tariffs on Moldovan wine.",
    ],
)
def test_a_bare_intent_toward_an_actor_is_one_way(text: str) -> None:
    got = triples(text)
    assert any(code == "030" for _, code, _ in got)
    assert not any(s and s.startswith("MDA") for s, _, _ in got)


@pytest.mark.parametrize(
    "text",
    [
        "Norway agreed to work with Moldova on the pipeline.",
        "Norway agreed to reopen the border crossing with Moldova.",
    ],
)
def test_a_bare_intent_with_an_actor_is_both_ways(text: str) -> None:
    assert {("NOR", "MDA"), ("MDA", "NOR")} <= _pairs(text)


def test_a_compound_subject_of_a_bare_intent_pairs_its_members_only() -> None:
    assert {("NOR", "MDA"), ("MDA", "NOR")} <= _pairs(
        "Norway and Moldova agreed to reopen the old railway line."
    )
    got = triples("Norway and Moldova agreed to reopen the railway line to Ukraine.")
    assert {("NOR", "030", "UKR"), ("MDA", "030", "UKR")} <= got
    assert not any(s == "UKR" for s, _, _ in got)


def test_a_one_sided_intent_with_an_actor_stays_one_way() -> None:
    got = triples("Norway is ready to work with Moldova on the pipeline.")
    assert not any(s and s.startswith("MDA") for s, _, _ in got)


# --- joint acts stay both ways


@pytest.mark.parametrize(
    "text",
    [
        "Norway and Moldova held talks in Oslo on Tuesday.",
        "Norway held talks with Moldova in Oslo on Tuesday.",
        "Norway signed a fisheries agreement with Moldova.",
        "Norway and Moldova agreed to cooperate on energy.",
    ],
)
def test_a_joint_act_is_coded_both_ways(text: str) -> None:
    assert {("NOR", "MDA"), ("MDA", "NOR")} <= _pairs(text)


# --- nothing to code


@pytest.mark.parametrize(
    "text",
    [
        "Norwegian shops sold more umbrellas than ever.",
        "The weather in Oslo was pleasant on Tuesday.",
    ],
)
def test_sentences_without_an_event_yield_nothing(text: str) -> None:
    assert not triples(text)
