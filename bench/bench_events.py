"""Event coder benchmark: precision and recall on labelled sentences, and throughput on one core.

Labelled data:
* ``../shared/reference/events/`` (third-party, read in place; skipped with a message when
  absent): the CAMEO manual's example per code (codes only, no actors), the PLOVER gold
  standard records that map back to CAMEO, and the PETRARCH unit-test records whose actors are
  all real-world (including their "no event" records);
* ``bench/data/events_gold.jsonl``: our own hand-annotated wire sentences.

Scoring, per sentence, on sets (a compound actor's duplicate codes count once):
* root: the 2-digit CAMEO roots; full: the full codes; dyad: (source country, target country),
  where a gold side given as a bare "IGO" matches any IGO code and a gold event with no target
  matches on its source alone.
Predictions with modality negated, hypothetical or claimed are not counted (they are not claims
that the event happened; a claimed one is what someone claims or alleges another did).
Precision = matched predictions / predictions; recall = matched gold / gold.

Throughput: documents of ~25 sentences built from the labelled text (plus the seed article),
coded in this one process (one core), after the dictionaries are loaded (load time printed).

Every labelled set is split with ``bench/splits.py`` by "<dataset>:<record id>": the report
half is the headline and was never looked at while tuning; ``--show-errors`` only shows records
of the tuning half. ConfliBERT's root-group sentences (``conflibert_cameo_class_train.jsonl``)
are scored as coverage (share of sentences with an event), group accuracy on the covered ones
and macro-F1 over the five groups with "no event" counted as a miss.

Run: ``.venv/bin/python bench/bench_events.py [--show-errors N] [--no-throughput]``
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline.stages.events import Event, code_text, load_lexicon

try:  # run as a script (bench/ on sys.path) or as a module
    from splits import HALVES, Half, half_of
except ImportError:  # pragma: no cover
    from bench.splits import HALVES, Half, half_of

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference" / "events"
SEED = SHARED / "seed" / "thehill_lukashenko_beijing_2023-02-28.txt"
OWN = ROOT / "bench" / "data" / "events_gold.jsonl"
COUNTED = {"asserted", "future", "reported"}


@dataclass
class Item:
    """One labelled sentence: gold events as (source country, target country, code)."""

    dataset: str
    id: str
    text: str
    day: date | None
    gold: list[tuple[str | None, str | None, str]]
    has_actors: bool = True


@dataclass
class Score:
    """Set-based counts at one level."""

    tp_p: int = 0
    pred: int = 0
    tp_r: int = 0
    gold: int = 0

    def add(self, predicted: set[object], gold: set[object], match: object) -> None:
        self.pred += len(predicted)
        self.gold += len(gold)
        self.tp_p += sum(1 for p in predicted if any(match(p, g) for g in gold))  # type: ignore[operator]
        self.tp_r += sum(1 for g in gold if any(match(p, g) for p in predicted))  # type: ignore[operator]

    def p(self) -> float:
        return self.tp_p / self.pred if self.pred else 0.0

    def r(self) -> float:
        return self.tp_r / self.gold if self.gold else 0.0


@dataclass
class Report:
    root: Score = field(default_factory=Score)
    full: Score = field(default_factory=Score)
    dyad: Score = field(default_factory=Score)
    sentences: int = 0


def _country(code: str | None) -> str | None:
    if not code:
        return None
    return code if code.startswith("IGO") else code[:3]


def _read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _parse_day(raw: object) -> date | None:
    text = str(raw or "")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def reference_items() -> list[Item]:
    """The third-party labelled sets (empty, with a message, when ../shared is absent)."""
    if not REFERENCE.is_dir():
        print(f"reference data not found at {REFERENCE}: scoring our own gold set only")
        return []
    items: list[Item] = []
    for rec in _read_jsonl(REFERENCE / "cameo_manual_examples.jsonl"):
        items.append(
            Item(
                "cameo_manual",
                str(rec["id"]),
                str(rec["text"]),
                None,
                [(None, None, str(rec["code"]))],
                has_actors=False,
            )
        )
    for rec in _read_jsonl(REFERENCE / "plover_gsr.jsonl"):
        code = rec.get("cameo_code_from_manual")
        if not code:
            continue
        sources = [_country(str(s["code"])) for s in rec["source"]] or [None]  # type: ignore[index,union-attr,attr-defined]
        targets = [_country(str(t["code"])) for t in rec["target"]] or [None]  # type: ignore[index,union-attr,attr-defined]
        gold = [(s, t, str(code)) for s in sources for t in targets]
        items.append(Item("plover_gsr", str(rec["id"]), str(rec["text"]), None, gold))
    for rec in _read_jsonl(REFERENCE / "petrarch_unittest_records.jsonl"):
        if not rec.get("all_actors_real_world"):
            continue
        events = [e for e in rec.get("events") or [] if e.get("code_in_cameo")]  # type: ignore[union-attr,attr-defined]
        if not events and not rec.get("noevents"):
            continue
        gold = [(_country(e["source"]), _country(e["target"]), str(e["code"])) for e in events]
        items.append(
            Item(
                "petrarch_real", str(rec["id"]), str(rec["text"]), _parse_day(rec.get("date")), gold
            )
        )
    return items


def own_items() -> list[Item]:
    """Our hand-annotated wire sentences."""
    items = []
    for rec in _read_jsonl(OWN):
        gold = [(e.get("source"), e.get("target"), str(e["code"])) for e in rec.get("events") or []]  # type: ignore[union-attr,attr-defined]
        items.append(
            Item("own_gold", str(rec["id"]), str(rec["text"]), _parse_day(rec.get("date")), gold)
        )
    return items


def _match_dyad(p: object, g: object) -> bool:
    ps, pt = p  # type: ignore[misc]
    gs, gt = g  # type: ignore[misc]

    def same(a: str | None, b: str | None) -> bool:
        if b == "IGO":
            return bool(a and a.startswith("IGO"))
        return a == b

    return same(ps, gs) and (gt is None or same(pt, gt))


def _brief(e: Event) -> tuple[str | None, str, str | None, str, str]:
    return (
        e.source.code if e.source else None,
        e.cameo_code,
        e.target.code if e.target else None,
        e.trigger,
        e.pattern_id,
    )


GROUPS = {
    **dict.fromkeys(("01", "02"), 0),
    **dict.fromkeys(("03", "04", "05"), 1),
    **dict.fromkeys(("06", "07", "08"), 2),
    **dict.fromkeys(("09", "10", "11", "12", "13", "16"), 3),
    **dict.fromkeys(("14", "15", "17", "18", "19", "20"), 4),
}


def half_key(dataset: str, record_id: str) -> str:
    """The stable id a record is split by: its data set and its own id."""
    return f"{dataset}:{record_id}"


def _counted(item_text: str, day: date | None) -> list[Event]:
    return [e for e in code_text(item_text, day) if e.modality in COUNTED]


def evaluate(items: Iterable[Item], show_errors: int = 0) -> dict[Half, dict[str, Report]]:
    """Scores per half and data set; errors are only ever shown from the tuning half."""
    reports: dict[Half, dict[str, Report]] = {h: {} for h in HALVES}
    shown = 0
    for item in items:
        half = half_of(half_key(item.dataset, item.id))
        report = reports[half].setdefault(item.dataset, Report())
        report.sentences += 1
        events = _counted(item.text, item.day)
        pred_codes = {e.cameo_code for e in events}
        gold_codes = {g[2] for g in item.gold}
        report.root.add(
            {c[:2] for c in pred_codes}, {c[:2] for c in gold_codes}, lambda a, b: a == b
        )
        report.full.add(pred_codes, gold_codes, lambda a, b: a == b)
        if item.has_actors:
            pred_dyads = {
                (e.source.country if e.source else None, e.target.country if e.target else None)
                for e in events
            }
            report.dyad.add(pred_dyads, {(g[0], g[1]) for g in item.gold}, _match_dyad)
        if (
            half == "tune"
            and show_errors
            and shown < show_errors
            and {c[:2] for c in pred_codes} != {c[:2] for c in gold_codes}
        ):
            shown += 1
            print(f"  [{item.dataset} {item.id}] {item.text[:240]}")
            print(f"     gold {sorted(item.gold, key=str)}")
            shown_pred = [_brief(e) for e in events]
            print(f"     pred {shown_pred}")
    return reports


def _print(reports: dict[str, Report], title: str) -> None:
    total = Report()
    ref_total = Report()
    print(f"--- {title}")
    print(
        f"{'dataset':<15} {'sent':>5} | {'root P':>6} {'root R':>6} | {'full P':>6} {'full R':>6}"
        f" | {'dyad P':>6} {'dyad R':>6}"
    )
    for name, rep in reports.items():
        for agg in [total] + ([ref_total] if name != "own_gold" else []):
            agg.sentences += rep.sentences
            for level in ("root", "full", "dyad"):
                a, b = getattr(agg, level), getattr(rep, level)
                a.tp_p += b.tp_p
                a.pred += b.pred
                a.tp_r += b.tp_r
                a.gold += b.gold
    rows = [*sorted(reports.items()), ("reference (all)", ref_total), ("all", total)]
    for name, rep in rows:
        dyad = (
            f"{rep.dyad.p():6.3f} {rep.dyad.r():6.3f}"
            if rep.dyad.gold
            else f"{'n/a':>6} {'n/a':>6}"
        )
        print(
            f"{name:<15} {rep.sentences:>5} | {rep.root.p():6.3f} {rep.root.r():6.3f} | "
            f"{rep.full.p():6.3f} {rep.full.r():6.3f} | {dyad}"
        )
    print(f"(predictions/gold at root level, all: {total.root.pred}/{total.root.gold})")


@dataclass
class GroupScore:
    """ConfliBERT root-group scoring: coverage, accuracy on covered, macro-F1 (none = miss)."""

    n: int = 0
    covered: int = 0
    correct: int = 0
    pairs: list[tuple[int, int | None]] = field(default_factory=list)

    def macro_f1(self) -> float:
        f1s = []
        for label in range(5):
            tp = sum(1 for g, p in self.pairs if g == label and p == label)
            fp = sum(1 for g, p in self.pairs if g != label and p == label)
            fn = sum(1 for g, p in self.pairs if g == label and p != label)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        return sum(f1s) / len(f1s)


def predicted_group(events: list[Event]) -> int | None:
    """The sentence's group: the most frequent group among its events (first wins ties)."""
    groups = [GROUPS[e.root_code] for e in events if e.root_code in GROUPS]
    if not groups:
        return None
    return max(dict.fromkeys(groups), key=groups.count)


def conflibert(show_errors: int = 0) -> None:
    """The ConfliBERT CAMEO root-group sentences, scored per half."""
    path = REFERENCE / "conflibert_cameo_class_train.jsonl"
    if not path.is_file():
        print(f"ConfliBERT sentences not found at {path}: skipped")
        return
    scores = {h: GroupScore() for h in HALVES}
    unexposed = GroupScore()
    shown = 0
    for rec in _read_jsonl(path):
        rid = str(rec["id"])
        half = half_of(half_key("conflibert", rid))
        # A diagnostic script of 2026-12-01 (round 7) split by the bare id instead of this key,
        # so about half of the report half passed through it; the report sentences whose bare id
        # also falls in the report half never did, and stay the clean held-out figure.
        never_shown = half == "report" and half_of(rid) == "report"
        gold = int(rec["label"])  # type: ignore[call-overload]
        events = _counted(str(rec["text"]), None)
        pred = predicted_group(events)
        score = scores[half]
        score.n += 1
        score.pairs.append((gold, pred))
        if pred is not None:
            score.covered += 1
            score.correct += pred == gold
        if never_shown:
            unexposed.n += 1
            unexposed.pairs.append((gold, pred))
            unexposed.covered += pred is not None
            unexposed.correct += pred is not None and pred == gold
        if half == "tune" and shown < show_errors and pred != gold:
            shown += 1
            print(f"  [conflibert {rid}] gold group {gold}: {str(rec['text'])[:240]}")
            print(f"     pred {[_brief(e) for e in events]}")
    print("--- ConfliBERT CAMEO root groups (coverage, group accuracy on covered, macro-F1)")
    rows: list[tuple[str, GroupScore]] = [
        ("report", scores["report"]),
        ("report, never shown", unexposed),
        ("tune", scores["tune"]),
    ]
    for half, s in rows:
        cov = s.covered / s.n if s.n else 0.0
        acc = s.correct / s.covered if s.covered else 0.0
        print(
            f"{half:<7} {s.n:>5} sentences | coverage {cov:.3f} | group accuracy {acc:.3f} "
            f"({s.correct}/{s.covered}) | macro-F1 {s.macro_f1():.3f}"
        )


def throughput(items: list[Item]) -> None:
    texts = [i.text for i in items]
    docs = [" ".join(texts[k : k + 25]) for k in range(0, len(texts), 25)]
    if SEED.is_file():
        docs.append(SEED.read_text(encoding="utf-8"))
    from pipeline.stages.events.sentences import split_sentences

    n_sentences = sum(len(split_sentences(d)) for d in docs)
    day = date(2023, 2, 28)
    code_text(docs[0], day)  # warm
    rounds = 5
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for doc in docs:
            code_text(doc, day)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(
        f"throughput (one process, CPU time): {rounds * len(docs) / cpu:.1f} articles/s, "
        f"{rounds * n_sentences / cpu:.1f} sentences/s; "
        f"wall clock {rounds * len(docs) / elapsed:.1f} articles/s "
        f"({len(docs)} documents, {n_sentences} sentences, "
        f"avg {n_sentences / len(docs):.1f} sentences/doc, {rounds} rounds)"
    )
    # The figure above includes compiling, on first use, the (lazily built) regular
    # expressions of every pattern these documents reach; a long-running stage worker pays
    # that once. Steady state: the same documents again, every pattern already compiled.
    cpu_started = time.process_time()
    for _ in range(rounds):
        for doc in docs:
            code_text(doc, day)
    warm = time.process_time() - cpu_started
    print(
        f"throughput, steady state (patterns compiled, CPU time): "
        f"{rounds * len(docs) / warm:.1f} articles/s, {rounds * n_sentences / warm:.1f} sentences/s"
    )


def seed_throughput() -> None:
    """The seed article alone: a real wire story, where most sentences have no event."""
    if not SEED.is_file():
        print(f"seed article not found at {SEED}: skipping its throughput")
        return
    text = SEED.read_text(encoding="utf-8")
    day = date(2023, 2, 28)
    code_text(text, day)
    rounds = 200
    cpu_started = time.process_time()
    for _ in range(rounds):
        code_text(text, day)
    cpu = time.process_time() - cpu_started
    print(f"seed article (one process, CPU time): {rounds / cpu:.1f} articles/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--show-errors", type=int, default=0, help="print N mismatching tune-half sentences"
    )
    parser.add_argument("--no-throughput", action="store_true", help="skip the throughput runs")
    args = parser.parse_args()
    started = time.perf_counter()
    load_lexicon()
    print(f"dictionaries loaded in {time.perf_counter() - started:.2f}s")
    items = reference_items() + own_items()
    reports = evaluate(items, args.show_errors)
    _print(reports["report"], "REPORT half (headline: not tuned on)")
    _print(reports["tune"], "TUNE half (errors are only ever shown from this half)")
    conflibert(args.show_errors)
    if not args.no_throughput:
        throughput(items)
        seed_throughput()


if __name__ == "__main__":
    main()
