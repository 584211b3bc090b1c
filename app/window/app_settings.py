"""One small wrapper over QSettings; tests point it at a temporary file."""

import json
import shutil
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

ORGANIZATION, APPLICATION = "Backprop Lab", "Backprop Lab"


def user_data_dir():
    """The user's Backprop Lab data folder (my handwriting, the saved session): one level, named once.

    Earlier versions nested it twice (``…/Backprop Lab/Backprop Lab``); what is found there is moved up.
    """
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.GenericDataLocation)) / APPLICATION
    nested = folder / APPLICATION
    if nested.is_dir() and not nested.is_symlink():
        for item in nested.iterdir():
            if not (folder / item.name).exists():
                shutil.move(str(item), str(folder / item.name))
        shutil.rmtree(nested, ignore_errors=True)
    return folder


class AppSettings:
    """Typed get/set over a QSettings store: the user's (default) or an INI file at ``path``."""

    def __init__(self, path=None):
        if path is None:
            self._qs = QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION)
        else:
            self._qs = QSettings(str(path), QSettings.IniFormat)

    @property
    def path(self):
        """The file the settings live in."""
        return self._qs.fileName()

    def get_json(self, key, default=None):
        """A JSON value stored under ``key``, or ``default`` if absent or unreadable."""
        raw = self._qs.value(key)
        if raw is None:
            return default
        try:
            return json.loads(raw)
        except (TypeError, ValueError):
            return default

    def set_json(self, key, value):
        """Store ``value`` as JSON under ``key``."""
        self._qs.setValue(key, json.dumps(value))

    def get_bytes(self, key):
        """A QByteArray (window geometry or dock state) stored under ``key``, or None."""
        value = self._qs.value(key)
        return value if value is not None and hasattr(value, "size") else None

    def set_bytes(self, key, value):
        """Store a QByteArray under ``key``."""
        self._qs.setValue(key, value)

    def sync(self):
        """Write to disk now; returns True when the store is writable and written."""
        self._qs.sync()
        return self._qs.status() == QSettings.NoError
