"""Hand judgements of emitted events, shared by the page and feed-item precision benches.

A judgement finds its event again by the document it came from, the trigger's offset, the code
and the dyad, so it survives re-runs and stays attached when the coder changes other events; a
sentence is identified by a short hash, never stored, since the text is third-party material.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable

from pipeline.stages.events import Event
from pipeline.stages.events.sentences import split_sentences

EventKey = tuple[str, int, str, str | None, str | None]

# modalities the dashboard marts leave out (sql/views/marts): events that did not happen. The
# coder emits only the claimed ones ("Iran claimed that Israel had attacked Syria"); they are
# no emitted events for precision, and the benches print how many were set aside.
NOT_HAPPENED = frozenset(("negated", "hypothetical", "claimed"))


def happened(events: Iterable[Event]) -> tuple[list[Event], int]:
    """The events the marts count, and how many others were set aside."""
    events = list(events)
    kept = [e for e in events if e.modality not in NOT_HAPPENED]
    return kept, len(events) - len(kept)


def sentence_hash(text: str) -> str:
    """A short hash that identifies a sentence without storing it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def event_key(document: str, e: Event) -> EventKey:
    """How a judgement finds its event again: document, trigger offset, code and dyad."""
    return (
        document,
        e.trigger_start,
        e.cameo_code,
        e.source.code if e.source else None,
        e.target.code if e.target else None,
    )


def sentence_of(text: str, offset: int) -> tuple[int, int, str]:
    """The sentence of *text* that holds character *offset*: start, end and its text."""
    for sent in split_sentences(text):
        if sent.start <= offset < sent.end:
            return sent.start, sent.end, sent.text
    return offset, offset, ""


def parse_judgements(
    lines: Iterable[str], document_field: str
) -> dict[EventKey, dict[str, object]]:
    """Judgement records keyed like :func:`event_key` (a later line wins: re-judging appends)."""
    out: dict[EventKey, dict[str, object]] = {}
    for line in lines:
        if line.strip():
            rec = json.loads(line)
            key = (
                str(rec[document_field]),
                int(rec["trigger_start"]),
                str(rec["code"]),
                rec.get("source"),
                rec.get("target"),
            )
            out[key] = rec
    return out


def stub(
    document_field: str, document: str, span: tuple[int, int, str], e: Event
) -> dict[str, object]:
    """A judgement record to fill in (``--emit-template``): *span* is the event's sentence
    from :func:`sentence_of`; its text is kept only as a hash."""
    s_start, s_end, sentence = span
    key = event_key(document, e)
    return {
        document_field: document,
        "sentence_start": s_start,
        "sentence_end": s_end,
        "sentence_sha": sentence_hash(sentence),
        "trigger_start": e.trigger_start,
        "trigger": e.trigger,
        "source": key[3],
        "code": e.cameo_code,
        "target": key[4],
        "label": "?",
    }


def precision(labels: Counter[str], sampled: int | None = None) -> str:
    """The precision line for judged labels (right, and right or partly), out of *sampled*."""
    n = labels["right"] + labels["partly"] + labels["wrong"]
    if not n:
        return "no judged events"
    of = f"/{sampled}" if sampled is not None else ""
    return (
        f"judged {n}{of}: right {labels['right']}, partly {labels['partly']}, wrong "
        f"{labels['wrong']} | precision (right) {labels['right'] / n:.3f}, right or partly "
        f"{(labels['right'] + labels['partly']) / n:.3f}"
    )
