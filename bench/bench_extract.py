"""Score newswire's extraction against full-text ground truth, next to plain trafilatura.

Pages: ``../shared/corpus/pages/*.html`` whose ``.json`` ground truth holds the *full* article
text (its ``_kind`` says the shape: scrapinghub ``articleBody``, fundus ``body_paragraphs``,
Readability ``expected_text``, newspaper4k ``text``). Kinds that hold only a prefix or the first
words (goose3, postlight) are skipped: they would punish recall for no reason. The pages are
split into a *tune* and a *report* half by ``bench/splits.py`` (SHA-256 of the file stem);
figures are printed for both, report half first: it is the headline, errors are examined on the
tune half only.

Two metrics, on the text each extractor would *store* (ours: ``Extraction.text`` when ``ok``):

* **bag of words**: token precision / recall / F1 per page (lower-cased ``\\w+`` tokens, multiset
  intersection), as in the article-extraction-benchmark; an empty extraction scores 0. Mean
  and median over pages.
* **snippets**, trafilatura's evaluation metric: "with" snippets that must appear and "without"
  snippets that must not, micro-averaged P/R/F1 over the pages. The snippets are derived from
  the ground truth and the page (``bench/snippets.py`` says how), the same for every extractor.

Extractors: ours (``extract_page``) and plain ``trafilatura.extract(html_bytes, ...)`` at several
settings. Then, per page, every *regression* of ours against the floor (plain trafilatura with
our options): our text shorter by more than 20 %, or nothing stored while trafilatura found
text, with the reason. And the paywall/blocked false-positive rate on the article pages.

    python bench/bench_extract.py            # both halves, all settings
    python bench/bench_extract.py --json     # machine-readable
    python bench/bench_extract.py --json-out extract.json   # both
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from snippets import SnippetCounts, Snippets, derive  # noqa: E402
from splits import HALVES, Half, half_of  # noqa: E402

from pipeline.models import FailureReason  # noqa: E402
from pipeline.stages.extract.page import TRAFILATURA_OPTIONS, Extraction, decode_html, extract_page  # noqa: E402

PAGES = (ROOT / ".." / "shared" / "corpus" / "pages").resolve()
TOKEN = re.compile(r"\w+", re.UNICODE)
SHORTER_BY = 0.20  # a regression: our text shorter than the floor's by more than this share
# a real article page (for the wall false-positive rate): the gold has this many words and at
# least this share of its sentences occur verbatim in the page's text, i.e. the article is on
# the page (a paywalled teaser page whose gold is the full story is not one; see snippets.py)
ARTICLE_MIN_WORDS = 100
ARTICLE_ON_PAGE = 0.5

# ground-truth field by _kind prefix; kinds not listed are not full text
FULL_TEXT_KINDS: dict[str, str] = {
    "full-text ground truth (articleBody)": "articleBody",
    "fundus parser expected extraction": "body_paragraphs",
    "Readability.js expected output": "expected_text",
    "newspaper4k expected text": "text",
}

# plain trafilatura settings compared; "plain, our options" is the floor of ours
PLAIN_SETTINGS: dict[str, dict[str, Any]] = {
    "plain default": {},
    "plain precision": {"favor_precision": True},
    "plain recall": {"favor_recall": True},
    "plain fast": {"fast": True},
    "plain precision,fast": {"favor_precision": True, "fast": True},
    "plain recall,fast": {"favor_recall": True, "fast": True},
    "plain no-comments": {"include_comments": False},
    "plain precision,no-comments": {"favor_precision": True, "include_comments": False},
    "plain recall,no-comments": {"favor_recall": True, "include_comments": False},
    "plain fast,no-comments": {"fast": True, "include_comments": False},
    "plain precision,fast,no-comments": {
        "favor_precision": True,
        "fast": True,
        "include_comments": False,
    },
    "plain recall,fast,no-comments": {
        "favor_recall": True,
        "fast": True,
        "include_comments": False,
    },
}
FLOOR = "plain, our options"


@dataclass
class Page:
    name: str
    url: str
    html: bytes
    truth: str
    kind: str
    half: Half = "tune"
    snippets: Snippets = field(default_factory=lambda: Snippets((), ()))


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
        html = html_file.read_bytes()
        pages.append(
            Page(
                name=html_file.stem,
                url=str(meta.get("url") or f"https://example.org/{html_file.stem}"),
                html=html,
                truth=found[0],
                kind=found[1],
                half=half_of(html_file.stem),
                snippets=derive(html_file.stem, html, found[0]),
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


@dataclass
class Run:
    """One extractor over all pages: what it would store per page, and its CPU time."""

    name: str
    texts: dict[str, str | None]
    cpu_ms_per_page: float
    results: dict[str, Extraction] = field(default_factory=dict)


def run_extractor(name: str, fn: Callable[[Page], str | None], pages: list[Page]) -> Run:
    texts: dict[str, str | None] = {}
    cpu_started = time.process_time()
    for page in pages:
        texts[page.name] = fn(page)
    cpu = time.process_time() - cpu_started
    return Run(name, texts, 1000 * cpu / max(len(pages), 1))


def _plain(options: dict[str, Any]) -> Callable[[Page], str | None]:
    def extract(page: Page) -> str | None:
        text: str | None = trafilatura.extract(page.html, url=page.url, **options)
        return text

    return extract


def run_ours(pages: list[Page]) -> Run:
    results: dict[str, Extraction] = {}
    cpu_started = time.process_time()
    for page in pages:
        results[page.name] = extract_page(page.html, page.url)
    cpu = time.process_time() - cpu_started
    texts = {name: (r.text if r.ok else None) for name, r in results.items()}
    return Run("newswire extract_page", texts, 1000 * cpu / max(len(pages), 1), results)


def summarise(run: Run, pages: list[Page]) -> dict[str, Any]:
    """Both metrics of one run over one set of pages."""
    p_, r_, f_ = [], [], []
    counts = SnippetCounts()
    empty = 0
    for page in pages:
        text = run.texts[page.name]
        empty += not text
        p, r, f = score(text, page.truth)
        p_.append(p)
        r_.append(r)
        f_.append(f)
        counts.add(text, page.snippets)
    sp, sr, sf = counts.prf()
    return {
        "name": run.name,
        "pages": len(pages),
        "empty": empty,
        "bow_precision_mean": statistics.fmean(p_),
        "bow_recall_mean": statistics.fmean(r_),
        "bow_f1_mean": statistics.fmean(f_),
        "bow_f1_median": statistics.median(f_),
        "snippet_precision": sp,
        "snippet_recall": sr,
        "snippet_f1": sf,
        "snippets": {"tp": counts.tp, "fn": counts.fn, "fp": counts.fp, "tn": counts.tn},
        "cpu_ms_per_page": run.cpu_ms_per_page,
    }


def regressions(ours: Run, floor: Run, pages: list[Page]) -> list[dict[str, Any]]:
    """Pages where ours stores nothing while the floor found text, or > 20 % less text."""
    out = []
    for page in pages:
        mine, theirs = ours.texts[page.name] or "", floor.texts[page.name] or ""
        if not theirs.strip():
            continue
        result = ours.results[page.name]
        if not mine.strip():
            reason = f"nothing stored: {result.failure and result.failure.value}: {result.detail}"
            if page.snippets.on_page < ARTICLE_ON_PAGE:
                reason += f" (the page holds {page.snippets.on_page:.0%} of the gold's sentences)"
        elif len(mine) < (1 - SHORTER_BY) * len(theirs):
            reason = _shorter_reason(page, result)
        else:
            continue
        out.append(
            {
                "page": page.name,
                "ours_chars": len(mine),
                "floor_chars": len(theirs),
                "reason": reason,
                "bow_f1_ours": round(score(mine, page.truth)[2], 3),
                "bow_f1_floor": round(score(theirs, page.truth)[2], 3),
            }
        )
    return out


def _shorter_reason(page: Page, result: Extraction) -> str:
    """Why our text is shorter: our decoding of the page, or something after it."""
    encoding, decoded = decode_html(page.html)
    on_ours = trafilatura.extract(decoded, url=page.url, **TRAFILATURA_OPTIONS) or ""
    if len(on_ours) <= len(result.text or "") * 1.05:
        return f"decoding: we read the page as {encoding}, trafilatura sniffed otherwise"
    return "our layers shortened the text (same decoded input)"


def wall_rates(ours: Run, pages: list[Page]) -> dict[str, Any]:
    """False-positive rate of the paywall/blocked class on real article pages."""
    articles = [
        p
        for p in pages
        if len(p.truth.split()) >= ARTICLE_MIN_WORDS and p.snippets.on_page >= ARTICLE_ON_PAGE
    ]
    blocked = [
        p.name for p in articles if ours.results[p.name].failure == FailureReason.BLOCKED_OR_PAYWALL
    ]
    flagged = [
        p.name for p in articles if ours.results[p.name].ok and ours.results[p.name].wall_marker
    ]
    return {
        "article_pages": len(articles),
        "blocked_or_paywall": blocked,
        "false_positive_rate": len(blocked) / len(articles) if articles else 0.0,
        "flagged_but_kept": flagged,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--json-out", type=Path, help="also write the JSON report to this file")
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
    by_half = {h: [p for p in pages if p.half == h] for h in HALVES}

    # warm both paths once (dateparser/htmldate load their tables on first use)
    extract_page(pages[0].html, pages[0].url)
    trafilatura.extract(pages[0].html)

    ours = run_ours(pages)
    # the same results, counting the teaser a failed wall page keeps on its result (not stored
    # as an article): shows what the wall classification alone costs on the metrics
    teasers = Run(
        "ours, wall teasers counted",
        {n: r.text if r.ok or r.failure == FailureReason.BLOCKED_OR_PAYWALL else None
         for n, r in ours.results.items()},
        ours.cpu_ms_per_page,
    )  # fmt: skip
    settings = {**PLAIN_SETTINGS, FLOOR: dict(TRAFILATURA_OPTIONS)}
    plains = [run_extractor(name, _plain(opts), pages) for name, opts in settings.items()]
    floor = next(r for r in plains if r.name == FLOOR)
    report: dict[str, Any] = {
        "pages": len(pages),
        "kinds": dict(Counter(p.kind for p in pages)),
        "options": TRAFILATURA_OPTIONS,
        "settings": settings,
        "halves": {},
    }
    chosen: dict[str, str] = {}  # the best plain setting per metric, chosen on the tune half
    for half in ("tune", "report"):
        subset = by_half[half]
        rows = [summarise(r, subset) for r in [ours, *plains, teasers]]
        plain_rows = rows[1:-1]
        best_bow = max(plain_rows, key=lambda r: r["bow_f1_mean"])
        best_snip = max(plain_rows, key=lambda r: r["snippet_f1"])
        if half == "tune":
            chosen = {"bow": best_bow["name"], "snippet": best_snip["name"]}
        by_name = {r["name"]: r for r in rows}
        tune_bow, tune_snip = by_name[chosen["bow"]], by_name[chosen["snippet"]]
        report["halves"][half] = {
            "tune_best_plain_bow": chosen["bow"],
            "tune_best_plain_snippet": chosen["snippet"],
            "ours_ge_tune_best_bow": rows[0]["bow_f1_mean"] >= tune_bow["bow_f1_mean"] - 1e-12,
            "ours_ge_tune_best_snippet": rows[0]["snippet_f1"] >= tune_snip["snippet_f1"] - 1e-12,
            "pages": len(subset),
            "snippets": {
                "with": sum(len(p.snippets.with_) for p in subset),
                "without": sum(len(p.snippets.without) for p in subset),
            },
            "results": rows,
            "best_plain_bow": best_bow["name"],
            "best_plain_snippet": best_snip["name"],
            "ours_ge_best_bow": rows[0]["bow_f1_mean"] >= best_bow["bow_f1_mean"] - 1e-12,
            "ours_ge_best_snippet": rows[0]["snippet_f1"] >= best_snip["snippet_f1"] - 1e-12,
            "regressions": regressions(ours, floor, subset),
            "walls": wall_rates(ours, subset),
        }
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    print(f"pages with full-text ground truth: {len(pages)}  {report['kinds']}")
    print(f"our trafilatura options: {TRAFILATURA_OPTIONS}")
    for half in ("report", "tune"):
        _print_half(half, report["halves"][half])
    return 0


def _print_half(half: str, data: dict[str, Any]) -> None:
    title = "REPORT half (headline)" if half == "report" else "TUNE half"
    snips = data["snippets"]
    print(f"\n== {title}: {data['pages']} pages, {snips['with']} with / {snips['without']} "
          "without snippets ==")  # fmt: skip
    print(
        f"{'extractor':32} {'BoW P':>6} {'BoW R':>6} {'BoW F1':>6} {'F1 med':>6} "
        f"{'snip P':>6} {'snip R':>6} {'snip F1':>7} {'empty':>5} {'cpu ms/p':>8}"
    )
    for r in data["results"]:
        print(
            f"{r['name']:32} {r['bow_precision_mean']:6.4f} {r['bow_recall_mean']:6.4f} "
            f"{r['bow_f1_mean']:6.4f} {r['bow_f1_median']:6.4f} {r['snippet_precision']:6.4f} "
            f"{r['snippet_recall']:6.4f} {r['snippet_f1']:7.4f} {r['empty']:5d} "
            f"{r['cpu_ms_per_page']:8.1f}"
        )
    print(
        f"best plain setting chosen on the tune half: bag of words "
        f"{data['tune_best_plain_bow']!r}, snippets {data['tune_best_plain_snippet']!r}; "
        f"ours >= it: {data['ours_ge_tune_best_bow']}, {data['ours_ge_tune_best_snippet']}"
    )
    print(
        f"best plain setting on this half: bag of words {data['best_plain_bow']!r}, snippets "
        f"{data['best_plain_snippet']!r}; ours >= it: {data['ours_ge_best_bow']}, "
        f"{data['ours_ge_best_snippet']}"
    )
    walls = data["walls"]
    print(
        f"blocked_or_paywall on {walls['article_pages']} article pages: "
        f"{len(walls['blocked_or_paywall'])} ({walls['false_positive_rate']:.1%}) "
        f"{walls['blocked_or_paywall']}; flagged but kept: {len(walls['flagged_but_kept'])} "
        f"{walls['flagged_but_kept']}"
    )
    regs = data["regressions"]
    print(f"regressions vs {FLOOR!r} (shorter by > 20 % or nothing stored): {len(regs)}")
    for reg in regs:
        print(
            f"  {reg['page']}: ours {reg['ours_chars']} chars vs {reg['floor_chars']} "
            f"(BoW F1 {reg['bow_f1_ours']} vs {reg['bow_f1_floor']}): {reg['reason']}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
