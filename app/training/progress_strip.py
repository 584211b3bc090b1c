"""The status bar's run progress: a bar, examples per second and the time left."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget


def format_seconds(s):
    """'42 s', '3 min 05 s', '1 h 02 min'."""
    s = int(round(s))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class ProgressStrip(QWidget):
    """Shows where the current epoch is and how fast it goes."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(220)
        self.bar.setFormat("epoch progress")
        self.bar.setToolTip("Progress through the current epoch")
        self.rate = QLabel("")
        self.rate.setFixedWidth(250)   # fixed: a changing text must not relayout the whole window
        self.rate.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.rate)
        lay.addWidget(self.bar)
        self._total_epochs, self._first = 1, 1

    def run_started(self, _run_id, config, first_epoch=1):
        """A run of ``config.epochs`` epochs begins at epoch ``first_epoch``."""
        epochs = config.epochs
        self._total_epochs, self._first = epochs, first_epoch
        self.bar.setValue(0)
        self.bar.setFormat(f"epoch {first_epoch} of {first_epoch + epochs - 1}")
        self.rate.setText("")

    def batch(self, _run_id, r):
        """Update from a BatchReport."""
        self.bar.setValue(int(1000 * r.examples / r.epoch_size))
        self.bar.setFormat(f"epoch {r.epoch} of {self._first + self._total_epochs - 1}: %p%")
        rate = r.examples / max(r.seconds, 1e-9)
        epochs_left = self._first + self._total_epochs - 1 - r.epoch
        left = (r.epoch_size - r.examples + epochs_left * r.epoch_size) / max(rate, 1e-9)
        self.rate.setText(f"{rate:,.0f} examples/s · {format_seconds(left)} left")

    def run_ended(self, _run_id, _end):
        """The run is over."""
        self.bar.setValue(self.bar.maximum())
        self.rate.setText("")
