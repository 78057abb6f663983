"""Snippet test cases for extraction, derived reproducibly from full-text ground truth.

trafilatura's own evaluation scores an extractor per page with two lists written by hand:
"with" snippets that must appear in the output and "without" snippets (navigation, footers,
related links) that must not. A "with" snippet found is a true positive, one missing a false
negative; a "without" snippet found is a false positive, one absent a true negative. Counts
are summed over pages (micro-average) before P = TP / (TP + FP), R = TP / (TP + FN).

Our pages have full-text ground truth but no snippet lists, so they are derived, the same way
for every extractor and every run:

* **with**: sentences of the gold text (split at line breaks and after ``. ! ?`` and their CJK
  forms), 6+ words,
  cut to their first 20 words, that also occur in the page's own text (``trafilatura.html2txt``
  of the page, NFC, spaces collapsed) — a sentence the page does not contain verbatim (the
  gold was typed or normalised differently) could never be found, so it is not a test. Up to
  :data:`WITH_PER_PAGE` are drawn with a seed taken from the page id.
* **without**: the page's leaf text blocks (``p``, ``li``, ``td``, ``h2``–``h6``, leaf
  ``div``/``span``…; ``<br>`` counts as a space; ``script``/``style``/``head`` and the ``h1``
  headline excluded) with 5+ words whose text is not in the gold and shares under 20 % of its
  word 4-grams with it (so a paragraph the gold merely re-punctuated is not one): text of the
  page that is not the article. Cut to their first 20 words; up to :data:`WITHOUT_PER_PAGE`
  drawn with the same seed.

Matching is exact substring matching after collapsing whitespace on both sides; the snippet is
NFC-normalised (as typed text is), the extractor's output is not, so an extractor that leaves
decomposed characters loses matches — as in trafilatura's evaluation.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import trafilatura
from lxml import html as lxml_html

WITH_PER_PAGE = 5
WITHOUT_PER_PAGE = 5
SNIPPET_WORDS = 20
MIN_WITH_WORDS = 6
MIN_WITHOUT_WORDS = 5
MAX_SHARED_GRAMS = 0.2

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"\s*\n\s*|(?<=[.!?])\s+|(?<=[。！？])")
_LEAF_TAGS = frozenset(
    {
        "p", "li", "td", "th", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "figcaption", "caption", "pre", "address", "div", "span", "section", "aside", "nav",
        "footer", "header", "label", "button",
    }
)  # fmt: skip
_BLOCKISH = _LEAF_TAGS | {"ul", "ol", "table", "tr", "tbody", "article", "main", "form", "h1"}
_DROP = ("script", "style", "noscript", "template", "svg", "head", "h1", "title")


@dataclass(frozen=True)
class Snippets:
    """The test cases of one page."""

    with_: tuple[str, ...]
    without: tuple[str, ...]
    # share of the gold's sentences (6+ words) that occur verbatim in the page's text: near 1
    # when the article is on the page, low for a teaser page whose gold is the full story
    on_page: float = 0.0


@dataclass
class SnippetCounts:
    """Micro-average counts; add pages with :meth:`add`."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, output: str | None, snippets: Snippets) -> tuple[int, int, int, int]:
        """Score one output and add it; returns this page's (tp, fn, fp, tn)."""
        text = collapse(output or "")
        tp = sum(s in text for s in snippets.with_)
        fp = sum(s in text for s in snippets.without)
        fn, tn = len(snippets.with_) - tp, len(snippets.without) - fp
        self.tp, self.fn, self.fp, self.tn = self.tp + tp, self.fn + fn, self.fp + fp, self.tn + tn
        return tp, fn, fp, tn

    def prf(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _nfc(text: str) -> str:
    return collapse(unicodedata.normalize("NFC", text))


def _cut(text: str) -> str:
    words = text.split(" ")
    return " ".join(words[:SNIPPET_WORDS])


def _grams(words: list[str], n: int = 4) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def derive(page_id: str, html: bytes, gold: str) -> Snippets:
    """The snippets of one page (deterministic: same inputs, same snippets)."""
    rng = random.Random(int.from_bytes(hashlib.sha256(page_id.encode()).digest()[:8], "big"))
    page_text = _nfc(trafilatura.html2txt(html) or "")
    gold_nfc = _nfc(gold)

    sentences = [collapse(s) for s in _SENTENCE_END.split(unicodedata.normalize("NFC", gold))]
    long_enough = {_cut(s) for s in sentences if len(_WORD.findall(s)) >= MIN_WITH_WORDS}
    candidates = sorted(s for s in long_enough if s in page_text)
    with_ = tuple(sorted(rng.sample(candidates, min(WITH_PER_PAGE, len(candidates)))))

    gold_words = [w.lower() for w in _WORD.findall(gold_nfc)]
    blocks = sorted(_absent_blocks(html, gold_nfc, _grams(gold_words)) - set(with_))
    without = tuple(sorted(rng.sample(blocks, min(WITHOUT_PER_PAGE, len(blocks)))))
    on_page = len(candidates) / len(long_enough) if long_enough else 0.0
    return Snippets(with_=with_, without=without, on_page=on_page)


def _absent_blocks(html: bytes, gold: str, gold_grams: set[tuple[str, ...]]) -> set[str]:
    try:
        root: Any = lxml_html.fromstring(html)
    except (ValueError, TypeError, SyntaxError):
        return set()
    for node in root.xpath("|".join(f"//{tag}" for tag in _DROP)):
        if node.getparent() is not None:
            node.drop_tree()
    for br in root.iter("br"):
        br.tail = " " + (br.tail or "")
    out: set[str] = set()
    for elem in root.iter(*_LEAF_TAGS):
        if any(child.tag in _BLOCKISH for child in elem.iterdescendants()):
            continue
        text = _nfc("".join(elem.itertext()))
        words = [w.lower() for w in _WORD.findall(text)]
        if len(words) < MIN_WITHOUT_WORDS or text in gold:
            continue
        grams = _grams(words)
        if len(grams & gold_grams) < MAX_SHARED_GRAMS * len(grams):
            snippet = _cut(text)
            if snippet not in gold:
                out.add(snippet)
    return out
