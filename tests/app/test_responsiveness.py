"""The window stays responsive: per-reading and per-update work is bounded, hidden rooms do nothing.

Each test proves one of the measures behind benchmarks/gui_responsiveness.py's targets by what Qt
or the room did (events sent, copies taken, tasks started), not by timing.
"""

from dataclasses import replace

import numpy as np
import pytest
from digit_strokes import BASE, smooth
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

import nncore
from app.diagram.diagram_tab import DiagramTab
from app.pad import handwriting_panel
from app.pad.drawing_pad import DrawingPad
from app.pad.handwriting_panel import HandwritingPanel
from app.pad.handwriting_store import HandwritingStore
from app.pad.pad_panel import PadPanel
from app.pad.prediction_view import PredictionView
from app.training.axis_ranges import needs_new_range, nice_ceiling, y_range
from app.training.plots_panel import PlotsPanel
from app.training.progress_strip import ProgressStrip
from app.training.run_curves import RunCurves
from app.training.run_history import RunHistory, RunSetup
from app.training.training_config import TrainingConfig
from nncore.inspection import trace
from nncore.reports import BatchReport


class EventCounter(QObject):
    """Counts the events of the given types that reach the objects it is installed on."""

    def __init__(self, *types):
        super().__init__()
        self.types, self.count, self.regions = types, 0, []

    def eventFilter(self, _obj, event):
        if event.type() in self.types:
            self.count += 1
            if event.type() == QEvent.Paint:
                self.regions.append(event.rect())
        return False


def outputs(top, value, rest=0.01):
    """Ten outputs: ``value`` at digit ``top``, ``rest`` elsewhere."""
    a = np.full(10, rest)
    a[top] = value
    return a


def test_a_reading_never_relayouts_or_restyles_and_repaints_only_what_changed(qtbot):
    """Readings at every pen move: no layout request, no style change; the guess repaints only when
    its digit or confidence changes, and its colour follows the confidence class."""
    view = PredictionView()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    x = np.zeros(784, np.float32)
    view.show_outputs(x, outputs(3, 0.95))
    QTest.qWait(20)
    layouts, styles = EventCounter(QEvent.LayoutRequest), EventCounter(QEvent.StyleChange)
    guess_paints = EventCounter(QEvent.Paint)
    view.guess.installEventFilter(guess_paints)
    for w in (view, view.guess, view.detail):
        w.installEventFilter(layouts)
        w.installEventFilter(styles)
    for value in (0.951, 0.952, 0.953):           # the numbers change, the guess does not
        view.show_outputs(x, outputs(3, value))
    QTest.qWait(20)
    assert guess_paints.count == 0 and view.guess.text() == "3"
    assert f"top output {0.953:.3f}" in view.detail.text()
    view.show_outputs(x, outputs(3, 0.4, rest=0.3))  # not sure: "?" in the "not sure" colour
    qtbot.waitUntil(lambda: guess_paints.count > 0)
    assert view.guess.text() == "?" and view.guess.color() == QColor("#c62828")
    assert layouts.count == 0 and styles.count == 0


def test_a_pen_move_repaints_only_the_segment_it_inked(qtbot):
    """A stroke's first dot repaints the pad (the hint goes); each later move only the segment's box."""
    pad = DrawingPad()
    qtbot.addWidget(pad)
    pad.resize(300, 300)
    pad.show()
    qtbot.waitExposed(pad)
    paints = EventCounter(QEvent.Paint)
    pad.installEventFilter(paints)
    QTest.mousePress(pad, Qt.LeftButton, Qt.NoModifier, QPoint(100, 100))
    qtbot.waitUntil(lambda: paints.count == 1)
    assert paints.regions[-1] == pad.rect()
    QTest.mouseMove(pad, QPoint(110, 104))
    qtbot.waitUntil(lambda: paints.count == 2)
    box = paints.regions[-1]
    assert box.contains(QPoint(100, 100)) and box.contains(QPoint(110, 104))
    assert box.width() * box.height() < 0.1 * pad.width() * pad.height()
    QTest.mouseRelease(pad, Qt.LeftButton, Qt.NoModifier, QPoint(110, 104))


def test_a_hidden_pad_reads_none_of_a_runs_networks_until_shown(qtbot, tmp_path):
    """With its dock closed, the pad reads none of the networks a run sends; shown, it reads with the
    newest, once."""
    panel = PadPanel(HandwritingStore(tmp_path / "mine", load=False))
    qtbot.addWidget(panel)
    try:
        readings = []
        panel.predicted.connect(readings.append)
        panel.pad.draw_strokes(smooth(BASE[7]))
        networks = [nncore.Network([784, 10], rng=seed) for seed in range(5)]
        for network in networks:
            panel.set_network(network)
        qtbot.wait(50)
        assert readings == []
        panel.show()
        qtbot.waitUntil(lambda: len(readings) == 1)
        np.testing.assert_allclose(readings[0], networks[-1].feedforward(panel.pad.to_network_input()))
    finally:
        panel.shutdown()


def test_the_hidden_diagram_tab_copies_no_network_until_shown(qtbot, mnist):
    """Ten networks from a run reach a hidden diagram tab: no copy, no trace, also when the animation
    draws a frame meanwhile; shown, it copies and traces the newest once."""
    tab = DiagramTab(lambda: None)
    qtbot.addWidget(tab)
    tab.set_network(nncore.Network([784, 12, 10], rng=1))
    tab.set_dataset(mnist)
    tab.picker.index.setValue(0)
    assert tab.picker.choose()
    copies, traced = [], tab.trace
    tab.networkCopied.connect(lambda: copies.append(tab.network))
    networks = [nncore.Network([784, 12, 10], rng=seed) for seed in range(10)]
    for network in networks:
        tab.set_network(network)
    tab.player.frame.emit(len(tab.steps) - 1, 1.0)   # the update step's frame: it draws the tab's own copy
    assert copies == [] and tab.trace is traced
    tab.show()
    assert copies == [tab.network] and tab.network is not networks[-1]
    np.testing.assert_array_equal(tab.network.weights[0], networks[-1].weights[0])
    expected = trace(networks[-1], mnist.test.x[0], int(mnist.test.labels[0]))
    np.testing.assert_array_equal(tab.trace.zs[0], expected.zs[0])
    tab.shutdown()


def test_my_handwriting_is_scored_at_most_once_a_second_and_not_while_hidden(qtbot, tmp_path, monkeypatch):
    """Networks twice a second for a run: a hidden panel starts no scoring, not even after loading the
    drawings; shown, it scores the newest network, and then at most once an interval (a second; 0.2 s
    here) however many arrive."""
    monkeypatch.setattr(handwriting_panel, "SCORE_INTERVAL_S", 0.2)
    interval_ms = 200
    panel = HandwritingPanel(HandwritingStore(tmp_path / "mine", load=False))
    qtbot.addWidget(panel)
    scorings = []
    panel.scoringStarted.connect(lambda: scorings.append(panel.network))
    try:
        assert panel.runner.busy                                   # reading the drawings...
        qtbot.waitUntil(lambda: not panel.runner.busy)             # ... done
        networks = [nncore.Network([784, 10], rng=seed) for seed in range(10)]
        for network in networks:
            panel.set_network(network)
        qtbot.wait(int(1.5 * interval_ms))
        assert scorings == []
        panel.show()
        qtbot.waitUntil(lambda: len(scorings) == 1 and not panel.runner.busy)
        assert scorings[0] is networks[-1]
        for network in networks[:5]:
            panel.set_network(network)
        assert len(scorings) == 1
        qtbot.waitUntil(lambda: len(scorings) == 2, timeout=int(3 * interval_ms))
        qtbot.wait(int(1.5 * interval_ms))
        assert scorings[1:] == [networks[4]]
    finally:
        panel.shutdown()


def test_a_batch_report_asks_for_a_repaint_of_the_bar_and_does_not_paint_at_once(qtbot):
    """QProgressBar.setValue would paint the window's waiting widgets at once; the strip only asks."""
    strip = ProgressStrip()
    qtbot.addWidget(strip)
    strip.show()
    qtbot.waitExposed(strip)
    strip.run_started(1, RunSetup(TrainingConfig(epochs=2), first_epoch=1))
    paints = EventCounter(QEvent.Paint)
    strip.bar.installEventFilter(paints)
    strip.batch(1, BatchReport(1, 1, 100, 25_000, 50_000, 0.1, 3.0, 1.0))
    assert paints.count == 0 and strip.bar.value() == 250
    qtbot.waitUntil(lambda: paints.count == 1)


@pytest.fixture
def plots(qtbot):
    """A PlotsPanel on an empty run history."""
    history = RunHistory()
    panel = PlotsPanel(history)
    qtbot.addWidget(panel)
    return panel


def test_a_new_run_takes_the_spare_curves_and_restyles_only_what_changed(qtbot, plots, monkeypatch):
    """Train takes the curves made while idle; of the earlier runs only the one that stops being the
    current run gets new pens."""
    history = plots.history
    plots.prepare_next_run(0)
    qtbot.waitUntil(lambda: plots._spare is not None)
    spare = plots._spare
    first = history.add(1, RunSetup(TrainingConfig(), first_epoch=1))[0]
    plots.add_run(first)
    assert plots._curves[1] is spare and plots._spare is None
    plots.add_run(history.add(2, RunSetup(TrainingConfig(), first_epoch=1))[0])
    pens = []
    monkeypatch.setattr(RunCurves, "_set_pens", lambda self, current, highlighted: pens.append(
        (self.record.run_id, current)))
    plots.add_run(history.add(3, RunSetup(TrainingConfig(), first_epoch=1))[0])
    assert sorted(pens) == [(2, False), (3, True)]


@pytest.mark.parametrize("v, ceiling", [(0.3, 0.5), (1.0, 1.0), (1.01, 2.0), (2.5, 5.0), (7, 10.0),
                                        (0.0042, 0.005)])
def test_nice_ceiling_is_the_next_1_2_5_value(v, ceiling):
    """1, 2, 5 × 10ᵏ: the smallest at or above the value."""
    assert nice_ceiling(v) == pytest.approx(ceiling)


def test_y_ranges_are_round_and_a_rising_accuracy_keeps_its_range():
    """Costs from 0 to a 1-2-5 value, log costs in whole decades, accuracy up to 100 from a round
    value; the range is kept while the data stays inside and fills at least half of it."""
    assert y_range("cost", 0.0, 0.093) == (0.0, 0.2)
    assert y_range("cost", -2.3, -0.4, log=True) == (-3, 0)
    assert y_range("accuracy", 90.0, 93.0) == (85.0, 100.0)
    assert y_range("accuracy", 10.0, 95.0) == (0.0, 100.0)
    shown = y_range("accuracy", 90.0, 91.0)
    for top in (92.0, 94.5, 96.8):          # epochs of one run: the accuracy rises
        assert not needs_new_range(shown, 90.0, top, y_range("accuracy", 90.0, top))
    assert needs_new_range(shown, 70.0, 96.8, y_range("accuracy", 70.0, 96.8))           # outgrown
    assert needs_new_range((0.0, 1.0), 0.0, 0.09, y_range("cost", 0.0, 0.09))           # shrunk


def test_train_has_the_worker_draw_the_seeds_weights_and_send_them_at_once(qtbot, window):
    """Train: the first network the worker sends holds the seed's weights (the CLI's sequence), and
    it is on the "Looking at" list before the first mini-batch (untrained, it does not take the focus)."""
    cfg = replace(TrainingConfig(hidden=(16,), learning_rate=3.0, epochs=1, batch_size=10, train_size=1000),
                  seed=7)
    window.panel.apply_config(cfg)
    with qtbot.waitSignal(window.session.networkUpdated, timeout=10_000) as sent:
        window.training.train(paused=True)
    expected = nncore.Network(cfg.sizes, cost=cfg.cost, init=cfg.init, rng=np.random.default_rng(cfg.seed))
    listed = window.networks.shelf.get(f"run:{sent.args[0]}")[1]
    for got, want, now in zip(sent.args[1].weights, expected.weights, listed.weights):
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(now, want)
    assert window.current.source == "default"
    with qtbot.waitSignal(window.session.runEnded, timeout=10_000):
        window.session.stop()
