"""``OffThread``: a :class:`..threads.TaskRunner` for jobs of no arguments whose outcome is one value.

The layer map and the learner submit such jobs (reading only copies or read-only arrays, never a widget
or the window's live network); the runner does the threading. The outcome is the job's result, or the
exception it raised (so an owner shows the error's own words).
"""

from PySide6.QtCore import QObject, Signal

from ..threads import TaskRunner


class OffThread(QObject):
    """``submit(job)`` returns a request id; ``result(request, value)`` arrives on the GUI thread for the
    latest request only (``value`` is the exception if the job raised). ``shutdown()`` waits for a
    running job."""

    result = Signal(int, object)

    def __init__(self, name, parent=None):
        super().__init__(parent)
        self.runner, self._next = TaskRunner(name, self), 0
        self.runner.finished.connect(self.result.emit)

    @property
    def busy(self):
        """True until the latest request's result has arrived."""
        return self.runner.busy

    def submit(self, job):
        """Run ``job()`` off the GUI thread (after the running one, replacing any other waiting)."""
        self._next += 1
        self.runner.start(self._next, lambda _task: _outcome(job))
        return self._next

    def shutdown(self):
        """Drop waiting jobs and wait for the running one to end."""
        self.runner.shutdown()


def _outcome(job):
    """``job()``, or the exception it raised."""
    try:
        return job()
    except Exception as error:  # noqa: BLE001 - the owner shows it, nothing is lost
        return error
