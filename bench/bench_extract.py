"""Score newswire's extraction against full-text ground truth, next to plain trafilatura.

Pages: ``../shared/corpus/pages/*.html`` whose ``.json`` ground truth holds the *full* article
text (its ``_kind`` says the shape: scrapinghub ``articleBody``, fundus ``body_paragraphs``,
Readability ``expected_text``, newspaper4k ``text``). Kinds that hold only a prefix or the first
words (goose3, postlight) are skipped: they would punish recall for no reason.

Metric: bag-of-words token precision / recall / F1 per page (lower-cased ``\\w+`` tokens, multiset
intersection), as in the article-extraction-benchmark and trafilatura's own evaluation; an empty
extraction scores 0. Mean and median over pages are printed.

    python bench/bench_extract.py            # ours vs plain trafilatura.extract
    python bench/bench_extract.py --explore  # also score option combinations (via extract_page)
    python bench/bench_extract.py --json     # machine-readable
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract import TRAFILATURA_OPTIONS, extract_page  # noqa: E402

PAGES = (ROOT / ".." / "shared" / "corpus" / "pages").resolve()
TOKEN = re.compile(r"\w+", re.UNICODE)

# ground-truth field by _kind prefix; kinds not listed are not full text
FULL_TEXT_KINDS: dict[str, str] = {
    "full-text ground truth (articleBody)": "articleBody",
    "fundus parser expected extraction": "body_paragraphs",
    "Readability.js expected output": "expected_text",
    "newspaper4k expected text": "text",
}


@dataclass
class Page:
    name: str
    url: str
    html: bytes
    truth: str
    kind: str


def ground_truth(meta: dict[str, Any]) -> tuple[str, str] | None:
    """The full reference text and its kind, or None when this page has no full-text truth."""
    kind = str(meta.get("_kind", ""))
    for prefix, key in FULL_TEXT_KINDS.items():
        if kind.startswith(prefix):
            value = meta.get(key)
            if isinstance(value, list):
                value = "\n".join(str(v) for v in value)
            if isinstance(value, str) and value.strip():
                return value, prefix
    return None


def load_pages(folder: Path) -> list[Page]:
    pages = []
    for truth_file in sorted(folder.glob("*.json")):
        html_file = truth_file.with_suffix(".html")
        if not html_file.exists():
            continue
        meta = json.loads(truth_file.read_text(encoding="utf-8"))
        found = ground_truth(meta)
        if found is None:
            continue
        pages.append(
            Page(
                name=html_file.stem,
                url=str(meta.get("url") or f"https://example.org/{html_file.stem}"),
                html=html_file.read_bytes(),
                truth=found[0],
                kind=found[1],
            )
        )
    return pages


def tokens(text: str | None) -> Counter[str]:
    return Counter(t.lower() for t in TOKEN.findall(text or ""))


def score(predicted: str | None, truth: str) -> tuple[float, float, float]:
    pred, gold = tokens(predicted), tokens(truth)
    if not pred or not gold:
        return 0.0, 0.0, 0.0
    common = sum((pred & gold).values())
    precision = common / sum(pred.values())
    recall = common / sum(gold.values())
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return precision, recall, f1


def ours(page: Page) -> str | None:
    return extract_page(page.html, page.url).text


def plain(page: Page) -> str | None:
    return trafilatura.extract(page.html)


def run(name: str, fn: Callable[[Page], str | None], pages: list[Page]) -> dict[str, Any]:
    precisions, recalls, f1s = [], [], []
    empty = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    for page in pages:
        text = fn(page)
        if not text:
            empty += 1
        p, r, f = score(text, page.truth)
        precisions.append(p)
        recalls.append(r)
        f1s.append(f)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    return {
        "name": name,
        "pages": len(pages),
        "empty": empty,
        "precision_mean": statistics.fmean(precisions),
        "recall_mean": statistics.fmean(recalls),
        "f1_mean": statistics.fmean(f1s),
        "precision_median": statistics.median(precisions),
        "recall_median": statistics.median(recalls),
        "f1_median": statistics.median(f1s),
        "seconds": seconds,
        "cpu_ms_per_page": 1000 * cpu_seconds / len(pages),
        "_f1s": f1s,
    }


def variants() -> dict[str, dict[str, Any]]:
    """trafilatura option combinations worth comparing, each run through our extract_page."""
    base = {"include_comments": False}
    return {
        "comments": {},
        "no-comments": base,
        "no-comments,no-tables": {**base, "include_tables": False},
        "precision": {**base, "favor_precision": True},
        "precision,no-tables": {**base, "favor_precision": True, "include_tables": False},
        "precision,fast": {**base, "favor_precision": True, "fast": True},
        "recall": {**base, "favor_recall": True},
        "fast": {**base, "fast": True},
        "recall,fast": {**base, "favor_recall": True, "fast": True},
        "deduplicate": {**base, "deduplicate": True},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--explore", action="store_true", help="also score option combinations")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()

    if not PAGES.is_dir():
        print(
            f"shared corpus not found at {PAGES} (expected ../shared beside the repo); "
            "this benchmark needs it",
            file=sys.stderr,
        )
        return 2
    pages = load_pages(PAGES)
    if args.limit:
        pages = pages[: args.limit]
    kinds = Counter(p.kind for p in pages)

    # warm both paths once (dateparser/htmldate load their tables on first use)
    extract_page(pages[0].html, pages[0].url)
    trafilatura.extract(pages[0].html)

    results = [run("newswire extract_page", ours, pages), run("trafilatura.extract", plain, pages)]
    if args.explore:
        for label, opts in variants().items():
            results.append(
                run(
                    f"ours with {label}",
                    lambda page, o=opts: (
                        extract_page(page.html, page.url, trafilatura_options=o).text
                    ),
                    pages,
                )
            )
    ours_f1, plain_f1 = results[0]["_f1s"], results[1]["_f1s"]
    wins = sum(a > b + 1e-9 for a, b in zip(ours_f1, plain_f1, strict=True))
    losses = sum(b > a + 1e-9 for a, b in zip(ours_f1, plain_f1, strict=True))
    for r in results:
        r.pop("_f1s")

    if args.json:
        print(
            json.dumps(
                {
                    "pages": len(pages),
                    "kinds": dict(kinds),
                    "options": TRAFILATURA_OPTIONS,
                    "results": results,
                    "ours_vs_plain": {"better": wins, "worse": losses},
                },
                indent=2,
            )
        )
        return 0
    print(f"pages with full-text ground truth: {len(pages)}  ({dict(kinds)})")
    print(f"our trafilatura options: {TRAFILATURA_OPTIONS}")
    header = f"{'extractor':34} {'P mean':>7} {'R mean':>7} {'F1 mean':>7} {'P med':>7} "
    header += f"{'R med':>7} {'F1 med':>7} {'empty':>5} {'sec':>6} {'cpu ms/p':>8}"
    print(header)
    for r in results:
        print(
            f"{r['name']:34} {r['precision_mean']:7.3f} {r['recall_mean']:7.3f} "
            f"{r['f1_mean']:7.3f} {r['precision_median']:7.3f} {r['recall_median']:7.3f} "
            f"{r['f1_median']:7.3f} {r['empty']:5d} {r['seconds']:6.1f} "
            f"{r['cpu_ms_per_page']:8.1f}"
        )
    print(f"per page F1, ours vs plain: better on {wins}, worse on {losses}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
