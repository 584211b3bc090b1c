"""The ``nncore sweep`` child process, run by a QProcess: the GUI thread never waits for it.

Its stdout arrives through Qt's event loop, whole lines at a time (``lineRead``). :meth:`SweepProcess.stop`
sends SIGTERM, which the sweep passes on to each of its runs, waiting for them (and killing any still
running :data:`nncore.sweep.STOP_SECONDS` later); should the sweep itself not have ended
:data:`KILL_AFTER_MS` after that, it is killed, and on Linux so are its runs, found through ``/proc``.
The sweep is told the app's pid (:func:`nncore.process.end_with_parent`), so that it stops its runs and
ends should the app die without stopping it (a crash, ``kill -9``).
"""

import os
import signal

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QProcessEnvironment, QTimer, Signal

from nncore.process import PARENT_VARIABLE, children_of
from nncore.sweep import STOP_SECONDS

KILL_AFTER_MS = int(STOP_SECONDS * 1000) + 3000
MAX_ERROR_CHARS = 20_000     # the end of what the sweep said on stderr is kept, not all of it


class SweepProcess(QObject):
    """One sweep at a time. Signals: ``lineRead(str)``, a whole line of its stdout; ``ended(int, str,
    bool)``, its exit status (-1 when it crashed or could not start), the end of its stderr, and
    whether :meth:`stop` ended it."""

    lineRead = Signal(str)
    ended = Signal(int, str, bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._process, self._stopping = None, False
        self._buffer, self._errors = b"", ""
        self._kill_timer = QTimer(self, singleShot=True, interval=KILL_AFTER_MS, timeout=self._kill)
        app = QCoreApplication.instance()
        if app is not None:   # never leave a sweep running behind the app
            app.aboutToQuit.connect(self.shutdown)

    @property
    def running(self):
        return self._process is not None

    def pid(self):
        """The sweep's process id, or None."""
        if self._process is None:
            return None
        return int(self._process.processId()) or None

    def start(self, argv):
        """Start ``argv`` (program first); refused while a sweep runs."""
        if self._process is not None:
            raise RuntimeError("a sweep is already running")
        self._buffer, self._errors, self._stopping = b"", "", False
        p = QProcess(self)
        p.setProgram(argv[0])
        p.setArguments(argv[1:])
        p.setStandardInputFile(QProcess.nullDevice())
        env = QProcessEnvironment.systemEnvironment()
        env.insert(PARENT_VARIABLE, str(os.getpid()))   # the sweep ends with the app, however it ends
        p.setProcessEnvironment(env)
        p.readyReadStandardOutput.connect(self._read_output)
        p.readyReadStandardError.connect(self._read_errors)
        p.finished.connect(self._finished)
        p.errorOccurred.connect(self._error)
        self._process = p
        p.start()

    def stop(self):
        """Ask the sweep to stop (SIGTERM: it stops every run); kill it if it has not ended in time."""
        if self._process is None or self._stopping:
            return
        self._stopping = True
        self._process.terminate()
        self._kill_timer.start()

    def shutdown(self, timeout_ms=KILL_AFTER_MS):
        """Stop the sweep and wait for it (blocking, at most about ``timeout_ms``): for closing the app."""
        if self._process is None:
            return
        process = self._process
        self.stop()
        if not process.waitForFinished(timeout_ms):
            self._kill()
            process.waitForFinished(1000)

    def _read_output(self):
        if self._process is None:
            return
        self._buffer += bytes(self._process.readAllStandardOutput())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            if line.strip():
                self.lineRead.emit(line.decode("utf-8", errors="replace"))

    def _read_errors(self):
        if self._process is not None:
            text = bytes(self._process.readAllStandardError()).decode("utf-8", errors="replace")
            self._errors = (self._errors + text)[-MAX_ERROR_CHARS:]

    def _finished(self, code, exit_status):
        self._read_output()
        self._read_errors()
        if self._buffer.strip():
            self.lineRead.emit(self._buffer.decode("utf-8", errors="replace"))
        self._end(code if exit_status == QProcess.NormalExit else -1)

    def _error(self, error):
        if error == QProcess.FailedToStart:
            self._errors += f"could not start {self._process.program()}: {self._process.errorString()}"
            self._end(-1)

    def _end(self, status):
        process, self._process = self._process, None
        if process is None:
            return
        self._kill_timer.stop()
        process.deleteLater()
        self.ended.emit(status, self._errors, self._stopping)

    def _kill(self):
        """The sweep did not end when asked: kill its runs (Linux) and then the sweep."""
        if self._process is None:
            return
        for pid in children_of(self.pid()):
            _kill(pid)
        self._process.kill()


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
