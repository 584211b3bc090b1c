"""``backprop-lab --self-check``: open the window, wait for the bundled MNIST and the pre-trained default
network, print one line and exit (0 when everything came up, 1 with what did not).

It is the smoke test of a build, the no-Python bundle above all (``.ci/run`` starts it offscreen): the
window is the real one, but on a fresh profile in a temporary folder, so neither the user's settings nor
their saved session are read or written.
"""

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from .app_settings import AppSettings
from .main_window import MainWindow
from .network_shelf import DEFAULT_KEY

TIMEOUT_MS = 120_000   # MNIST decompresses in about a second; a minute more is a hang, not a slow disk


class SelfCheck(QObject):
    """Watches ``window`` until its dataset loads (or fails, or time runs out), then judges and quits
    ``app`` with the status; ``line`` is what was found."""

    def __init__(self, app, window, started):
        super().__init__(window)
        self.app, self.window, self.started = app, window, started
        self.status, self.line = 1, ""
        window.loader.datasetChanged.connect(self._loaded)
        window.loader.failed.connect(lambda message: self._finish(1, f"MNIST did not load: {message}"))
        self.timer = QTimer(self, singleShot=True, interval=TIMEOUT_MS)
        self.timer.timeout.connect(lambda: self._finish(1, f"MNIST did not load within {TIMEOUT_MS // 1000} s"))
        self.timer.start()

    def _loaded(self, data):
        _label, network = self.window.networks.shelf.get(DEFAULT_KEY) or (None, None)
        if not self.window.isVisible():
            self._finish(1, "the window is not shown")
        elif network is None:
            self._finish(1, "the pre-trained default network did not load")
        else:
            correct = round(network.accuracy(data.test.inputs(slice(None)), data.test.labels) * len(data.test))
            size = self.window.size()
            self._finish(0, f"the window is up ({size.width()}×{size.height()}); {data.name}: "
                            f"{len(data.train):,} training, {len(data.validation):,} validation, "
                            f"{len(data.test):,} test images; the default network ({network.describe()}) reads "
                            f"{correct:,} of the {len(data.test):,} test images correctly")

    def _finish(self, status, line):
        if self.line:
            return
        self.timer.stop()
        seconds = time.perf_counter() - self.started
        self.status, self.line = status, f"{'passed' if status == 0 else 'FAILED'}: {line} ({seconds:.1f} s)"
        self.window.close()
        self.app.exit(status)


def self_check(app):
    """Run the check in ``app`` (a QApplication, its loop not yet started); returns the exit status
    after printing ``backprop-lab self-check passed: ...`` or ``... FAILED: ...`` on stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="backprop-lab-self-check-", ignore_cleanup_errors=True) as profile:
        window = MainWindow(AppSettings(Path(profile) / "settings.ini"), data_dir=Path(profile) / "data")
        check = SelfCheck(app, window, started)
        window.show()
        app.exec()
        print(f"backprop-lab self-check {check.line or 'FAILED: the event loop ended early'}", flush=True)
        window.deleteLater()
    return check.status if check.line else 1
