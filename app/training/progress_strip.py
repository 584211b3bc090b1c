"""The status bar's run progress: a bar, examples per second and the time left."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from nncore.reports import epochs_text

SHOW_EVERY = 0.25   # seconds of training between two redraws of the bar and the rate


def format_seconds(s):
    """'42 s', '3 min 05 s', '1 h 02 min'."""
    s = int(round(s))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class ProgressStrip(QWidget):
    """The run's progress in epochs (the bar), the epoch it is in, examples per second and time left.

    The bar and its text are one measure: the share of the whole run done ('epoch 27 of 30 · 88% of the
    run'); a finished run fills the bar, a stopped one leaves it where the run got to.

    The rate is measured between consecutive reports of one epoch while the run is running, so time
    spent paused, stepping or evaluating never counts as training time.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(260)
        self.bar.setFormat("no run yet")
        self.bar.setToolTip("The run's progress over all its epochs; the text names the epoch it is in")
        self.rate = QLabel("")
        self.rate.setFixedWidth(250)   # fixed: a changing text must not relayout the whole window
        self.rate.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.rate)
        lay.addWidget(self.bar)
        self._epochs, self._first, self._last_report, self._rate, self._paused = 1, 1, None, None, False
        self._shown = self._latest = None    # the report the bar and the rate show; the latest one

    @property
    def _final_epoch(self):
        return self._first + self._epochs - 1

    def run_started(self, _run_id, setup):
        """A run of ``setup.config.epochs`` epochs begins at epoch ``setup.first_epoch``."""
        self._epochs, self._first = setup.config.epochs, setup.first_epoch
        self._last_report, self._rate, self._shown, self._latest = None, None, None, None
        self._show_done(self._first, 0)
        self.rate.setText("")

    def state_changed(self, state):
        """A pause, a step or a resume breaks the measurement of the rate; it restarts at the next report."""
        self._paused, self._last_report = state.name == "PAUSED", None
        if self._paused:
            self.rate.setText("paused")

    def batch(self, _run_id, r):
        """Update from a BatchReport. The bar and the rate are redrawn at most every SHOW_EVERY seconds
        of training (a progress bar repaints at once, and reports come ten times a second)."""
        shown, self._latest = self._shown, r
        due = (self._paused or shown is None or shown.epoch != r.epoch
               or not 0 <= r.seconds - shown.seconds < SHOW_EVERY)
        if due:
            self._shown = r
            self._show_done(r.epoch, self._done(r))
        if self._paused:               # a step: its time includes the wait before it
            return
        last, self._last_report = self._last_report, r
        if last is None or last.epoch != r.epoch or r.seconds <= last.seconds or r.examples <= last.examples:
            return
        rate = (r.examples - last.examples) / (r.seconds - last.seconds)
        self._rate = rate if self._rate is None else 0.7 * self._rate + 0.3 * rate
        if due:
            left = (r.epoch_size - r.examples + (self._final_epoch - r.epoch) * r.epoch_size) / self._rate
            self.rate.setText(f"{self._rate:,.0f} examples/s · {format_seconds(left)} left")

    def _done(self, r):
        """The share of the whole run done at report ``r`` (a BatchReport or None), in thousandths."""
        done = 0.0 if r is None else (r.fractional_epoch - (self._first - 1)) / self._epochs
        return round(1000 * min(max(done, 0.0), 1.0))

    def _show_done(self, epoch, value, head=None):
        """The bar at ``value`` thousandths of the run; its text the same share, after ``head`` (default:
        the epoch it is in)."""
        head = head or f"epoch {epoch} of {self._final_epoch}"
        self._set_bar(value, f"{head} · {value // 10}% of the run")

    def _set_bar(self, value, text):
        """QProgressBar.setValue repaints at once, and a repaint at once paints every widget of the
        window that waits for one (after a tab switch, the whole new tab: 20 ms inside a batch report,
        under X). With the bar's updates held off, it only asks for a repaint with the next pass."""
        self.bar.setUpdatesEnabled(False)
        self.bar.setValue(value)
        self.bar.setFormat(text)
        self.bar.setUpdatesEnabled(True)     # and update()

    def run_ended(self, _run_id, end):
        """The run is over: a finished run's bar is full ('finished 1 epoch'; early stopping says so); a
        run stopped, diverged or failed leaves the bar where it got to and says where."""
        if end.reason == "finished":
            epochs = end.epoch - self._first + 1
            early = " (stopped early)" if end.epoch < self._final_epoch else ""
            self._set_bar(1000, f"finished {epochs_text(epochs)}{early}")
        else:
            self._show_done(end.epoch, self._done(self._latest), f"{end.reason} in epoch {end.epoch}")
        self._last_report = None
        self.rate.setText("")
