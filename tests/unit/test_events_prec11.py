"""Round 11: evidence on whole articles. A name modifying a noun another actor owns is no
target, and the confidence of a converted PETRARCH-2 match is scaled to the
share of such events that were right on the tune articles. Our own sentences only.
"""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.stages.events import code_text
from pipeline.stages.events.event import CONVERTED_CONFIDENCE, evidence_confidence

PUB = date(2024, 7, 19)


def coded(text: str) -> set[tuple[str | None, str, str | None, str]]:
    return {
        (
            e.source.code if e.source else None,
            e.cameo_code,
            e.target.code if e.target else None,
            e.modality,
        )
        for e in code_text(text, PUB)
    }


def happened(text: str) -> set[tuple[str | None, str, str | None]]:
    """The events the marts count (claimed, negated and hypothetical ones left out)."""
    return {
        (s, c, t) for s, c, t, m in coded(text) if m not in ("claimed", "negated", "hypothetical")
    }


def test_a_converted_match_states_less_confidence_than_a_curated_one() -> None:
    curated = {e.pattern_id: e.confidence for e in code_text("Kenya attacked Somalia.", PUB)}
    converted = list(code_text("Iran launched an operation against Iraq on Tuesday.", PUB))
    assert converted
    assert all(e.pattern_id.startswith("petrarch:") for e in converted)
    assert all(e.confidence < min(curated.values()) for e in converted)
    assert evidence_confidence(0.8, 1) == pytest.approx(0.8 * CONVERTED_CONFIDENCE)
    assert evidence_confidence(0.8, 0) == pytest.approx(0.8)


def test_a_sentence_with_no_actor_yields_nothing() -> None:
    assert coded("Officials said the weather attacked the harvest.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen from Somalia attacked the Kenya office of a British charity.",
        "Iran criticized the Syria policy of the United States.",
        "Taliban fighters attacked the Afghanistan office of an American aid group.",
    ],
)
def test_a_name_modifying_a_noun_another_owns_is_no_target(text: str) -> None:
    targets = {t for _, _, t in happened(text)}
    assert not targets & {"KEN", "SYR", "AFG"}


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a name with a noun and no owner: the place is the noun's
        ("Israel struck Gaza hospitals on Monday.", ("ISR", "PSEHLH")),
        # a possessive names the owner itself
        ("Russia attacked Ukraine's capital on Monday.", ("RUS", "UKR")),
        ("Russia shelled Ukrainian towns overnight.", ("RUS", "UKR")),
    ],
)
def test_a_name_that_is_the_target_still_codes(text: str, kept: tuple[str, str]) -> None:
    assert any((s, t) == kept for s, _, t in happened(text))
