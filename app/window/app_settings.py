"""One small wrapper over QSettings; tests point it at a temporary file. Also what every reader of
stored JSON shares (:func:`parse_json`, :func:`read_json_file`, :func:`keep_aside`), and where the
user's data folder is."""

import json
import os
import stat
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings, QStandardPaths

from nncore import NNCoreError
from nncore.fileio import atomic_write, read_regular_bytes

ORGANIZATION, APPLICATION = "Backprop Lab", "Backprop Lab"
MAX_DEPTH = 6                    # settings and session files nest 4 levels at most
MAX_SETTING_CHARS = 1_000_000    # one setting's JSON text
MAX_SETTING_STRING = 4_096       # a text inside a setting (a path is at most this long)


def parse_json(text, max_depth=MAX_DEPTH, max_string=None):
    """The value of the JSON ``text`` (a str), nested at most ``max_depth`` lists or objects deep and,
    when ``max_string`` is given, holding no text longer than that.

    Raises ValueError, saying why, for anything else: not JSON, too deep (never RecursionError),
    an integer of more than 4,300 digits. Numbers are left as they are (1e400 is inf): bound them
    where their meaning is known.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError(f"nested more than {max_depth} levels deep") from None
    level, depth = [value], 0
    while level:                               # one level at a time: no recursion, whatever the depth
        containers = [item for item in level if isinstance(item, (dict, list))]
        depth += bool(containers)
        if depth > max_depth:
            raise ValueError(f"nested more than {max_depth} levels deep")
        if max_string is not None and any(isinstance(item, str) and len(item) > max_string for item in level):
            raise ValueError(f"holds a text longer than {max_string:,} characters")
        level = [x for c in containers for x in (c if isinstance(c, list) else [*c.keys(), *c.values()])]
    return value


def read_json_file(path, limit):
    """(value, data, reason) for the JSON file ``path`` of at most ``limit`` bytes: its value and bytes,
    reason None; (None, None, None) when it does not exist; when it cannot be used, value None, its
    bytes if they could be read, and ``reason`` saying why. A FIFO, a folder or a loop of links is
    refused before it is opened (:func:`nncore.fileio.read_regular_bytes`): nothing blocks or raises."""
    if not os.path.lexists(path):
        return None, None, None
    data = None
    try:
        data = read_regular_bytes(path, limit, "a JSON file")
        return parse_json(data.decode("utf-8")), data, None
    except (NNCoreError, ValueError) as e:      # a UnicodeDecodeError is a ValueError
        return None, data, str(e)


def keep_aside(path, data=None):
    """Keep the damaged file ``path`` as ``<name>.damaged-<YYYYmmdd-HHMMSS>`` beside it: a copy of
    ``data`` (its bytes) or, when it could not be read, the file itself renamed. Returns the words
    that say where it is kept (or why it could not be)."""
    path = Path(path)
    stamp, n = time.strftime("%Y%m%d-%H%M%S"), 1
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    while os.path.lexists(aside):
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        if data is None:
            os.rename(path, aside)
        else:
            atomic_write(aside, lambda f: f.write(data))
    except OSError as e:                     # a SaveError is an OSError
        return f"it could not be kept aside ({e.strerror or e})"
    return f"it is kept as {aside.name}"


def lock_folder(folder, name):
    """(a QLockFile ``folder``/``name``, held, and ""), or (None, why it is not: "is used by another
    Backprop Lab window", ...). The folder is made if need be. A lock is stale (and taken over) only
    when the process that took it is gone, however old it is."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        return None, f"cannot be made ({e.strerror or e})"
    lock = QLockFile(str(Path(folder) / name))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return lock, ""
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()          # (pid, host, app); (0, '', '') when the file says nothing
        pid = info[-3] if isinstance(info, tuple) and len(info) >= 3 else 0
        if not isinstance(pid, int) or pid <= 0:    # an empty or garbled lock (a crash, a full disk): nobody's
            lock.removeStaleLockFile()
            if lock.tryLock(0):
                return lock, ""
        return None, "is used by another Backprop Lab window"
    return None, "cannot be locked (permission denied)"


def user_data_dir():
    """The user's Backprop Lab data folder (my handwriting, the saved session): one level, named once.

    Earlier versions nested it twice (``…/Backprop Lab/Backprop Lab``); what is found there is moved up
    (see :func:`move_up`).
    """
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.GenericDataLocation)) / APPLICATION
    nested = folder / APPLICATION
    if nested.is_dir() and not nested.is_symlink():
        move_up(nested, folder)
    return folder


def move_up(source, target):
    """Move what is in the folder ``source`` into the folder ``target``, never deleting anything.

    An entry whose name is free in ``target`` is renamed there whole; a folder whose name is taken by
    a folder is merged entry by entry; an entry whose name is taken otherwise stays in ``source``
    (both are kept). Folders emptied by the move are removed, ``source`` too. Returns the number of
    entries left behind (0 when everything moved). Links are moved as links, never followed.
    """
    pairs, emptied, left = [(Path(source), Path(target))], [], 0
    while pairs:                               # a stack, not recursion: any depth of folders
        src, dst = pairs.pop()
        emptied.append(src)
        try:
            entries = list(src.iterdir())
        except OSError:
            left += 1
            continue
        for entry in entries:
            there = dst / entry.name
            try:
                if not os.path.lexists(there):
                    os.rename(entry, there)
                elif _real_folder(entry) and _real_folder(there):
                    pairs.append((entry, there))
                else:
                    left += 1
            except OSError:
                left += 1
    for folder in reversed(emptied):           # innermost first; a folder still holding files stays
        try:
            folder.rmdir()
        except OSError:
            pass
    return left


def _real_folder(path):
    return path.is_dir() and not path.is_symlink()


def _user_settings_file():
    """Where QSettings keeps the user's INI settings on Linux and macOS (``…/Backprop Lab/Backprop Lab.ini``
    in the configuration folder; Windows, which has no FIFOs to fear, keeps them under %APPDATA%)."""
    config = QStandardPaths.writableLocation(QStandardPaths.GenericConfigLocation)
    return Path(config) / ORGANIZATION / f"{APPLICATION}.ini"


def _not_a_settings_file(path):
    """Why ``path`` cannot be the settings file (a FIFO, a device, a folder, a loop of links), or ""."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return ""                      # a fresh profile (or a dangling link: Qt writes the file it names)
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"
    if stat.S_ISREG(st.st_mode):
        return ""
    return "is a folder" if stat.S_ISDIR(st.st_mode) else "is not a regular file (a FIFO or a device)"


class AppSettings:
    """Typed get/set over a QSettings store: the user's (default) or an INI file at ``path``.

    ``skipped`` maps each key whose stored value could not be used to why (for a message).
    """

    def __init__(self, path=None):
        self.skipped = {}
        checked = _user_settings_file() if path is None else path
        unusable = _not_a_settings_file(checked)
        if unusable:       # a FIFO would hang Qt's reader for good: set it aside before Qt opens it
            self.skipped["the settings file"] = f"it {unusable}; {keep_aside(checked)}; the defaults are used"
        if path is None:
            self._qs = QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION)
        else:
            self._qs = QSettings(str(path), QSettings.IniFormat)

    @property
    def path(self):
        """The file the settings live in."""
        return self._qs.fileName()

    def get_json(self, key, default=None):
        """The JSON value stored under ``key``, or ``default`` if it is absent or unusable.

        Unusable: not a text of JSON, longer than :data:`MAX_SETTING_CHARS`, nested more than
        :data:`MAX_DEPTH` deep or holding a text longer than :data:`MAX_SETTING_STRING` (then
        ``skipped[key]`` says why). Numbers come as stored (inf, 10⁴⁰⁰): the caller bounds them.
        """
        raw = self._qs.value(key)
        if raw is None:
            return default
        try:
            if not isinstance(raw, str):
                raise ValueError("not a text")
            if len(raw) > MAX_SETTING_CHARS:
                raise ValueError(f"longer than {MAX_SETTING_CHARS:,} characters")
            return parse_json(raw, max_string=MAX_SETTING_STRING)
        except ValueError as e:
            self.skipped[key] = f"the saved {key!r} could not be used ({e}); {self._set_aside(key, raw)}"
            return default

    def _set_aside(self, key, raw):
        """Keep the unusable value ``raw`` of ``key`` in a file beside the settings and take it out of them,
        so that the next launch reads the default without a word. Returns where the value is kept."""
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else repr(raw).encode("utf-8")
        settings = Path(self.path)
        kept = keep_aside(settings.with_name(f"{settings.stem}.{key}.json"), data)
        if kept.startswith("it is kept"):     # never taken out while its only copy is in the settings
            self._qs.remove(key)
        return kept.replace("it is kept", "the value is kept", 1)

    def set_json(self, key, value):
        """Store ``value`` as JSON under ``key``."""
        self._qs.setValue(key, json.dumps(value))
        self.skipped.pop(key, None)

    def get_bytes(self, key):
        """A QByteArray (window geometry or dock state) stored under ``key``, or None."""
        value = self._qs.value(key)
        return value if value is not None and hasattr(value, "size") else None

    def set_bytes(self, key, value):
        """Store a QByteArray under ``key``."""
        self._qs.setValue(key, value)

    def sync(self):
        """Write to disk now; returns True when the store was writable and written."""
        self._qs.sync()
        return self._qs.status() == QSettings.NoError
