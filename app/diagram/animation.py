"""The player: a position in the schedule (step index, progress t), moved by a QTimer at a chosen speed."""

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from .schedule import group_end

STEP_SECONDS = 1.2      # one step at speed 1
FRAME_MS = 16           # the timer's interval (about 60 frames per second)
SPEEDS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0)


class Player(QObject):
    """Plays a list of :class:`~app.diagram.schedule.Step` from (0, 0) towards a target step's end.

    The position is ``(index, t)``: step ``index`` shown with progress ``t`` in [0, 1]; (i, 1) looks
    the same as (i + 1, 0). ``done`` counts the steps completed. Each stepping method sets a target
    one unit ahead (one equation, one layer, or the whole schedule) and plays there, then stops.
    """

    frame = Signal(int, float)       # index, t: paint this
    stepStarted = Signal(int)        # the position entered step ``index``
    stopped = Signal()               # the target was reached (or pause was pressed)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.steps, self.index, self.t, self.target, self.speed = [], 0, 0.0, None, 1.0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()

    # ---- state -------------------------------------------------------------------------------
    def load(self, steps, keep_position=False):
        """Play ``steps`` from the start (or from the same place when ``keep_position`` and it fits)."""
        same = keep_position and len(steps) == len(self.steps)
        self.steps = list(steps)
        if not same:
            self.pause()
            self.index, self.t = 0, 0.0
        self.frame.emit(self.index, self.t)

    @property
    def done(self):
        """How many steps are complete."""
        return self.index + (1 if self.t >= 1.0 else 0)

    @property
    def playing(self):
        return self._timer.isActive()

    @property
    def finished(self):
        """True when every step is complete."""
        return bool(self.steps) and self.done == len(self.steps)

    def set_speed(self, speed):
        """Play at ``speed`` × normal (1 step in STEP_SECONDS / speed)."""
        self.speed = float(speed)

    # ---- stepping ----------------------------------------------------------------------------
    def step_equation(self):
        """Play exactly one more step (one equation at one layer)."""
        if self.done < len(self.steps):
            self._run_to(self.done)

    def step_layer(self):
        """Play to the end of the next layer's group of steps."""
        if self.done < len(self.steps):
            self._run_to(group_end(self.steps, self.done))

    def play(self):
        """Play to the end of the schedule."""
        if self.steps and not self.finished:
            self._run_to(len(self.steps) - 1)

    def pause(self):
        """Stop where we are."""
        was = self._timer.isActive()
        self._timer.stop()
        self.target = None
        if was:
            self.stopped.emit()

    def restart(self):
        """Back to the start, paused."""
        self.pause()
        self.index, self.t = 0, 0.0
        self.stepStarted.emit(0)
        self.frame.emit(0, 0.0)

    def finish(self):
        """Jump to the target's end at once (the rest of the animation skipped)."""
        if self.target is not None:
            self.advance(float("inf"))

    # ---- moving ------------------------------------------------------------------------------
    def _run_to(self, target):
        self.target = target
        if self.t >= 1.0 and self.index < target:
            self._enter(self.index + 1)
        self._clock.start()
        self._timer.start()

    def _enter(self, index):
        self.index, self.t = index, 0.0
        self.stepStarted.emit(index)

    def _tick(self):
        seconds = self._clock.restart() / 1000.0
        self.advance(seconds)

    def advance(self, seconds):
        """Move the position on by ``seconds`` of playing time (at the current speed), up to the target."""
        if self.target is None:
            return
        remaining = seconds * self.speed / STEP_SECONDS
        while True:
            room = 1.0 - self.t
            if remaining < room:
                self.t += remaining
                break
            self.t, remaining = 1.0, remaining - room
            if self.index >= self.target:
                self.frame.emit(self.index, self.t)
                self._timer.stop()
                self.target = None
                self.stopped.emit()
                return
            self._enter(self.index + 1)
        self.frame.emit(self.index, self.t)
