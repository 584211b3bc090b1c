"""Saved figures are for a report: the SVG draws as the PNG does, the legend sits beside the curves, the
curves stay inside the axes, and the page is light whatever the window's theme."""

import numpy as np
import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from app.training import figure_painter
from app.training.run_history import RunSetup
from app.training.training_config import TrainingConfig
from app.training.training_tab import TrainingTab
from app.window.view_options import dark_palette
from nncore.reports import EpochReport

SMALL = (180, 104)   # both pictures compared at a tenth of the PNG's size: text hinting aside


@pytest.fixture
def tab(qtbot):
    """A Training tab with two runs of 12 epochs (η 3 and 0.5), the first one's cost spiking past the axis."""
    tab = TrainingTab()
    qtbot.addWidget(tab)
    tab.resize(700, 700)
    tab.show()
    for run_id, eta in ((1, 3.0), (2, 0.5)):
        tab.run_started(run_id, RunSetup(TrainingConfig(epochs=12, learning_rate=eta)))
        for e in range(1, 13):
            c = 0.1 / e ** 0.5 * (3 / eta) ** 0.3
            tab.epoch(run_id, EpochReport(e, 12, c, c, 1 - c / 2, 1 - c / 1.9, eta, 1.0, 0.1, (0.1, 0.2)))
    return tab


def as_array(image, size=SMALL):
    """An image's RGB as a (h, w, 3) float array, smoothly scaled to ``size``."""
    small = image.convertToFormat(QImage.Format_RGB888).scaled(*size, Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    bits = np.frombuffer(small.constBits(), np.uint8).reshape(small.height(), small.bytesPerLine())
    return bits[:, :small.width() * 3].reshape(small.height(), small.width(), 3).astype(float)


def svg_as_image(path, width, height):
    """The SVG file drawn by Qt's own SVG renderer on white at ``width × height``."""
    renderer = QSvgRenderer(QByteArray(open(path, "rb").read()))
    assert renderer.isValid()
    image = QImage(width, height, QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def colour_mask(pixels, colour, tolerance=40):
    """Where ``pixels`` (h, w, 3) are within ``tolerance`` of ``colour`` in each channel."""
    c = QColor(colour)
    return (np.abs(pixels - np.array([c.red(), c.green(), c.blue()])) <= tolerance).all(axis=-1)


@pytest.mark.parametrize("which", ["cost", "accuracy"])
def test_the_svg_draws_as_the_png_does(tab, tmp_path, which):
    """The SVG rendered by QSvgRenderer and the PNG export agree pixel for pixel at a tenth of the size
    (mean difference under 2%, almost no pixel far off), and each run's colour lies where the other
    picture has it."""
    png = QImage(tab.save_figure(which, str(tmp_path / f"{which}.png")))
    svg = svg_as_image(tab.save_figure(which, str(tmp_path / f"{which}.svg")), png.width(), png.height())
    a, b = as_array(png), as_array(svg)
    difference = np.abs(a - b).max(axis=-1)
    assert difference.mean() < 0.02 * 255 and (difference > 96).mean() < 0.01
    full = (png.width(), png.height())
    for record in tab.history:
        in_png, in_svg = colour_mask(as_array(png, full), record.color), colour_mask(as_array(svg, full), record.color)
        assert in_png.sum() > 20 and abs(int(in_png.sum()) - int(in_svg.sum())) < 0.2 * in_png.sum()


def test_the_legend_is_beside_the_curves_and_curves_stay_in_the_axes(tab, tmp_path):
    """Every run's colour outside the axes' box lies only in the legend's column on the right (the lines
    drawn beside each label); the box itself holds each run's curve; the page is 1.5–2 times as wide as
    high. The first run's cost is pushed far above the axis so that its curve must be cut at the box."""
    record = next(iter(tab.history))
    record.epoch_cost[0] = 50.0         # far above any range: the cut, not the range, keeps it inside
    tab.plots.mark_dirty(record.run_id)
    tab.plots.cost_plot.getViewBox().setYRange(0, 0.2, padding=0)
    png = QImage(tab.save_figure("cost", str(tmp_path / "cost.png")))
    assert 1.5 <= png.width() / png.height() <= 2.0
    pixels = as_array(png, (png.width(), png.height()))
    scale = png.width() / figure_painter.SIZE[0]
    box = figure_painter.plot_rect()
    left, top, right, bottom = (int(v * scale) for v in (box.left(), box.top(), box.right(), box.bottom()))
    for r in tab.history:
        mask = colour_mask(pixels, r.color, tolerance=30)
        inside = mask[top + 2:bottom - 1, left + 2:right - 1].sum()
        outside = mask.copy()
        outside[top - 3:bottom + 4, left - 3:right + 4] = False
        ys, xs = np.nonzero(outside)
        assert inside > 200, f"run #{r.run_id} has no curve in the box"
        assert len(xs) > 20 and xs.min() > right + 10, f"run #{r.run_id}'s colour outside the box, not in the legend"


def test_a_figure_is_light_in_the_dark_theme(tab, tmp_path, qtbot):
    """With the dark palette on, the saved PNG and SVG are still dark ink on a white page."""
    app = QApplication.instance()
    kept = QPalette(app.palette())
    try:
        app.setPalette(dark_palette())
        png = QImage(tab.save_figure("accuracy", str(tmp_path / "a.png")))
        svg = svg_as_image(tab.save_figure("accuracy", str(tmp_path / "a.svg")), png.width(), png.height())
    finally:
        app.setPalette(kept)
    for image in (png, svg):
        pixels = as_array(image, (image.width(), image.height()))
        assert np.median(pixels) > 245                        # the page is white
        assert (pixels.max(axis=-1) < 80).sum() > 30          # and the text is dark
