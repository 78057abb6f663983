"""Domestic dyads and country-less agents (gate.py, actors.py): the project's own sentences.

CAMEO codes domestic conflict between distinct sectors of one country (AFGREB 190 AFGMIL,
"police arrested protesters"), anyone's protest (14x), and a state coercing or yielding to its
own people; it does not code a state acting on its own means ("withheld US military aid"), a
guess between several countries, or an actor without any country.
"""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.stages.events import gate
from pipeline.stages.events.event import Actor
from tests.unit.eventkit import outcomes_at, triples_at

triples = triples_at(date(2024, 5, 6))
outcomes = outcomes_at(date(2024, 5, 6))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a rebel or armed group against the state, the state's agents inferred from the
        # sentence's one country
        (
            "Taliban fighters stormed a checkpoint in Afghanistan, killing four soldiers.",
            ("AFGREB", "190", "AFGMIL"),
        ),
        (
            "Insurgents ambushed an army convoy in Mali, killing six soldiers.",
            ("MLIREB", "193", "MLIMIL"),
        ),
        # the converted layer: the state against a non-state group of its own country
        (
            "Congolese rebels refused talks with the Congolese government.",
            ("CODREB", "125", "CODGOV"),
        ),
        (
            "The Sudanese army bombarded rebel positions in Darfur.",
            ("SDNMIL", "190", "SDNREB"),
        ),
        # a state investigating or freeing its own private parties
        ("The Egyptian government investigated the newspaper.", ("EGYGOV", "090", "EGYMED")),
        (
            "The Venezuelan government freed the student activists.",
            ("VENGOV", "0841", "VENCVL"),
        ),
        # demonyms the Phoenix lists lack, and the group's post-2014 name
        ("Swedish police arrested two protesters.", ("SWECOP", "173", "SWEOPP")),
        (
            "Islamic State militants attacked Iraqi soldiers near Mosul.",
            ("IMGMUSISI", "190", "IRQMIL"),
        ),
    ],
)
def test_domestic_dyads_between_distinct_sectors(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CAMEO 14 is anyone's protest: workers, teachers (not only political actors)
        ("Kenyan teachers began a strike over pay.", ("KENEDU", "143", None)),
        # an agent in a sentence naming one country takes it for a one-sided event
        ("Dock workers at the port in Chile went on strike on Monday.", ("CHLLAB", "143", None)),
        ("Government troops violated the ceasefire in the north of Mali.", ("MLIMIL", "196", None)),
    ],
)
def test_one_sided_events_of_agents(text: str, expected: tuple[str, str | None, None]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        # two countries named: which one the fighters belong to is a guess
        "Separatist fighters violated the truce near the border between Armenia and Azerbaijan.",
        # a titled person missing from the dictionaries may be a visitor from elsewhere
        "Prime Minister Jan Novak went on strike in Austria.",
        # no country at all
        "The workers went on strike.",
        # a state cooperating with its own private parties is no event
        "The Indian government signed a deal with a company in Mumbai.",
        "The Peruvian government hosted the students in Lima.",
        # two organs of one state: the state and its own means
        "Trump withheld US military aid to Ukraine.",
        "Pakistan fired artillery across the border.",
    ],
)
def test_no_domestic_event(text: str) -> None:
    assert triples(text) == set()


def test_guessed_country_is_named_as_the_reason() -> None:
    reasons = outcomes(
        "Separatist fighters violated the truce near the border between Armenia and Azerbaijan."
    )
    assert any("only inferred from another actor" in r for r in reasons)


def test_own_means_is_named_as_the_reason() -> None:
    reasons = outcomes("Pakistan fired artillery across the border.")
    assert any("only the source's" in r for r in reasons)


def test_agents_take_the_one_country_of_their_article() -> None:
    text = "Kenya's parliament met on Tuesday. Police arrested the protesters."
    assert ("KENCOP", "173", "KENOPP") in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        # an article naming two countries gives its agents neither
        "Kenya and Uganda held talks on Tuesday. Police arrested the protesters.",
        # no country anywhere
        "Police arrested the protesters.",
        # an agent placed only by its article is no source of a one-sided event
        "Kenya's parliament met on Tuesday. The protesters went on strike.",
    ],
)
def test_no_article_country(text: str) -> None:
    assert not {t for t in triples(text) if t[0] and t[0].endswith(("COP", "OPP"))}


def test_capitalised_congress_is_the_metonym_not_a_role_noun() -> None:
    assert ("USALEG", "111", "VEN") in triples("Congress condemned Venezuela on Tuesday.")
    # with its own country named, that country wins; in lower case it is a role noun
    assert ("BRALEG", "111", "VEN") in triples("The Brazilian Congress condemned Venezuela.")
    assert not {t for t in triples("The party congress condemned Venezuela.") if t[0] == "USALEG"}


def _actor(code: str, *, inferred: bool = False) -> Actor:
    country, role = code[:3], code[3:] or None
    return Actor(code, code, country, role, 0, 1, inferred=inferred)


@pytest.mark.parametrize(
    ("src", "tgt", "code", "kept"),
    [
        ("AFGREB", "AFGMIL", "190", True),  # rebels against the state's soldiers
        ("AFGREB", "AFGGOV", "112", True),  # ... under any code
        ("EGYGOV", "EGYMED", "090", True),  # the state investigating its own newspaper
        ("VENGOV", "VENCVL", "0841", True),  # ... freeing its own people
        ("TUR", "TURREB", "063", False),  # cooperating with a militant: a guess
        ("PAK", "PAKMIL", "194", False),  # "Pakistan fired artillery": its own means
        ("USA", "USAMIL", "162", False),  # "reduced military aid"
        ("IRQMIL", "IRQMIL", "190", False),  # its own sector
    ],
)
def test_inferred_targets_of_the_sources_country(src: str, tgt: str, code: str, kept: bool) -> None:
    veto = gate.dyad_veto(_actor(src), _actor(tgt, inferred=True), code=code, converted=False)
    assert (veto is None) is kept


@pytest.mark.parametrize(
    ("noun", "plural"),
    [
        ("envoy", "envoys"),
        ("attorney", "attorneys"),
        ("deputy", "deputies"),
        ("witness", "witnesses"),
        ("militiaman", "militiamen"),
        ("soldier", "soldiers"),
    ],
)
def test_regular_plurals_of_agent_nouns(noun: str, plural: str) -> None:
    from pipeline.stages.events.lexicon import _plurals

    assert _plurals(noun) == [plural]


def test_a_noun_in_s_is_taken_as_plural() -> None:
    from pipeline.stages.events.lexicon import _plurals

    assert _plurals("forces") == []
    assert _plurals("human") == ["humans"]


def test_plural_envoys_are_agents() -> None:
    assert ("USAGOV", "040", "CHNGOV") in triples("U.S. envoys met Chinese officials in Beijing.")


def test_an_armed_group_fighting_in_its_own_country_targets_it() -> None:
    # PETRARCH codes the country an attack happens in as its target
    assert ("NGAREB", "192", "NGA") in triples(
        "Boko Haram fighters overran a village in northern Nigeria."
    )


def test_own_troops_as_object_make_a_one_sided_posture_event() -> None:
    events = triples("India deployed troops along the frontier.")
    assert ("IND", "154", None) in events
    assert ("IND", "154", "INDMIL") not in events
