"""Uncovered ConfliBERT TUNE sentences with the drop reasons of their --explain trace.

A diagnostic for recall work (tune half only, split as ``bench_events.py``): every tune
sentence with no counted event is printed with its actors and each candidate's outcome, and
the drop reasons are counted at the end. ``--summary`` prints only the counts.

Run: ``.venv/bin/python bench/uncovered_conflibert.py [--summary] [--limit N]``
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.stages.events import code_text

try:  # run as a script (bench/ on sys.path) or as a module
    from bench_events_conflibert_judged import tune_records
except ImportError:  # pragma: no cover
    from bench.bench_events_conflibert_judged import tune_records

ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT.parent / "shared" / "reference" / "events" / "conflibert_cameo_class_train.jsonl"
COUNTED = ("asserted", "future", "reported")  # as bench_events.py


def _reason(outcome: str) -> str:
    """A drop reason without its sentence-specific words (actor codes, quoted text)."""
    reason = re.sub(r"\(.*?\)|'.*?'|\".*?\"", "", outcome)
    return re.sub(r"\b[A-Z]{3}[A-Z0-9]*\b", "X", reason).strip()[:70]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--summary", action="store_true", help="only the counts")
    ap.add_argument("--limit", type=int, default=0, help="print at most N sentences")
    args = ap.parse_args()
    reasons: Counter[str] = Counter()
    first: Counter[str] = Counter()
    shown = uncovered = total = 0
    for rec in tune_records():
        total += 1
        trace: list[dict[str, Any]] = []
        events = code_text(str(rec["text"]), None, trace=trace)
        if any(e.modality in COUNTED for e in events):
            continue
        uncovered += 1
        cands = [c for t in trace for c in (t.get("candidates") or [])]
        seen = {_reason(str(c.get("outcome", ""))) for c in cands}
        reasons.update(seen)
        first[_reason(str(cands[0].get("outcome", ""))) if cands else "no pattern"] += 1
        if args.summary or (args.limit and shown >= args.limit):
            continue
        shown += 1
        print(f"[{rec['id']}] group {rec['label']}: {rec['text']}")
        actors = [f"{a['text']}={a['code']}" for t in trace for a in t.get("actors", [])]
        print(f"   actors: {actors}")
        for c in cands:
            print(f"   {c.get('code')} '{c.get('trigger')}' {c.get('outcome')}")
    print(f"--- {uncovered} of {total} tune sentences uncovered")
    print("first candidate's outcome:")
    for r, n in first.most_common(25):
        print(f"  {n:4d} {r}")
    print("any candidate's outcome (per sentence):")
    for r, n in reasons.most_common(25):
        print(f"  {n:4d} {r}")


if __name__ == "__main__":
    main()
