"""Dedup benchmark: the shared syndication generator at several sizes, plus real same-story pairs.

    .venv/bin/python bench/bench_dedup.py --sizes 1000 10000 50000 --seed 1234

Uses ``../shared/bench/dedup`` (prepare_base.py, make_bench.py, score.py), run from there and never
copied; generated files go to ``bench/out/`` (git-ignored). Each size runs the pipeline's own
incremental dedup (:func:`pipeline.dedup.scratch.run_documents`) in a scratch database on
``NEWSWIRE_DATABASE_URL`` (or the embedded server) and prints: pairwise P/R/F1, recall per
transform, hard-negative false-merge rate per kind, stubs merged, docs/s, the PostgreSQL candidate
lookup p50/p95, and the per-document cost relative to the smallest size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GEN_DIR = SHARED / "bench" / "dedup"
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from pipeline.config import get_settings  # noqa: E402
from pipeline.db import database_url  # noqa: E402
from pipeline.dedup.scratch import Document, parse_documents, run_documents, scratch_database  # noqa: E402
from pipeline.dedup.store import LookupStats  # noqa: E402


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ensure_bench(n: int, seed: int) -> Path:
    base = OUT / "base"
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
                "100",
            ],
            cwd=GEN_DIR,
            check=True,
        )
    gold = OUT / f"bench_n{n}_s{seed}.jsonl"
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
                str(OUT),
            ],
            cwd=GEN_DIR,
            check=True,
        )
    return gold


def run_size(admin_url: str, n: int, seed: int) -> dict[str, float]:
    gold = ensure_bench(n, seed)
    pred = OUT / f"pred_n{n}_s{seed}.jsonl"
    settings = get_settings()
    stats = LookupStats()
    per_doc: list[float] = []
    with (
        scratch_database(admin_url) as engine,
        gold.open(encoding="utf-8") as lines,
        pred.open("w", encoding="utf-8") as sink,
    ):
        started = time.perf_counter()
        last = started
        for record in run_documents(engine, settings, parse_documents(lines), stats=stats):
            sink.write(json.dumps(record) + "\n")
            now = time.perf_counter()
            per_doc.append(now - last)
            last = now
        elapsed = time.perf_counter() - started
    result_path = OUT / f"score_n{n}_s{seed}.json"
    subprocess.run(
        [
            sys.executable,
            "score.py",
            "--gold",
            str(gold),
            "--pred",
            str(pred),
            "--meta",
            str(gold.with_suffix("").with_suffix(".meta.jsonl")),
            "--json",
            str(result_path),
        ],
        cwd=GEN_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    res = json.loads(result_path.read_text())["clusters"]
    pw = res["pairwise"]
    diag = res["diagnostics"]
    ms_doc = 1000.0 * elapsed / n
    tail = per_doc[-1000:]
    print(f"\n== N={n} seed={seed} ==")
    print(
        f"pairwise P={pw['precision']:.4f} R={pw['recall']:.4f} F1={pw['f1']:.4f} "
        f"(B3 F1={res['bcubed']['f1']:.4f}, ARI={res['ari']:.4f})"
    )
    print(
        f"throughput {n / elapsed:.0f} docs/s, {ms_doc:.2f} ms/doc overall, "
        f"{1000.0 * statistics.fmean(tail):.2f} ms/doc over the last {len(tail)} docs"
    )
    print(
        f"PostgreSQL candidate lookup p50={_pct(stats.lookup_ms, 0.5):.2f} ms "
        f"p95={_pct(stats.lookup_ms, 0.95):.2f} ms ({len(stats.lookup_ms)} lookups)"
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
    return {"ms_doc": ms_doc, "tail_ms_doc": 1000.0 * statistics.fmean(tail)}


def run_pairs(admin_url: str) -> None:
    """Which real same-story pairs of the shared corpus get linked (pages extracted as in the
    pipeline)."""
    from pipeline.extract import extract_page

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
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--no-pairs", action="store_true")
    args = ap.parse_args()
    if not GEN_DIR.is_dir():
        print(f"shared benchmark material not found at {GEN_DIR}: nothing to run")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    admin_url = database_url(get_settings())
    results = {n: run_size(admin_url, n, args.seed) for n in args.sizes}
    if len(results) > 1:
        small = min(results)
        print(f"\nper-document cost relative to N={small}:")
        for n, r in sorted(results.items()):
            print(
                f"  N={n}: {r['ms_doc'] / results[small]['ms_doc']:.2f}x overall, "
                f"{r['tail_ms_doc'] / results[small]['tail_ms_doc']:.2f}x over the last 1000 docs"
            )
    if not args.no_pairs:
        run_pairs(admin_url)


if __name__ == "__main__":
    main()
