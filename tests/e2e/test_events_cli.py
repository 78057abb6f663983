"""`newswire events` as a user runs it: a subprocess reading a file, stdin or JSON lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

KEYS = {
    "source_text", "source_code", "source_country", "target_text", "target_code",
    "target_country", "cameo_code", "root_code", "quad_class", "goldstein", "modality",
    "event_date", "location_name", "location_country", "sentence_index", "trigger", "start",
    "end", "confidence",
}  # fmt: skip

TEXT = (
    "Belarusian President Alexander Lukashenko arrived in Beijing on Tuesday.\n\n"
    "He will meet Chinese President Xi Jinping.\n"
)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSWIRE_LOG_FORMAT": "console"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "events", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_file_with_date_prints_one_json_object_per_event(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = run(str(path), "--date", "2023-02-28")
    assert result.returncode == 0, result.stderr
    events = lines(result.stdout)
    assert [(e["source_code"], e["cameo_code"], e["target_country"]) for e in events] == [
        ("BLRGOV", "042", "CHN"),
        ("BLRGOV", "036", "CHN"),
        ("CHNGOV", "036", "BLR"),  # a meeting is symmetric: both directions
    ]
    assert all(e.keys() >= KEYS for e in events)
    first = events[0]
    assert (first["event_date"], first["location_name"], first["location_country"]) == (
        "2023-02-28",
        "Beijing",
        "CHN",
    )
    assert TEXT[int(first["start"]) : int(first["end"])].startswith("Belarusian President")  # type: ignore[call-overload]


def test_stdin_when_no_file() -> None:
    result = run("--date", "2024-03-05", stdin="China condemned Japan on Monday.")
    assert result.returncode == 0, result.stderr
    (event,) = lines(result.stdout)
    assert (event["cameo_code"], event["event_date"], event["target_country"]) == (
        "111",
        "2024-03-04",
        "JPN",
    )


def test_jsonl_codes_each_document_on_its_own_with_its_id(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    docs = [
        {"id": "a", "text": "China condemned Japan on Monday.", "date": "2024-03-05"},
        {"id": "b", "text": "The weather was fine.", "date": "2024-03-05"},
        {"id": 7, "text": "He criticised Russia.", "date": None},  # no antecedent from doc a
        {"id": "c", "text": "Iran threatened Israel yesterday.", "date": "2024-03-01"},
    ]
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    result = run("--jsonl", str(path))
    assert result.returncode == 0, result.stderr
    events = lines(result.stdout)
    assert [(e["id"], e["cameo_code"], e["event_date"]) for e in events] == [
        ("a", "111", "2024-03-04"),
        ("c", "130", "2024-02-29"),
    ]


def test_bad_input_gives_clear_errors(tmp_path: Path) -> None:
    bad_date = run("--date", "28/02/2023", stdin="China condemned Japan.")
    assert bad_date.returncode == 2
    assert "not a date" in bad_date.stderr
    missing = run(str(tmp_path / "nope.txt"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": 1, "text": "China condemned Japan."}\nnot json\n', encoding="utf-8")
    partial = run("--jsonl", str(broken))
    assert partial.returncode == 1
    assert "broken.jsonl:2" in partial.stderr
    assert len(lines(partial.stdout)) == 1  # the good line is still coded


def test_pending_runs_the_stage_on_the_configured_database(
    clean_db: Engine, database_url: str
) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from pipeline.models import Article, ArticleStatus

    with Session(clean_db) as session, session.begin():
        session.add(
            Article(
                canonical_url="https://news.example/cli",
                url="https://news.example/cli",
                status=ArticleStatus.EXTRACTED,
                text="China condemned Japan on Monday.",
                published_at=datetime(2024, 3, 5, tzinfo=UTC),
            )
        )
    env = {**os.environ, "NEWSWIRE_DATABASE_URL": database_url, "NEWSWIRE_LOG_FORMAT": "console"}
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "events", "--pending"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    (summary,) = lines(result.stdout)
    assert (summary["articles_coded"], summary["events_written"]) == (1, 1)


def test_explain_prints_actors_patterns_and_decisions() -> None:
    result = run(
        "--date", "2024-03-05", "--explain", stdin="Zelensky urged Russia to agree. She urged."
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "actors: Zelensky (UKRGOV), Russia (RUS)" in out
    assert "verbs.yaml#" in out
    assert "kept: UKRGOV 020 RUS (asserted)" in out
    assert "dropped: no target, and the code needs one" in out  # "She urged."


def test_explain_names_the_gates_reasons_and_skipped_furniture() -> None:
    text = (
        "Senators call for sanctions | Iran attacks Israel | Markets fall\n"
        "Russia did not attack Ukraine. The doctor prescribed the man steroids."
    )
    result = run("--date", "2024-03-05", "--explain", stdin=text)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "skipped: page furniture" in out
    assert "dropped: negated, not an event" in out
    assert "0 events" in out


def test_every_event_names_its_pattern() -> None:
    result = run("--date", "2024-03-05", stdin="China condemned Japan on Monday.")
    (event,) = lines(result.stdout)
    assert str(event["pattern_id"]).startswith("verbs.yaml#")
