"""Files the user names: read only when they are regular files, saved atomically and only over regular files.

Reading (:func:`open_regular`, :func:`read_regular_bytes`): symbolic links are followed to the file
they name; folders, devices (``/dev/zero``), FIFOs, sockets and loops of links are refused up front,
from ``os.stat``, before anything is opened, and the open itself cannot block, so nothing a path
names can hang a reader or feed it without end.

Saving (:func:`atomic_write`): the content goes to a temporary file beside the target, named
``.NAME.backprop-lab-tmp-XXXXXXXX``, which is flushed, fsynced and renamed over the target, so a
crash, a full disk or a kill leaves the old file exactly as it was. A symbolic link is written
through to the file it names (the link stays a link), or with ``follow_links=False`` replaced itself
by the new file, and the target's permissions are kept; a folder, device or FIFO is never replaced
(nor opened), a read-only file only with ``force=True``. Temporary files
left by a killed save are removed by :func:`remove_stale_temporaries`, which saves call for their
folder (at most once per folder every :data:`STALE_SECONDS`).

:data:`MEMORY_BUDGET` is the most memory one thing the user supplies (a dataset, a run's settings)
may make the core allocate.
"""

import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from .errors import NNCoreError, ReadOnlyFileError, SaveError
from .limits import MEMORY_BUDGET  # noqa: F401  (re-exported: the budget files are read against)

TEMP_MARK = ".backprop-lab-tmp-"
STALE_SECONDS = 15 * 60         # a temporary file this old was left by a save that was killed
_TEMP_NAME = re.compile(r"\..+" + re.escape(TEMP_MARK) + r"[a-z0-9_]{8}")   # mkstemp's 8 characters
_NEW_FILE_MODE = 0o644
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_last_sweep = {}                # folder -> time.monotonic() of its last sweep by a save


def kind_of(mode):
    """What a non-regular ``st_mode`` is, for messages: 'a folder', 'a named pipe (FIFO)', ..."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


# ---- reading -----------------------------------------------------------------------------------

def open_regular(path, what, error=NNCoreError):
    """Open ``path`` for binary reading if it is, or a symbolic link leads to, a regular file.

    ``what`` names the file expected, for messages ('a network file (.npz)'); ``error`` is the
    :class:`NNCoreError` subclass raised, with one line saying why, when the path is missing,
    unreadable, a loop of links, or not a regular file. The check is ``os.stat`` before any open;
    the open cannot block and is checked again with ``fstat``, so even a FIFO swapped in between
    cannot hang the caller. Returns a binary file object (close it, or use ``with``).
    """
    st = _stat_for_reading(path, what, error)
    if not stat.S_ISREG(st.st_mode):
        raise error(f"{path}: is {kind_of(st.st_mode)}, not {what}")
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as e:
        raise error(_cannot_read(path, e, what)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise error(f"{path}: is {kind_of(mode)}, not {what}")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular_bytes(path, limit, what, error=NNCoreError):
    """The bytes of the regular file ``path`` (see :func:`open_regular`), refused if above ``limit``.

    The size is checked before reading, and at most ``limit + 1`` bytes are ever read (a file that
    grows while it is read is refused, not followed).
    """
    data = b""
    with open_regular(path, what, error) as f:
        try:
            size = os.fstat(f.fileno()).st_size
            if size <= limit:
                data = f.read(limit + 1)
        except OSError as e:
            raise error(_cannot_read(path, e, what)) from None
    if size > limit or len(data) > limit:
        raise error(f"{path}: is {max(size, len(data)):,} bytes; {what} is at most {limit:,} bytes")
    return data


def _stat_for_reading(path, what, error):
    try:
        return os.stat(path)
    except OSError as e:
        raise error(_cannot_read(path, e, what)) from None
    except ValueError:   # a NUL character in the name
        raise error(f"{path!r}: not a valid file name") from None


def _cannot_read(path, e, what):
    """One line for an OSError met while opening ``path``."""
    if e.errno == errno.ELOOP:
        return f"{path}: is a loop of symbolic links, not {what}"
    if isinstance(e, (FileNotFoundError, NotADirectoryError)):
        if os.path.islink(path):
            return f"{path}: is a symbolic link to a missing file; expected {what}"
        return f"{path}: no such file"
    return f"{path}: cannot be read ({e.strerror or e})"


# ---- saving ------------------------------------------------------------------------------------

def check_save_target(path, *, force=False, follow_links=True):
    """Where a save to ``path`` would write, and the permissions the new file would get. Writes nothing.

    Returns ``(target, mode)``: ``target`` is ``path`` with its symbolic links resolved (a dangling
    link names the file it would create); with ``follow_links=False`` only its folder's are, and a
    link at ``path`` is what the save replaces. Raises :class:`SaveError` if ``path`` is empty, a
    folder, a device, a FIFO or a loop of links, or its folder is missing or not writable, and
    :class:`ReadOnlyFileError` if it is a read-only file and ``force`` is false. The command line
    calls it before a long run, so that a bad ``--save`` is refused before the work, not after it.
    """
    if os.fspath(path) == "":
        raise SaveError(path, "an empty file name; give the name of the file to write")
    try:
        st = os.stat(path) if follow_links else os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            st = None               # the link itself is replaced, as a new file would be
    except FileNotFoundError:
        st = None                   # a new file (or a dangling link: the file it names is created)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise SaveError(path, "is a loop of symbolic links; choose a file name", e.errno) from None
        if e.errno == errno.ENOTDIR:
            raise SaveError(path, "a part of the path is a file, not a folder", e.errno) from None
        raise SaveError(path, f"cannot be written ({e.strerror or e})", e.errno) from None
    except ValueError:
        raise SaveError(repr(os.fspath(path)), "not a valid file name (it holds a NUL character)") from None
    if follow_links:
        target = Path(os.path.realpath(path))
    else:
        absolute = os.path.abspath(path)
        target = Path(os.path.realpath(os.path.dirname(absolute))) / os.path.basename(absolute)
    mode = _NEW_FILE_MODE
    if st is not None:
        if not stat.S_ISREG(st.st_mode):
            raise SaveError(path, f"is {kind_of(st.st_mode)}, not a regular file; choose a file name",
                            errno.EISDIR if stat.S_ISDIR(st.st_mode) else None)
        mode = stat.S_IMODE(st.st_mode)
        if not force and (not st.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK)):
            raise ReadOnlyFileError(path, "is read-only; it was not replaced", errno.EACCES)
    folder = target.parent
    if not folder.is_dir():
        raise SaveError(path, f"the folder {folder} does not exist", errno.ENOENT)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SaveError(path, f"the folder {folder} is not writable (permission denied)", errno.EACCES)
    return target, mode


def atomic_write(path, write, *, force=False, follow_links=True):
    """Call ``write(fileobj)`` on a binary temporary file beside ``path``, then rename it over ``path``.

    A symbolic link is written through: the file it names is replaced, in that file's folder, and
    keeps its permissions; with ``follow_links=False`` the link itself is replaced. The temporary file
    is flushed and fsynced before the rename, so a crash, a full disk or a permission error never
    leaves a half-written file. Raises :class:`SaveError`
    (nothing written) for a target that cannot be saved to (see :func:`check_save_target`),
    :class:`ReadOnlyFileError` for a read-only file unless ``force``; an ``OSError`` while writing
    (the temporary file removed, the old file untouched) or whatever ``write`` raises propagates.
    """
    target, mode = check_save_target(path, force=force, follow_links=follow_links)
    _sweep_now_and_then(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}{TEMP_MARK}", dir=target.parent)
    except OSError as e:
        raise SaveError(path, f"cannot create a file in {target.parent} ({e.strerror or e})", e.errno) from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_folder(target.parent)


def remove_stale_temporaries(folder, *, max_age=STALE_SECONDS, now=None):
    """Remove the temporary files of saves killed in ``folder`` (older than ``max_age`` seconds).

    Only regular files named as :func:`atomic_write` names them (``.NAME.backprop-lab-tmp-XXXXXXXX``)
    are touched; younger ones may belong to a save in progress. Returns the paths removed.
    """
    cutoff = (time.time() if now is None else now) - max_age
    removed = []
    try:
        entries = os.scandir(folder)
    except OSError:
        return removed
    with entries:
        for entry in entries:
            if not _TEMP_NAME.fullmatch(entry.name):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and st.st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
            except OSError:
                continue
    return removed


def _sweep_now_and_then(folder):
    """remove_stale_temporaries(folder), at most once per STALE_SECONDS per folder (a big folder costs)."""
    now, key = time.monotonic(), os.fspath(folder)
    last = _last_sweep.get(key)
    if last is None or now - last >= STALE_SECONDS:
        _last_sweep[key] = now
        remove_stale_temporaries(folder)


def _fsync_folder(folder):
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
