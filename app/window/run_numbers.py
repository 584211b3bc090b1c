"""Run numbers that no two windows on one profile give twice.

Every window on a profile takes its run ids from one counter: the file ``last-run-id`` in the session
folder (the highest id given so far, as JSON), read and raised under its own lock (``last-run-id.lock``,
held for a moment per run). The window that owns the session and a second window on it interleave
(#4 here, #5 there, #6 here), whichever of them opens or closes meanwhile. A counter that cannot be
read (damaged, too large, a FIFO or a link in its place) is kept aside and started again above the
window's own ids; when the counter cannot be written or its lock not taken, the window numbers after
its own ids alone, as it would without the file.
"""

from pathlib import Path

from PySide6.QtCore import QLockFile

from nncore import NNCoreError
from nncore.fileio import atomic_write

from ..training.run_history import RUN_ID
from ..training.stored_values import whole_number
from .app_settings import keep_aside, read_json_file
from .locks import take_lock

COUNTER = "last-run-id"
WAIT_MS = 500           # another window raising the counter holds its lock for a millisecond or two


class RunNumbers:
    """The run ids of the profile whose session folder is ``folder``: call :meth:`after`."""

    def __init__(self, folder):
        self.path = Path(folder) / COUNTER

    def after(self, last):
        """A run id above ``last`` (the window's own latest) and above every id the profile's windows
        have given; it is recorded at once, so no other window gives it."""
        lock = _hold(self.path.with_name(COUNTER + ".lock"))
        try:
            given = self._read() if lock is not None else 0
            run_id = max(int(last), given) + 1
            if run_id not in RUN_ID:        # a counter so high that its runs could not be restored: not followed
                run_id = int(last) + 1
            if lock is not None and run_id in RUN_ID:
                try:
                    atomic_write(self.path, lambda f: f.write(str(run_id).encode()), follow_links=False)
                except (OSError, NNCoreError):
                    pass                # numbered after this window's own ids, as without the file
            return run_id
        finally:
            if lock is not None:
                lock.unlock()

    def _read(self):
        """The counter's value; 0 when it is missing or cannot be used (then kept aside if it exists)."""
        value, data, reason = read_json_file(self.path, 64)
        if reason is None and data is not None:
            try:
                return whole_number(value, RUN_ID, "the last run id")
            except ValueError:
                pass
        if data is not None or reason is not None:
            keep_aside(self.path, data)   # a FIFO, a folder or a link loop is renamed, never opened
        return 0


def _hold(path):
    """The lock ``path``, held (taken over when left empty or by a process that is gone), or None."""
    lock, why = take_lock(path.parent, path.name)
    if lock is None and "another" in why:      # another window is raising the counter: wait a moment
        lock = QLockFile(str(path))
        lock.setStaleLockTime(0)
        if not lock.tryLock(WAIT_MS):
            return None
    return lock
