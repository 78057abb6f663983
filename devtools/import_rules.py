"""Who may import whom: the layering of ``docs/design.md``, checked on the source tree.

Every ``import`` and ``from … import`` statement counts, including the lazy ones inside
functions (a lazy import is still a dependency). The rules:

1. ``pipeline/stages`` never imports the CLI, the services, the DAGs or the dev tooling.
2. Pure cores — every module under ``pipeline/stages`` that is not listed in :data:`EDGES` —
   never import the store, the database layer, the HTTP layer, ``sqlalchemy`` or ``httpx``.
   A stage's I/O lives in its edge modules, which are listed by name, so a new module is pure
   until someone decides otherwise here.
3. Inside ``pipeline``, only ``pipeline/http`` imports ``httpx``.
4. ``pipeline/store`` never imports the services, the CLI, the DAGs or the dev tooling.
5. The runtime (``pipeline`` outside ``pipeline/cli``) never imports ``devtools``.
6. ``dags/`` import only the service layer (plus Airflow, pendulum and the standard library).

``check(root)`` returns the violations for the tree at *root*; ``tests/unit/test_import_rules.py``
runs it on this repository and on a synthetic tree that breaks each rule.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

EDGES = frozenset(
    {
        "pipeline/stages/maintenance.py",
        "pipeline/stages/feeds/poll.py",
        "pipeline/stages/feeds/backfill.py",
        "pipeline/stages/feeds/websub_io.py",
        "pipeline/stages/fetch/stage.py",
        "pipeline/stages/fetch/pool.py",
        "pipeline/stages/extract/stored.py",
        "pipeline/stages/dedup/__init__.py",
        "pipeline/stages/dedup/models.py",
        "pipeline/stages/dedup/matching.py",
        "pipeline/stages/dedup/store.py",
        "pipeline/stages/dedup/stories.py",
        "pipeline/stages/events/__init__.py",
        "pipeline/stages/events/models.py",
        "pipeline/stages/events/stage.py",
    }
)
"""The stages' I/O edges (database writes, HTTP); everything else under ``pipeline/stages``
is a pure core."""

_IMPURE = ("pipeline.store", "pipeline.db", "pipeline.http", "sqlalchemy", "httpx")
_ABOVE_STAGES = ("pipeline.cli", "pipeline.services", "dags", "devtools")
_DAG_ALLOWED = ("pipeline.services", "airflow", "pendulum", "__future__")


@dataclass(frozen=True)
class Violation:
    """One import that breaks a rule."""

    path: str
    line: int
    module: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.module}: {self.rule}"


def _imports(path: Path, package: str) -> Iterator[tuple[int, str]]:
    """(line, absolute module) of every import in *path*; relative imports are resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield node.lineno, base
            # `from pipeline import store` names a module too
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _package_of(rel: str) -> str:
    """The package a file's relative imports start from (its folder, for ``__init__`` too)."""
    return ".".join(rel.split("/")[:-1])


def _broken(rel: str, module: str, stdlib: frozenset[str]) -> Iterator[str]:
    """The rules that importing *module* from the file *rel* breaks."""
    in_pipeline = rel.startswith("pipeline/")
    if rel.startswith("pipeline/stages/"):
        if _within(module, _ABOVE_STAGES):
            yield "stages never import the CLI, services, DAGs or devtools"
        if rel not in EDGES and _within(module, _IMPURE):
            yield (
                "a pure core never imports the store, the database, HTTP, sqlalchemy or httpx "
                "(an I/O edge? list it in devtools/import_rules.py EDGES)"
            )
    if in_pipeline and not rel.startswith("pipeline/http/") and _within(module, ("httpx",)):
        yield "only pipeline/http imports httpx"
    if rel.startswith("pipeline/store/") and _within(module, _ABOVE_STAGES):
        yield "the store never imports the services, CLI, DAGs or devtools"
    if in_pipeline and not rel.startswith("pipeline/cli/") and _within(module, ("devtools",)):
        yield "the runtime never imports devtools (only the CLI may)"
    if (
        rel.startswith("dags/")
        and module.split(".", maxsplit=1)[0] not in stdlib
        and module != "pipeline"
        and not _within(module, _DAG_ALLOWED)
    ):
        yield "DAGs import only the service layer"


def check(root: Path) -> list[Violation]:
    """Every violation of the rules in the tree at *root* (a checkout of this repository)."""
    found: list[Violation] = []
    stdlib = frozenset(sys.stdlib_module_names)
    for path in sorted([*root.glob("pipeline/**/*.py"), *root.glob("dags/*.py")]):
        rel = path.relative_to(root).as_posix()
        seen: set[tuple[int, str]] = set()
        for line, module in _imports(path, _package_of(rel)):
            for rule in _broken(rel, module, stdlib):
                if (line, rule) not in seen:  # `from a import b` yields a and a.b
                    seen.add((line, rule))
                    found.append(Violation(rel, line, module, rule))
    return found


def main() -> int:
    """``python -m devtools.import_rules [ROOT]``: print the violations, exit 1 if any."""
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    violations = check(root)
    for violation in violations:
        print(violation)
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
