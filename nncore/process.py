"""Settings of the whole process, made by a program's entry point, never as a side effect of import.

Standard library only, so an entry point can call it before anything has loaded NumPy.
:func:`end_with_parent` makes a process that a sweep (or the window) started end when that parent dies.
The BLAS thread count (``OPENBLAS_NUM_THREADS`` before NumPy loads, threadpoolctl after) is
:mod:`nncore.fast.threads`' business; its names are re-exported here for the callers that import them
from this module.
"""

import ctypes
import os
import signal
import sys

from .fast.threads import (  # noqa: F401  (re-exported from their new home)
    BLAS_THREADS_VARIABLE,
    TWO_THREADS_BATCH,
    TWO_THREADS_WEIGHTS,
    TWO_THREADS_WEIGHTS_BATCHED,
    CoreMonitor,
    blas_threads,
    blas_threads_chosen_by_user,
    blas_threads_for,
    set_blas_threads,
    use_one_blas_thread,
)

# The pid of the process that started this one and whose death should end it, as its decimal digits.
PARENT_VARIABLE = "NNCORE_END_WITH_PARENT"
PR_SET_PDEATHSIG = 1   # <linux/prctl.h>: the signal this process gets when its parent dies


def end_with_parent(environ=None):
    """Arrange for this process to end when the parent named in ``PARENT_VARIABLE`` dies.

    A sweep names itself so to each run, and the window to each sweep (``environ`` is ``os.environ``
    by default; the variable is taken out of it, so that no grandchild inherits it). On Linux the
    kernel then sends this process SIGTERM when the parent dies, even by SIGKILL (``prctl``'s
    ``PR_SET_PDEATHSIG``); everywhere, the returned function tells whether the parent has gone (this
    process was handed to another parent), for a check between mini-batches. Returns a function of no
    arguments that always says False when no parent was named.
    """
    environ = os.environ if environ is None else environ
    text = environ.pop(PARENT_VARIABLE, "")
    if not text.isdigit():
        return lambda: False
    parent = int(text)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass   # no prctl: the check below is all there is
    return lambda: os.getppid() != parent   # read after prctl: a parent that died before it counts too


def children_of(pid):
    """PIDs of the live processes whose parent is ``pid`` (Linux ``/proc``; elsewhere none): what a sweep
    that did not end when asked leaves to be killed."""
    found = []
    if pid is None or not os.path.exists("/proc/self/stat"):
        return found
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(os.path.join(entry.path, "stat"), encoding="ascii", errors="replace") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found
