"""One-sided statements of the converted PETRARCH-2 layer (gate.converted_veto): our sentences.

CAMEO 01 codes a comment without an addressee; a converted statement *phrase* ("expressed
concern", "claimed victory") names its own sense, so it stays without a target when its source
is a named state-level actor. Bare one-sided verbs ("acknowledged") and one-sided phrases of
other roots ("mobilized its reserves") stay dropped.
"""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.stages.events import code_text, gate
from tests.unit.eventkit import outcomes_at

PUB = date(2024, 5, 6)
outcomes = outcomes_at(PUB)


def _one_sided(text: str) -> set[tuple[str | None, str, str]]:
    """The one-sided events of *text* with the layer they came from."""
    return {
        (e.source.code if e.source else None, e.cameo_code, e.pattern_id.split(":")[0])
        for e in code_text(text, PUB)
        if e.target is None
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Brazilian government expressed concern on Monday.", ("BRAGOV", "012")),
        ("Chile's foreign minister expressed outrage at the ruling.", ("CHLGOV", "012")),
        ("The German chancellor claimed victory after the vote.", ("DEUGOV", "013")),
        ("The Turkish government is considering options.", ("TURGOV", "014")),
        ("The Kenyan president offered his condolences after the floods.", ("KENGOV", "018")),
    ],
)
def test_converted_statement_phrases_stand_without_a_target(
    text: str, expected: tuple[str, str]
) -> None:
    assert (*expected, "petrarch") in _one_sided(text)


@pytest.mark.parametrize(
    "text",
    [
        # a bare verb: the converted one-sided bare verbs are mostly another sense
        "The Peruvian government acknowledged on Monday.",
        # a one-sided phrase of another root (15, force posture)
        "The Kenyan army mobilized its reserves.",
        # no state-level source: a private party, a pronoun
        "A local doctor expressed concern on Monday.",
        "He expressed concern on Monday.",
    ],
)
def test_other_one_sided_converted_matches_stay_dropped(text: str) -> None:
    assert _one_sided(text) == set()


def test_the_exception_is_for_statement_phrases_only() -> None:
    def veto(code: str, *, phrase: bool) -> str | None:
        return gate.converted_veto(code, phrase=phrase, targeted=False, framed=False)

    assert veto("012", phrase=True) is None
    assert veto("013", phrase=False) == "dropped: a converted pattern without a target"
    assert veto("154", phrase=True) == "dropped: a converted pattern without a target"
    assert veto("145", phrase=True) == "dropped: a converted pattern without a target"
    assert any(
        o.startswith("dropped: a converted pattern without a target")
        for o in outcomes("The Peruvian government acknowledged on Monday.")
    )
