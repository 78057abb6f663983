"""devtools/convert_phoenix.py: agent codes in CAMEO order (role before religion)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from devtools.convert_phoenix import cameo_order, parse_agents
from pipeline.stages.events.lexicon import DATA_DIR
from tests.unit.eventkit import triples_at

AGENTS = (
    Path(__file__).resolve().parents[2].parent
    / "shared/reference/events/phoenix-dictionaries/Phoenix.agents.txt"
)


@pytest.mark.parametrize(
    ("code", "ordered"),
    [
        ("MUSUAF", "UAFMUS"),  # "Islamic militant": an armed group, Muslim
        ("MUSRAD", "RADMUS"),
        ("RELUAF", "UAFREL"),
        ("CHRMAR", "CHRMAR"),  # two religious segments: unchanged
        ("REBMUS", "REBMUS"),  # already in order
        ("GOVMED", "GOVMED"),
        ("GOV", "GOV"),
    ],
)
def test_cameo_order(code: str, ordered: str) -> None:
    assert cameo_order(code) == ordered


def test_islamic_militants_are_an_armed_group() -> None:
    triples = triples_at(date(2024, 5, 6))
    assert ("SYRUAF", "190", "SYRMIL") in triples(
        "Syrian Islamic militants attacked Syrian soldiers near Idlib."
    )


@pytest.mark.skipif(not AGENTS.is_file(), reason="../shared is absent")
def test_committed_agents_are_the_conversion() -> None:
    rows = dict.fromkeys(sorted(set(parse_agents(AGENTS))))
    committed = [
        tuple(line.split("\t"))
        for line in (DATA_DIR / "phoenix_agents.tsv").read_text(encoding="utf-8").splitlines()[2:]
    ]
    assert committed == list(rows)
