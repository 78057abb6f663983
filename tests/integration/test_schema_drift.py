"""The ORM models and the migrations describe the same schema, and the views come from sql/views.

``alembic`` autogenerate compares the migrated session database with the models' metadata; any
difference (a column, type, nullability, index, foreign key or table only one side has) is a
drift the next migration would have to carry. The second test shows the check has teeth: a
column added to a model only is reported.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, MetaData, Text, text

import pipeline.stages.dedup.models
import pipeline.stages.events.models
from pipeline.models import Base
from pipeline.store.views import COMMENT_PREFIX, load_views


def _include(obj: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
    return not (kind == "table" and name == "alembic_version")


def _diff(engine: Engine, metadata: MetaData) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "include_object": _include},
        )
        return list(compare_metadata(context, metadata))


def test_models_match_the_migrations(engine: Engine) -> None:
    assert pipeline.stages.dedup.models.Story.__table__.metadata is Base.metadata
    diff = _diff(engine, Base.metadata)
    assert diff == [], "models and migrations disagree:\n" + "\n".join(map(repr, diff))


def test_a_column_added_to_a_model_only_is_reported(engine: Engine) -> None:
    drifted = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["feeds"].append_column(Column("drift_probe", Text))
    diff = _diff(engine, drifted)
    assert [(d[0], d[2], d[3].name) for d in diff if d[0] == "add_column"] == [
        ("add_column", "feeds", "drift_probe")
    ]


def test_every_view_in_the_database_comes_from_sql_views(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')"
            )
        ).all()
    installed = {name: comment or "" for name, comment in rows}
    assert set(installed) == {view.name for view in load_views()}
    assert all(comment.startswith(COMMENT_PREFIX) for comment in installed.values())
