"""Make it read…: gradient steps on the pixels (``nncore.toward_steps``) until the network reads another
digit, animated frame by frame with before, change and after and the ten outputs."""

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from nncore import toward_steps
from nncore.limits import IMAGE_SIDE, N_CLASSES

from ..widgets.heatmap import diverging_rgb
from ..widgets.output_bars import OutputBars
from .colours import grey_rgb
from .pixel_view import PixelView

SPEEDS = {"4 steps a second": 250, "15 steps a second": 66, "60 steps a second": 16, "straight to the end": 0}
DEFAULT_SPEED = "15 steps a second"
CHANGE_SCALE = 0.3   # a pixel changed by ±0.3 or more gets full colour in the change view
RETRY_FACTOR, MAX_STEP_SIZE = 3.0, 2.0


class NudgePanel(QGroupBox):
    """Buttons 0–9, the step size, the number of steps and the speed; the animation and its result.

    ``nudgeRequested(digit)`` asks the owner for the example (it then calls :meth:`start`);
    ``nudgeFinished(NudgeStep)`` carries the last frame; ``sendToPad(x)`` and
    ``inspectRequested(x, digit, description)`` carry the result, float32 ``(784,)``.
    """

    nudgeRequested = Signal(int)
    nudgeFinished = Signal(object)
    sendToPad = Signal(object)
    inspectRequested = Signal(object, int, str)

    def __init__(self, parent=None):
        super().__init__("Make it read…", parent)
        self.frames, self.target, self.description, self._steps = [], None, "", None
        self._cost_name = ""
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._advance)
        layout = QVBoxLayout(self)
        layout.addLayout(self._digit_buttons())
        layout.addLayout(self._settings_row())
        layout.addLayout(self._speed_and_stop())
        layout.addLayout(self._images())
        self.outputs_title = QLabel("Outputs")
        self.bars = OutputBars()
        self.bars.setMinimumWidth(160)
        self.bars.setFixedHeight(100)
        layout.addWidget(self.outputs_title)
        layout.addWidget(self.bars)
        self.status = QLabel("Press a digit: the example's pixels are nudged down dC/dx, one gradient step at "
                             "a time, until the network reads that digit.")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.status.setFixedHeight(3 * self.status.fontMetrics().lineSpacing() + 4)   # no relayout
        layout.addWidget(self.status)
        layout.addLayout(self._result_buttons())
        layout.addStretch(1)
        self._update_buttons()

    # ---- building ------------------------------------------------------------------------
    def _digit_buttons(self):
        row = QHBoxLayout()
        self.digit_buttons = []
        for d in range(N_CLASSES):
            b = QPushButton(str(d))
            b.setFixedWidth(30)
            b.setToolTip(f"Nudge the example until the network reads {d}")
            b.clicked.connect(lambda _checked=False, d=d: self.nudgeRequested.emit(d))
            row.addWidget(b)
            self.digit_buttons.append(b)
        row.addStretch(1)
        return row

    def _settings_row(self):
        self.step_size = QDoubleSpinBox()
        self.step_size.setRange(0.01, MAX_STEP_SIZE)
        self.step_size.setSingleStep(0.05)
        self.step_size.setValue(0.1)
        self.step_size.setToolTip("How far each step moves the image (L2 distance; an MNIST image's "
                                  "own norm is about 9)")
        self.max_steps = QSpinBox()
        self.max_steps.setRange(1, 2000)
        self.max_steps.setValue(200)
        self.max_steps.setToolTip("Give up after this many steps")
        self.speed = QComboBox()
        self.speed.addItems(list(SPEEDS))
        self.speed.setCurrentText(DEFAULT_SPEED)
        self.speed.setToolTip("How fast the steps are shown")
        self.speed.setMinimumContentsLength(12)
        row = QHBoxLayout()
        for w in (QLabel("step size"), self.step_size, QLabel("at most"), self.max_steps, QLabel("steps")):
            row.addWidget(w)
        row.addStretch(1)
        return row

    def _images(self):
        grid = QGridLayout()
        self.before, self.change, self.after = (PixelView(150, minimum=90, maximum=200) for _ in range(3))
        self.change.setToolTip(f"After − before: red where ink was added, blue where it was taken away "
                               f"(full colour at ±{CHANGE_SCALE})")
        captions = ("before", "change: ink added (red), taken away (blue)", "after")
        for col, (view, caption) in enumerate(zip((self.before, self.change, self.after), captions)):
            label = QLabel(caption)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
            grid.addWidget(view, 0, col, Qt.AlignHCenter)
            grid.addWidget(label, 1, col)
            grid.setColumnStretch(col, 1)
        return grid

    def _speed_and_stop(self):
        self.stop = QPushButton("Stop")
        self.stop.clicked.connect(self.stop_nudge)
        row = QHBoxLayout()
        for w in (QLabel("show"), self.speed, self.stop):
            row.addWidget(w)
        row.addStretch(1)
        return row

    def _result_buttons(self):
        self.retry = QPushButton("")
        self.retry.clicked.connect(self._retry)
        self.retry.hide()
        self.to_pad = QPushButton("Send to the pad")
        self.to_pad.setToolTip("Put the nudged image on the pad, to read it there")
        self.to_pad.clicked.connect(lambda: self.sendToPad.emit(self.result()))
        self.to_inspector = QPushButton("Open in the inspector")
        self.to_inspector.setToolTip("Walk the backward pass for the nudged image, with the target as y")
        self.to_inspector.clicked.connect(
            lambda: self.inspectRequested.emit(self.result(), self.target, self._result_description()))
        row = QHBoxLayout()
        row.addWidget(self.retry)
        row.addStretch(1)
        row.addWidget(self.to_pad)
        row.addWidget(self.to_inspector)
        return row

    # ---- the animation -------------------------------------------------------------------
    def start(self, network, x, target, description):
        """Nudge ``x (784,)`` toward ``target`` with ``network``; frames follow at the chosen speed."""
        self._timer.stop()
        self.target, self.description, self.frames = int(target), description, []
        self._cost_name = network.cost.name
        self._steps = toward_steps(network, x, self.target, max_steps=self.max_steps.value(),
                                   step_size=self.step_size.value())
        self.retry.hide()
        self.before.set_rgb(grey_rgb(x))
        self._advance()                       # the untouched input, at once
        if self._steps is not None:
            self._timer.start(SPEEDS[self.speed.currentText()])
        self._update_buttons()

    def _advance(self):
        frame = next(self._steps, None)
        if frame is None:
            self._finish()
            return
        self.frames.append(frame)
        if self._timer.interval() > 0 or len(self.frames) == 1:
            self._show(frame)

    def _show(self, frame):
        x0 = self.frames[0].x
        self.after.set_rgb(grey_rgb(frame.x))
        self.change.set_rgb(diverging_rgb((frame.x - x0).reshape(IMAGE_SIDE, IMAGE_SIDE), CHANGE_SCALE))
        self.bars.set_values(frame.outputs)
        reads = int(np.argmax(frame.outputs))
        self.outputs_title.setText(f"Outputs at step {frame.step}: reads {reads}")
        self.status.setText(f"Step {frame.step} of at most {self.max_steps.value()}: the network reads "
                            f"{reads}; output for {self.target}: {frame.outputs[self.target]:.3f}.")

    def _finish(self):
        self._timer.stop()
        self._steps = None
        last = self.frames[-1]
        self._show(last)
        self.status.setText(self._verdict(last))
        if not last.reached and self.step_size.value() < MAX_STEP_SIZE:
            bigger = min(MAX_STEP_SIZE, round(self.step_size.value() * RETRY_FACTOR, 2))
            self.retry.setText(f"Try step size {bigger:g}")
            self.retry.show()
        self._update_buttons()
        self.nudgeFinished.emit(last)

    def _verdict(self, last):
        d, a = self.target, last.outputs
        moved = float(np.linalg.norm(last.x - self.frames[0].x))
        if last.reached and last.steps == 0:
            return f"The network already reads {d}: nothing to nudge."
        if last.reached:
            return (f"The network reads <b>{d}</b> after {last.steps} steps (output for {d}: "
                    f"{self.frames[0].outputs[d]:.3f} → {a[d]:.3f}). The image moved by {moved:.2f} (L2), "
                    f"where the image itself measures {np.linalg.norm(self.frames[0].x):.1f}.")
        why = ("A network trained with the quadratic cost often gets stuck like this: its outputs saturate "
               "and dC/dx fades. " if self._cost_name == "quadratic" else "")
        return (f"<b>Not reached</b>: after {last.steps} steps the network still reads {int(np.argmax(a))} "
                f"(output for {d}: {a[d]:.3f}). {why}Try a larger step size.")

    def stop_nudge(self):
        """Stop the animation where it is: the frames so far are the result."""
        if self._steps is None:
            return
        self._timer.stop()
        self._steps.close()
        self._steps = None
        self._update_buttons()
        self.status.setText(f"Stopped at step {self.frames[-1].step}.")

    def _retry(self):
        self.step_size.setValue(min(MAX_STEP_SIZE, round(self.step_size.value() * RETRY_FACTOR, 2)))
        self.nudgeRequested.emit(self.target)

    @property
    def running(self):
        """True while the animation runs."""
        return self._steps is not None

    def result(self):
        """The last frame's image as float32 ``(784,)``, or None before any nudge."""
        return self.frames[-1].x.astype(np.float32) if self.frames else None

    def _result_description(self):
        last = self.frames[-1]
        return f"{self.description} nudged toward {self.target} in {last.steps} steps"

    def _update_buttons(self):
        done = bool(self.frames) and not self.running
        self.stop.setEnabled(self.running)
        self.to_pad.setEnabled(done)
        self.to_inspector.setEnabled(done)
