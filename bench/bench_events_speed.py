"""Event-coder speed: dictionary load cold vs warm, A/B throughput, and an output equivalence dump.

* ``--load``: the lexicon's load time in fresh processes (CPU time): built (cache off), built
  and written to an empty cache directory (cold), then read back from it (warm).
* ``--ab TREE_A TREE_B [--pairs N]``: ``bench_events.py``'s throughput runs (dense worst case,
  steady state, seed article) in fresh processes, alternating the coder of two source trees
  (``PYTHONPATH=<tree>``, e.g. a checkout of main and this worktree), with the load average.
  On a shared machine CPU-time figures are noisy: compare the pairs, not two lone runs.
* ``--ab-rounds TREE_A TREE_B [--rounds N]``: one warm process per tree, steady-state rounds
  of the same documents coded one at a time in each in turn (which goes first alternating):
  both trees see the same contention, so the per-round ratios separate a few percent where
  ``--ab``'s whole processes do not.
* ``--dump FILE``: every event (all fields) and the ``--explain`` trace of every text of the
  bench corpus (the labelled sentences, the ConfliBERT sentences, the extracted English pages
  with and without their date, the dense documents and the seed article) as JSON lines;
  ``--compare A B`` then says how many texts were compared and where two dumps differ. Run the
  dump under two trees to show that a change keeps the coder's output byte for byte.

Third-party data is read in place from ../shared and never copied; without it the dump holds
our own gold sentences only, and says so.

Run: ``.venv/bin/python bench/bench_events_speed.py --load | --ab A B | --ab-rounds A B |
--dump F | --compare A B``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
THROUGHPUT = re.compile(
    r"throughput \(one process, CPU time\): (?P<dense>[\d.]+) articles/s.*?"
    r"steady state \(patterns compiled, CPU time\): (?P<steady>[\d.]+) articles/s.*?"
    r"seed article \(one process, CPU time\): (?P<seed>[\d.]+) articles/s",
    re.DOTALL,
)
_LOAD_SNIPPET = (
    "import time; t = time.process_time(); "
    "from pipeline.stages.events import load_lexicon; i = time.process_time(); load_lexicon(); "
    "print(f'{time.process_time() - i:.3f} {i - t:.3f}')"
)


def _python(code_or_args: list[str], env: dict[str, str]) -> str:
    """Run this interpreter outside the worktree (so PYTHONPATH decides the coder)."""
    done = subprocess.run(
        [sys.executable, *code_or_args],
        env={**os.environ, **env},
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def load_times() -> None:
    """Dictionary load, CPU seconds of a fresh process: no cache, cold cache, warm cache."""
    with tempfile.TemporaryDirectory() as cache:
        runs = [
            ("cache off (build)", "off"),
            ("cold cache (build and write)", cache),
            ("warm cache (read)", cache),
            ("warm cache (read)", cache),
        ]
        for label, where in runs:
            load, imports = _python(["-c", _LOAD_SNIPPET], {"NEWSWIRE_EVENTS_CACHE_DIR": where})[
                :-1
            ].split()
            print(f"{label:<30} load {float(load):.2f}s CPU  (imports before it {imports}s)")
        sizes = [p.stat().st_size for p in Path(cache).glob("lexicon-*.pickle")]
        print(f"cache file: {sum(sizes) / 1e6:.1f} MB, load average {os.getloadavg()[0]:.1f}")


def throughput_only() -> None:
    """bench_events.py's throughput runs, alone (what ``--ab`` starts in each process)."""
    sys.path.insert(0, str(HERE))
    import bench_events

    bench_events.load_lexicon()
    items = bench_events.reference_items() + bench_events.own_items()
    bench_events.throughput(items)
    bench_events.seed_throughput()


def ab(trees: list[Path], pairs: int) -> None:
    """Alternate the two trees' coders, *pairs* times, and print every run and the medians."""
    figures: dict[Path, list[dict[str, float]]] = {t: [] for t in trees}
    for n in range(pairs):
        for tree in trees if n % 2 == 0 else trees[::-1]:
            load = os.getloadavg()[0]
            out = _python([__file__, "--throughput-only"], {"PYTHONPATH": str(tree)})
            found = THROUGHPUT.search(out)
            if found is None:
                raise SystemExit(f"no throughput figures from {tree}:\n{out}")
            run = {k: float(v) for k, v in found.groupdict().items()}
            figures[tree].append(run)
            print(
                f"pair {n + 1} {tree}: dense {run['dense']:.1f}, steady {run['steady']:.1f}, "
                f"seed {run['seed']:.1f} articles/s (load average {load:.1f})",
                flush=True,
            )
    for tree, runs in figures.items():
        med = {k: sorted(r[k] for r in runs)[len(runs) // 2] for k in ("dense", "steady", "seed")}
        print(
            f"median {tree}: dense {med['dense']:.1f}, steady {med['steady']:.1f}, "
            f"seed {med['seed']:.1f} articles/s"
        )


def _round_worker() -> None:
    """One warm coder (``--ab-rounds``' child): per line read, one round of the dense
    documents and the seed article, its CPU seconds printed."""
    sys.path.insert(0, str(HERE))
    import bench_events

    from pipeline.stages.events import code_text

    bench_events.load_lexicon()
    items = bench_events.reference_items() + bench_events.own_items()
    texts = [i.text for i in items]
    docs = [" ".join(texts[k : k + 25]) for k in range(0, len(texts), 25)]
    if bench_events.SEED.is_file():
        docs.append(bench_events.SEED.read_text(encoding="utf-8"))
    day = date(2023, 2, 28)
    for _ in range(2):  # every pattern the documents reach compiled: steady state
        for doc in docs:
            code_text(doc, day)
    print(len(docs), flush=True)
    for _line in sys.stdin:
        started = time.process_time()
        for doc in docs:
            code_text(doc, day)
        print(f"{time.process_time() - started:.6f}", flush=True)


def ab_rounds(trees: list[Path], rounds: int) -> None:
    """A finer A/B than ``--ab`` on a loaded machine: one warm process per tree, steady-state
    rounds (the 25 documents) coded one at a time in each in turn, which goes first
    alternating, so both see the same contention; per-round CPU times, their medians and
    the per-round ratios' median."""
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--round-worker"],
            env={**os.environ, "PYTHONPATH": str(tree)},
            cwd=tempfile.gettempdir(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for tree in trees
    ]
    docs = [p.stdout.readline().strip() for p in procs if p.stdout is not None]
    times: list[list[float]] = [[], []]
    loads = []
    for n in range(rounds):
        loads.append(os.getloadavg()[0])
        for i in (0, 1) if n % 2 == 0 else (1, 0):
            proc = procs[i]
            assert proc.stdin is not None
            assert proc.stdout is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
            times[i].append(float(proc.stdout.readline()))
    for proc in procs:
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait()
    ratios = sorted(a / b for a, b in zip(times[0], times[1], strict=True))
    n_docs = int(docs[0])
    for tree, runs in zip(trees, times, strict=True):
        med = sorted(runs)[len(runs) // 2]
        print(
            f"{tree}: median {med:.3f}s CPU a round of {n_docs} documents "
            f"({n_docs / med:.1f} articles/s), range {min(runs):.3f}-{max(runs):.3f}s"
        )
    ahead = sum(a > b for a, b in zip(times[0], times[1], strict=True))
    print(
        f"ratio first/second per round: median {ratios[len(ratios) // 2]:.3f} "
        f"(range {ratios[0]:.2f}-{ratios[-1]:.2f}); second faster in {ahead} of {rounds} "
        f"rounds; load average {min(loads):.1f}-{max(loads):.1f}"
    )


def _corpus() -> list[tuple[str, str, date | None]]:
    sys.path.insert(0, str(HERE))
    import bench_events
    import bench_events_pages

    items = bench_events.reference_items() + bench_events.own_items()
    texts = [(f"{i.dataset}:{i.id}", i.text, i.day) for i in items]
    conflibert = bench_events.REFERENCE / "conflibert_cameo_class_train.jsonl"
    if conflibert.is_file():
        for rec in bench_events._read_jsonl(conflibert):
            texts.append((f"conflibert:{rec['id']}", str(rec["text"]), None))
    if bench_events_pages.PAGES.is_dir():
        for page in bench_events_pages.load_pages():
            texts.append((f"pages:{page.stem}", page.text, page.day))
            texts.append((f"pages-nodate:{page.stem}", page.text, None))
    else:
        print(f"pages not found at {bench_events_pages.PAGES}: not in the dump", file=sys.stderr)
    day = date(2023, 2, 28)
    sentences = [i.text for i in items]
    for k in range(0, len(sentences), 25):
        texts.append((f"dense:{k}", " ".join(sentences[k : k + 25]), day))
    if bench_events.SEED.is_file():
        texts.append(("seed", bench_events.SEED.read_text(encoding="utf-8"), day))
    return texts


def dump(path: Path) -> None:
    """Events and traces of every corpus text, one JSON line each."""
    from pipeline.stages.events import code_text

    started = time.process_time()
    texts = _corpus()
    n_events = 0
    with path.open("w", encoding="utf-8") as fh:
        for key, text, day in texts:
            trace: list[dict[str, Any]] = []
            events = [dataclasses.asdict(e) for e in code_text(text, day, trace=trace)]
            plain = [dataclasses.asdict(e) for e in code_text(text, day)]
            if plain != events:  # the prefilter (no trace) must not change the events
                raise SystemExit(f"{key}: events differ with and without a trace")
            n_events += len(events)
            record = {"k": key, "events": events, "trace": trace}
            fh.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
    print(
        f"{len(texts)} texts, {n_events} events written to {path} "
        f"({time.process_time() - started:.1f}s CPU)"
    )


def compare(a: Path, b: Path) -> None:
    """How many texts two dumps share, and which differ in events or traces."""
    left = [json.loads(line) for line in a.read_text(encoding="utf-8").splitlines()]
    right = [json.loads(line) for line in b.read_text(encoding="utf-8").splitlines()]
    if [r["k"] for r in left] != [r["k"] for r in right]:
        raise SystemExit("the dumps cover different texts")
    events = [x["k"] for x, y in zip(left, right, strict=True) if x["events"] != y["events"]]
    traces = [x["k"] for x, y in zip(left, right, strict=True) if x["trace"] != y["trace"]]
    n_events = sum(len(x["events"]) for x in left)
    print(
        f"{len(left)} texts ({n_events} events) compared: events differ in {len(events)}, "
        f"traces in {len(traces)}; byte-identical: {a.read_bytes() == b.read_bytes()}"
    )
    for key in (events + traces)[:10]:
        print(f"  differs: {key}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--load", action="store_true", help="dictionary load: cold vs warm")
    group.add_argument("--ab", nargs=2, type=Path, metavar="TREE", help="A/B throughput")
    group.add_argument("--dump", type=Path, metavar="FILE", help="events and traces as JSONL")
    group.add_argument("--compare", nargs=2, type=Path, metavar="DUMP", help="compare dumps")
    group.add_argument(
        "--ab-rounds", nargs=2, type=Path, metavar="TREE", help="A/B of interleaved rounds"
    )
    group.add_argument("--throughput-only", action="store_true", help=argparse.SUPPRESS)
    group.add_argument("--round-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pairs", type=int, default=5, help="A/B pairs (default 5)")
    parser.add_argument("--rounds", type=int, default=20, help="--ab-rounds rounds (default 20)")
    args = parser.parse_args()
    if args.load:
        load_times()
    elif args.ab:
        ab([p.resolve() for p in args.ab], args.pairs)
    elif args.ab_rounds:
        ab_rounds([p.resolve() for p in args.ab_rounds], args.rounds)
    elif args.round_worker:
        _round_worker()
    elif args.dump:
        dump(args.dump)
    elif args.compare:
        compare(*args.compare)
    else:
        throughput_only()


if __name__ == "__main__":
    main()
