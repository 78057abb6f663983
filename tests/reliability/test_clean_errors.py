"""Why 7: clean errors, no tracebacks, naming the environment variable or the file and entry;
and Why 6's `newswire airflow` tree stop (task processes leave the component process group)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import psutil
from reliability_harness import ROOT, Server, cli_env, run_cli, serving, static

from devtools.local_airflow import stop_tree


def _clean(done: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    text = done.stdout + done.stderr
    assert done.returncode == code, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    for needle in needles:
        assert needle in text, (needle, text[-3000:])


def test_bad_configuration_is_named_without_a_traceback(tmp_path: Path) -> None:
    cases = 0
    env = cli_env(None, tmp_path)
    _clean(
        run_cli(["config"], {**env, "NEWSWIRE_LOG_LEVEL": "BOGUS"}),
        2,
        "NEWSWIRE_LOG_LEVEL",
        "DEBUG, INFO",
    )
    for bad in ("not a url at all", "postgresql://u:secret@db.invalid:99999/x", "mysql://u@h/x"):
        done = run_cli(["config"], {**env, "NEWSWIRE_DATABASE_URL": bad})
        _clean(done, 2, "NEWSWIRE_DATABASE_URL")
        assert "secret" not in done.stdout + done.stderr
        cases += 1
    missing = tmp_path / "no-such-dictionaries"
    _clean(
        run_cli(["config"], {**env, "NEWSWIRE_EVENTS_DICTIONARY_DIRS": str(missing)}),
        2,
        "NEWSWIRE_EVENTS_DICTIONARY_DIRS",
        str(missing),
    )
    _clean(
        run_cli(["config"], {**env, "NEWSWIRE_REQUEST_DEADLINE": "-1"}),
        2,
        "NEWSWIRE_REQUEST_DEADLINE",
    )
    _clean(
        run_cli(["config"], {**env, "NEWSWIRE_ALLOWED_HOSTS": "127.0.0.1:99999"}),
        2,
        "NEWSWIRE_ALLOWED_HOSTS",
    )
    typo = run_cli(["config"], {**env, "NEWSWIRE_DATABSE_URL": "postgresql://x@h/d"})
    _clean(typo, 0, "NEWSWIRE_DATABSE_URL", "did you mean NEWSWIRE_DATABASE_URL?")
    cases += 5
    print(json.dumps({"configuration_cases": cases}))


def test_missing_dictionaries_stop_a_run_before_any_stage(own_pg, tmp_path: Path) -> None:
    url = own_pg.fresh_database()
    with serving(Server()) as server:
        feed = server.add("/f.xml", static(b"<rss version='2.0'><channel/></rss>"))
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(f"- {{name: f, url: '{feed}', outlet: o}}\n")
        env = cli_env(
            url,
            tmp_path,
            allowed_hosts=f"127.0.0.1:{server.port}",
            events_dictionary_dirs=str(tmp_path / "typo"),
        )
        _clean(run_cli(["run", "--feeds", str(feeds)], env), 2, "NEWSWIRE_EVENTS_DICTIONARY_DIRS")
        assert server.hits == []  # refused at start-up: nothing was polled


def test_bad_feeds_files_are_named_by_file_entry_and_field(tmp_path: Path) -> None:
    env = cli_env(None, tmp_path)
    binary = tmp_path / "feeds.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    _clean(run_cli(["feeds", "validate", str(binary)], env), 2, str(binary), "not a text file")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- {name: spaced, url: 'http://exa mple.org/feed', outlet: o}\n"
        "- {name: port, url: 'http://example.org:99999/feed', outlet: o}\n"
    )
    done = run_cli(["feeds", "validate", str(bad)], env)
    _clean(done, 2, "entry 0 ('spaced'): field url", "entry 1 ('port'): field url", "65535")


def test_a_database_down_at_start_up_is_one_clean_line(tmp_path: Path) -> None:
    # a closed loopback port: the connection is refused at once
    env = cli_env("postgresql://postgres@127.0.0.1:1/none", tmp_path)
    _clean(run_cli(["stats"], env), 3, "cannot reach the database", "Check NEWSWIRE_DATABASE_URL")


_STUBBORN_TREE = """
import os, signal, subprocess, sys, time
# like an Airflow task: a child in a process group of its own that ignores SIGTERM
child = subprocess.Popen(
    [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
     "print('ready', flush=True); time.sleep(600)"],
    process_group=0, stdout=subprocess.PIPE, text=True)
assert child.stdout.readline() == "ready\\n"  # the child ignores SIGTERM from here on
# the parent ignores SIGTERM too before it says so: printing the pid first let the test's
# stop_tree SIGTERM a parent that had not installed its handler yet (it then died at once and
# only the child needed a SIGKILL: 1 killed instead of 2, seen once under load)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print(child.pid, flush=True)
time.sleep(600)
"""


def test_stop_tree_stops_task_processes_outside_the_group_that_ignore_sigterm() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _STUBBORN_TREE],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        process_group=0,
    )
    assert parent.stdout is not None
    # the parent prints the child's pid only once both of them ignore SIGTERM
    child = int(parent.stdout.readline())
    assert psutil.pid_exists(child)
    assert parent.poll() is None
    started = time.monotonic()
    killed = stop_tree([parent.pid], grace=1.0, pgid=parent.pid)
    parent.wait(timeout=10)
    elapsed = time.monotonic() - started
    assert killed == 2
    assert not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE
    assert elapsed < 10
    print(json.dumps({"stubborn_processes_killed": killed, "seconds": round(elapsed, 2)}))
