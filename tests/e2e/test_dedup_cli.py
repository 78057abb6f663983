"""`newswire dedup --jsonl FILE`: the pipeline's dedup on a file, in a scratch database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dedup_support import ELECTION, HARBOUR, election_sibling, wrap
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


def _scratch_databases(admin_url: str) -> list[str]:
    engine = create_engine(admin_url, poolclass=NullPool)
    with engine.connect() as conn:
        names = list(
            conn.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE 'newswire_dedup_scratch%'")
            ).scalars()
        )
    engine.dispose()
    return names


def _run(
    tmp_path: Path, admin_url: str, docs: list[dict[str, object]] | str
) -> subprocess.CompletedProcess[str]:
    src = tmp_path / "docs.jsonl"
    if isinstance(docs, str):
        src.write_text(docs, encoding="utf-8")
    else:
        src.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    env = {"NEWSWIRE_DATABASE_URL": admin_url, "NEWSWIRE_LOG_LEVEL": "WARNING", "PATH": ""}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "dedup", "--jsonl", str(src)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_dedup_cli_reports_each_document(tmp_path: Path, pg_admin_url: str) -> None:
    before = _scratch_databases(pg_admin_url)
    docs: list[dict[str, object]] = [
        {
            "id": "orig",
            "url": "https://wire.example/harbour",
            "title": "Ship aground",
            "text": wrap(HARBOUR),
        },
        {
            "id": "amp",
            "url": "http://www.wire.example/amp/harbour?utm_source=rss",
            "title": "Ship aground",
            "text": wrap(HARBOUR),
        },
        {
            "id": "copy",
            "url": "https://daily.example/news/ship",
            "title": "Cargo ship runs aground - report",
            "text": wrap(HARBOUR[:5], dateline="MARLOW BAY (AP) —"),
            "published": "2026-11-20T14:00:00Z",
        },
        {
            "id": "vote",
            "url": "https://wire.example/westmarch",
            "title": "Vote",
            "text": wrap(ELECTION),
        },
        {
            "id": "sibling",
            "url": "https://wire.example/eastvale",
            "title": "Vote",
            "text": wrap(election_sibling()),
        },
        {"id": "empty", "url": "https://empty.example/x", "title": "", "text": ""},
        {
            "id": "rev",
            "url": "https://wire.example/harbour",
            "title": "Ship aground",
            "text": wrap(HARBOUR[:4]),
        },
    ]
    result = _run(tmp_path, pg_admin_url, docs)
    assert result.returncode == 0, result.stderr
    out = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert list(out) == [d["id"] for d in docs]
    # the contract: these fields stay (more may be added, e.g. the story on arrival)
    assert {"id", "pred_cluster", "duplicate_of", "method", "score"} <= set(out["orig"])
    assert out["orig"]["arrival_cluster"] == out["orig"]["pred_cluster"]
    assert out["orig"]["duplicate_of"] is None
    assert (out["amp"]["method"], out["amp"]["duplicate_of"]) == ("url", "orig")
    assert out["copy"]["method"] == "near"
    assert out["copy"]["pred_cluster"] == out["orig"]["pred_cluster"]
    assert out["sibling"]["pred_cluster"] != out["vote"]["pred_cluster"]
    assert out["empty"]["pred_cluster"] not in {out[k]["pred_cluster"] for k in out if k != "empty"}
    assert (out["rev"]["method"], out["rev"]["duplicate_of"]) == ("revision", "orig")
    assert out["rev"]["pred_cluster"] == out["orig"]["pred_cluster"]
    assert _scratch_databases(pg_admin_url) == before  # the scratch database is gone


def test_dedup_cli_rejects_bad_lines_clearly(tmp_path: Path, pg_admin_url: str) -> None:
    before = _scratch_databases(pg_admin_url)
    result = _run(tmp_path, pg_admin_url, '{"id": "a", "text": "x"}\nnot json\n')
    assert result.returncode == 2
    assert "line 2: not JSON" in result.stderr
    assert _scratch_databases(pg_admin_url) == before
