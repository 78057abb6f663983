"""Event-coder precision on real feed items: the English RSS/Atom items of ../shared/corpus/.

The pages bench (``bench_events_pages.py``) was tuned on for several rounds, so its tune half no
longer shows the errors unseen text makes; feed items are a second, fresh set of real news
text. Each item of ``../shared/corpus/feeds/`` and ``feeds_edge/`` is parsed by the pipeline's
own feed parser (``pipeline.stages.feeds.parsing.parse_feed``: HTML stripped, entities decoded,
whitespace collapsed), and its coding text is the title and the summary as one document (the
pipeline codes no feed item itself; title and summary are what a reader of the feed sees), with
a full stop after the title unless it already ends a sentence, so the headline is a sentence of
its own. The item's date is its feed date.

Only English items are coded: a feed that declares its language (``<language>``,
``xml:lang``) is taken at its word; an undeclared one counts as English when English function
words are a fair share of its words (German, French and Ukrainian feeds in the corpus declare
nothing). The same item text often appears in several files (a re-polled snapshot, a fixture
copied into an edge-case feed): each text is coded once, where it first appears (``feeds/``
before ``feeds_edge/``, files in name order), so no text sits in both halves.

Items are split by ``half_of("feeditem:<feed file name>:<entry id or link>")``. Per half the
bench prints items, events and the share without a target; for the chosen half (``tune`` by
default) every event with its sentence, and precision against
``bench/data/events_feeds_judged.jsonl`` (record shape of ``events_pages_judged.jsonl`` with an
``item`` key instead of ``page``; labels right / partly / wrong). Never run ``--half report``
unless you are the report half's independent judge.

Third-party feeds are read in place and never copied; the bench exits with a message when
../shared is absent.

Run: ``.venv/bin/python bench/bench_events_feeds.py [--half tune] [--emit-template]``
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the pipeline package sits one level up
    sys.path.insert(0, str(ROOT))

from pipeline.config import get_settings  # noqa: E402
from pipeline.stages.events import Event, code_text, load_lexicon  # noqa: E402
from pipeline.stages.feeds.parsing import parse_feed  # noqa: E402

try:  # run as a script (bench/ on sys.path) or as a module
    from judgements import (
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
        event_key,
        happened,
        parse_judgements,
        precision,
        sentence_hash,
        sentence_of,
    )
    from bench.judgements import stub as make_stub
    from bench.splits import HALVES, Half, half_of

CORPUS = ROOT.parent / "shared" / "corpus"
FEED_DIRS = ("feeds", "feeds_edge")
JUDGED = ROOT / "bench" / "data" / "events_feeds_judged.jsonl"

# the commonest English function words: 20-34% of the words of the corpus's English feeds,
# under 10% in its Spanish, German, Italian, French and Portuguese ones (which share "a", "in")
_ENGLISH_WORDS = frozenset(
    re.findall(
        r"\w+",
        "the of and to in a is for on with that by as at from it was are be has have this an "
        "after over his her their its who says said will not but",
    )
)
_ENGLISH_SHARE = 0.15
_WORD = re.compile(r"[^\W\d_]+")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)]*$")


@dataclass(frozen=True)
class Item:
    """One English feed item as the coder sees it."""

    feed: str
    entry_id: str
    text: str
    day: date | None

    @property
    def key(self) -> str:
        """The item's name in judgements: feed file and entry id (no item text)."""
        return f"{self.feed}:{self.entry_id}"

    @property
    def half(self) -> Half:
        return half_of(f"feeditem:{self.key}")


def coding_text(title: str | None, summary: str | None) -> str:
    """Title and summary as one document; the title ends with a full stop if it has none."""
    title = (title or "").strip()
    summary = (summary or "").strip()
    if summary.startswith(title) and title:
        title = ""  # a summary that repeats the title would code its sentence twice
    if title and summary:
        return title + (" " if _ENDS_SENTENCE.search(title) else ". ") + summary
    return title or summary


def declared_english(language: str | None) -> bool | None:
    """True / False for a declared language, None when the feed declares none."""
    value = (language or "").strip().lower()
    if not value:
        return None
    return value[:2] == "en" and (len(value) == 2 or value[2] in "-_")


def looks_english(texts: Iterable[str]) -> bool:
    """Whether English function words are a fair share of the words of *texts*."""
    words = [w.lower() for text in texts for w in _WORD.findall(text)]
    if not words:
        return False
    return sum(w in _ENGLISH_WORDS for w in words) / len(words) >= _ENGLISH_SHARE


def _feed_language(body: bytes) -> str | None:
    """The channel's declared language (parse_feed keeps entries only)."""
    import feedparser

    # a stream, as parse_feed does: feedparser would open a bytes body that names a file
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    channel = parsed.get("feed") or {}
    return channel.get("language") or None


def load_items(corpus: Path = CORPUS) -> tuple[list[Item], Counter[str]]:
    """Every English item, each text once; and counts of what was left out and why."""
    settings = get_settings()
    now = datetime(2030, 1, 1, tzinfo=UTC)
    items: list[Item] = []
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    for folder in FEED_DIRS:
        for path in sorted((corpus / folder).glob("*")):
            if not path.is_file():
                continue
            body = path.read_bytes()
            url = f"https://example.invalid/{folder}/{path.name}"
            parsed = parse_feed(body, url, settings, now=now)
            texts = [coding_text(e.title, e.summary) for e in parsed.entries]
            english = declared_english(_feed_language(body))
            if english is None:
                english = looks_english(texts)
            if not english:
                skipped["not English"] += len(texts)
                continue
            for entry, text in zip(parsed.entries, texts, strict=True):
                if not text:
                    skipped["no text"] += 1
                elif text in seen:
                    skipped["text seen in an earlier item"] += 1
                else:
                    seen.add(text)
                    day = entry.published_at.date() if entry.published_at else None
                    items.append(Item(path.name, entry.guid or entry.link, text, day))
    return items, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--half", choices=HALVES, default="tune", help="the half whose events are shown"
    )
    parser.add_argument("--emit-template", action="store_true", help="print judgement stubs")
    args = parser.parse_args()
    if not all((CORPUS / d).is_dir() for d in FEED_DIRS):
        print(f"feeds not found under {CORPUS}: nothing to measure")
        return 0
    load_lexicon()
    items, skipped = load_items()
    judgements = (
        parse_judgements(JUDGED.read_text(encoding="utf-8").splitlines(), "item")
        if JUDGED.is_file()
        else {}
    )
    by_half: dict[Half, list[tuple[Item, Event]]] = {h: [] for h in HALVES}
    item_count: Counter[str] = Counter()
    set_aside: Counter[str] = Counter()  # claimed events: emitted, but no event that happened
    for item in items:
        item_count[item.half] += 1
        events, aside = happened(code_text(item.text, item.day))
        set_aside[item.half] += aside
        by_half[item.half].extend((item, e) for e in events)
    left_out = ", ".join(f"{why} {n}" for why, n in sorted(skipped.items()))
    print(f"{len(items)} English feed items coded (left out: {left_out or 'none'})")
    for half in ("report", "tune"):
        events = by_half[half]  # type: ignore[index]
        targetless = sum(e.target is None for _, e in events)
        labels = Counter(
            str(judgements[k]["label"]) if k in judgements else "UNJUDGED"
            for k in (event_key(i.key, e) for i, e in events)
        )
        print(
            f"{half:<7} items {item_count[half]:>4} | events {len(events):>3} | without target "
            f"{targetless} ({targetless / max(1, len(events)):.1%}) | {precision(labels)}"
            + (f", unjudged {labels['UNJUDGED']}" if labels["UNJUDGED"] else "")
            + (f" | claimed, set aside {set_aside[half]}" if set_aside[half] else "")
        )
    print(f"--- every event of the {args.half} half")
    for item, e in by_half[args.half]:
        s_start, s_end, sentence = sentence_of(item.text, e.trigger_start)
        key = event_key(item.key, e)
        judged = judgements.get(key)
        label = str(judged["label"]) if judged else "UNJUDGED"
        print(
            f"[{label}] {item.key} @{s_start}-{s_end} #{sentence_hash(sentence)} | "
            f"{key[3]} {e.cameo_code} {key[4]} ({e.modality}) trigger {e.trigger!r} "
            f"[{e.pattern_id}]"
        )
        print(f"    {' '.join(sentence.split())[:400]}")
        if judged and judged.get("note"):
            print(f"    note: {judged['note']}")
        if args.emit_template and not judged:
            stub = make_stub("item", item.key, (s_start, s_end, sentence), e)
            stub["half"] = args.half
            print("    JSON " + json.dumps(stub, ensure_ascii=False))
    emitted = {event_key(i.key, e) for h in HALVES for i, e in by_half[h]}
    stale = sum(k not in emitted for k in judgements)
    print(f"judgements on file {len(judgements)}; of events no longer emitted {stale}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
