"""The networks the window can look at: the pre-trained default, each kept run's, opened files, new weights."""

from collections import OrderedDict

from PySide6.QtCore import QObject, Signal

DEFAULT_KEY = "default"
NEW_WEIGHTS_KEY = "new"     # Reset's untrained weights


def run_key(run_id):
    """The shelf key of a run's network."""
    return f"run:{run_id}"


class NetworkShelf(QObject):
    """An ordered set of named networks; ``changed()`` whenever one is added, renamed or removed."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries = OrderedDict()    # key -> (label, network)

    def put(self, key, label, network):
        """Keep ``network`` under ``key`` with ``label`` (replacing what was there)."""
        old = self._entries.get(key)
        self._entries[key] = (label, network)
        if key == DEFAULT_KEY:
            self._entries.move_to_end(key, last=False)     # always first in the list
        if old is None or old[0] != label:
            self.changed.emit()

    def remove(self, key):
        """Forget the network under ``key``."""
        if self._entries.pop(key, None) is not None:
            self.changed.emit()

    def get(self, key):
        """(label, network) under ``key``, or None."""
        return self._entries.get(key)

    def choices(self):
        """[(key, label)] in the order they were added (the default first)."""
        return [(key, label) for key, (label, _net) in self._entries.items()]

    def run_networks(self):
        """{run id: network} of the runs on the shelf."""
        return {int(key.removeprefix("run:")): net for key, (_label, net) in self._entries.items()
                if key.startswith("run:")}
