"""Deadlock retry: the one copy every stage that writes shared rows goes through.

Pollers, fetchers and the dedup touch the same article rows in different orders (by URL, by
id); PostgreSQL resolves the rare cycle by aborting one side, which then simply runs again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from psycopg.errors import DeadlockDetected, SerializationFailure
from sqlalchemy.exc import OperationalError

LOGGER = logging.getLogger(__name__)

_T = TypeVar("_T")
DEADLOCK_RETRIES = 3


def is_retryable(exc: BaseException) -> bool:
    """True for a deadlock victim or a serialization failure (the transaction can just rerun)."""
    return isinstance(exc, OperationalError) and isinstance(
        exc.orig, DeadlockDetected | SerializationFailure
    )


def retry_on_deadlock(work: Callable[[], _T], what: str) -> _T:
    """Run a transaction, retrying it when PostgreSQL picks it as a deadlock victim."""
    for attempt in range(1, DEADLOCK_RETRIES + 1):
        try:
            return work()
        except OperationalError as exc:
            if not is_retryable(exc) or attempt == DEADLOCK_RETRIES:
                raise
            LOGGER.warning("%s: %s, retrying (attempt %s)", what, type(exc.orig).__name__, attempt)
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover
