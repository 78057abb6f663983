"""End to end: the sample corpus ingested, Superset started with the newswire dashboard, every
chart checked in headless Chromium (Debian's, never a downloaded browser) to render with data.

Installs what it needs when absent (CI may be a fresh machine): Superset's environment through
`make superset-install` (cached by a stamp), Debian's chromium through apt-get.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Engine

from devtools.demo import SAMPLE_DIR, run_demo
from devtools.replay import ReplayServer
from pipeline.config import get_settings
from pipeline.store.views import refresh_materialized

pytestmark = [pytest.mark.dashboards, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")


def _superset_module(root: Path) -> ModuleType:
    path = root / "dashboards" / "superset.py"
    spec = importlib.util.spec_from_file_location("newswire_superset", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_tools(root: Path) -> None:
    done = subprocess.run(
        ["make", "-s", "superset-install"], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"make superset-install failed:\n{done.stdout}\n{done.stderr}"
    if not CHROMIUM.exists():
        apt = shutil.which("apt-get")
        assert apt, "Debian's chromium is needed at /usr/bin/chromium and apt-get is missing"
        subprocess.run([apt, "update", "-qq"], check=False, capture_output=True)
        done = subprocess.run(
            [apt, "install", "-y", "-qq", "chromium"],
            capture_output=True,
            text=True,
            check=False,
            env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
        )
        assert CHROMIUM.exists(), f"apt-get install chromium failed:\n{done.stderr[-2000:]}"


def test_every_chart_renders_with_data_in_chromium(
    clean_db: Engine, project_root: Path, tmp_path: Path
) -> None:
    _ensure_tools(project_root)
    with ReplayServer(SAMPLE_DIR, per_host_ports=True) as server:
        run_demo(clean_db, get_settings(), server=server)
    refresh_materialized(clean_db)

    superset = _superset_module(project_root)
    home = tmp_path / "superset"
    port = _free_port()
    password = superset.prepare_home(home, port)
    running = superset.start(home, port, password)
    try:
        superset.import_dashboard(running, clean_db.url.render_as_string(hide_password=False))
        shot = project_root / "bench" / "out" / "dashboard.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                str(project_root / ".venv-superset" / "bin" / "python"),
                str(project_root / "dashboards" / "browser_check.py"),
                running.dashboard_url,
                password,
                str(shot),
            ],
            capture_output=True,
            text=True,
            timeout=450,  # the script's own waits add up to about 390 s
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        report = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        running.stop()

    charts = report["charts"]
    assert len(charts) == len(running.charts) == 7, charts
    for chart in charts:
        assert not chart["error"], chart
        assert not chart["noResults"], chart
        assert chart["canvas"] or chart["svgShapes"] or chart["rows"], chart
    assert report["blocked_requests"] == [], "the dashboard tried to reach the network"
    assert shot.stat().st_size > 10_000
