"""sql/README.md is the views' contract: every view documented, every documented column live
with its documented type, and nothing live left undocumented."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, text

from pipeline.store.views import load_views

_HEADING = re.compile(r"^### `([a-z_0-9]+)`\s*$", re.MULTILINE)
_ROW = re.compile(r"^\| `([a-z_0-9]+)` \| ([a-z0-9 \[\]]+) \| .+ \|\s*$", re.MULTILINE)


def documented(readme: Path) -> dict[str, list[tuple[str, str]]]:
    """View name -> [(column, type)] from the README's per-view tables."""
    source = readme.read_text(encoding="utf-8")
    parts = _HEADING.split(source)
    return {
        parts[i]: [(c, t.strip()) for c, t in _ROW.findall(parts[i + 1])]
        for i in range(1, len(parts), 2)
    }


def normalise(pg_type: str) -> str:
    """PostgreSQL's format_type() in the README's spelling."""
    base = re.sub(r"\(.*?\)", "", pg_type)
    return {
        "character varying": "text",
        "character varying[]": "text[]",
        "timestamp with time zone": "timestamptz",
    }.get(base, base)


def live(engine: Engine, name: str) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                "WHERE a.attrelid = CAST(:n AS regclass) AND a.attnum > 0 "
                "AND NOT a.attisdropped ORDER BY a.attnum"
            ),
            {"n": name},
        )
        return [(str(c), normalise(str(t))) for c, t in rows]


def test_every_view_is_documented_with_its_live_columns(engine: Engine, project_root: Path) -> None:
    docs = documented(project_root / "sql" / "README.md")
    names = [v.name for v in load_views()]
    assert sorted(docs) == sorted(names), "sql/README.md must document exactly the sql/views"
    for name in names:
        assert docs[name] == live(engine, name), f"{name}: sql/README.md differs from the view"


def test_every_documented_view_has_a_grain_and_an_example(project_root: Path) -> None:
    source = (project_root / "sql" / "README.md").read_text(encoding="utf-8")
    parts = _HEADING.split(source)
    for i in range(1, len(parts), 2):
        assert "Grain:" in parts[i + 1], parts[i]
        assert f"from {parts[i]}" in parts[i + 1], f"{parts[i]}: no example query"


def test_example_queries_in_sql_queries_run(engine: Engine, project_root: Path) -> None:
    for path in sorted((project_root / "sql" / "queries").glob("*.sql")):
        with engine.connect() as conn:
            conn.execute(text(path.read_text(encoding="utf-8")))


def test_the_readme_parser_sees_a_mismatch(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "### `v`\n\nGrain: x\n\n| column | type | meaning |\n|---|---|---|\n"
        "| `a` | bigint | a thing |\n| `b` | text | another |\n",
        encoding="utf-8",
    )
    assert documented(readme) == {"v": [("a", "bigint"), ("b", "text")]}
    assert normalise("character varying(16)") == "text"
