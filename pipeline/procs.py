"""Worker-process hygiene shared by the process pools (extraction, feed parsing).

Kept free of heavy imports so that a worker which only parses feeds does not load the
extractor just to learn how to die with its parent.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys

LOGGER = logging.getLogger(__name__)

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int | None = None) -> None:
    """Worker initializer: ask the kernel to SIGKILL this worker when its parent dies.

    Without it, ``kill -9`` of a run (or an OOM kill) leaves every worker alive, each holding
    memory, waiting forever on a queue nobody writes to. *parent* is the pid that must still be
    our parent once the request is in place (default: the parent we have now — under
    ``forkserver`` that is the fork server, which itself exits when its starter dies).
    """
    parent = os.getppid() if parent is None else parent
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
            LOGGER.warning("cannot set PR_SET_PDEATHSIG; workers may outlive a killed run")
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
