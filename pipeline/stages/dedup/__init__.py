"""Deduplication: one story per event, one canonical article per story.

Four levels, cheapest first: the same URL under any of its variants, the same story text, a
near-duplicate (MinHash LSH over word 3-shingles plus a lede index, verified and vetoed), and a
revision (a changed page at the same URL). The index lives in PostgreSQL so every worker shares
it; see ``docs/dedup.md``.
"""

from __future__ import annotations

import logging

from pipeline.stages.dedup.store import (
    DedupOutcome,
    DedupSummary,
    LookupStats,
    dedup_article,
    dedup_pending,
    prune_index,
)

__all__ = [
    "DedupOutcome",
    "DedupSummary",
    "LookupStats",
    "dedup_article",
    "dedup_pending",
    "prune_index",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
