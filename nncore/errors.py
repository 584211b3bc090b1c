"""The one family of errors the core raises for bad files and bad input.

Every error a person can cause (a corrupt model file, a truncated dataset, an impossible layer size,
a save onto a folder) is an :class:`NNCoreError` whose message says what was wrong and what is
accepted. The GUI and the CLI catch this one type and show the message; anything else is a bug.
"""


class NNCoreError(Exception):
    """Base class: something the user supplied cannot be used. The message is for people."""


class ModelFileError(NNCoreError):
    """A network file is missing, unreadable, of another kind, from the future, or inconsistent."""


class DataFileError(NNCoreError):
    """A dataset cannot be used: an IDX file missing, truncated or mislabelled; an image that cannot be
    read; a CSV table with text where numbers go; one class only; more than a limit allows."""


class LoadStopped(Exception):
    """A dataset's loading was stopped by its caller (its ``stop`` event was set): not an error."""


class ConfigError(NNCoreError, ValueError):
    """A training setting is out of range (a layer of size 0, eta <= 0, a batch larger than the data)."""


class SaveError(NNCoreError, OSError):
    """A save was refused before anything was written (the target is a folder, a device or a FIFO,
    its folder is missing or not writable, or it is a loop of symbolic links).

    It is also an ``OSError``, so code that catches save failures as ``OSError`` keeps working:
    ``filename`` is the path asked for, ``strerror`` the reason alone, ``str()`` the two together.
    """

    def __init__(self, path, reason, errno=None):
        super().__init__(errno, reason, str(path))

    def __str__(self):
        return f"{self.filename}: {self.strerror}"

    def __reduce__(self):   # rebuilt from its own arguments, not OSError's (e.g. across processes)
        return type(self), (self.filename, self.strerror, self.errno)


class ReadOnlyFileError(SaveError):
    """The target exists and is read-only: replaced only when the caller says so (``force=True``).

    The window asks first; the command line says to use ``--force``.
    """
