"""What the event-coder unit tests share: code one sentence at a publication date and read the
result the way the tests compare it — as (source, code, target) triples, or as the outcomes the
``--explain`` trace gives every candidate — so each test file states only its date."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from pipeline.stages.events import Event, code_text

Triple = tuple[str | None, str, str | None]


def as_triples(events: Iterable[Event]) -> set[Triple]:
    """The events as (source code, CAMEO code, target code), a missing side as None."""
    return {
        (e.source.code if e.source else None, e.cameo_code, e.target.code if e.target else None)
        for e in events
    }


def triples_at(pub: date) -> Callable[[str], set[Triple]]:
    """A function coding a text published on *pub* into its triples."""
    return lambda text: as_triples(code_text(text, pub))


def outcomes_at(pub: date) -> Callable[[str], list[str]]:
    """A function giving, for a text published on *pub*, every candidate's trace outcome."""

    def outcomes(text: str) -> list[str]:
        trace: list[dict[str, object]] = []
        code_text(text, pub, trace=trace)
        return [
            str(note["outcome"])
            for record in trace
            for note in record["candidates"] or []  # type: ignore[attr-defined]
        ]

    return outcomes


def coded_with_trace(text: str, pub: date) -> tuple[list[Event], list[dict[str, object]]]:
    """The events of *text*, and its ``--explain`` trace, each from a run of its own: the
    speed tests compare both with what the slow paths give."""
    trace: list[dict[str, object]] = []
    events = code_text(text, pub)
    code_text(text, pub, trace=trace)
    return events, trace
