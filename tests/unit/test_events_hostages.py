"""Holding or taking people hostage is CAMEO 181 (abduct, hijack, take hostage).

Since round 10 reads PETRARCH-2's ``HOLD [---]`` as no code, a bare "held" codes nothing; the
curated ``verbs.yaml`` entry brings back the one reading of "hold" that is an act of force:
the hostage or captive noun after its object. Our own sentences.
"""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

triples = triples_at(date(2024, 5, 6))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hamas held 20 Israeli soldiers hostage in Gaza.", ("PSEREB", "181", "ISRMIL")),
        ("Gunmen in Nigeria are holding 30 Chinese workers captive.", ("NGAUAF", "181", "CHNLAB")),
    ],
)
def test_holding_people_hostage_or_captive_is_181(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        "Iran held a meeting on Tuesday.",  # no act against anyone
        "Kenya held 20 seats in the assembly.",  # no hostage noun
        "Greece holds the presidency of the council.",
    ],
)
def test_other_senses_of_hold_yield_no_abduction(text: str) -> None:
    assert not any(code == "181" for _, code, _ in triples(text))


def test_holding_talks_is_still_a_negotiation() -> None:
    assert ("IRN", "046", "IRQ") in triples("Iran held talks with Iraq.")
