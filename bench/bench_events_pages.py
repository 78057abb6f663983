"""Event-coder precision on whole real articles: the English pages of ../shared/corpus/pages/.

Each page is split by its file stem (``bench/splits.py``, key ``pages:<stem>``); iterate on the
tuning half, judge on the report half. The text comes from
``pipeline.stages.extract.page.extract_page`` (the pipeline's own extraction), is coded with the
page's publication date, and the bench prints:

* per half: pages, events, events per page, the share of events without a target, and how
  many of those have a code that needs one (should be none);
* a random sample (fixed seed) of emitted events with their sentences, for a human to judge;
* with ``bench/data/events_pages_judged.jsonl``: precision over the judged sample. Each
  judgement names the page, the sentence's character offsets and a short hash of the sentence
  (so the bench re-shows the sentence from ../shared without committing page text), the event
  and the label ``right`` / ``partly`` (dyad right, code or target wrong) / ``wrong``.
  Precision counts only the judged events of the current sample: judgements of events the
  coder no longer emits (an earlier round's) and of emitted events outside the sample are
  kept on file but only counted as such; a sampled event without a judgement is printed as
  unjudged.

Third-party pages are read in place and never copied; the bench exits with a message when
../shared is absent. Extraction results are cached in ``var/`` (not committed).

Run: ``.venv/bin/python bench/bench_events_pages.py [--half report|tune] [--sample 60]``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline.stages.events import Event, code_text, load_lexicon
from pipeline.stages.events.coder import allows_no_target

try:  # run as a script (bench/ on sys.path) or as a module
    from judgements import (
        EventKey,
        event_key,
        happened,
        parse_judgements,
        precision,
        sentence_hash,
        sentence_of,
    )
    from judgements import stub as make_stub
    from splits import HALVES, Half, half_of
except ImportError:  # pragma: no cover
    from bench.judgements import (
        EventKey,
        event_key,
        happened,
        parse_judgements,
        precision,
        sentence_hash,
        sentence_of,
    )
    from bench.judgements import stub as make_stub
    from bench.splits import HALVES, Half, half_of

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT.parent / "shared" / "corpus" / "pages"
CACHE = ROOT / "var" / "bench_events_pages.json"
JUDGED = ROOT / "bench" / "data" / "events_pages_judged.jsonl"
SEED = 20261201


@dataclass
class Page:
    """One extracted English page."""

    stem: str
    text: str
    day: date | None


def load_pages() -> list[Page]:
    """Every English page with text, extracted once and cached in var/."""
    if CACHE.is_file():
        cached = json.loads(CACHE.read_text(encoding="utf-8"))
        return [
            Page(c["stem"], c["text"], date.fromisoformat(c["day"]) if c["day"] else None)
            for c in cached
        ]
    from pipeline.stages.extract.page import extract_page

    pages: list[Page] = []
    for html in sorted(PAGES.glob("*.html")):
        meta_path = html.with_suffix(".json")
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        url = str(meta.get("url") or f"https://example.invalid/{html.stem}")
        result = extract_page(html.read_bytes(), url, now=datetime(2030, 1, 1, tzinfo=UTC))
        if not result.ok or not result.text or (result.language or "")[:2] != "en":
            continue
        day = result.published_at.date() if result.published_at else None
        pages.append(Page(html.stem, result.text, day))
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(
        json.dumps(
            [
                {"stem": p.stem, "text": p.text, "day": p.day.isoformat() if p.day else None}
                for p in pages
            ]
        ),
        encoding="utf-8",
    )
    return pages


def read_judgements() -> dict[EventKey, dict[str, object]]:
    """The committed judgements, keyed like :func:`event_key`."""
    if not JUDGED.is_file():
        return {}
    return parse_judgements(JUDGED.read_text(encoding="utf-8").splitlines(), "page")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=HALVES, default="report", help="the half to sample")
    parser.add_argument("--sample", type=int, default=60, help="events to sample for judging")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--emit-template", action="store_true", help="print judgement stubs")
    args = parser.parse_args()
    if not PAGES.is_dir():
        print(f"pages not found at {PAGES}: nothing to measure")
        return 0
    load_lexicon()
    pages = load_pages()
    by_half: dict[Half, list[tuple[Page, Event]]] = {h: [] for h in HALVES}
    page_count: Counter[str] = Counter()
    set_aside: Counter[str] = Counter()  # claimed events: emitted, but no event that happened
    cpu = 0.0
    for page in pages:
        half = half_of(f"pages:{page.stem}")
        page_count[half] += 1
        started = time.process_time()
        events, aside = happened(code_text(page.text, page.day))
        cpu += time.process_time() - started
        set_aside[half] += aside
        by_half[half].extend((page, e) for e in events)
    print(
        f"{len(pages)} English pages; coding CPU time {cpu:.2f}s ({len(pages) / cpu:.0f} pages/s)"
    )
    for half in ("report", "tune"):
        events = [e for _, e in by_half[half]]  # type: ignore[index]
        targetless = [e for e in events if e.target is None]
        bad = [e for e in targetless if not allows_no_target(e.cameo_code)]
        n = len(events)
        print(
            f"{half:<7} pages {page_count[half]:>4} | events {n:>4} "
            f"({n / max(1, page_count[half]):.2f}/page) | without target {len(targetless)} "
            f"({len(targetless) / max(1, n):.1%}), of which with a code that needs one: {len(bad)}"
            + (f" | claimed, set aside {set_aside[half]}" if set_aside[half] else "")
        )
    population = by_half[args.half]
    rng = random.Random(args.seed)
    sample = rng.sample(population, min(args.sample, len(population)))
    judgements = read_judgements()
    labels: Counter[str] = Counter()
    print(f"--- sample of {len(sample)} events from the {args.half} half (seed {args.seed})")
    for page, e in sample:
        s_start, s_end, sentence = sentence_of(page.text, e.trigger_start)
        key = event_key(page.stem, e)
        judged = judgements.get(key)
        label = str(judged["label"]) if judged else "UNJUDGED"
        labels[label] += 1
        print(
            f"[{label}] {page.stem} @{s_start}-{s_end} #{sentence_hash(sentence)} | "
            f"{key[3]} {e.cameo_code} {key[4]} ({e.modality}) trigger {e.trigger!r} "
            f"[{e.pattern_id}]"
        )
        print(f"    {' '.join(sentence.split())[:400]}")
        if args.emit_template and not judged:
            stub = make_stub("page", page.stem, (s_start, s_end, sentence), e)
            print("    JSON " + json.dumps(stub, ensure_ascii=False))
    if labels["right"] + labels["partly"] + labels["wrong"]:
        print(precision(labels, len(sample)))
    if labels["UNJUDGED"]:
        print(f"{labels['UNJUDGED']} sampled events have no judgement yet")
    # Judgements are kept across coder rounds; only those of the current sample count above.
    # Report the rest so that a stale label is never mistaken for a measurement.
    emitted = {event_key(page.stem, e) for h in HALVES for page, e in by_half[h]}
    sampled = {event_key(page.stem, e) for page, e in sample}
    stale = [k for k in judgements if k not in emitted]
    unsampled = [k for k in judgements if k in emitted and k not in sampled]
    in_sample = len(judgements) - len(stale) - len(unsampled)
    print(
        f"judgements on file {len(judgements)}: in this sample {in_sample}, emitted but not "
        f"sampled {len(unsampled)}, no longer emitted {len(stale)} (neither counted)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
