"""The window's dataset: loaded in the background, so the window is usable while MNIST decompresses.

It is held once, as the files' bytes (MNIST: 55 MB); training, evaluation and the views convert the
rows they read (:meth:`nncore.Split.inputs`), so the window never keeps a float copy of a split.
"""

from PySide6.QtCore import QObject, Signal

from nncore import NNCoreError, load_dataset

from ..threads import TaskFailed, TaskRunner


def load_pixels(folder):
    """The dataset in ``folder`` (None: the bundled MNIST), its pixels as bytes; raises
    :class:`TaskFailed` saying why it cannot be loaded."""
    try:
        return load_dataset(folder)
    except NNCoreError as e:
        raise TaskFailed(str(e)) from e
    except (OSError, MemoryError) as e:
        raise TaskFailed(f"{folder}: cannot be loaded ({e})") from e


class DatasetLoader(QObject):
    """Owns the current dataset; loads others off the GUI thread.

    After :meth:`load`, either ``datasetChanged(Dataset)`` or ``failed(message)`` follows (for the
    latest load, when several were asked for); a failed load keeps the current dataset.
    """

    datasetChanged = Signal(object)
    failed = Signal(str)
    busyChanged = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runner = TaskRunner("dataset-loader", self)
        self.runner.finished.connect(self._done_ok)
        self.runner.failed.connect(self._done_failed)
        self._dataset = None

    @property
    def dataset(self):
        """The current :class:`nncore.Dataset`, or None until one has loaded."""
        return self._dataset

    def use(self, dataset):
        """Make an already loaded ``dataset`` the current one."""
        self._dataset = dataset
        self.datasetChanged.emit(dataset)

    @property
    def busy(self):
        """True while a load is in progress."""
        return self.runner.busy

    def load(self, folder=None):
        """Start loading ``folder`` (None: the bundled MNIST)."""
        self.runner.start(folder, lambda _task: load_pixels(folder))
        self.busyChanged.emit(True)

    def _done_ok(self, _folder, data):
        self.busyChanged.emit(False)
        self.use(data)

    def _done_failed(self, _folder, message):
        self.busyChanged.emit(False)
        self.failed.emit(message)

    def shutdown(self):
        """Wait for the load in progress (well under a second): the window is closing."""
        self.runner.shutdown(30_000)
