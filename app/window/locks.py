"""The profile's lock files, taken without a hang.

A QLockFile that cannot create its file reads the one in its place to learn who holds it: a FIFO there
blocks that read for good (the window never opens, on every launch), and a link to /dev/zero reads until
memory runs out. So whatever stands at a lock's path that is not a small regular file is kept aside
(renamed, never opened) before the lock is taken.
"""

import os
import stat
from pathlib import Path

from .app_settings import keep_aside, lock_folder

MAX_LOCK_BYTES = 4_096      # a QLockFile writes a process id, an application name and a host name


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
