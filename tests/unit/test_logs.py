"""The log handler follows ``sys.stderr`` when an in-process runner swaps and closes it."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from pipeline.logs import configure_logging


def test_records_go_to_the_current_stderr_after_the_old_one_was_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    configure_logging("INFO", "json")
    logging.getLogger("newswire.test").info("first record")
    assert "first record" in first.getvalue()
    first.close()  # what CliRunner does with its buffer when an invocation ends

    second = io.StringIO()
    monkeypatch.setattr(sys, "stderr", second)
    errors: list[BaseException | None] = []
    monkeypatch.setattr(
        logging.Handler, "handleError", lambda self, record: errors.append(sys.exc_info()[1])
    )
    logging.getLogger("newswire.test").info("second record")
    assert errors == []
    assert '"event": "second record"' in second.getvalue()
