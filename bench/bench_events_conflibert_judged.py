"""Judged precision of the coder's events on real news sentences: ConfliBERT tune half.

The ConfliBERT sentences (``../shared/reference/events/conflibert_cameo_class_train.jsonl``)
carry only a 5-way root-group label, so they say nothing about an event's actors. Here a fixed
random sample of the TUNE half's covered sentences (split exactly as ``bench_events.py`` does:
``bench/splits.py`` on ``conflibert:<id>``) had every emitted event judged by hand with the
pages' labels (right = source, target, code and direction right; partly = dyad right but code
or role wrong or not realised; wrong = no such event, wrong source or direction). The
judgements are in ``bench/data/events_conflibert_judged.jsonl``, keyed by record id, a short
hash of the sentence (never its text), the trigger offset, the code and the dyad; each also
records the event's evidence class at judging time (curated or converted layer, pattern id).

The bench codes the sampled sentences with the current coder and prints judged precision over
its events there; events without a judgement are counted separately (``--list`` prints them
for judging, tune half only). ``--draw N --seed S`` prints stubs for a fresh sample of N
covered tune sentences (how the file was first made: ``--draw 80 --seed 12``).

Run: ``.venv/bin/python bench/bench_events_conflibert_judged.py [--list]``
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

from pipeline.stages.events import Event, code_text, load_lexicon

try:  # run as a script (bench/ on sys.path) or as a module
    from judgements import event_key, happened, precision, sentence_hash
    from splits import half_of
except ImportError:  # pragma: no cover
    from bench.judgements import event_key, happened, precision, sentence_hash
    from bench.splits import half_of

ROOT = Path(__file__).resolve().parents[1]
PATH = ROOT.parent / "shared" / "reference" / "events" / "conflibert_cameo_class_train.jsonl"
JUDGED = ROOT / "bench" / "data" / "events_conflibert_judged.jsonl"

Key = tuple[str, int, str, str | None, str | None]


def tune_records() -> list[dict[str, object]]:
    """The tune half of the ConfliBERT sentences (key ``conflibert:<id>``, as bench_events)."""
    out = []
    with PATH.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                if half_of(f"conflibert:{rec['id']}") == "tune":
                    out.append(rec)
    return out


def layer(e: Event) -> str:
    return "converted" if e.pattern_id.startswith("petrarch") else "curated"


def key(rid: str, e: Event) -> Key:
    """The pages' event key, with the ConfliBERT record id as the document."""
    return event_key(rid, e)


def stub(rid: str, text: str, e: Event) -> dict[str, object]:
    k = key(rid, e)
    return {
        "id": rid,
        "sentence_sha": sentence_hash(text),
        "trigger_start": e.trigger_start,
        "trigger": e.trigger,
        "source": k[3],
        "code": e.cameo_code,
        "target": k[4],
        "layer": layer(e),
        "pattern_id": e.pattern_id,
        "label": "?",
        "kind": "",
    }


def load_judged() -> dict[Key, dict[str, object]]:
    out: dict[Key, dict[str, object]] = {}
    if JUDGED.is_file():
        for line in JUDGED.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                k = (
                    str(r["id"]),
                    int(r["trigger_start"]),
                    str(r["code"]),
                    r["source"],
                    r["target"],
                )
                out[k] = r  # a later line wins: re-judging appends
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print unjudged events (tune)")
    parser.add_argument("--draw", type=int, default=0, help="print stubs for N new sentences")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    if not PATH.is_file():
        print(f"ConfliBERT sentences not found at {PATH}: skipped")
        return
    load_lexicon()
    records = tune_records()
    if args.draw:
        covered = []
        for rec in records:
            events, _ = happened(code_text(str(rec["text"]), None))
            if events:
                covered.append((rec, events))
        for rec, events in random.Random(args.seed).sample(covered, args.draw):
            for e in events:
                print(json.dumps(stub(str(rec["id"]), str(rec["text"]), e)))
        return
    judged = load_judged()
    sampled = {k[0] for k in judged}
    labels: Counter[str] = Counter()
    by_layer: dict[str, Counter[str]] = {}
    kinds: Counter[str] = Counter()
    unjudged = 0
    n_events = 0
    for rec in records:
        rid = str(rec["id"])
        if rid not in sampled:
            continue
        events, _ = happened(code_text(str(rec["text"]), None))
        for e in events:
            n_events += 1
            j = judged.get(key(rid, e))
            if j is None:
                unjudged += 1
                if args.list:
                    print(f"  [unjudged {rid}] {str(rec['text'])[:300]}")
                    print(f"     {json.dumps(stub(rid, str(rec['text']), e))}")
                continue
            lab = str(j["label"])
            labels[lab] += 1
            by_layer.setdefault(layer(e), Counter())[lab] += 1
            if lab != "right":
                kinds[str(j.get("kind") or "?")] += 1
    print(
        f"ConfliBERT tune, sampled sentences {len(sampled)}: events {n_events}, unjudged {unjudged}"
    )
    print(precision(labels))
    for name, c in sorted(by_layer.items()):
        print(f"  {name:<10} {precision(c)}")
    print("  kinds of partly/wrong: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))


if __name__ == "__main__":
    main()
