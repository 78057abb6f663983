"""docker-compose.yml's Superset: the same tool and dashboard as `make dashboards`, loopback only.

No Docker engine here: the structure is checked; `docker-compose config -q` validated it once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _services(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / "docker-compose.yml").read_text())
    return dict(data["services"])


def _pinned_superset(root: Path) -> str:
    for line in (root / "dashboards" / "requirements.txt").read_text().splitlines():
        if line.startswith("apache-superset=="):
            return line.split("==", 1)[1].split()[0]
    raise AssertionError("apache-superset is not pinned in dashboards/requirements.txt")


def test_superset_service_runs_the_pinned_version_on_loopback(project_root: Path) -> None:
    superset = _services(project_root)["superset"]
    assert superset["image"] == f"apache/superset:{_pinned_superset(project_root)}"
    assert superset["ports"] == ["127.0.0.1:8088:8088"]  # published on the host's loopback only
    assert superset["environment"]["SUPERSET_CONFIG_PATH"] == "/app/newswire/superset_config.py"
    assert "./dashboards:/app/newswire:ro" in superset["volumes"]
    script = "\n".join(superset["command"])
    assert "superset db upgrade" in script
    assert "superset init" in script
    assert "load_examples" not in script
    assert superset["healthcheck"]["test"]
    assert superset["depends_on"]["airflow-init"] == {"condition": "service_completed_successfully"}


def test_dashboard_import_uses_the_shipped_definition(project_root: Path) -> None:
    services = _services(project_root)
    job = services["superset-import"]
    assert "dashboards/superset.py --external http://superset:8088" in "\n".join(job["command"])
    assert job["depends_on"]["superset"] == {"condition": "service_healthy"}
    assert "./dashboards:/opt/newswire/dashboards:ro" in job["volumes"]
    assert job["environment"]["NEWSWIRE_DATABASE_URL"].split("@")[1].startswith("postgres:5432/")
    assert (project_root / "dashboards" / "newswire.yaml").is_file()
