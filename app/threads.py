"""Every QThread the app starts, so that closing (and the tests) can prove none is left running, and
:class:`TaskRunner`, the one way the app runs work off the GUI thread. (The training worker is the
exception the style guide names: one long-lived QObject on its own QThread, stopped by an event.)"""

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


def collect_garbage_on_the_gui_thread(interval_s=1.0):
    """Keep Python's cyclic garbage collector on the GUI thread; returns the collector (keep it).

    A collection runs on whichever thread happens to allocate when a threshold is crossed. Started on a
    worker thread (the training worker, a save), it may free a window's widget whose Qt destructor waits
    for the GUI thread, while the GUI thread waits for the GIL: the window freezes for good. pyqtgraph's
    GarbageCollector turns automatic collection off and collects, generation by generation as the
    thresholds ask, on a GUI-thread timer. Call it on the GUI thread once the QApplication exists.
    """
    from pyqtgraph.util.garbage_collector import GarbageCollector

    return GarbageCollector(interval=interval_s)


def running_threads():
    """Names of the app's QThreads that are still running."""
    return [t.objectName() for t in list(_threads) if t.isRunning()]


class TaskFailed(Exception):
    """Raised by a job to tell its owner why in words: ``failed`` carries the message alone (any other
    exception is reported as ``"ClassName: message"``)."""


class Task:
    """What a job gets: ``progress(done, total)`` to report, ``cancelled()`` to poll."""

    def __init__(self, worker, cancel):
        self._worker, self._cancel = worker, cancel

    def progress(self, done, total):
        """Report ``done`` of ``total`` units (the runner's ``progressed`` signal, on the GUI thread)."""
        self._worker.progressed.emit(self._worker.serial, int(done), int(total))

    def cancelled(self):
        """True once the owner cancelled this job, started a newer one or shut the runner down: return soon
        (what it has, or raise)."""
        return self._cancel.is_set()


class _Worker(QObject):
    """Calls one job on its thread, reports the outcome and ends the thread."""

    done = Signal(int, object, bool)         # serial, the result or a message, ok
    progressed = Signal(int, int, int)       # serial, done, total

    def __init__(self, serial, job, cancel):
        super().__init__()
        self.serial, self.job, self.task = serial, job, Task(self, cancel)

    @Slot()
    def run(self):
        try:
            result, ok = self.job(self.task), True
        except TaskFailed as e:
            result, ok = str(e), False
        except Exception as e:  # noqa: BLE001 - reported to the owner as a message, never lost
            result, ok = f"{type(e).__name__}: {e}", False
        self.done.emit(self.serial, result, ok)
        QThread.currentThread().quit()


class _Running:
    """The job on the thread: its serial number, the owner's token, its thread, worker and cancel event."""

    def __init__(self, serial, token, name, job):
        self.serial, self.token, self.cancel = serial, token, threading.Event()
        self.thread, self.worker = new_thread(name), _Worker(serial, job, self.cancel)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)


class TaskRunner(QObject):
    """Runs jobs off the GUI thread, one at a time, on a thread that lives only while a job runs.

    ``start(token, job)`` calls ``job(task)`` (``task`` a :class:`Task`) on the thread; then
    ``finished(token, result)`` or ``failed(token, message)`` arrives on the GUI thread, with
    ``progressed(token, done, total)`` meanwhile. The latest start wins: a job started while another
    runs waits for it, replacing any job still waiting; the one running is asked to stop (``task.cancelled()``)
    and only the latest job's outcome and progress are reported. :meth:`cancel` drops them all;
    :meth:`shutdown` also waits for the thread. When ``finished`` or ``failed`` arrives the thread has ended.
    A job that raises because it was asked to stop is never reported.
    """

    finished = Signal(object, object)
    failed = Signal(object, str)
    progressed = Signal(object, int, int)

    def __init__(self, name, parent=None):
        super().__init__(parent)
        self.name = name
        self._serial = 0
        self._wanted = None      # serial of the job whose outcome the owner waits for, None: none
        self._running = None     # the _Running job on the thread
        self._waiting = None     # (serial, token, job) that starts when the running one ends
        self._kept = None        # the _Running job shutdown() waited for whose outcome is still reported

    @property
    def busy(self):
        """True from :meth:`start` until the latest job's outcome is reported (or it is cancelled)."""
        return self._wanted is not None

    def start(self, token, job):
        """Run ``job(task)`` as soon as the thread is free; ``token`` comes back with its outcome."""
        self._serial += 1
        self._wanted, self._waiting = self._serial, (self._serial, token, job)
        if self._running is None:
            self._start_waiting()
        else:
            self._running.cancel.set()

    def cancel(self):
        """Ask the running job to stop, drop the waiting one; neither's outcome is reported."""
        self._wanted = self._waiting = None
        if self._running is not None:
            self._running.cancel.set()

    def shutdown(self, timeout_ms=10_000):
        """Drop the waiting job, ask the running one to stop and wait for its thread (the window is
        closing). Its outcome, if it returned one, still arrives when the event loop runs. Safe to call twice."""
        running, wanted = self._running, self._wanted
        self.cancel()
        if running is not None and running.thread.wait(timeout_ms):
            self._running = None
            if running.serial == wanted:
                self._kept = running

    def _start_waiting(self):
        serial, token, job = self._waiting
        self._waiting = None
        running = self._running = _Running(serial, token, self.name, job)
        running.worker.done.connect(self._done)              # queued: the runner lives on the GUI thread
        running.worker.progressed.connect(self._progressed)
        running.thread.start()

    @Slot(int, int, int)
    def _progressed(self, serial, done, total):
        if serial == self._wanted and self._running is not None:
            self.progressed.emit(self._running.token, done, total)

    @Slot(int, object, bool)
    def _done(self, serial, result, ok):
        running = next((r for r in (self._running, self._kept) if r is not None and r.serial == serial), None)
        if running is None:                   # shutdown() waited for it, and it is no longer wanted
            return
        running.thread.wait()                 # it quits right after reporting
        if running is self._running:
            self._running, wanted = None, serial == self._wanted
        else:
            self._kept, wanted = None, True
        if serial == self._wanted:
            self._wanted = None
        if wanted and (ok or not running.cancel.is_set()):     # not when it raised to stop as asked
            (self.finished if ok else self.failed).emit(running.token, result)
        if self._waiting is not None and self._running is None:
            self._start_waiting()
