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
from app.training.run_history import RunHistory
from app.training.saturation_plot import SaturationPlot
from app.training.training_config import TrainingConfig
from app.widgets.pens import FADED_ALPHA
from nncore.data import resources_dir
from nncore.limits import HIDDEN_LAYERS
from nncore.reports import BatchReport, EpochReport


def batch_report(epoch, examples, seconds, size=50_000):
    return BatchReport(epoch, 1, 5000, examples, size, 0.1, 3.0, seconds)


def test_progress_strip_counts_epochs_of_the_run_and_estimates_time_left(qtbot):
    """Epoch 2 of a 3-epoch run continued from epoch 5: 'epoch 6 of 7', 40%, rate and time left."""
    strip = ProgressStrip()
    qtbot.addWidget(strip)
    strip.run_started(1, TrainingConfig(epochs=3), 5)
    assert strip.bar.format() == "epoch 5 of 7"
    strip.batch(1, batch_report(6, 20_000, 2.0))
    assert strip.bar.value() == 400 and strip.bar.format().startswith("epoch 6 of 7")
    # 10,000 examples/s; 30,000 left in epoch 6 and 50,000 in epoch 7: 8 s
    assert strip.rate.text() == "10,000 examples/s · 8 s left"
    strip.run_ended(1, None)
    assert strip.bar.value() == strip.bar.maximum() and strip.rate.text() == ""


@pytest.mark.parametrize("seconds, text", [(42, "42 s"), (185, "3 min 05 s"), (3720, "1 h 02 min")])
def test_format_seconds(seconds, text):
    """Durations read as people say them."""
    assert format_seconds(seconds) == text


def test_hidden_layer_editor_adds_removes_and_moves_rows(qtbot):
    """Add copies the last size, ✕ removes that row, ↑/↓ swap neighbours; Add stops at the limit."""
    editor = HiddenLayersEditor((30, 20))
    qtbot.addWidget(editor)
    changes = []
    editor.changed.connect(lambda: changes.append(editor.sizes()))
    editor._append()
    assert editor.sizes() == [30, 20, 20]
    editor._move(0, 1)
    assert editor.sizes() == [20, 30, 20]
    editor._remove(1)
    assert editor.sizes() == [20, 20]
    assert changes == [[30, 20, 20], [20, 30, 20], [20, 20]]
    editor.set_sizes([5] * HIDDEN_LAYERS.high)
    assert not editor._add.isEnabled()
    editor._remove(0)
    assert editor._add.isEnabled() and len(editor.fields()) == HIDDEN_LAYERS.high - 1


def test_saturation_plot_draws_each_runs_shares_and_fades_earlier_runs(qtbot):
    """Each layer's curve holds 100 × the reported shares; only the newest run is in full colour."""
    history = RunHistory()
    plot = SaturationPlot(history)
    qtbot.addWidget(plot)
    for run_id, shares in ((1, [(0.5, 0.25), (0.4, 0.2)]), (2, [(0.1, 0.05)])):
        record, _ = history.add(run_id, TrainingConfig())
        for epoch, s in enumerate(shares, start=1):
            record.add_epoch(EpochReport(epoch, 2, 0.1, 0.1, 0.9, 0.9, 3.0, 1.0, 0.1, s))
        plot.refresh()
    x, y = plot._curves[(1, 0)].getData()
    np.testing.assert_allclose(x, [1, 2])
    np.testing.assert_allclose(y, [50, 40])
    np.testing.assert_allclose(plot._curves[(1, 1)].getData()[1], [25, 20])
    assert plot.alpha_of(2, 1) == 255 and plot.alpha_of(1, 1) == FADED_ALPHA
    history.remove(1)
    plot.refresh()
    assert sorted(plot._curves) == [(2, 0), (2, 1)]


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
    assert texts == expected and len(texts) == 7 and any("→" in t for t in texts)
    for i in range(dialog.list.count()):
        item = dialog.list.item(i)
        item.setSelected(item.data(0x0100) == str(wrong.path))
    dialog.delete_selected()
    assert dialog.list.count() == 6 and not wrong.path.exists()
    assert len(HandwritingStore(tmp_path / "hw").samples) == 6


def test_png_export_is_the_plots_as_a_picture(window, tmp_path):
    """Export PNG writes a readable image of the Training tab's size, and says where."""
    window.resize(1200, 800)
    window.show()
    said = []
    window.training_tab.message.connect(lambda text, err: said.append((text, err)))
    path = window.training_tab.export_png(str(tmp_path / "plots.png"))
    image = QImage(path)
    assert not image.isNull()
    assert (image.width(), image.height()) == (window.training_tab.width(), window.training_tab.height())
    assert said == [(f"Saved the plots to {path}", False)]

