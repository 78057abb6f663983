"""Claims, allegations and accusations (issue 8, "modality and embedded clauses").

"X claimed that Y had attacked Z" is X's claim, not an attack: CAMEO codes the claim (an
accusation, 112, where the dictionaries have one) and the act claimed is no event that happened.
The coder still emits the embedded act, with modality ``claimed``, so the trace and the store
show it; the marts and the benches leave it out like negated and hypothetical events. Sentences
written for the test; pure (the coder and its packaged dictionaries).
"""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.stages.events import Event, code_text
from pipeline.stages.events.coder import CLAIMED

PUB = date(2024, 3, 5)
HAPPENED = {"asserted", "future", "reported"}


def coded(text: str) -> list[Event]:
    return code_text(text, PUB)


def brief(e: Event) -> tuple[str | None, str, str | None, str]:
    return (
        e.source.country if e.source else None,
        e.root_code,
        e.target.country if e.target else None,
        e.modality,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Iran claimed that Israel had attacked Syria.",
        "Iran claimed Israel had attacked Syria.",
        "Iran claimed on Tuesday that Israel had attacked Syria.",
        "The report alleges that Russia attacked Ukraine.",
        "Moscow insisted that Kyiv had attacked Belarus.",
    ],
)
def test_an_attack_inside_a_claim_is_claimed_not_happened(text: str) -> None:
    events = coded(text)
    attacks = [e for e in events if e.root_code == "19"]
    assert attacks, "the embedded act is still emitted, for the trace and the store"
    assert {e.modality for e in attacks} == {CLAIMED}
    # and none of the claimer's: the claim verb's subject did not attack anyone
    assert not [e for e in attacks if e.source and e.source.country in ("IRN",)]


def test_the_clause_subject_of_an_allegation_keeps_its_own_verb() -> None:
    # "alleged that" codes the accusation against the clause's subject; the attack is the
    # subject's (claimed), not a second act of the accuser
    got = {brief(e) for e in coded("Russia alleged that Ukraine had attacked Belarus.")}
    assert ("RUS", "11", "UKR", "asserted") in got
    assert ("UKR", "19", "BLR", CLAIMED) in got
    assert not [g for g in got if g[0] == "RUS" and g[1] == "19"]


def test_an_accusation_of_an_act_is_the_accusation_only() -> None:
    for text in (
        "Pakistan accused India of attacking its border posts.",
        "Russia accused Ukraine of shelling Belgorod.",
    ):
        happened = [e for e in coded(text) if e.modality in HAPPENED]
        assert happened, text
        assert all(e.root_code == "11" for e in happened), [brief(e) for e in happened]


@pytest.mark.parametrize(
    "text",
    [
        "Iran claimed that Israel had attacked Syria.",
        "Iran alleged that Israeli jets bombed Lebanon.",
        "Evidence suggests that Russia bombed Ukraine.",
        "Allegations that Serbia attacked Kosovo surfaced on Monday.",
        "Iran denied that it had attacked Israel.",
        "Israel denied that Iran attacked Syria.",
    ],
)
def test_claims_evidence_and_denials_yield_no_act_that_happened(text: str) -> None:
    # must yield nothing as a real event (an accusation of the claimer's may stand)
    assert not [e for e in coded(text) if e.modality in HAPPENED and e.root_code == "19"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a party claiming its own act reports the act
        ("Pakistan claimed it shot down several Indian aircraft.", ("PAK", "19", "IND")),
        ("Washington claimed the US military bombed Iran.", ("USA", "19", "IRN")),
        # said, not claimed: reported speech, an event as before
        ("Iran said that Israel had attacked Syria.", ("ISR", "19", "SYR")),
        # the claim verb's own object is no clause: an ordinary event
        ("Venezuela claimed responsibility for the attack on Colombia.", ("VEN", "01", "COL")),
    ],
)
def test_what_stays_an_event(text: str, expected: tuple[str, str, str]) -> None:
    got = {brief(e)[:3] for e in coded(text) if e.modality in HAPPENED}
    assert expected in got, [brief(e) for e in coded(text)]


def test_an_attribution_after_the_clause_stays_reported_speech() -> None:
    # the CAMEO manual codes the act in "X did Y, a rights group charged": not a claim here
    events = coded("Russia attacked Ukraine, a rights group charged on Saturday.")
    assert all(e.modality != CLAIMED for e in events)


def test_a_claim_verb_still_names_the_speaker_of_a_reported_predicate() -> None:
    # "claimed" left the speech cues (no longer "reported"), not the speakers: the accusation
    # in the claimed predicate is the claimer's (PETRARCH's ALLEGE block codes it 11x)
    got = {brief(e) for e in coded("Iran claimed the United States was behind the attack.")}
    assert ("IRN", "11", "USA", "asserted") in got
