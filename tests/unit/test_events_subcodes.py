"""The specific CAMEO code once the trigger is right (subcodes.py): a converted phrase of the
same verb naming the sub-code, and the action an appeal, intent, demand or threat asks for.
Our own sentences; each rule has sentences that keep their default, and sentences that must
still yield nothing (the refinement changes codes, never which sentences get events)."""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

from pipeline.stages.events import load_lexicon
from pipeline.stages.events.subcodes import asked_code

PUB = date(2026, 3, 2)

triples = triples_at(PUB)


# --- a converted phrase of the same verb names the sub-code the curated verb leaves open


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kenya asked Britain for military aid on Monday.", ("KEN", "0232", "GBR")),
        ("The Serbian government lifted a night curfew on Kosovo.", ("SRBGOV", "0813", "XKX")),
        ("Chile called for the resignation of the Peruvian president.", ("CHL", "0241", "PERGOV")),
    ],
)
def test_a_converted_phrase_names_the_sub_code(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # no phrase names more: the curated code stays
        ("Kenya asked Britain for aid on Monday.", ("KEN", "023", "GBR")),
        # a rejection keeps its default: what was asked of the rejecter is not said
        ("The Palestinians reject proposed Israeli changes to the deal.", ("PSE", "120", "ISR")),
        # the object noun is part of a name: a council, not security (0234)
        ("Chile requested an urgent Security Council meeting on Peru.", ("CHL", "020", "IGOUNO")),
    ],
)
def test_no_phrase_or_a_name_keeps_the_code(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


# --- an appeal, intent, demand or threat takes the code of the action it asks for


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The United States called on Russia to meet Ukrainian envoys.", ("USA", "026", "RUS")),
        (
            "The United States called on Russia to release the detained journalists.",
            ("USA", "0253", "RUS"),
        ),
        ("Germany demanded that Russia agree to a ceasefire.", ("DEU", "1056", "RUS")),
        ("Turkey is prepared to extend military assistance to Azerbaijan.", ("TUR", "0332", "AZE")),
    ],
)
def test_the_asked_action_names_the_sub_code(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


def test_an_intent_with_its_own_code_is_no_longer_two_ways() -> None:
    # 030 is symmetric, 0332 (intent to give military aid) is not: Turkey's offer only
    assert triples("Turkey is prepared to extend military assistance to Azerbaijan.") == {
        ("TUR", "0332", "AZE")
    }


def test_a_converted_bare_verb_names_no_sub_code() -> None:
    # the bare "withdraw" (PETRARCH-2's RETREAT, 0874) does not know a race from a front line:
    # the appeal keeps its default rather than become one for de-escalation (0256)
    text = "Senator Tester called for President Biden to withdraw from the presidential race."
    assert triples(text) == {("USALEG", "020", "USAGOV")}
    # nor does the bare "help" (070): the intent stays 030
    assert ("NOR", "030", "UKR") in triples("Norway is willing to help Ukraine.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # nothing asked: CAMEO's default when no sub-code is named
        ("Pakistan urged India.", ("PAK", "020", "IND")),
        ("Turkey threatened Greece.", ("TUR", "130", "GRC")),
        # the action is not the appeal's complement (a relative clause's verb)
        ("Pakistan urged India, which bombed Lahore, to stop.", ("PAK", "020", "IND")),
    ],
)
def test_nothing_asked_keeps_the_default(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        "The minister threatened to resign.",  # no target: still no event
        "Analysts want to investigate the ministry.",  # no actor asked
        "Most voters demanded a ceasefire.",  # no political actor, no target
    ],
)
def test_still_no_event(text: str) -> None:
    assert triples(text) == set()


def test_threats_and_future_actions_name_the_coercion() -> None:
    # future_codes (verbs.yaml) names what is threatened: a conventional attack 1384,
    # martial law 1324, as the CAMEO manual codes them
    assert ("PAK", "1384", "IND") in triples("Pakistan will attack India.")
    assert ("IRN", "1384", "IRQ") in triples(
        "Iran threatened to launch a military offensive against Iraq."
    )


@pytest.mark.parametrize(
    ("code", "action", "expected"),
    [
        ("020", "0841", "0253"),  # release
        ("100", "0871", "1056"),  # ceasefire
        ("100", "0831", "1041"),  # leadership change
        ("020", "072", "0232"),  # military aid
        ("100", "040", "106"),  # a meeting
        ("020", "0356", "0256"),  # an intent to de-escalate, asked for
        ("130", "163", "1312"),  # sanctions
        ("130", "1724", "1324"),  # martial law
        ("030", "0841", "0353"),  # intent to release
        ("020", "111", None),  # criticism: no appeal sub-code
        ("130", "040", None),  # a threatened meeting is no threat code
        ("120", "0841", None),  # rejections are not refined here (gate.rejection is)
    ],
)
def test_asked_code_table(code: str, action: str, expected: str | None) -> None:
    lx = load_lexicon()
    assert asked_code(code, action, lx.codes, lx.future_code) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kenyan teachers began a hunger strike on Monday.", ("KENEDU", "142", None)),
        ("Kenyan teachers began a strike on Monday.", ("KENEDU", "143", None)),
        ("Up to 300 Kenyan prisoners went on a hunger strike.", ("KEN", "142", None)),
    ],
)
def test_a_hunger_strike_is_142_however_it_begins(
    text: str, expected: tuple[str, str, None]
) -> None:
    # "<begin> ... strike" (143) matched as many words as "<begin> ... hunger strike"
    assert triples(text) == {expected}


def test_ending_a_hunger_strike_is_no_hunger_strike() -> None:
    assert all(
        code != "142" for _, code, _ in triples("Kenyan teachers ended their hunger strike.")
    )


def test_a_one_sided_intent_is_one_way() -> None:
    # 030 is symmetric for an agreement, not for an offer or a readiness of one side
    assert triples("Norway is willing to help Ukraine.") == {("NOR", "030", "UKR")}
    assert triples("Jordan and Britain agreed to cooperate.") == {
        ("JOR", "030", "GBR"),
        ("GBR", "030", "JOR"),
    }
