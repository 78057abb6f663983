"""Country-less agents in a sentence that names one country (gate.py ``_sole_agent``) and in a
story whose dateline names its country (context.py ``dateline_country``), round 10.

CAMEO gives an agent noun ("rebels", "soldiers", "police") the country its context fixes. A
sentence naming exactly one country fixes it for a one-sided event (round 7) and, since round
10, for an event against an international body when that country is named as a state or a
place. It does not when the one country is the other side of the event (an agent from abroad
is as likely), when the country is named only through one of its agents ("Kenyan media
reported": who speaks, not where the agent is), or when two countries are named. A sentence
with no country takes the article's: its one country, else its dateline's when the story names
that country most. The sentences are the project's own.
"""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.stages.events import gate, load_lexicon
from pipeline.stages.events.coder import _find_mentions
from pipeline.stages.events.context import dateline_country
from pipeline.stages.events.entries import spell_bounded
from pipeline.stages.events.event import Actor
from pipeline.stages.events.lexicon import normalise
from tests.unit.eventkit import outcomes_at, triples_at

triples = triples_at(date(2024, 5, 6))
outcomes = outcomes_at(date(2024, 5, 6))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels attacked a UN convoy on Sunday in northern Mali.", ("MLIREB", "190", "IGOUNO")),
        (
            "Soldiers expelled UN inspectors from a base near the Syrian border on Tuesday.",
            ("SYRMIL", "1662", "IGOUNO"),
        ),
        # one-sided events keep the sentence's one country as before
        ("Dock workers at the port in Chile went on strike on Monday.", ("CHLLAB", "143", None)),
    ],
)
def test_agent_takes_the_sentences_one_country(
    text: str, expected: tuple[str, str, str | None]
) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        # the one country is the target: the officials may be anyone's
        "Officials accused Iran of supplying weapons.",
        "Officials criticised Kenya on Tuesday.",
        # the one country is named only through its media or ministry
        "Officials criticised the United Nations, Kenyan media reported.",
        "Police detained two UN staff members, Kenya's foreign ministry said.",
        # two countries: which one the rebels belong to is a guess
        "Rebels attacked a UN convoy near the border between Mali and Niger.",
        # no country at all
        "Rebels attacked a UN convoy on Sunday.",
    ],
)
def test_no_guessed_country(text: str) -> None:
    assert not {t for t in triples(text) if t[0] and t[0][3:] in ("GOV", "COP", "REB")}


def test_the_guess_is_named_as_the_reason() -> None:
    reasons = outcomes("Officials criticised the United Nations, Kenyan media reported.")
    assert any("only inferred from another actor" in r for r in reasons)


def _agent(code: str, *, sole: bool, placed: bool) -> Actor:
    return Actor(code, code, code[:3], code[3:], 0, 1, inferred=True, sole=sole, placed=placed)


@pytest.mark.parametrize(
    ("sole", "placed", "target", "kept"),
    [
        (True, True, "IGOUNO", True),
        (True, False, "IGOUNO", False),  # the country came from "Kenyan media"
        (False, False, "IGOUNO", False),  # two countries in the sentence
        (True, True, "KEN", False),  # the one country is the target
        (True, True, None, True),  # one-sided
    ],
)
def test_sole_agent_rule(sole: bool, placed: bool, target: str | None, kept: bool) -> None:
    tgt = Actor(target, target, target, None, 2, 3) if target else None
    veto = gate.dyad_veto(
        _agent("KENCOP", sole=sole, placed=placed), tgt, code="173", converted=False
    )
    assert (veto is None) is kept


# --- the article's dateline (context.dateline_country)


def test_agents_take_the_datelines_country_when_the_story_names_it_most() -> None:
    text = (
        "NAIROBI (Reuters) - Kenya's parliament met on Tuesday after the Kenyan president "
        "returned from Uganda. Police arrested the protesters."
    )
    assert ("KENCOP", "173", "KENOPP") in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        # a Washington bureau's story about Iran: the dateline is not the story's country
        "WASHINGTON (AP) — Iran said on Tuesday that Iran would not negotiate with Canada. "
        "Police arrested the protesters.",
        # no dateline, two countries: no article country
        "Kenya's parliament met on Tuesday after the Kenyan president returned from Uganda. "
        "Police arrested the protesters.",
        # a headline in capitals is no dateline
        "BREAKING NEWS - Kenya and Uganda held talks on Tuesday. Police arrested the protesters.",
    ],
)
def test_no_dateline_country(text: str) -> None:
    assert not {t for t in triples(text) if t[0] and t[0].endswith("COP")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NAIROBI, Kenya (Reuters) - Kenya and Uganda met. Kenya left.", "KEN"),
        ("VIENNA — Austria and Germany met.", "AUT"),
        ("VIENNA — Germany said so.", None),  # a tie: the dateline's country once, another once
        ("VIENNA — Germany and France met. Germany left.", None),  # another named more
        ("Vienna is a city in Austria.", None),  # no dateline
    ],
)
def test_dateline_country(text: str, expected: str | None) -> None:
    lx = load_lexicon(())
    norm = normalise(text)
    mentions = _find_mentions(text, norm, lx, None, spell_bounded(norm))
    assert dateline_country(text, mentions) == expected
