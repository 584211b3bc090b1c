"""The plots range to the runs on show: the cost axis on the epoch means (a lone first report never squashes a
trained run), tick labels that never overlap (linear or log), % axes that read 0–100 when empty, axis labels
that fit, the learning speed of the run chosen, and same-seed runs told apart."""

import math

import pytest
from PySide6.QtGui import QImage, QPainter

from app.training.run_history import RunHistory, RunSetup
from app.training.saturation_plot import SaturationPlot
from app.training.training_config import TrainingConfig
from app.training.training_tab import TrainingTab
from nncore.reports import BatchReport, EpochReport, RunEnd

BOOK = TrainingConfig(epochs=30)


def book_cost(x):
    """A cost falling from 0.13 to 0.02 over 30 epochs, as the book's 784-30-10 run does."""
    return 0.02 + 0.11 * math.exp(-x / 4)


def train(tab, run_id, config=BOOK, epochs=30, first_report=0.9, speeds=(0.01, 0.03)):
    """Feed ``tab`` a whole run: ten reports an epoch (the first one an untrained network's cost), an
    EpochReport each epoch with learning speeds ``speeds`` (shrinking), and its end."""
    tab.run_started(run_id, RunSetup(config))
    for e in range(1, epochs + 1):
        for k in range(1, 11):
            cost = first_report if (e, k) == (1, 1) else book_cost(e - 1 + k / 10)
            tab.batch(run_id, BatchReport(e, k, 10, 5000 * k, 50_000, cost, 3.0, e + k / 10))
        tab.epoch(run_id, EpochReport(e, epochs, book_cost(e), 0.1, 0.95, 0.94, 3.0, 1.0, 0.1, (0.1, 0.2),
                                      tuple(s * math.exp(-e / 10) for s in speeds)))
    tab.run_ended(run_id, RunEnd("finished", epochs, 50_000, f"finished {epochs} epochs"))


def f10_step(tab, run_id, cost=1.9):
    """A new run that trained one mini-batch (F10) from a fresh network, then stopped."""
    tab.run_started(run_id, RunSetup(TrainingConfig(seed=5)))
    tab.batch(run_id, BatchReport(1, 1, 5000, 10, 50_000, cost, 3.0, 0.01))
    tab.run_ended(run_id, RunEnd("stopped", 1, 10, "stopped in epoch 1"))


def shown(qtbot, widget, size=(900, 760)):
    """``widget`` on screen at ``size`` (shown again if it was: a plot fits its ranges when shown)."""
    widget.hide()
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def y_range(plot):
    return tuple(plot.getViewBox().viewRange()[1])


def labels(axis):
    """The tick labels an axis draws now: [(QRectF, text)]."""
    image = QImage(8, 8, QImage.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _flags, text in specs[2]]


def overlaps(axis):
    """The pairs of tick labels drawn on top of each other."""
    drawn = labels(axis)
    return [(a, b) for i, (ra, a) in enumerate(drawn) for rb, b in drawn[i + 1:] if ra.intersects(rb)]


@pytest.fixture
def tab(qtbot):
    t = TrainingTab()
    qtbot.addWidget(t)
    return t


def test_the_cost_axis_ranges_on_the_epoch_means_not_the_first_report(qtbot, tab):
    """The book's run (epoch means 0.13 → 0.02, first report 0.9) fills a 0–0.2 axis, not 0–1."""
    train(tab, 1)
    shown(qtbot, tab)
    assert y_range(tab.plots.cost_plot) == pytest.approx((0.0, 0.2))


def test_an_f10_step_after_a_trained_run_keeps_the_trained_run_readable(qtbot, tab):
    """One mini-batch of a fresh network (cost 1.9) neither stretches the cost axis to 0–5 nor empties the
    learning-speed plot: it keeps showing the trained run, with a legend of its two layers only."""
    train(tab, 1)
    f10_step(tab, 2)
    shown(qtbot, tab)
    assert y_range(tab.plots.cost_plot) == pytest.approx((0.0, 0.2))
    speed = tab.plots.speed_plot
    assert [len(xs) for xs, _ in speed.curve_data()] == [30, 30]
    assert "run #1" in speed.plotItem.titleLabel.text
    legend = speed.plotItem.legend
    assert [label.text for _sample, label in legend.items] == ["layer 1", "layer 2"]
    assert all(sample.item.isVisible() for sample, _label in legend.items)   # none crossed out


def test_a_lone_first_report_sets_the_range_when_nothing_else_is_shown(qtbot, tab):
    """F10 in a fresh window: the one report is the only cost, and the axis shows it."""
    f10_step(tab, 1)
    shown(qtbot, tab)
    low, high = y_range(tab.plots.cost_plot)
    assert low == 0 and 1.9 < high <= 5.0


def test_the_selected_run_is_the_one_whose_learning_speed_shows(qtbot, tab):
    """Selecting a run in the list shows its learning speeds, and the title names it."""
    train(tab, 1, speeds=(0.001, 0.1))
    train(tab, 2, config=TrainingConfig(epochs=30, seed=2))
    shown(qtbot, tab)
    tab.runs.list.setCurrentRow(1)          # the list is newest first: row 1 is run #1
    qtbot.waitUntil(lambda: "run #1" in tab.plots.speed_plot.plotItem.titleLabel.text)
    first_layer = tab.plots.speed_plot.curve_data()[0][1]
    assert first_layer[0] == pytest.approx(0.001 * math.exp(-0.1))


@pytest.mark.parametrize("low, high", [(0.02, 0.13), (1e-4, 0.9), (0.05, 0.07), (0.011, 0.5)])
def test_log_cost_ticks_never_overlap(qtbot, tab, low, high):
    """On a log cost axis at the plot's smallest height, the labels are decades (and 2, 5 in a narrow view),
    never pyqtgraph's nine crowded labels a decade."""
    tab.plots.log_cost.setChecked(True)
    shown(qtbot, tab, (700, 520))
    tab.plots.cost_plot.getViewBox().setYRange(math.log10(low), math.log10(high), padding=0)
    axis = tab.plots.cost_plot.getAxis("left")
    assert len(labels(axis)) >= 2 and overlaps(axis) == []


def test_axis_labels_fit_their_axes(qtbot, tab):
    """Every plot's left-axis label fits the axis's height at the plots' smallest size (no 'mean cost per
    exampl')."""
    train(tab, 1)
    shown(qtbot, tab, (700, 520))
    for plot in (tab.plots.cost_plot, tab.plots.acc_plot, tab.plots.speed_plot):
        axis = plot.getAxis("left")
        assert axis.label.boundingRect().width() <= axis.geometry().height(), axis.labelText


def test_runs_with_the_same_seed_are_told_apart(qtbot, tab):
    """Two runs of the same settings and seed (the same curves): the repeat is drawn dashed above the first,
    and its row in the runs list says whose curves it repeats; another seed is no repeat."""
    train(tab, 1, epochs=2)
    train(tab, 2, epochs=2)
    train(tab, 3, config=TrainingConfig(epochs=30, seed=7), epochs=2)
    curves = tab.plots._curves
    assert curves[1].epoch.opts["pen"].dashPattern() == []
    assert curves[2].epoch.opts["pen"].dashPattern() == [4.0, 4.0]
    assert curves[2].val.opts["pen"].dashPattern() == [4.0, 4.0]
    assert curves[2].epoch.zValue() > curves[1].epoch.zValue()
    rows = {tab.runs.list.item(i).text().split(" ")[0]: tab.runs.list.item(i).text() for i in range(3)}
    assert "same settings and seed as #1" in rows["#2"]
    assert "same settings" not in rows["#1"] and "same settings" not in rows["#3"]
    tab.clear_runs()
    train(tab, 4, epochs=1)
    assert "same settings" not in tab.runs.list.item(0).text()      # its twin is gone


def test_an_empty_saturation_plot_reads_0_to_100_percent(qtbot):
    """'saturated (%)' over 0–100 with no runs, not pyqtgraph's 0–1; with runs, 0 to just above the highest."""
    history = RunHistory()
    plot = SaturationPlot(history)
    qtbot.addWidget(plot)
    shown(qtbot, plot, (600, 240))
    assert y_range(plot) == pytest.approx((0.0, 100.0))
    record, _ = history.add(1, RunSetup(TrainingConfig()))
    record.add_epoch(EpochReport(1, 1, 0.1, 0.1, 0.9, 0.9, 3.0, 1.0, 0.1, (0.03, 0.07), ()))
    plot.refresh(1)
    assert y_range(plot) == pytest.approx((0.0, 10.0))


def test_the_sweep_summary_labels_its_log_axis_without_overlap_and_reads_percent(qtbot):
    """A sweep of η 0.3 … 10: the x axis labels the swept values, none on top of another (not
    '0.40.50.60.70.8 91'); the empty accuracy axis is 0–100 %, and with points it ends at 100."""
    from app.sweeps.parameters import parameter
    from app.sweeps.summary_plot import SummaryPlot

    plot = SummaryPlot()
    qtbot.addWidget(plot)
    shown(qtbot, plot, (600, 400))
    plot.reset(parameter("eta"), [0.3, 1.0, 3.0, 10.0], "final training cost")
    low, high = y_range(plot.accuracy_plot)
    assert low <= 0 and 100 <= high <= 102
    for p in (plot.accuracy_plot, plot.cost_plot):
        axis = p.getAxis("bottom")
        assert [text for _rect, text in labels(axis)] == ["0.3", "1", "3", "10"] and overlaps(axis) == []
    plot.set_points([(0.3, 88.0, 0.2), (1.0, 93.0, 0.1), (3.0, 95.0, 0.05), (10.0, 30.0, 9.0)])
    low, high = y_range(plot.accuracy_plot)
    assert low < 30 and 100 <= high <= 102
    assert overlaps(plot.cost_plot.getAxis("left")) == []         # the costs span 180×: a log axis
    for p in (plot.accuracy_plot, plot.cost_plot):
        axis = p.getAxis("left")
        assert axis.label.boundingRect().width() <= axis.geometry().height(), axis.labelText
