"""Why the coder gives no event on the uncovered ConfliBERT tune sentences, counted.

A diagnostic for the next round (issue 8), TUNE half only: every ConfliBERT sentence of the
tune half (split exactly as ``bench/bench_events.py`` does, ``conflibert:<id>``) that yields
no counted event is coded again with the coder's trace (the records of
``newswire events --explain``: each matched pattern and what became of it), and filed under
the furthest stage any of its candidates reached:

* ``no trigger pattern``: no pattern of either layer matched at all;
* ``noun-only``: patterns matched, but every one was read as a noun, an adjective or another
  sense of the word (the word shapes and the tagger refused it as the verb);
* ``trigger refused``: matched and not a noun, but refused before slot filling for another
  reason (it frames an embedded verb, part of a phrasal verb, a [---] entry, overlapped);
* ``no source``: a trigger reached slot filling and found no source actor in its clause;
* ``frame or clause``: dropped by the clause rules (the converted subject-verb-object frame
  test, a noun governed by another verb, an infinitive of a noun, a participle clause);
* ``no target``: a source was found, but the code needs a target and none was named;
* ``gate dropped``: source and target found, the precision gate vetoed the dyad (an actor
  without a country, an inferred country, a domestic dyad, a converted pattern's actors);
* ``not counted``: an event was kept but is negated or hypothetical (or dropped as such), or
  its root is in no ConfliBERT group.

Run: ``.venv/bin/python bench/diag_events_misses.py [--show N]`` (``--show N`` prints up to N
tune sentences of each reason with their candidates' outcomes).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.stages.events import code_text, load_lexicon

try:  # run as a script (bench/ on sys.path) or as a module
    from bench_events import COUNTED, predicted_group
    from bench_events_conflibert_judged import tune_records
except ImportError:  # pragma: no cover
    from bench.bench_events import COUNTED, predicted_group
    from bench.bench_events_conflibert_judged import tune_records

ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT.parent / "shared" / "reference" / "events" / "conflibert_cameo_class_train.jsonl"

# the reasons, from the earliest stage to the furthest; a sentence is filed under the
# furthest stage any of its candidates reached
REASONS = (
    "no trigger pattern",
    "noun-only",
    "trigger refused",
    "no source",
    "frame or clause",
    "no target",
    "gate dropped",
    "not counted",
)

# outcomes of the trigger search that read the matched word as a noun or another sense
_NOUN = (
    "not read as a verb",
    "syntax: tagged",
    "another sense",
    "a noun",
    "noun ",
    "an adjective",
    "a name",
)
_REFUSED = (
    "frames an embedded verb",
    "part of a phrasal verb",
    "overlaps a preferred match",
    "a [---] pattern",
)
_NO_SOURCE = ("dropped: no source", "dropped: no speaker", "dropped: the act of a possessor")
_NO_TARGET = (
    "dropped: no target",
    "the actor after it is no object",
    "dropped: a converted pattern without a target",
)
_GATE = (
    "dropped: an actor without a country",
    "dropped: the source's country",
    "dropped: the target's country",
    "dropped: a domestic dyad",
    "dropped: a one-sided event",
    "dropped: no political actor",
    "dropped: a converted pattern needs",
    "dropped: a converted bare verb",
    "dropped: called the target",
)


def stage(outcome: str) -> int:
    """The index in ``REASONS`` of the stage one candidate's outcome reached."""
    if outcome.startswith(("kept:", "dropped: hypothetical", "dropped: negated")):
        return REASONS.index("not counted")
    if outcome.startswith(_GATE):
        return REASONS.index("gate dropped")
    if outcome.startswith(_NO_TARGET):
        return REASONS.index("no target")
    if outcome.startswith(_NO_SOURCE):
        return REASONS.index("no source")
    if outcome.startswith("dropped:"):
        return REASONS.index("frame or clause")
    if outcome.startswith(_REFUSED):
        return REASONS.index("trigger refused")
    if any(w in outcome for w in _NOUN):
        return REASONS.index("noun-only")
    if outcome.startswith(("code ", "tried in place")):
        return REASONS.index("trigger refused")  # (notes on the way, not an outcome)
    return REASONS.index("frame or clause")


def reason(trace: list[dict[str, Any]]) -> str:
    """Why a sentence's trace ends in no counted event: the furthest stage reached."""
    outcomes = [n["outcome"] for r in trace for n in (r.get("candidates") or [])]
    if not outcomes:
        return REASONS[0]
    return REASONS[max(stage(o) for o in outcomes)]


def tune_misses() -> list[tuple[dict[str, Any], str, list[dict[str, Any]]]]:
    """The uncovered tune sentences, each with its reason and trace."""
    out = []
    for rec in tune_records():
        trace: list[dict[str, Any]] = []
        events = code_text(str(rec["text"]), None, trace=trace)
        if predicted_group([e for e in events if e.modality in COUNTED]) is not None:
            continue
        out.append((rec, reason(trace), trace))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="tune examples per reason")
    args = parser.parse_args()
    if not PATH.is_file():
        print(f"ConfliBERT sentences not found at {PATH}: skipped")
        return
    load_lexicon()
    misses = tune_misses()
    counts = Counter(r for _, r, _ in misses)
    print(f"--- uncovered ConfliBERT tune sentences: {len(misses)}")
    for name in REASONS:
        print(f"{counts[name]:>5}  {name}")
    if not args.show:
        return
    for name in REASONS:
        shown = [m for m in misses if m[1] == name][: args.show]
        if shown:
            print(f"\n=== {name}")
        for rec, _, trace in shown:
            print(f"  [{rec['id']}] gold group {rec['label']}: {str(rec['text'])[:200]}")
            for r in trace:
                for n in r.get("candidates") or []:
                    print(f"      {n['trigger'][:40]!r}: {n['outcome'][:90]}")


if __name__ == "__main__":
    main()
