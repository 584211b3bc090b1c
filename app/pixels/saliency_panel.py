"""What the network looks at: dC/dx for one digit over the example, signed, on a 28×28 view."""

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette, QPixmap
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout

from nncore import input_gradient
from nncore.evaluation import SATURATION_THRESHOLD, saturation
from nncore.limits import IMAGE_SIDE, N_CLASSES

from ..help.glossary import tip
from ..widgets.reading import read_outputs
from ..widgets.theme import follow_palette, readable
from .colours import grey_rgb, key_rgb, robust_scale, saliency_rgb
from .pixel_view import PixelView, rgb_image

TOP_GUESS = "the top guess"
# Largest |dC/dx| below this: next to no gradient reaches the pixels, and the map's colours (scaled to
# whatever is there) show rounding. A trained network's map peaks at 2e-4 or more on every MNIST test digit.
TINY_GRADIENT = 1e-6
WORD_COLOURS = {"orange": QColor("#e66101"), "purple": QColor("#5e3c99")}   # the key's hues, for its words


class SaliencyPanel(QGroupBox):
    """The example, and over it −dC/dx for the top guess or a chosen digit: orange argues for, purple
    against; a colour key. ``digitChanged()`` when the user picks another digit to explain."""

    digitChanged = Signal()

    def __init__(self, parent=None):
        super().__init__("What it looks at", parent)
        self.setToolTip(tip("dC/dx"))
        self.setToolTip("dC/dx: how the cost for one digit changes with each pixel (Fact 6 at layer 1)")
        self.x = self.gradient = self.outputs = self.target = self._reading = None
        self.scale, self.last_update_ms, self.saturated = 1.0, None, []
        self.digit = QComboBox()
        self.digit.addItems([TOP_GUESS] + [str(d) for d in range(N_CLASSES)])
        self.digit.setToolTip("Which digit's cost C (target y = that digit) the pixels are weighed against")
        self.digit.currentIndexChanged.connect(lambda _i: self.digitChanged.emit())
        self.overlay = PixelView(280, describe=self._describe, minimum=200, maximum=400)
        self.plain = PixelView(84)
        self.plain.setToolTip(f"The {IMAGE_SIDE} × {IMAGE_SIDE} image the network reads")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.RichText)
        self.summary.setFixedHeight(5 * self.summary.fontMetrics().lineSpacing())   # no relayout
        self.summary.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("For the digit"))
        pick.addWidget(self.digit)
        pick.addStretch(1)
        pick.addWidget(QLabel("reads:"))
        pick.addWidget(self.plain)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(self.overlay, 1, Qt.AlignHCenter)
        layout.addLayout(self._key())
        layout.addWidget(self.summary)
        follow_palette(self, lambda: self._reading is not None and self._say(self._reading))

    def _key(self):
        """The colour key: a bar from purple (against) through white to orange (for), and its scale."""
        bar = QLabel()
        bar.setPixmap(QPixmap.fromImage(rgb_image(key_rgb())))
        bar.setScaledContents(True)
        bar.setFixedHeight(12)
        bar.setMinimumWidth(80)
        self.key_against, self.key_for = QLabel("against"), QLabel("for")
        self.key_scale = QLabel("")
        self.key_scale.setStyleSheet("font-size: 11px;")
        self.key_scale.setForegroundRole(QPalette.PlaceholderText)    # the theme's dim text, readable in both
        self.key_scale.setAlignment(Qt.AlignHCenter)
        grid = QGridLayout()
        grid.addWidget(self.key_against, 0, 0)
        grid.addWidget(bar, 0, 1)
        grid.addWidget(self.key_for, 0, 2)
        grid.addWidget(self.key_scale, 1, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        return grid

    def chosen_digit(self):
        """The digit picked in the box, or None for the top guess."""
        i = self.digit.currentIndex()
        return None if i == 0 else i - 1

    def show_example(self, network, x):
        """Weigh ``x (784,)``'s pixels for ``network``: dC/dx for the top guess or the chosen digit."""
        start = time.perf_counter()
        self.x = x
        self.outputs = network.feedforward(x)
        reading = read_outputs(self.outputs)      # the pad's rule: no clear answer where it shows "?"
        self.target = reading.top if self.chosen_digit() is None else self.chosen_digit()
        self.gradient = input_gradient(network, x, self.target)   # Fact 6 at layer 1: dC/dx = W¹ᵀ δ¹
        self.scale = robust_scale(self.gradient)
        self.overlay.set_rgb(saliency_rgb(x, self.gradient, self.scale))
        self.plain.set_rgb(grey_rgb(x))
        self.saturated = saturation(network, x[None, :])   # per layer: the share of neurons with σ′ ≈ 0 here
        self._say(reading)
        self.last_update_ms = 1000 * (time.perf_counter() - start)

    def _say(self, reading):
        self._reading = reading
        d, a = self.target, self.outputs
        window = self.palette().color(QPalette.Window)
        orange, purple = (readable(c, window).name() for c in WORD_COLOURS.values())   # the hue, legible here
        self.key_against.setText(f"◀ against {d}")
        self.key_for.setText(f"for {d} ▶")
        self.key_scale.setText(f"full colour at |dC/dx| ≥ {self.scale:.2g}")
        if abs(self.gradient).max() < TINY_GRADIENT:
            self.summary.setText(self._saturated_text(reading))
            return
        which = ("the digit you picked" if self.chosen_digit() is not None else "its top guess" if reading.ahead
                 else "the first of the tied outputs" if reading.tie else "its top output")
        reads = f"reads <b>{reading.top}</b>" if reading.ahead else reading.words()
        top = "output" if reading.ahead else "top output"
        self.summary.setText(
            f"The network {reads} ({top} {a[reading.top]:.3f}). Weighed against <b>{d}</b>, {which} "
            f"(output {a[d]:.3f}): <span style='color:{orange}'><b>orange</b></span> pixels argue for "
            f"{d} (dC/dx &lt; 0: ink there lowers the cost), <span style='color:{purple}'><b>purple</b></span> "
            f"pixels against it (dC/dx &gt; 0). Hover for the numbers.")

    def _saturated_text(self, reading):
        """Why the map shows noise: the example saturates a layer (σ′(z) ≈ 0, so Fact 2 zeroes each δ)."""
        l, share = max(enumerate(self.saturated, start=1), key=lambda p: p[1])
        biggest = abs(self.gradient).max()
        size = "every dC/dx is exactly 0" if biggest == 0 else f"the largest |dC/dx| is {biggest:.2g}"
        return (f"The network {reading.words()}, but this map is noise: {size}. For this example "
                f"{share:.0%} of layer {l}'s neurons are "
                f"saturated (σ′(z) &lt; {SATURATION_THRESHOLD:g}); by Fact 2 each δ is multiplied by σ′(z) ≈ 0, "
                "so next to nothing reaches the pixels and the colours show rounding. A far too large η "
                "leaves a network like this.")

    def show_hint(self, text):
        """Nothing to weigh: say why."""
        self.x = self.gradient = self.outputs = self.target = self._reading = None
        self.overlay.set_rgb(None)
        self.plain.set_rgb(None)
        self.key_scale.setText("")
        self.summary.setText(text)

    def _describe(self, r, c):
        if self.gradient is None:
            return ""
        p = r * IMAGE_SIDE + c
        return f"pixel ({r}, {c}): x = {self.x[p]:.2f}, dC/dx = {self.gradient[p]:+.3g} (digit {self.target})"
