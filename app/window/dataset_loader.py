"""The window's dataset: loaded in the background, so the window is usable while MNIST decompresses."""

from PySide6.QtCore import QObject, Signal, Slot

from nncore import NNCoreError, load_dataset

from ..threads import new_thread


class _LoadWorker(QObject):
    """Loads one dataset folder and converts its pixels to floats, off the GUI thread."""

    loaded = Signal(object)
    failed = Signal(str)

    @Slot(object)
    def load(self, folder):
        try:
            data = load_dataset(folder).to_floats()   # here, off the GUI thread, not in epoch 1
            self.loaded.emit(data)
        except NNCoreError as e:
            self.failed.emit(str(e))
        except (OSError, MemoryError) as e:
            self.failed.emit(f"{folder}: cannot be loaded ({e})")


class DatasetLoader(QObject):
    """Owns the current dataset; loads others on a thread of its own.

    After :meth:`load`, either ``datasetChanged(Dataset)`` or ``failed(message)`` follows; a failed
    load keeps the current dataset.
    """

    datasetChanged = Signal(object)
    failed = Signal(str)
    busyChanged = Signal(bool)
    _requested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread = new_thread("dataset-loader")
        self._worker = _LoadWorker()
        self._worker.moveToThread(self._thread)
        self._requested.connect(self._worker.load)
        self._worker.loaded.connect(self._done_ok)
        self._worker.failed.connect(self._done_failed)
        self._thread.start()
        self._pending = 0
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
        return self._pending > 0

    def load(self, folder=None):
        """Start loading ``folder`` (None: the bundled MNIST)."""
        self._pending += 1
        self.busyChanged.emit(True)
        self._requested.emit(folder)

    def _done_ok(self, data):
        self._pending -= 1
        self.busyChanged.emit(self.busy)
        self.use(data)

    def _done_failed(self, message):
        self._pending -= 1
        self.busyChanged.emit(self.busy)
        self.failed.emit(message)

    def shutdown(self):
        """End the thread (after the load in progress, which takes well under a second)."""
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(30_000)
