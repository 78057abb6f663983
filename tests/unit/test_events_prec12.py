"""Round 12 (ev-prec4): "welcomed X's decision to ..." is praise, not hosting a visit.

The hosting pattern "<welcome> ... to|in" also spans "welcomed Germany's decision to" (the
"to" of an infinitive), and as the longer match it beat the praise pattern. The praise
pattern now ends in the same preposition when its noun is an act, and wins the tie by entry
order. Sentences written here.
"""

from __future__ import annotations

from datetime import date

from pipeline.stages.events import code_text

PUB = date(2024, 5, 14)


def coded(text: str) -> list[tuple[str | None, str, str | None]]:
    return [
        (e.source.code if e.source else None, e.cameo_code, e.target.code if e.target else None)
        for e in code_text(text, PUB)
    ]


def test_welcomed_a_decision_to_act_is_praise() -> None:
    assert coded(
        "The Kenyan foreign minister welcomed Germany's decision to reopen its embassy."
    ) == [("KENGOV", "051", "DEU")]
    assert coded("Egypt welcomed the Sudanese move to hold elections.") == [("EGY", "051", "SDN")]


def test_welcoming_a_visitor_is_still_hosting() -> None:
    assert coded("The Kenyan president welcomed the German chancellor to Nairobi.") == [
        ("KENGOV", "043", "DEUGOV")
    ]
    assert coded("Brazil welcomed a delegation from Argentina in Brasilia.") == [
        ("BRA", "043", "ARGGOV")
    ]


def test_welcoming_a_decision_of_no_actor_yields_nothing() -> None:
    assert coded("The minister welcomed the decision to delay the vote.") == []
    assert coded("Fans welcomed the move to a larger stadium.") == []


def test_pattern_ids_of_other_entries_keep_their_numbers() -> None:
    """The hosting entry moved to the end of ``verbs`` under its own id; the reported-speech
    complements keep the ids they had ("verbs.yaml#172" to "#174")."""
    events = code_text("The Kenyan president welcomed the German chancellor to Nairobi.", PUB)
    assert [e.pattern_id for e in events] == ["verbs.yaml#welcome-visit"]
    hosted = code_text("China hosted the Brazilian president in Beijing.", PUB)
    assert [e.pattern_id for e in hosted] == ["verbs.yaml#32"]
