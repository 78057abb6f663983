"""The README's dashboard commands, run verbatim against the embedded default database.

The first shell block of the README's Dashboards section (`newswire db serve ...`) runs in the
background as "one terminal"; every line of the second block then runs as written, in a fresh
directory with no NEWSWIRE_* variables set: the embedded PostgreSQL under ./var, exactly what a
newcomer gets.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def dashboard_blocks(readme: Path) -> list[list[str]]:
    """The ```sh blocks of the README's Dashboards section, as lists of command lines."""
    source = readme.read_text(encoding="utf-8")
    section = source.split("\n## Dashboards\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [[line for line in block.splitlines() if line.strip()] for block in blocks]


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


class _Lines:
    """Collects a process's output lines on a thread (a pipe read never blocks the test)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, marker: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while marker not in self.text:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no {marker!r} (exit {self.proc.poll()}):\n{self.text}")
            time.sleep(0.2)
        return self.text

    def join(self) -> str:
        self._thread.join(30)
        return self.text


def test_readme_dashboard_commands_run_verbatim(project_root: Path, tmp_path: Path) -> None:
    if shutil.which("psql") is None:
        pytest.skip("psql (Debian postgresql-client) is not installed")
    serve_block, commands = dashboard_blocks(project_root / "README.md")[:2]
    assert serve_block == ["newswire db serve --port 5433"]
    if not _port_free(5433):
        pytest.skip("127.0.0.1:5433 is taken by another process; the README names that port")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWIRE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["NEWSWIRE_LOG_LEVEL"] = "WARNING"  # quieter output; the database is still the default
    serve = subprocess.Popen(  # the README's command, as written (no shell syntax in it)
        shlex.split(serve_block[0]),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = _Lines(serve)
    try:
        banner = lines.wait_for("Ctrl-C to stop", 180)
        assert "read-only tcp: postgresql://newswire_reader:newswire_reader@127.0.0.1:5433/" in (
            banner
        )
        outputs = []
        for line in commands:
            done = subprocess.run(  # the README's commands, as written
                ["bash", "-euo", "pipefail", "-c", line],
                check=False,
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=400,
            )
            assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
            outputs.append(done.stdout)
        events_daily, real_world, feed_health = outputs[-3:]
        assert re.search(r"\((\d+) rows\)", events_daily)
        assert int(re.findall(r"\((\d+) rows\)", events_daily)[0]) > 0
        assert int(re.findall(r"\((\d+) rows\)", real_world)[0]) > 0
        assert "n_outlets" in real_world
        assert int(re.findall(r"\((\d+) rows\)", feed_health)[0]) == 4  # the sample's feeds
    finally:
        serve.send_signal(signal.SIGINT)  # Ctrl-C
        serve.wait(timeout=60)
        out = lines.join()
    assert serve.returncode == 0, out
    assert "stopped" in out
    assert "Task was destroyed" not in out
    assert _port_free(5433)
    postmaster = tmp_path / "var" / "pgdata" / "postmaster.pid"
    deadline = time.monotonic() + 30
    while postmaster.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not postmaster.exists(), "the embedded server kept running after db serve stopped"
