"""The import rules of docs/design.md hold for this tree, and the checker catches each breach."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.import_rules import check

ROOT = Path(__file__).resolve().parents[2]


def test_the_repository_keeps_the_import_rules() -> None:
    violations = check(ROOT)
    assert not violations, "\n".join(map(str, violations))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, source in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return tmp_path


@pytest.mark.parametrize(
    ("rel", "source", "rule"),
    [
        ("pipeline/stages/fetch/stage.py", "from pipeline.cli import app\n", "stages never"),
        ("pipeline/stages/fetch/stage.py", "import dags.newswire_ingest\n", "stages never"),
        (
            "pipeline/stages/events/stage.py",
            "def f():\n    from pipeline.services import ingest\n",  # a lazy import counts
            "stages never",
        ),
        ("pipeline/stages/dedup/core.py", "from pipeline.store import claims\n", "pure core"),
        ("pipeline/stages/dedup/core.py", "from ..fetch import stage\n", None),
        ("pipeline/stages/extract/page.py", "import sqlalchemy\n", "pure core"),
        ("pipeline/stages/events/coder.py", "from pipeline import db\n", "pure core"),
        ("pipeline/stages/extract/new_split.py", "import httpx\n", "pure core"),
        ("pipeline/stages/fetch/stage.py", "import httpx\n", "only pipeline/http"),
        ("pipeline/store/claims.py", "from pipeline.services.ingest import poll\n", "the store"),
        ("pipeline/services/run.py", "from devtools.replay import ReplayServer\n", "runtime"),
        (
            "dags/newswire_ingest.py",
            "from pipeline.stages.fetch.stage import fetch_pending\n",
            "DAGs",
        ),
        ("dags/newswire_ingest.py", "from pipeline import db\n", "DAGs"),
    ],
)
def test_each_rule_fails_on_a_synthetic_bad_tree(
    tmp_path: Path, rel: str, source: str, rule: str | None
) -> None:
    root = _tree(tmp_path, {rel: source})
    violations = check(root)
    if rule is None:  # a relative import between stages' edges and cores resolves correctly
        assert [v.module for v in violations] == []
        return
    assert violations, f"{rel}: {source!r} should break a rule"
    assert all(v.path == rel for v in violations)
    assert any(rule in v.rule for v in violations), [str(v) for v in violations]


def test_allowed_imports_pass(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "dags/newswire_ingest.py": (
                "from __future__ import annotations\nimport os\nimport pendulum\n"
                "from airflow.sdk import dag, task\n"
                "from pipeline.services import orchestration as orch\n"
            ),
            "pipeline/cli/demo.py": "def f():\n    from devtools.demo import run_demo\n",
            "pipeline/http/client.py": "import httpx\n",
            "pipeline/stages/fetch/stage.py": "from pipeline.store.claims import claim\n",
            "pipeline/stages/dedup/core.py": "from pipeline.stages.dedup import text\n",
        },
    )
    assert check(root) == []
