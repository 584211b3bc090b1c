"""The one family of errors the core raises for bad files and bad input.

Every error a person can cause (a corrupt model file, a truncated dataset, an impossible layer size)
is an :class:`NNCoreError` whose message says what was wrong and what is accepted. The GUI and the
CLI catch this one type and show the message; anything else is a bug.
"""


class NNCoreError(Exception):
    """Base class: something the user supplied cannot be used. The message is for people."""


class ModelFileError(NNCoreError):
    """A network file is missing, unreadable, of another kind, from the future, or inconsistent."""


class DataFileError(NNCoreError):
    """An IDX dataset file is missing, truncated, mislabelled or not 28x28 digits with labels 0-9."""


class ConfigError(NNCoreError, ValueError):
    """A training setting is out of range (a layer of size 0, eta <= 0, a batch larger than the data)."""
