"""`newswire extract` run as a real subprocess over the fixture pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"


def newswire(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSWIRE_LOG_FORMAT": "json"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )


def lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_extract_many_files_in_order_with_error_objects(tmp_path: Path) -> None:
    names = ["meta_date.html", "paywall.html", "windows_1252.html", "report.pdf", "empty.html"]
    files = [str(PAGES / n) for n in names] + [str(tmp_path / "missing.html")]
    proc = newswire("extract", *files, "--json", "--workers", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    objs = lines(proc.stdout)
    assert [o["file"] for o in objs] == files  # input order, one object per file

    article = objs[0]
    assert set(article) >= {
        "file", "url", "title", "authors", "published", "language", "sitename", "text",
    }  # fmt: skip
    assert article["title"] == "Norland and Vastria agree to reopen border talks"
    assert article["authors"] == ["Clara Voss"]
    assert article["published"] == "2026-02-24T14:05:00+00:00"
    assert article["language"] == "en"
    assert article["sitename"] == "Meridian Wire"
    assert "eleven fishermen" in article["text"]
    assert article["url"].startswith("file://")
    assert "error" not in article

    assert "Amélie Dupré" in objs[2]["text"]  # decoded from Windows-1252, printed as UTF-8

    reasons = {o["file"]: o.get("reason") for o in objs if "error" in o}
    assert reasons == {
        files[1]: "blocked_or_paywall",
        files[3]: "not_html",
        files[4]: "empty_extraction",
        files[5]: "missing_file",
    }
    assert all(o["error"] for o in objs if "error" in o)


def test_extract_single_file_with_url(tmp_path: Path) -> None:
    url = "https://meridian.example/world/norland-vastria-talks"
    proc = newswire("extract", str(PAGES / "no_date.html"), "--url", url, "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (obj,) = lines(proc.stdout)
    assert obj["url"] == url
    assert obj["title"] == "Regional bloc names envoy for Kivara peace talks"
    assert obj["published"] is None  # no date on the page, no feed to fall back on


def test_extract_human_output(tmp_path: Path) -> None:
    proc = newswire(
        "extract", str(PAGES / "meta_date.html"), str(PAGES / "report.pdf"), cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "Norland and Vastria agree to reopen border talks" in proc.stdout
    assert "not_html" in proc.stdout


def test_url_with_several_files_is_a_usage_error(tmp_path: Path) -> None:
    proc = newswire(
        "extract", str(PAGES / "meta_date.html"), str(PAGES / "empty.html"),
        "--url", "https://x.example/", "--json", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "--url" in proc.stderr
    assert proc.stdout == ""


def test_no_files_is_a_usage_error(tmp_path: Path) -> None:
    proc = newswire("extract", "--json", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Missing argument" in proc.stderr
    assert "FILE" in proc.stderr


def test_flagged_article_prints_its_text_and_the_wall_marker(tmp_path: Path) -> None:
    # an added field: the object keeps every field it had, plus wall_marker
    names = ["subscriber_newsletter.html", "meta_date.html"]
    proc = newswire("extract", *[str(PAGES / n) for n in names], "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    flagged, clean = lines(proc.stdout)
    assert "error" not in flagged
    assert "fewer than half of the city's target" in flagged["text"]
    assert flagged["wall_marker"] == "Already a subscriber?"
    assert clean["wall_marker"] is None
    assert set(clean) >= {
        "file", "url", "title", "authors", "published", "date_source", "language", "sitename",
        "word_count", "text",
    }  # fmt: skip
