"""One small wrapper over QSettings; tests point it at a temporary file."""

import json

from PySide6.QtCore import QSettings

ORGANIZATION, APPLICATION = "Backprop Lab", "Backprop Lab"


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
