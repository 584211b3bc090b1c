"""Every QThread the app starts, so that closing (and the tests) can prove none is left running, and
:class:`TaskRunner`, which runs one slow function at a time off the GUI thread."""

import threading
import weakref

from PySide6.QtCore import QObject, QThread, Signal, Slot

_threads = weakref.WeakSet()


def new_thread(name):
    """A named QThread, registered so :func:`running_threads` can find it."""
    thread = QThread()
    thread.setObjectName(name)
    _threads.add(thread)
    return thread


def running_threads():
    """Names of the app's QThreads that are still running."""
    return [t.objectName() for t in list(_threads) if t.isRunning()]


class Task:
    """What a background function gets: ``progress(done, total)`` to report, ``cancelled()`` to poll."""

    def __init__(self, runner, token, cancel):
        self._runner, self._token, self._cancel = runner, token, cancel

    def progress(self, done, total):
        """Report ``done`` of ``total`` units (the runner's ``progressed`` signal, queued to the GUI)."""
        self._runner.progressed.emit(self._token, int(done), int(total))

    def cancelled(self):
        """True once the owner asked to cancel; the function should return soon after."""
        return self._cancel.is_set()


class _TaskWorker(QObject):
    """Lives on the runner's thread and calls one function at a time."""

    done = Signal(object, object, bool)    # token, result or message, ok

    @Slot(object)
    def run(self, job):
        token, fn, task = job
        try:
            result, ok = fn(task), True
        except Exception as e:  # noqa: BLE001 - reported to the owner as a message, never lost
            result, ok = f"{type(e).__name__}: {e}", False
        self.done.emit(token, result, ok)


class TaskRunner(QObject):
    """Runs functions off the GUI thread, one at a time, on a thread of its own.

    ``start(token, fn)`` calls ``fn(task)`` (a :class:`Task`) on the thread; then ``finished(token,
    result)`` or ``failed(token, message)`` arrives on the GUI thread, with ``progressed(token, done,
    total)`` meanwhile. :meth:`cancel` asks the running function to stop; :meth:`shutdown` ends the thread.
    """

    finished = Signal(object, object)
    failed = Signal(object, str)
    progressed = Signal(object, int, int)
    _requested = Signal(object)

    def __init__(self, name, parent=None):
        super().__init__(parent)
        self._thread = new_thread(name)
        self._worker = _TaskWorker()
        self._worker.moveToThread(self._thread)
        self._requested.connect(self._worker.run)
        self._worker.done.connect(self._done)
        self._thread.start()
        self._cancel, self._pending = threading.Event(), 0

    @property
    def busy(self):
        """True while a function runs or waits to run."""
        return self._pending > 0

    def start(self, token, fn):
        """Queue ``fn(task)``; ``token`` comes back with its result, so the owner can tell runs apart."""
        self._cancel = threading.Event()
        self._pending += 1
        self._requested.emit((token, fn, Task(self, token, self._cancel)))

    def cancel(self):
        """Ask the running function to stop (it returns what it has, or raises)."""
        self._cancel.set()

    def _done(self, token, result, ok):
        self._pending -= 1
        (self.finished if ok else self.failed).emit(token, result)

    def shutdown(self, timeout_ms=10_000):
        """Cancel, end the thread and wait for it. Safe to call twice."""
        self._cancel.set()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait(timeout_ms)
