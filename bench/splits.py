"""The tuning / report split every benchmark uses.

Figures we publish must come from data we did not tune on. Each labelled record is assigned to
one half by a stable hash of its id, so the split never changes between runs, machines or
Python versions (``hash()`` is salted per process; SHA-256 is not) and adding records never
moves an old one to the other half. Look at errors only on the ``tune`` half; headline the
``report`` half; print both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Literal, TypeVar

Half = Literal["tune", "report"]
HALVES: tuple[Half, Half] = ("tune", "report")

T = TypeVar("T")


def half_of(record_id: str) -> Half:
    """The half a record belongs to: the low bit of the first byte of SHA-256 of its id."""
    digest = hashlib.sha256(record_id.encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "report"


def split(records: Iterable[T], key: Callable[[T], str]) -> dict[Half, list[T]]:
    """Both halves of ``records``, each in input order; ``key`` gives a record's stable id."""
    out: dict[Half, list[T]] = {"tune": [], "report": []}
    for record in records:
        out[half_of(key(record))].append(record)
    return out
