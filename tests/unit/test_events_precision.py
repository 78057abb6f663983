"""Precision by clause structure (round 7): who the subject of a relative clause is, reduced
passives, interrogative and conditional clauses, pronoun subjects, targets deep in a PP chain,
and PETRARCH-2 codes of an action done to the subject. Our own sentences only; each kind has
sentences that must code and sentences that must yield nothing."""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

PUB = date(2024, 5, 10)

triples = triples_at(PUB)


# --- PETRARCH-2 "[:code]" entries: the subject undergoes the action


@pytest.mark.parametrize(
    "text",
    [
        "Armenia faces pressure from Azerbaijan.",
        "Georgia faced mounting pressure from Russia on Tuesday.",
    ],
)
def test_a_code_of_an_action_on_the_subject_does_not_make_it_the_source(text: str) -> None:
    assert not {t for t in triples(text) if t[0] and t[0][:3] in ("ARM", "GEO")}
