"""The smaller rooms: progress strip, hidden-layer editor, saturation plot, gallery, PNG export."""

import numpy as np
import pytest
from PySide6.QtGui import QImage

import nncore
from app.inside.weights_tab import WeightsTab
from app.pad.gallery_dialog import GalleryDialog
from app.pad.handwriting_store import HandwritingStore
from app.training.hidden_layers_editor import HiddenLayersEditor
from app.training.progress_strip import ProgressStrip, format_seconds
from app.training.run_history import RunHistory, RunSetup
from app.training.saturation_plot import SaturationPlot
from app.training.training_config import TrainingConfig
from app.widgets.pens import FADED_ALPHA
from nncore.data import resources_dir
from nncore.limits import HIDDEN_LAYERS
from nncore.reports import BatchReport, EpochReport


def batch_report(epoch, examples, seconds, size=50_000):
    return BatchReport(epoch, 1, 5000, examples, size, 0.1, 3.0, seconds)


def test_progress_strip_shows_the_runs_progress_and_a_rate_from_training_time_only(qtbot):
    """A 3-epoch run from epoch 5: the bar is the run's share done, the text names the epoch; the rate
    comes from consecutive reports while running, never from time spent paused or stepping."""
    from app.training.training_session import RunState
    from nncore.reports import EndReason, RunEnd

    strip = ProgressStrip()
    qtbot.addWidget(strip)
    strip.run_started(1, RunSetup(TrainingConfig(epochs=3), first_epoch=5))
    assert strip.bar.format() == "epoch 5 of 7 · 0% of the run" and strip.bar.value() == 0
    strip.state_changed(RunState.RUNNING)
    strip.batch(1, batch_report(6, 10_000, 1.0))
    strip.batch(1, batch_report(6, 20_000, 2.0))          # 10,000 examples in 1 s
    assert strip.bar.value() == round(1000 * 1.4 / 3) and strip.bar.format() == "epoch 6 of 7 · 46% of the run"
    # 30,000 left in epoch 6 and 50,000 in epoch 7 at 10,000 examples/s: 8 s
    assert strip.rate.text() == "10,000 examples/s · 8 s left"
    strip.state_changed(RunState.PAUSED)
    assert strip.rate.text() == "paused"
    strip.batch(1, batch_report(6, 20_010, 600.0))       # a step, ten minutes later
    strip.state_changed(RunState.RUNNING)
    strip.batch(1, batch_report(6, 30_010, 601.0))       # the first report after resuming: no rate yet
    strip.batch(1, batch_report(6, 40_010, 602.0))
    assert strip.rate.text().startswith("10,000 examples/s")
    strip.run_ended(1, RunEnd(EndReason.STOPPED, 6, 40_010, "stopped in epoch 6"))
    assert strip.bar.format() == "stopped in epoch 6 · 60% of the run" and strip.rate.text() == ""


@pytest.mark.parametrize("seconds, text", [(42, "42 s"), (185, "3 min 05 s"), (3720, "1 h 02 min")])
def test_format_seconds(seconds, text):
    """Durations read as people say them."""
    assert format_seconds(seconds) == text


def test_hidden_layer_editor_adds_removes_and_moves_rows(qtbot):
    """Add copies the last size, ✕ removes that row, ↑/↓ swap neighbours; Add stops at the limit."""
    from PySide6.QtWidgets import QPushButton, QToolButton

    editor = HiddenLayersEditor((30, 20))
    qtbot.addWidget(editor)
    changes = []
    editor.changed.connect(lambda: changes.append(editor.sizes()))
    (add,) = editor.findChildren(QPushButton)

    def click(row, text):
        (button,) = [b for b in editor.fields()[row].parent().findChildren(QToolButton) if b.text() == text]
        button.click()

    add.click()
    assert editor.sizes() == [30, 20, 20]
    click(0, "↓")
    assert editor.sizes() == [20, 30, 20]
    click(1, "✕")
    assert editor.sizes() == [20, 20]
    assert changes == [[30, 20, 20], [20, 30, 20], [20, 20]]
    editor.set_sizes([5] * HIDDEN_LAYERS.high)
    assert not add.isEnabled()
    click(0, "✕")
    assert add.isEnabled() and len(editor.fields()) == HIDDEN_LAYERS.high - 1


def test_saturation_plot_draws_each_runs_shares_and_fades_earlier_runs(qtbot, curves_by_tooltip):
    """Each layer's curve holds 100 × the reported shares; only the newest run is in full colour; a
    hidden plot draws nothing until it is shown."""
    history = RunHistory()
    plot = SaturationPlot(history)
    qtbot.addWidget(plot)
    for run_id, shares in ((1, [(0.5, 0.25), (0.4, 0.2)]), (2, [(0.1, 0.05)])):
        record, _ = history.add(run_id, RunSetup(TrainingConfig()))
        for epoch, s in enumerate(shares, start=1):
            record.add_epoch(EpochReport(epoch, 2, 0.1, 0.1, 0.9, 0.9, 3.0, 1.0, 0.1, s))
        plot.refresh()
    assert curves_by_tooltip(plot) == {}
    plot.show()
    qtbot.waitExposed(plot)
    first, second = (history.get(run_id).label for run_id in (1, 2))
    curves = curves_by_tooltip(plot)
    x, y = curves[f"{first}, layer 1"].getData()
    np.testing.assert_allclose(x, [1, 2])
    np.testing.assert_allclose(y, [50, 40])
    np.testing.assert_allclose(curves[f"{first}, layer 2"].getData()[1], [25, 20])
    assert plot.alpha_of(2, 1) == 255 and plot.alpha_of(1, 1) == FADED_ALPHA
    history.remove(1)
    plot.refresh()
    assert sorted(curves_by_tooltip(plot)) == [f"{second}, layer 1", f"{second}, layer 2"]


def test_weights_tab_on_a_network_without_hidden_layers(qtbot):
    """784-10 (the editor allows no hidden layer): clicking a neuron shows that output's bias."""
    tab = WeightsTab()
    qtbot.addWidget(tab)
    net = nncore.Network([784, 10], rng=2)
    tab.set_network(net)
    tab.show()
    qtbot.waitUntil(lambda: tab.network is net, timeout=3000)
    tab.show_neuron(7)
    assert "Output neuron 7" in tab.detail.text() and f"{net.biases[0][7]:.4g}" in tab.detail.text()


def test_gallery_lists_my_drawings_with_the_networks_reading_and_deletes(qtbot, tmp_path, mnist):
    """One item per drawing, '✓' where the network is right and '→ d' where not; Delete removes files."""
    store = HandwritingStore(tmp_path / "hw")
    net = nncore.load(resources_dir() / "default-network.npz")
    for k in range(6):
        store.add(mnist.test.x[k], int(mnist.test.labels[k]))
    wrong = store.add(mnist.test.x[0], (int(mnist.test.labels[0]) + 1) % 10)
    dialog = GalleryDialog(store, net)
    qtbot.addWidget(dialog)
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    answers = net.predict(np.stack([s.x() for s in store.samples]))
    expected = [f"{s.label} ✓" if a == s.label else f"{s.label} → {a}" for s, a in zip(store.samples, answers)]
    assert texts == expected[::-1] and len(texts) == 7 and any("→" in t for t in texts)   # newest first

    def select(path):
        for i in range(dialog.list.count()):
            item = dialog.list.item(i)
            item.setSelected(item.data(0x0100) == str(path))

    select(wrong.path)
    dialog.delete_selected()
    assert dialog.list.count() == 6 and not wrong.path.exists()
    assert len(HandwritingStore(tmp_path / "hw").samples) == 6
    dialog.undo_delete()                                  # Undo brings the drawing back (a new file)
    assert len(HandwritingStore(tmp_path / "hw").samples) == 7 and dialog.list.count() == 7
    back = store.samples[-1]
    np.testing.assert_array_equal(back.pixels, wrong.pixels)
    select(back.path)
    dialog.relabel_selected(int(mnist.test.labels[0]))    # relabel it to its true digit
    assert HandwritingStore(tmp_path / "hw").accuracy(net)[0] == sum(e.endswith("✓") for e in expected) + 1
    labels = sorted(s.label for s in store.samples)
    for _ in range(2):                                    # two deletes, then Undo twice brings both back
        select(store.samples[0].path)
        dialog.delete_selected()
    assert dialog.list.count() == 5 and dialog.undo.isEnabled()
    dialog.undo.click()
    dialog.undo.click()
    assert sorted(s.label for s in HandwritingStore(tmp_path / "hw").samples) == labels
    assert dialog.list.count() == 7 and not dialog.undo.isEnabled()


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_figure_export_is_the_plot_with_a_legend_and_no_widgets(window, qtbot, tmp_path, suffix):
    """Save figure writes the plot alone (SVG text or a PNG at twice the figure's size) with each run's label,
    mode 0644."""
    import os

    from app.training.run_history import RunSetup
    from nncore.reports import EpochReport

    window.resize(1200, 800)
    window.show()
    tab = window.training_tab
    setup = RunSetup(TrainingConfig(epochs=2))
    tab.run_started(7, setup)
    tab.epoch(7, EpochReport(1, 2, 0.05, 0.05, 0.9, 0.89, 3.0, 1.0, 0.1, (0.1, 0.2)))
    said = []
    tab.message.connect(lambda text, err: said.append((text, err)))
    path = tab.save_figure("accuracy", str(tmp_path / f"acc{suffix}"))
    assert said == [(f"Saved the accuracy plot to {path}", False)]
    assert os.stat(path).st_mode & 0o777 == 0o644
    if suffix == ".svg":
        text = open(path, encoding="utf-8").read()
        assert text.lstrip().startswith(("<?xml", "<svg")) and "#7 784-30-10" in text
        assert "Export CSV" not in text and "Save figure" not in text
    else:
        from app.training.figure_painter import SIZE
        image = QImage(path)
        assert not image.isNull() and (image.width(), image.height()) == (2 * SIZE[0], 2 * SIZE[1])


def test_window_fits_the_screen_it_opens_on(qtbot, settings, mnist, tmp_path):
    """A geometry saved on a larger screen is shrunk and moved so the whole window is on this one."""
    from app.window.main_window import MainWindow

    big = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(big)
    big.resize(4000, 3000)
    big.move(500, 400)
    big.save_settings()
    big.close()
    w = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(w)
    area = w.screen().availableGeometry()
    assert w.width() <= area.width() and w.height() <= area.height()
    assert area.contains(w.geometry().topLeft()) and w.geometry().right() <= area.right()
    w.close()


def test_a_stroke_keeps_its_shape_when_the_pad_is_resized_mid_stroke(qtbot):
    """Points after a resize map with the square the stroke began in: a straight line stays straight."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from app.pad.drawing_pad import CANVAS, DrawingPad

    pad = DrawingPad()
    qtbot.addWidget(pad)
    pad.resize(300, 300)
    pad.show()
    qtbot.waitExposed(pad)
    QTest.mousePress(pad, Qt.LeftButton, Qt.NoModifier, QPoint(30, 150))
    pad.resize(240, 300)                 # the pad shrinks under the pen
    QTest.mouseMove(pad, QPoint(150, 150))
    QTest.mouseRelease(pad, Qt.LeftButton, Qt.NoModifier, QPoint(150, 150))
    (stroke,) = pad.strokes()
    assert [round(y * CANVAS) for _x, y in stroke] == [CANVAS // 2] * len(stroke)
    assert round(stroke[-1][0] * CANVAS) == round(150 * CANVAS / 300)


def test_every_room_fits_a_1280_by_720_screen(window):
    """The window's minimum size, with every tab and both docks, fits 1280×720 less a window frame."""
    window.show()
    smallest = window.minimumSizeHint()
    assert smallest.width() <= 1280 - 8 and smallest.height() <= 720 - 40, smallest


def test_diverging_colours_are_symmetric_and_nan_is_grey():
    """0 is white, ±scale (and beyond) full red / blue, NaN light grey, halfway a blend."""
    from app.widgets.heatmap import diverging_rgb

    rgb = diverging_rgb(np.array([0.0, 2.0, -2.0, 9.0, np.nan, 1.0]), 2.0)
    assert rgb[:5].tolist() == [[255, 255, 255], [178, 24, 43], [33, 102, 172], [178, 24, 43], [236, 236, 236]]
    assert rgb[5].tolist() == [round((255 + 178) / 2), round((255 + 24) / 2), round((255 + 43) / 2)]


def test_the_cost_and_accuracy_plots_keep_their_room_on_a_laptop(window, qtbot):
    """At 1366×768 the cost and accuracy plots are each taller than the learning-speed plot."""
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    plots = window.training_tab.plots
    assert plots.cost_plot.height() >= 140 and plots.acc_plot.height() >= 140
    assert plots.speed_plot.height() <= 180


def test_the_learning_speed_axis_labels_decades_only(qtbot):
    """The log axis labels 10ᵏ once per decade (2·10ᵏ and 5·10ᵏ only in a view of about one decade),
    never pyqtgraph's nine labels a decade, and has no SI multiplier in its title."""
    from app.training.learning_speed_plot import LearningSpeedPlot

    plot = LearningSpeedPlot()
    qtbot.addWidget(plot)
    axis = plot.getAxis("left")
    assert axis.logMode and not axis.autoSIPrefix
    levels = axis.tickValues(-4.1, -1.9, 100)
    assert levels == [(1.0, [-4.0, -3.0, -2.0])]
    (_, decades), (_, between) = axis.tickValues(-3.05, -1.95, 100)
    assert decades == [-3.0, -2.0]
    np.testing.assert_allclose(between, np.log10([2e-3, 5e-3]))
    assert axis.tickStrings([-3.0, -2.0], 1.0, 1.0) == ["0.001", "0.01"]
    assert axis.tickValues(-12.2, -0.5, 100) == [(3.0, [-12.0, -9.0, -6.0, -3.0])]   # 12 decades: every 3rd


def test_plots_draw_only_when_shown_and_a_batch_redraws_only_the_cost(qtbot):
    """Hidden, the plots take no points; shown, a batch report gives the cost curve its points and
    leaves the accuracy plot alone; an epoch gives both their points; the x axis spans the run's epochs."""
    from app.training.plots_panel import PlotsPanel

    history = RunHistory()
    plots = PlotsPanel(history)
    qtbot.addWidget(plots)
    record, _ = history.add(1, RunSetup(TrainingConfig(epochs=4)))
    plots.add_run(record)
    record.add_batch(batch_report(1, 25_000, 1.0))
    plots.mark_dirty(1, which=("cost",))
    plots._tick()
    assert plots._curves[1].batch.xData is None                    # hidden: nothing drawn
    plots.show()
    qtbot.waitExposed(plots)
    batch = lambda: [list(v) for v in plots._curves[1].batch.getData()]  # noqa: E731
    assert batch() == [[0.5], [0.1]]                               # shown: caught up at once
    record.add_batch(batch_report(1, 50_000, 2.0))
    plots.mark_dirty(1, which=("cost",))
    assert plots._dirty == {"cost": {1}, "accuracy": set()}
    plots._tick()
    assert batch() == [[0.5, 1.0], [0.1, 0.1]] and plots._dirty["cost"] == set()
    assert plots._curves[1].val.xData is None                      # no epoch yet: accuracy untouched
    record.add_epoch(EpochReport(1, 4, 0.1, 0.1, 0.9, 0.8, 3.0, 1.0, 0.1, (0.1, 0.2), (0.01, 0.02)))
    plots.mark_dirty(1)
    for _ in range(3):      # cost, accuracy and learning speed take turns
        plots._tick()
    assert plots.curve_data(1)["validation_accuracy"] == ([1], [90.0])
    assert plots.speed_plot.curve_data() == [([1], [0.01]), ([1], [0.02])]
    x0, x1 = plots.acc_plot.getViewBox().viewRange()[0]
    assert x0 < 0 < 4 < x1 < 4.2                                   # the planned 4 epochs, padded


def test_diverging_image_has_the_tables_colours():
    """The packed 32-bit image holds diverging_rgb's colours pixel for pixel, NaN grey included."""
    from app.widgets.heatmap import diverging_image, diverging_rgb

    values = np.array([[0.0, 2.0, -2.0], [9.0, np.nan, 1.0]])
    image, rgb = diverging_image(values, 2.0), diverging_rgb(values, 2.0)
    for r in range(2):
        for c in range(3):
            colour = image.pixelColor(c, r)
            assert [colour.red(), colour.green(), colour.blue()] == rgb[r, c].tolist()


def test_tiles_place_each_row_and_leave_nan_gaps():
    """23 rows in 10 columns: each row is its 28×28 tile, the gaps and the unused tiles are NaN, and
    locate() maps a cell back to (row, pixel)."""
    from app.widgets.images import tile_rows_as_images

    rows = np.random.default_rng(0).normal(size=(23, 784))
    grid, locate = tile_rows_as_images(rows)
    assert grid.shape == (3 * 29, 10 * 29) and grid.dtype == rows.dtype
    for k in range(23):
        r, c = divmod(k, 10)
        np.testing.assert_array_equal(grid[r * 29:r * 29 + 28, c * 29:c * 29 + 28], rows[k].reshape(28, 28))
        assert locate(r * 29 + 5, c * 29 + 7) == (k, 5 * 28 + 7)
    assert np.isnan(grid[28]).all() and np.isnan(grid[2 * 29:, 3 * 29:]).all() and locate(28, 0) is None


def test_double_clicking_a_drawing_in_the_gallery_puts_it_on_the_pad(qtbot, tmp_path, mnist):
    """The gallery says what '1 → 2' means; double-clicking a drawing closes it and the pad reads that
    drawing: the pad's network input is the drawing's, and the reading is the network's for it."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from app.pad.pad_panel import PadPanel

    panel = PadPanel(HandwritingStore(tmp_path / "hw"))
    qtbot.addWidget(panel)
    net = nncore.load(resources_dir() / "default-network.npz")
    panel.set_network(net, "the default network")
    panel.show()
    store = panel.handwriting.store
    qtbot.waitUntil(lambda: "reading" not in panel.handwriting.summary.text(), timeout=5000)
    for k in range(3):
        store.add(mnist.test.x[k], int(mnist.test.labels[k]))
    chosen = store.samples[1]

    seen = {}

    def double_click_the_chosen_drawing():
        dialog = next(w for w in panel.findChildren(GalleryDialog) if w.isVisible())
        item = next(dialog.list.item(i) for i in range(dialog.list.count())
                    if dialog.list.item(i).data(0x0100) == str(chosen.path))
        seen.update(legend=dialog.legend.text(), tip=item.toolTip())
        where = dialog.list.visualItemRect(item).center()
        QTest.mouseClick(dialog.list.viewport(), Qt.LeftButton, pos=where)   # a double-click's first press
        QTest.mouseDClick(dialog.list.viewport(), Qt.LeftButton, pos=where)
        if dialog.isVisible():              # the double-click did not close it: close it, the test fails below
            seen["still open"] = True
            dialog.reject()

    QTimer.singleShot(200, double_click_the_chosen_drawing)
    panel.handwriting.show_gallery()         # modal: returns once the double-click has closed it
    assert "still open" not in seen and "1 → 2" in seen["legend"]
    assert "Double-click" in seen["tip"] and f"Labelled {chosen.label}" in seen["tip"]
    np.testing.assert_allclose(panel.network_input(), chosen.x(), atol=1 / 255)
    qtbot.waitUntil(lambda: panel.view.outputs is not None, timeout=5000)
    np.testing.assert_allclose(panel.view.outputs, net.feedforward(panel.network_input()), rtol=1e-6)
