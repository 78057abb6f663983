"""Round 12b: a trigger dropped for want of a structure hands its span to the candidate it
overlapped (``triggers._select`` records it, ``coder._SentenceCoder._fall_back`` tries it).

Our own sentences, none from the shared data.
"""

from __future__ import annotations

from datetime import date

from pipeline.stages.events import code_text
from pipeline.stages.events.entries import Pattern
from pipeline.stages.events.triggers import _select, _Trigger

DAY = date(2024, 5, 6)


def _codes(text: str) -> list[tuple[str | None, str, str | None]]:
    return [
        (
            e.source.code if e.source else None,
            e.cameo_code,
            e.target.code if e.target else None,
        )
        for e in code_text(text, DAY)
    ]


def test_a_dropped_agreement_violation_falls_back_to_the_ceasefire_violation() -> None:
    # "violated the ceasefire agreement" (128, needs a target) has none: the overlapped
    # "violated the ceasefire" (196, needs none) is tried in its place
    assert _codes("The Ethiopian army violated the ceasefire agreement on Tuesday.") == [
        ("ETHMIL", "196", None)
    ]
    assert _codes(
        "Kenyan police are guilty of violating the ceasefire agreement near the border."
    ) == [("KENCOP", "196", None)]


def test_a_winner_that_stands_keeps_its_span() -> None:
    codes = _codes("The Ethiopian army violated the ceasefire agreement with Eritrea on Tuesday.")
    assert codes
    assert all(c != "196" for _, c, _ in codes)


def test_the_fallback_takes_one_step_only() -> None:
    # "approved an extradition request from" (051) and "approved an extradition" (063) both
    # fail the converted frame test: the bare "approved" (080) under them is not tried
    assert _codes("The French justice minister approved an extradition request from Spain.") == []


def test_a_fallback_with_no_actor_yields_nothing() -> None:
    assert _codes("The violation of the ceasefire agreement worried residents.") == []
    assert _codes("The ceasefire agreement was violated again overnight.") == []


def _pattern(pid: str, code: str, order: int) -> Pattern:
    return Pattern(code=code, regex=None, anchors=(), source="actor", order=order, id=pid)  # type: ignore[arg-type]


def test_select_records_only_candidates_overlapping_one_chosen_match() -> None:
    long = _Trigger(0, 30, 8, _pattern("long", "128", 1))
    inner = _Trigger(0, 20, 8, _pattern("inner", "196", 2))
    other = _Trigger(40, 50, 45, _pattern("other", "110", 3))
    bridge = _Trigger(25, 45, 30, _pattern("bridge", "040", 4))  # overlaps two chosen
    chosen = _select([inner, other, bridge, long])
    assert [t.pattern.id for t in chosen] == ["long", "other"]
    assert [t.pattern.id for t in chosen[0].overlapped] == ["inner"]
    assert chosen[1].overlapped == ()
