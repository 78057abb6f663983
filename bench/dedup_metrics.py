"""Figures the issue-10 dedup bar is stated in, computed from a gold stream, its meta and a run.

``score.py`` of the shared generator gives pairwise P/R/F1, recall per transform and hard-negative
false-merge rates; this module adds what it does not print the way the bar is written:

- recall per **length bucket** of the story (< 100 words, 100-299, 300+; the base story's length,
  so a truncated copy of a brief is still a brief), both pairwise (every gold pair of a cluster in
  the bucket) and variant -> source;
- **fragmentation**: how many predicted stories each gold cluster ends up in, on average over all
  clusters of 2+ copies and over clusters of 20+ copies, and the worst cluster.

Pure standard library, so it scores any prediction file (the pipeline's or another tool's).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

BUCKETS = ("<100w", "100-299w", "300+w")
BIG_CLUSTER = 20


def bucket_of(words: int) -> str:
    """The length bucket of a story of *words* words."""
    return BUCKETS[0] if words < 100 else BUCKETS[1] if words < 300 else BUCKETS[2]


def _c2(n: int) -> int:
    return n * (n - 1) // 2


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every JSON object of a JSON-lines file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def extra_metrics(gold_path: Path, meta_path: Path, pred_path: Path) -> dict[str, Any]:
    """Length-bucket recall and fragmentation of one run (see the module docstring)."""
    gold = {r["id"]: r["cluster_id"] for r in load_jsonl(gold_path)}
    meta = {m["id"]: m for m in load_jsonl(meta_path)}
    pred = {i: f"__single__{i}" for i in gold}
    for r in load_jsonl(pred_path):
        if r["id"] in pred:
            pred[r["id"]] = str(r["pred_cluster"])
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, cluster in gold.items():
        members[cluster].append(doc_id)

    pair_hits: Counter[str] = Counter()
    pair_all: Counter[str] = Counter()
    frag_all: list[int] = []
    frag_big: list[tuple[int, int, str]] = []
    for cluster, docs in members.items():
        if len(docs) < 2:
            continue
        words = meta.get(docs[0], {}).get("base_words")
        split_into = Counter(pred[d] for d in docs)
        frag_all.append(len(split_into))
        if len(docs) >= BIG_CLUSTER:
            frag_big.append((len(split_into), len(docs), cluster))
        if words is None:
            continue
        bucket = bucket_of(int(words))
        pair_all[bucket] += _c2(len(docs))
        pair_hits[bucket] += sum(_c2(v) for v in split_into.values())

    var_hits: Counter[str] = Counter()
    var_all: Counter[str] = Counter()
    for doc_id, m in meta.items():
        source = m.get("source_id")
        if not source or source not in pred or "base_words" not in m:
            continue
        bucket = bucket_of(int(m["base_words"]))
        var_all[bucket] += 1
        var_hits[bucket] += pred[doc_id] == pred[source]

    def _rate(hits: Counter[str], total: Counter[str]) -> dict[str, dict[str, float]]:
        return {
            b: {"recall": round(hits[b] / total[b], 4) if total[b] else float("nan"), "n": total[b]}
            for b in BUCKETS
        }

    worst = max(frag_big, default=(0, 0, ""))
    return {
        "recall_pairwise_by_length": _rate(pair_hits, pair_all),
        "recall_variant_by_length": _rate(var_hits, var_all),
        "stories_per_cluster": round(sum(frag_all) / len(frag_all), 4) if frag_all else 1.0,
        "stories_per_big_cluster": (
            round(sum(f for f, _, _ in frag_big) / len(frag_big), 4) if frag_big else 1.0
        ),
        "big_clusters": len(frag_big),
        "worst_big_cluster": {"stories": worst[0], "copies": worst[1], "cluster": worst[2]},
    }


def run_score(gen_dir: Path, gold: Path, pred: Path, out_json: Path) -> dict[str, Any]:
    """The shared ``score.py`` (run from its own directory, never copied) on one prediction."""
    import subprocess
    import sys

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
            str(out_json),
        ],
        cwd=gen_dir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    clusters: dict[str, Any] = json.loads(out_json.read_text())["clusters"]
    return clusters
