"""The reliability suite: every test here is marked ``reliability`` and owns its PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from reliability_harness import OwnPostgres


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/reliability/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.reliability)


@pytest.fixture(scope="session")
def own_pg() -> Iterator[OwnPostgres]:
    """A PostgreSQL server in a temp dir that belongs to this session (tests restart it)."""
    pg = OwnPostgres()
    try:
        yield pg
    finally:
        pg.start()  # a test that failed half-way may have left it stopped
        pg.close()
