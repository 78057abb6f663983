"""Dedup benchmark: the shared syndication generator at several sizes and seeds, plus real pairs.

    .venv/bin/python bench/bench_dedup.py --runs 10000:101 10000:202 10000:303 --tune-seeds 101
    .venv/bin/python bench/bench_dedup.py --runs 1000:202 50000:202 --no-pairs   # cost per doc

Uses ``../shared/bench/dedup`` (prepare_base.py, make_bench.py, score.py), run from there and never
copied; base texts (``--min-words 40`` by default, so agency briefs are among them) and generated
streams go to ``--data`` (default ``bench/out/``, git-ignored). Each run feeds the pipeline's own
incremental dedup (:func:`devtools.scratch.run_documents`) in a scratch database on
``NEWSWIRE_DATABASE_URL`` (or the embedded server) and prints: pairwise P/R/F1, recall per
transform and per length bucket of the story, hard-negative false-merge rate per kind, stubs
merged, stories per gold cluster (fragmentation; clusters of 20+ copies apart), docs/s, the
PostgreSQL candidate lookup p50/p95, and the per-document cost relative to the smallest size.

Evaluation honesty: seeds named by ``--tune-seeds`` are the tuning half (look at their errors);
every other seed is the report half, headlined in the summary. ``--pred-dir`` scores prediction
files written earlier (``pred_n{N}_s{SEED}.jsonl``, e.g. by another revision of the code) instead
of running the pipeline, so a baseline is scored by exactly the same code.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GEN_DIR = SHARED / "bench" / "dedup"
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from dedup_metrics import BIG_CLUSTER, BUCKETS, extra_metrics, run_score  # noqa: E402

from devtools.scratch import Document, parse_documents, run_documents, scratch_database  # noqa: E402
from pipeline.config import get_settings  # noqa: E402
from pipeline.db import database_url  # noqa: E402
from pipeline.stages.dedup.store import LookupStats  # noqa: E402


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ensure_bench(data: Path, n: int, seed: int, min_words: int) -> Path:
    base = data / f"base_w{min_words}"
    if not base.is_dir() or not any(base.glob("*.txt")):
        subprocess.run(
            [
                sys.executable,
                "prepare_base.py",
                "--html-dir",
                "../../corpus/pages",
                "--out",
                str(base),
                "--min-words",
                str(min_words),
            ],
            cwd=GEN_DIR,
            check=True,
        )
    gold = data / f"bench_n{n}_s{seed}.jsonl"
    if not gold.exists():
        subprocess.run(
            [
                sys.executable,
                "make_bench.py",
                "--base-dir",
                str(base),
                "--n",
                str(n),
                "--seed",
                str(seed),
                "--out",
                str(data),
            ],
            cwd=GEN_DIR,
            check=True,
        )
    return gold


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _progress(stats: LookupStats, n: int, started: float) -> threading.Event:
    """Print the cost so far every minute (a long run on a loaded machine may be cut short)."""
    stop = threading.Event()

    def report() -> None:
        while not stop.wait(60.0):
            done = list(stats.doc_ms)
            if done:
                tail = done[-1000:]
                print(
                    f"  progress N={n}: {len(done)} docs in {time.perf_counter() - started:.0f} s, "
                    f"{statistics.fmean(tail):.2f} ms/doc over the last {len(tail)}, "
                    f"load {_load()}",
                    flush=True,
                )

    threading.Thread(target=report, daemon=True).start()
    return stop


def run_one(
    admin_url: str, data: Path, n: int, seed: int, min_words: int, pred_dir: Path | None
) -> dict[str, Any]:
    """Run (or, with *pred_dir*, only score) one stream; print its block; return its figures."""
    gold = ensure_bench(data, n, seed, min_words)
    stats = LookupStats()
    per_doc: list[float] = []
    elapsed = float("nan")
    load_before = _load()
    if pred_dir is not None:
        pred = pred_dir / f"pred_n{n}_s{seed}.jsonl"
    else:
        pred = data / f"pred_n{n}_s{seed}.jsonl"
        with (
            scratch_database(admin_url) as engine,
            gold.open(encoding="utf-8") as lines,
            pred.open("w", encoding="utf-8") as sink,
        ):
            started = time.perf_counter()
            stop = _progress(stats, n, started)
            for record in run_documents(
                engine, get_settings(), parse_documents(lines), stats=stats
            ):
                sink.write(json.dumps(record) + "\n")
            elapsed = time.perf_counter() - started
            stop.set()
        per_doc = [ms / 1000.0 for ms in stats.doc_ms]
    res = run_score(GEN_DIR, gold, pred, pred.with_name(f"score_n{n}_s{seed}.json"))
    extra = extra_metrics(gold, gold.with_suffix("").with_suffix(".meta.jsonl"), pred)
    pw = res["pairwise"]
    diag = res["diagnostics"]
    print(f"\n== N={n} seed={seed} ==")
    print(
        f"pairwise P={pw['precision']:.4f} R={pw['recall']:.4f} F1={pw['f1']:.4f} "
        f"(B3 F1={res['bcubed']['f1']:.4f}, ARI={res['ari']:.4f})"
    )
    if per_doc:
        tail = per_doc[-1000:]
        print(
            f"throughput {n / elapsed:.0f} docs/s, {1000.0 * elapsed / n:.2f} ms/doc overall, "
            f"{1000.0 * statistics.fmean(tail):.2f} ms/doc over the last {len(tail)} docs "
            f"(load average {load_before} before, {_load()} after)"
        )
        print(
            f"PostgreSQL candidate lookup p50={_pct(stats.lookup_ms, 0.5):.2f} ms "
            f"p95={_pct(stats.lookup_ms, 0.95):.2f} ms ({len(stats.lookup_ms)} lookups)"
        )
    print("recall per length bucket of the story (pairwise | variant -> source):")
    for b in BUCKETS:
        pb, vb = extra["recall_pairwise_by_length"][b], extra["recall_variant_by_length"][b]
        print(
            f"  {b:9s} {pb['recall']:.4f} ({pb['n']} pairs) | "
            f"{vb['recall']:.4f} ({vb['n']} variants)"
        )
    print(
        f"stories per gold cluster: {extra['stories_per_cluster']:.3f} (clusters of 2+), "
        f"{extra['stories_per_big_cluster']:.3f} ({extra['big_clusters']} clusters of "
        f"{BIG_CLUSTER}+); worst {extra['worst_big_cluster']}"
    )
    print("recall per transform:")
    for name, v in diag["recall_by_transform"].items():
        print(f"  {name:24s} {v['recall']:.4f} ({v['pairs']} pairs)")
    print("hard-negative false-merge rate:")
    for name, v in diag["hardneg_false_merge_rate"].items():
        print(f"  {name:28s} {v['rate']:.4f} ({v['pairs']} pairs)")
    stubs = diag["stubs_merged"]
    print(f"paywall stubs merged: {stubs['merged']} of {stubs['stubs']}")
    print(f"false-positive pairs by roles: {diag['false_positive_pairs_by_roles']}")
    hard = diag["hardneg_false_merge_rate"].get("ALL", {"rate": float("nan")})
    return {
        "n": n,
        "seed": seed,
        "P": pw["precision"],
        "R": pw["recall"],
        "F1": pw["f1"],
        "tp": pw["tp"],
        "fp": pw["fp"],
        "fn": pw["fn"],
        "brief_R": extra["recall_pairwise_by_length"]["<100w"]["recall"],
        "brief_var_R": extra["recall_variant_by_length"]["<100w"]["recall"],
        "frag_big": extra["stories_per_big_cluster"],
        "hardneg": hard["rate"],
        "docs_s": n / elapsed if per_doc else float("nan"),
        "ms_doc": 1000.0 * elapsed / n if per_doc else float("nan"),
        "tail_ms_doc": 1000.0 * statistics.fmean(per_doc[-1000:]) if per_doc else float("nan"),
    }


def summary(results: list[dict[str, Any]], tune_seeds: set[int]) -> None:
    """One line per run, the report half first (the headline), then the tuning half."""
    for half in ("report", "tune"):
        rows = [r for r in results if (r["seed"] in tune_seeds) == (half == "tune")]
        if not rows:
            continue
        print(f"\n{half} half ({'headline' if half == 'report' else 'errors looked at'}):")
        print(
            "  N      seed  P       R       F1      R<100w  (var)   stories/cluster20+  "
            "hard-neg  docs/s  ms/doc"
        )
        for r in rows:
            print(
                f"  {r['n']:<6d} {r['seed']:<5d} {r['P']:.4f}  {r['R']:.4f}  {r['F1']:.4f}  "
                f"{r['brief_R']:.4f}  {r['brief_var_R']:.4f}  {r['frag_big']:<18.3f}  "
                f"{r['hardneg']:.4f}    {r['docs_s']:<6.0f}  {r['ms_doc']:.2f}"
            )


def run_pairs(admin_url: str) -> None:
    """Which real same-story pairs of the shared corpus get linked (pages extracted as in the
    pipeline)."""
    from pipeline.stages.extract.page import extract_page

    tsv = SHARED / "corpus" / "pairs" / "in_corpus_same_story_pairs.tsv"
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()[1:] if line]
    pages: dict[str, str] = {}
    for r in rows:
        pages.setdefault(r[3], r[5])
        pages.setdefault(r[4], r[6])
    docs = []
    for page, url in pages.items():
        extraction = extract_page((SHARED / "corpus" / page).read_bytes(), url)
        docs.append(Document(page, url, extraction.title, extraction.text or "", None))
    # two exact-duplicate pages share a URL: give each its own article so text decides
    seen: set[str] = set()
    unique_docs = []
    for d in docs:
        url = (
            d.url if d.url not in seen else d.url + ("&" if "?" in d.url else "?") + "copy=" + d.id
        )
        seen.add(d.url)
        unique_docs.append(Document(d.id, url, d.title, d.text, None))
    with scratch_database(admin_url) as engine:
        out = {r["id"]: r for r in run_documents(engine, get_settings(), unique_docs)}
    print("\n== in-corpus same-story pairs ==")
    linked: dict[str, list[int]] = {}
    for r in rows:
        a, b = out[r[3]], out[r[4]]
        same = a["pred_cluster"] == b["pred_cluster"]
        linked.setdefault(r[1], [0, 0])
        linked[r[1]][0] += same
        linked[r[1]][1] += 1
        method = b["method"] if same else "-"
        print(
            f"  {r[0]} {r[1]:16s} {'LINKED' if same else 'apart ':6s} {method or '':5s} "
            f"tri-containment={r[7]} {r[3]} ~ {r[4]}"
        )
    for rel, (hit, total) in linked.items():
        print(f"  {rel}: {hit}/{total} linked")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--runs",
        nargs="+",
        default=["10000:101", "10000:202", "10000:303"],
        help="N:SEED streams to run, in order (default: the three 10k seeds)",
    )
    ap.add_argument("--tune-seeds", type=int, nargs="*", default=[101])
    ap.add_argument("--min-words", type=int, default=40, help="prepare_base.py --min-words")
    ap.add_argument("--data", type=Path, default=OUT, help="generated data (never in git)")
    ap.add_argument("--pred-dir", type=Path, help="score pred_n{N}_s{SEED}.jsonl found here")
    ap.add_argument("--no-pairs", action="store_true")
    args = ap.parse_args()
    if not GEN_DIR.is_dir():
        print(f"shared benchmark material not found at {GEN_DIR}: nothing to run")
        return
    args.data.mkdir(parents=True, exist_ok=True)
    admin_url = database_url(get_settings())
    jobs = [tuple(int(x) for x in run.split(":")) for run in args.runs]
    results = [
        run_one(admin_url, args.data, n, seed, args.min_words, args.pred_dir) for n, seed in jobs
    ]
    summary(results, set(args.tune_seeds))
    timed = [r for r in results if r["ms_doc"] == r["ms_doc"]]
    if len({r["n"] for r in timed}) > 1:
        small = min(timed, key=lambda r: r["n"])
        print(f"\nper-document cost relative to N={small['n']} (same run, shared machine):")
        for r in sorted(timed, key=lambda r: (r["n"], r["seed"])):
            print(
                f"  N={r['n']} seed={r['seed']}: {r['ms_doc'] / small['ms_doc']:.2f}x overall, "
                f"{r['tail_ms_doc'] / small['tail_ms_doc']:.2f}x over the last 1000 docs"
            )
    if not args.no_pairs and args.pred_dir is None:
        run_pairs(admin_url)


if __name__ == "__main__":
    main()
