"""The profile's lock files, taken without a hang, and the session's lock as a window holds it.

A QLockFile that cannot create its file reads the one in its place to learn who holds it: a FIFO there
blocks that read for good (the window never opens, on every launch), and a link to /dev/zero reads until
memory runs out. So whatever stands at a lock's path that is not a small regular file is kept aside
(renamed, never opened) before the lock is taken.

A window that opens without the session's lock (:class:`SessionLock`) tries again every few seconds, so
it keeps the session once the window that had it closes. A lock naming another computer (a profile in a
shared home folder) cannot be seen to be stale from here: the user may take it over, which is refused
while a process of this computer still holds it.
"""

import errno
import os
import stat
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QSysInfo, QTimer, Signal

from .app_settings import keep_aside, lock_folder

MAX_LOCK_BYTES = 4_096      # a QLockFile writes a process id, an application name and a host name
RETRY_MS = 3_000            # a window without the session's lock tries again this often
MAX_HOST = 64               # characters of a host name shown
KINDS = {stat.S_IFREG: "a file", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a device",
         stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


def take_lock(folder, name):
    """As :func:`app_settings.lock_folder` (a held QLockFile and "", or None and why not), once anything
    but a small regular file at ``folder``/``name`` (a FIFO, a device, a folder, a link) is kept aside."""
    path = Path(folder) / name
    try:
        st = os.lstat(path)
    except (OSError, ValueError):       # missing, the usual case; or a folder lock_folder cannot use
        st = None
    if st is not None and (not stat.S_ISREG(st.st_mode) or st.st_size > MAX_LOCK_BYTES):
        aside = keep_aside(path)
        if os.path.lexists(path):
            return None, f"cannot be locked: {name} is not a lock file and {aside}"
    return lock_folder(folder, name)


def lock_holder(path):
    """(pid, host name) that the lock file ``path`` names when that host is another computer, else None."""
    info = QLockFile(str(path)).getLockInfo()
    if not isinstance(info, tuple) or len(info) < 3 or not isinstance(info[1], str):
        return None
    pid, host = info[0], "".join(c if c.isprintable() else "?" for c in info[1])[:MAX_HOST]
    return (pid, host) if host and host != QSysInfo.machineHostName() else None


def not_a_folder(folder):
    """(path, what it is) of the first of ``folder`` and its parents that exists but is not a folder (a
    file, a FIFO, a device, a loop of links: what stops the folder being made), or None. Nothing is opened."""
    path = Path(folder)
    for candidate in reversed([path, *path.parents]):
        try:
            mode = os.stat(candidate).st_mode
        except FileNotFoundError:
            return None             # made when needed
        except OSError as e:
            return (candidate, "a loop of links") if e.errno == errno.ELOOP else None
        if not stat.S_ISDIR(mode):
            return candidate, KINDS.get(stat.S_IFMT(mode), "not a folder")
    return None


class SessionLock(QObject):
    """The lock ``session.lock`` of the session ``folder``: held from the start, or taken later (every
    :data:`RETRY_MS`, or :meth:`take_over`); ``taken()`` when it is. ``holder`` is (pid, host) while a
    window on another computer holds it."""

    taken = Signal()

    def __init__(self, folder, parent=None, name="session.lock"):
        super().__init__(parent)
        self.folder, self.path = Path(folder), Path(folder) / name
        self._lock, self._why = take_lock(self.folder, name)
        self.holder = None if self._lock else lock_holder(self.path)
        self._released = False
        self._timer = QTimer(self, interval=RETRY_MS, timeout=self.try_again)
        if self._lock is None:        # its holder may close, or the file in the folder's place be moved
            self._timer.start()

    @property
    def held(self):
        """True while this window holds the lock."""
        return self._lock is not None

    @property
    def other_window(self):
        """True while another window (of this computer or another) holds the lock."""
        return not self.held and (self.holder is not None or "another" in self._why)

    @property
    def not_kept(self):
        """Why the window's session is not kept, in a few words ("" while it holds the lock)."""
        if self.held or self._released:
            return ""
        if self.holder is not None:
            return f"{self.holder[1]} has this profile"
        if self.other_window:
            return "another window has this profile"
        blocked = not_a_folder(self.folder)
        return f"{blocked[0].name} is {blocked[1]}, not a folder" if blocked else f"the session folder {self._why}"

    @property
    def message(self):
        """The same in a sentence ("" while it holds the lock)."""
        if self.held or self._released:
            return ""
        mine = "this window shows what was saved, but its own runs and network are not kept."
        if self.holder is not None:
            pid, host = self.holder
            return (f"This profile's session is held by {host} (process {pid}), another computer: {mine} If "
                    "Backprop Lab no longer runs there (it crashed, or the computer was switched off), take the "
                    "session over.")
        blocked = None if self.other_window else not_a_folder(self.folder)
        if blocked:
            path, kind = blocked
            where = (f"{path} is {kind}, not a folder" if path == self.folder else
                     f"{path} is {kind}, not a folder, so the session folder {self.folder} cannot be made")
            return (f"This window's runs and network cannot be kept: {where}. Rename or move it (nothing in it is "
                    "read or changed), and this window keeps its session from then on; until then it works as "
                    "usual but saves no runs.")
        return f"The saved session in {self.folder} {self._why}: {mine}"

    def try_again(self):
        """Take the lock if it is free now (its holder closed or died); True when held."""
        if not self.held:
            lock, why = take_lock(self.folder, self.path.name)
            if lock is not None:
                self._got(lock)
            else:
                self._why, self.holder = why, lock_holder(self.path)
        return self.held

    def take_over(self):
        """Take the lock from a window on another computer: (True, "") or (False, why not). Refused while
        a window of this computer holds it (a QLockFile keeps its file locked while held, so a live
        holder's file is never removed)."""
        if self.try_again():
            return True, ""
        if lock_holder(self.path) is None:
            return False, "a Backprop Lab window on this computer has it; close that window first"
        lock = QLockFile(str(self.path))
        lock.setStaleLockTime(0)
        if not lock.removeStaleLockFile() or not lock.tryLock(0):
            return False, "a running program still holds its lock file"
        self._got(lock)
        return True, ""

    def release(self):
        """Give the lock up (the window is closing) and stop trying to take it."""
        self._timer.stop()
        if self._lock is not None:
            self._lock.unlock()
            self._lock, self._released = None, True

    def _got(self, lock):
        self._lock, self._why, self.holder = lock, "", None
        self._timer.stop()
        self.taken.emit()
