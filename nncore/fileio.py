"""Atomic writes: a save either completes or leaves the previous file exactly as it was."""

import os
import tempfile
from pathlib import Path


def atomic_write(path, write):
    """Call ``write(fileobj)`` on a binary temporary file beside ``path``, then rename it over ``path``.

    The temporary file is flushed and fsynced before the rename, so a crash, a full disk or a
    permission error never leaves a half-written ``path``. On failure the temporary file is removed
    and the ``OSError`` propagates; the old ``path`` is untouched.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777      # keep an existing file's permissions
    except OSError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
