"""The extraction process pool: workers forked with the extractor loaded, dying with their parent.

Fetched bodies are extracted, hashed and compressed in the workers (CPU-bound, one per core),
so the fetching process — event loop, HTTP, database writes — stays light.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime

from pipeline.config import Settings
from pipeline.models import FailureReason
from pipeline.procs import die_with_parent as _die_with_parent
from pipeline.stages.extract.page import Extraction, FeedMeta, extract_page
from pipeline.store.articles import Packed, pack

LOGGER = logging.getLogger(__name__)


# -- the process pool ------------------------------------------------------------------------


def worker_count(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1


def make_pool(settings: Settings) -> ProcessPoolExecutor:
    """A pool for extraction; on Linux workers are forked and inherit the loaded extractor.

    Workers die with the process that started them (see :func:`_die_with_parent`); they are all
    forked here, from the main thread, since PR_SET_PDEATHSIG follows the forking thread.
    """
    context = (
        multiprocessing.get_context("fork")
        if sys.platform.startswith("linux")
        else multiprocessing.get_context()
    )
    pool = ProcessPoolExecutor(
        max_workers=worker_count(settings),
        mp_context=context,
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    )
    # With fork, the first submit starts every worker: do it now, before the event loop starts
    # threads, so children are forked from a quiet process that has trafilatura loaded.
    pool.submit(int).result()
    return pool


def extract_stored(
    body_gzip: bytes,
    url: str,
    *,
    fallback: FeedMeta,
    now: datetime,
    max_skew_hours: float,
    min_year: int,
    content_type: str | None,
) -> Extraction:
    """Decompress a stored page and extract it (runs in a worker, so gunzip uses its core)."""
    return extract_page(
        gzip.decompress(body_gzip),
        url,
        fallback=fallback,
        now=now,
        max_skew_hours=max_skew_hours,
        min_year=min_year,
        content_type=content_type,
    )


def extract_fetched(
    body: bytes,
    url: str,
    *,
    fallback: FeedMeta,
    now: datetime,
    max_skew_hours: float,
    min_year: int,
    content_type: str | None,
    compress: bool = True,
) -> Packed:
    """Extract a fresh page and prepare its stored form (runs in a worker).

    Hashing and compressing here rather than in the fetching process keeps that process (event
    loop, HTTP, database writes) light, so it never starves the extraction workers of bodies.
    """
    extraction = extract_page(
        body,
        url,
        fallback=fallback,
        now=now,
        max_skew_hours=max_skew_hours,
        min_year=min_year,
        content_type=content_type,
    )
    if not compress:  # the server's gzip bytes are stored instead
        return Packed(extraction, hashlib.sha256(body).hexdigest(), b"")
    sha, packed = pack(body)
    return Packed(extraction, sha, packed)


def crashed(exc: BaseException) -> Extraction:
    return Extraction(
        ok=False, failure=FailureReason.INTERNAL, detail=f"{type(exc).__name__}: {exc}"
    )
