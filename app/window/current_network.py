"""The network the window shows and reads with: one owner, one signal when it changes."""

from PySide6.QtCore import QObject, Signal


class CurrentNetwork(QObject):
    """Holds the window's current network, a line describing it, and how many epochs it has trained.

    The network held here is the window's own copy (the worker trains another); views that read it
    (pad, inspector, weights, mistakes) connect to ``changed(network, description)``.
    """

    changed = Signal(object, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._network, self._description, self._epochs, self._source = None, "", 0, ""

    @property
    def network(self):
        """The current network, or None before there is one."""
        return self._network

    @property
    def description(self):
        """One line for people: where the network came from and what it is."""
        return self._description

    @property
    def epochs(self):
        """Epochs this network has been trained for in this window (Continue carries on from it).

        The network's own count, not the session's: an opened file or new weights start at 0 while the
        session still remembers its last run.
        """
        return self._epochs

    @property
    def source(self):
        """Where the network came from, as a NetworkShelf key ('default', 'run:3', 'file:…'), or ''."""
        return self._source

    def set(self, network, description, *, epochs=0, source=""):
        """Replace the current network and tell every view."""
        self._network, self._description, self._epochs, self._source = network, description, epochs, source
        self.changed.emit(network, description)
