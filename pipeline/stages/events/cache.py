"""A per-user cache of the compiled lexicon, so a fresh process skips building it.

Every CLI call and Airflow task is a new process, and building the lexicon (reading the
dictionary files, expanding the converted PETRARCH-2 patterns, two Aho-Corasick automata) costs
about a second of CPU; unpickling the result costs a fraction of that. The cache is a plain
pickle in the user's cache directory (``platformdirs``; ``NEWSWIRE_EVENTS_CACHE_DIR`` moves it,
``off`` turns it off), one file per key. The key hashes everything the build depends on: the
cache format, the Python and pyahocorasick versions, the newswire version, the source of the
modules that build the lexicon, and the path and bytes of every dictionary file of every
directory. So a changed dictionary, a code change or an upgrade makes a new key and a rebuild;
nothing is shared across versions.

It is safe by construction rather than by care: a file is written under a temporary name and
renamed into place (readers see a whole file or none), the key is stored inside the file and
checked on load, and any failure to read or write (missing, truncated, foreign, unwritable)
falls back to building the lexicon, logged at debug level. The pickle is only ever read from
the user's own cache directory, which is as trusted as the code itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path

import platformdirs

from pipeline.stages.events.entries import Lexicon

LOGGER = logging.getLogger(__name__)

CACHE_ENV = "NEWSWIRE_EVENTS_CACHE_DIR"
FORMAT = 1  # bump when the pickled layout changes in a way the source hash would not show
_OFF = frozenset(("", "0", "off", "no", "false", "none"))
# the code that decides what the built lexicon looks like: every module of the package, so
# that no edit to a module the builders import (actors, cues, syntax) can leave a stale cache
KEEP = 4  # cache files kept per directory (the most recently used): each is ~25 MB


def cache_dir() -> Path | None:
    """Where compiled lexicons are kept (None: caching is off)."""
    raw = os.environ.get(CACHE_ENV)
    if raw is not None:
        return None if raw.strip().lower() in _OFF else Path(raw)
    return Path(platformdirs.user_cache_dir("newswire")) / "events"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def cache_key(directories: Sequence[Path], names: Iterable[str]) -> str:
    """The hash of everything a lexicon built from *directories* depends on."""
    digest = hashlib.sha256()
    header = (
        f"format {FORMAT}\0python {sys.version}\0pyahocorasick {_version('pyahocorasick')}"
        f"\0newswire {_version('newswire')}\0"
    )
    digest.update(header.encode())
    here = Path(__file__).resolve().parent
    for module in sorted(here.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    wanted = sorted(set(names))
    for directory in directories:
        digest.update(b"\0dir\0" + str(directory).encode())
        for name in wanted:
            path = directory / name
            if path.is_file():
                digest.update(b"\0" + name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read(path: Path, key: str) -> Lexicon | None:
    try:
        with path.open("rb") as fh:
            stored = pickle.load(fh)  # noqa: S301 - our own file in the user's cache dir
    except FileNotFoundError:
        return None
    except Exception as exc:
        LOGGER.debug("events lexicon cache %s unreadable (%s): rebuilding", path, exc)
        return None
    if (
        not isinstance(stored, tuple)
        or len(stored) != 2
        or stored[0] != key
        or not isinstance(stored[1], Lexicon)
    ):
        LOGGER.debug("events lexicon cache %s has another key: rebuilding", path)
        return None
    return stored[1]


def _write(path: Path, key: str, lexicon: Lexicon) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((key, lexicon), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(path.parent)
    except Exception as exc:
        LOGGER.debug("events lexicon cache %s not written (%s)", path, exc)


def _prune(directory: Path) -> None:
    """Keep the ``KEEP`` most recently used cache files: every other dictionary set or
    version (a test's temporary directory, last month's release) would stay forever."""
    files = sorted(
        directory.glob("lexicon-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)


def cached_build(
    directories: Sequence[Path],
    names: Iterable[str],
    build: Callable[[Sequence[Path]], Lexicon],
) -> Lexicon:
    """The lexicon of *directories*: from the cache when its key matches, else built (and
    stored). Missing directories are left to *build*, which reports them."""
    where = cache_dir()
    if where is None or not all(d.is_dir() for d in directories):
        return build(directories)
    try:
        key = cache_key(directories, names)
    except OSError as exc:
        LOGGER.debug("events lexicon cache key failed (%s): building", exc)
        return build(directories)
    path = where / f"lexicon-{key[:40]}.pickle"
    lexicon = _read(path, key)
    if lexicon is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: pruning keeps the files in use
        return lexicon
    lexicon = build(directories)
    _write(path, key, lexicon)
    return lexicon
