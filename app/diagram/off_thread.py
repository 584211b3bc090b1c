"""One function at a time on a worker thread, for the lab's test accuracy and the layer map.

A job is a function of no arguments that reads only copies or read-only arrays (never a widget and
never the window's live network). The worker is a ``QObject`` without a parent moved to a ``QThread``
of the app's registry; the thread ends when its job is done, so nothing keeps running while idle.
A job submitted while another runs waits, and a newer one replaces it: only the latest matters.
"""

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..threads import new_thread


class _Worker(QObject):
    done = Signal(int, object)

    def __init__(self, request, job):
        super().__init__()
        self.request, self.job = request, job

    @Slot()
    def run(self):
        try:
            value = self.job()
        except Exception as error:   # reported to the GUI thread as the result, never lost
            value = error
        self.done.emit(self.request, value)
        QThread.currentThread().quit()


class OffThread(QObject):
    """``submit(job)`` returns a request id; ``result(request, value)`` arrives on the GUI thread (the
    value is the exception if the job raised). ``shutdown()`` waits for a running job."""

    result = Signal(int, object)

    def __init__(self, name, parent=None):
        super().__init__(parent)
        self.name, self._next, self._pending = name, 0, None
        self._thread = self._worker = None

    @property
    def busy(self):
        return self._thread is not None

    def submit(self, job):
        """Run ``job()`` off the GUI thread (after the running one, replacing any other waiting)."""
        self._next += 1
        self._pending = (self._next, job)
        if self._thread is None:
            self._start_pending()
        return self._next

    def _start_pending(self):
        request, job = self._pending
        self._pending = None
        self._worker = _Worker(request, job)
        self._thread = new_thread(self.name)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.done.connect(self.result)
        thread = self._thread
        thread.finished.connect(lambda: self._finished(thread))
        thread.start()

    def _finished(self, thread):
        if thread is not self._thread:      # a thread shutdown() already waited for
            return
        thread.wait()
        self._thread = self._worker = None
        if self._pending is not None:
            self._start_pending()

    def shutdown(self):
        """Drop waiting jobs and wait for the running one to end."""
        self._pending = None
        if self._thread is not None:
            self._thread.wait()
            self._thread = self._worker = None
