"""The analytic fixed-schedule baseline of ``bench_freshness --airflow`` (report maths only)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from freshness_airflow import fixed_baseline
from freshness_report import pct, publication_lags


def test_fixed_baseline_is_a_uniform_wait_over_the_same_entries() -> None:
    # two feeds, 40 and 1 entries seen by the stream run (their lags do not matter)
    stream = {0: {"stored": [5.0] * 40}, 1: {"stored": [70.0]}}
    fixed = fixed_baseline(stream, minutes=6)
    lags = fixed["feed_lags"][0]["stored"]
    assert len(lags) == 40
    assert len(fixed["feed_lags"][1]["stored"]) == 1
    assert pct(lags, 0.5) == pytest.approx(450, abs=1)
    assert pct(lags, 0.95) == pytest.approx(855, abs=25)
    assert fixed["requests"] == pytest.approx(50 * 6 * 60 / 900)


def test_publication_lags_skip_history_censor_the_unseen_and_scale() -> None:
    base = "http://127.0.0.1:1"
    # feed 0: one article before the start (history), one seen, one never seen
    timelines = [[-30.0, 10.0, 50.0]]
    rows = [(f"{base}/a/0/1", 1015.0, 1020.0, None)]
    lags, missed = publication_lags(rows, timelines, 1000.0, base, minutes=1, end=1070.0)
    assert missed == 1
    assert lags[0]["discovered"] == [5.0, 20.0]
    assert lags[0]["stored"] == [10.0, 20.0]
    assert lags[0]["coded"] == [60.0, 20.0]  # not coded by the end: censored at the end
    scaled, _ = publication_lags(rows, timelines, 1000.0, base, minutes=1, end=1070.0, scale=10)
    assert scaled[0]["stored"] == [100.0, 200.0]
