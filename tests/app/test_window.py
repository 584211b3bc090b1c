"""The window: settings become a config, bad input blocks Train, runs train on the worker and plot."""

import math
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

import nncore
from app.threads import running_threads
from app.training.training_config import PRESETS, TrainingConfig
from app.training.training_session import RunState
from app.window.main_window import MainWindow

QUICK = TrainingConfig(hidden=(16,), learning_rate=3.0, epochs=2, batch_size=10, train_size=1000)


def type_into(qtbot, field, text):
    """Replace a field's text by typing, as a person would."""
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), text)


def run_to_end(qtbot, window, config=QUICK, timeout=30_000):
    """Apply ``config``, press Train, and wait for the run's end; returns (run id, RunEnd, epochs)."""
    window.panel.apply_config(config)
    epochs = []
    window.session.epochReported.connect(lambda _i, r: epochs.append(r))
    with qtbot.waitSignal(window.session.runEnded, timeout=timeout) as blocker:
        window.actions["train"].trigger()
    return blocker.args[0], blocker.args[1], epochs


def test_panel_turns_typed_values_into_the_config(qtbot, window):
    """Typing sizes, η, epochs, batch and seed, and picking cost and init, gives exactly that config."""
    p = window.panel
    p.hidden.set_sizes([30, 30])
    type_into(qtbot, p.hidden.fields()[0], "64")
    type_into(qtbot, p.hidden.fields()[1], "20")
    type_into(qtbot, p.eta, "0.5")
    type_into(qtbot, p.epochs, "7")
    type_into(qtbot, p.batch, "32")
    type_into(qtbot, p.train_size, "20000")
    type_into(qtbot, p.seed, "42")
    p.cost.setCurrentIndex(p.cost.findData("cross-entropy"))
    p.init.setCurrentIndex(p.init.findData("scaled"))
    cfg = p.config()
    assert cfg == TrainingConfig(hidden=(64, 20), learning_rate=0.5, epochs=7, batch_size=32,
                                 train_size=20000, cost="cross-entropy", init="scaled", seed=42)
    assert cfg.sizes == [784, 64, 20, 10]
    assert "784 → 64 → 20 → 10" in p.summary.text() and f"{cfg.num_weights():,}" in p.summary.text()
    # η's slider is logarithmic over 1e-4 … 1e2: 0.5 sits at (log10 0.5 + 4) / 6 of its length.
    assert p.eta_slider.value() == round(p.eta_slider.maximum() * (math.log10(0.5) + 4) / 6)


@pytest.mark.parametrize("field, text, words", [
    ("hidden", "0", "1 to 4,096"), ("hidden", "5000", "1 to 4,096"), ("eta", "20000", "η must be from"),
    ("eta", "0", "η must be from"), ("eta", "abc", "enter a number"), ("epochs", "0", "epochs must be"),
    ("batch", "60000", "mini-batch size"), ("train_size", "10", "training set must be"),
    ("l2", "-1", "λ must be from 0 to 1,000"), ("l2", "x", "enter a number"),
    ("patience", "-2", "patience must be from 0 to 10,000 epochs (0: off)"),
    ("halve_eta", "20000", "halving after must be from 0 to 10,000"),
])
def test_invalid_input_disables_train_with_a_message(qtbot, window, field, text, words):
    """An impossible value shows what is accepted beside the field and disables Train until fixed."""
    p = window.panel
    widget = p.hidden.fields()[0] if field == "hidden" else getattr(p, field)
    assert window.actions["train"].isEnabled()
    type_into(qtbot, widget, text)
    assert not window.actions["train"].isEnabled()
    shown = lambda: [lbl.text() for lbl in p.findChildren(QLabel) if lbl.isVisibleTo(p)]  # noqa: E731
    assert any(words in t for t in shown()), shown()
    p.apply_config(TrainingConfig())
    assert window.actions["train"].isEnabled()
    assert not any(words in t for t in shown())


def test_a_short_run_plots_exactly_the_reported_numbers(qtbot, window):
    """Two epochs on 1,000 examples: the accuracy and cost curves hold the epoch reports' numbers."""
    run_id, end, epochs = run_to_end(qtbot, window)
    assert end.reason == "finished" and len(epochs) == 2
    window.training_tab.plots.refresh()
    data = window.training_tab.plots.curve_data(run_id)
    assert data["validation_accuracy"] == ([1, 2], [100 * r.validation_accuracy for r in epochs])
    assert data["test_accuracy"][1] == [100 * r.test_accuracy for r in epochs]
    assert data["epoch_cost"][1] == [r.train_cost for r in epochs]
    assert len(data["batch_cost"][0]) >= 2 and data["batch_cost"][0][-1] == 2.0
    assert window.current.network.sizes == [784, 16, 10]
    assert window.actions["train"].isEnabled() and not window.actions["stop"].isEnabled()


def test_stop_mid_epoch_ends_the_run_and_keeps_the_thread_for_the_next(qtbot, window):
    """Stop during a long epoch: the run ends 'stopped' before finishing its first epoch."""
    window.panel.apply_config(replace(QUICK, batch_size=1, train_size=50_000, epochs=5))
    with qtbot.waitSignal(window.session.batchReported, timeout=10_000):
        window.training.train()
    with qtbot.waitSignal(window.session.runEnded, timeout=10_000) as ended:
        window.actions["stop"].trigger()
    assert ended.args[1].reason == "stopped" and ended.args[1].examples < 50_000
    assert window.session.state is RunState.IDLE


def test_close_while_training_asks_then_leaves_no_thread(qtbot, settings, mnist, tmp_path):
    """Closing mid-run asks first: No keeps the window and the run; Yes stops the worker and ends
    every thread (no warning: qt_log_level_fail)."""
    w = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(w)
    w.show()
    w.panel.apply_config(replace(QUICK, batch_size=1, train_size=50_000))
    with qtbot.waitSignal(w.session.batchReported, timeout=10_000):
        w.training.train()
    asked = []
    w.status.confirm = lambda title, text: asked.append(title) or False
    assert not w.close()
    assert asked == ["Quit Backprop Lab"] and w.isVisible() and w.session.state is RunState.RUNNING
    w.status.confirm = lambda title, text: True
    assert w.close()
    assert running_threads() == []


def test_learning_rate_change_mid_run_reaches_the_core(qtbot, window):
    """While paused, typing η = 0.25 then stepping: the next batch report was trained at 0.25."""
    window.panel.apply_config(replace(QUICK, train_size=5000))
    with qtbot.waitSignal(window.session.batchReported, timeout=10_000) as first:
        window.training.step()
    assert first.args[1].learning_rate == 3.0 and window.session.state is RunState.PAUSED
    type_into(qtbot, window.panel.eta, "0.25")
    with qtbot.waitSignal(window.session.batchReported, timeout=10_000) as second:
        window.actions["step"].trigger()
    assert second.args[1].learning_rate == 0.25 and second.args[1].batch == 2
    record = window.training_tab.history.get(window.session.run_id)
    assert record.eta_changes == [(first.args[1].fractional_epoch, 0.25)]
    with qtbot.waitSignal(window.session.runEnded, timeout=10_000):
        window.actions["stop"].trigger()


def test_run_history_keeps_earlier_curves(qtbot, window):
    """Three runs at η 0.5, 3 and 30 all stay on the plots with their own labels and points."""
    ids = [run_to_end(qtbot, window, replace(QUICK, learning_rate=eta, epochs=1))[0]
           for eta in (0.5, 3.0, 30.0)]
    tab = window.training_tab
    tab.plots.refresh()
    assert [r.run_id for r in tab.history] == ids
    assert [r.config.learning_rate for r in tab.history] == [0.5, 3.0, 30.0]
    for run_id in ids:
        assert len(tab.plots.curve_data(run_id)["validation_accuracy"][1]) == 1
    assert tab.runs.run_ids() == ids[::-1]
    tab.runs.list.item(2).setCheckState(Qt.Unchecked)       # hide the first run
    assert not tab.history.get(ids[0]).visible
    assert not tab.plots._curves[ids[0]].val.isVisible()
    asked = []
    window.status.confirm = lambda title, text: asked.append(text) or False
    tab.runs.clearRequested.emit()                       # the Clear button, declined
    assert len(tab.history) == 3 and asked == ["Forget the curves of 3 finished runs? This cannot be undone."]
    window.status.confirm = lambda title, text: True
    tab.runs.clearRequested.emit()
    assert len(tab.history) == 0 and tab.runs.run_ids() == []


def test_settings_survive_a_restart(qtbot, settings, mnist, tmp_path):
    """Settings typed in one window come back in the next window opened on the same settings file."""
    preset = PRESETS["Cross-entropy, scaled init (784-100-10, η 0.5)"]
    first = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(first)
    first.panel.apply_config(replace(preset, seed=99))
    first.resize(640, 480)   # within the offscreen screen (800 × 800)
    first.close()
    second = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(second)
    assert second.panel.config() == replace(preset, seed=99)
    assert (second.width(), second.height()) == (640, 480)
    second.close()


def test_unwritable_settings_are_reported_not_fatal(qtbot, mnist, tmp_path):
    """Settings that cannot be written: save_settings says False and the window still closes cleanly."""
    from app.window.app_settings import AppSettings

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be")
    w = MainWindow(AppSettings(blocker / "settings.ini"), dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(w)
    assert w.save_settings() is False
    assert "could not be saved" in w.status.text()
    w.close()


def test_continue_training_goes_on_from_the_epochs_done(qtbot, window):
    """Train 2 epochs, then Continue for 1: the new run reports epoch 3 from the same weights on."""
    run_to_end(qtbot, window)
    trained = window.current.network
    assert window.actions["continue"].isEnabled()
    window.panel.apply_config(replace(QUICK, epochs=1))
    epochs = []
    window.session.epochReported.connect(lambda _i, r: epochs.append(r.epoch))
    with qtbot.waitSignal(window.session.runEnded, timeout=30_000) as ended:
        window.actions["continue"].trigger()
    assert epochs == [3] and ended.args[1].reason == "finished"
    record = window.training_tab.history.get(ended.args[0])
    assert record.first_epoch == 3 and record.epoch_x == [3] and 2.0 < record.batch_x[0] <= 3.0
    assert window.current.network is not trained and window.current.network.sizes == trained.sizes


def test_runs_network_and_options_survive_a_restart(qtbot, settings, mnist, tmp_path):
    """A finished run's curves and label, its network on the "Looking at" list, the network in focus,
    the open page and the options all come back in the next window."""
    first = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(first)
    first.panel.apply_config(replace(QUICK, hidden=(12,)))
    with qtbot.waitSignal(first.session.runEnded, timeout=20_000):
        first.training.train()
    trained = first.current.network
    record = first.training_tab.history.get(first.session.run_id)
    first.pages.setCurrentIndex(2)
    first.pad_panel.handwriting.use_for_training.setChecked(True)
    first.close()
    second = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(second)
    again = second.training_tab.history.get(record.run_id)
    assert again is not None and again.label == record.label and again.end_text == record.end_text
    assert again.validation_accuracy == record.validation_accuracy and again.batch_cost == record.batch_cost
    assert "finished 2 epochs" in again.end_text
    second.training_tab.plots.refresh()
    assert second.training_tab.plots.curve_data(record.run_id)["validation_accuracy"][1] == record.validation_accuracy
    assert second.current.source == f"run:{record.run_id}" and second.current.epochs == record.epoch_x[-1]
    for w_then, w_now in zip(trained.weights, second.current.network.weights):
        np.testing.assert_array_equal(w_then, w_now)
    combo = second.focus_bar.combo
    keys = [combo.itemData(i) for i in range(combo.count())]
    assert keys[0] == "default" and f"run:{record.run_id}" in keys
    assert second.pages.currentIndex() == 2 and second.pad_panel.handwriting.use_for_training.isChecked()
    with qtbot.waitSignal(second.session.runStarted, timeout=5000) as started:
        second.training.train()
    assert started.args[0] == record.run_id + 1        # numbering goes on after the restored runs
    second.status.confirm = lambda title, text: True
    second.close()


def test_the_views_read_the_chosen_network(qtbot, window):
    """Choosing "the pre-trained default" under "Looking at" puts it in focus again, for the pad too."""
    run_to_end(qtbot, window, replace(QUICK, epochs=1))
    assert window.current.source.startswith("run:")
    window.focus_bar.chosen.emit("default")
    assert window.current.source == "default"
    assert window.current.network.sizes == window.networks.shelf.get("default")[1].sizes
    assert window.pad_panel.network is window.current.network
    assert window.focus_bar.combo.currentData() == "default"


def test_a_damaged_saved_session_is_skipped_and_the_app_starts(qtbot, settings, mnist, tmp_path):
    """Garbage in runs.json, a FIFO as current.json and a text file as a run's network: the window
    opens with the default network and says what it skipped."""
    import os

    folder = tmp_path / "session"
    folder.mkdir()
    (folder / "runs.json").write_text('[{"run_id": "x"}, 7, "junk"]')
    os.mkfifo(folder / "current.json")
    (folder / "current.npz").write_text("not a network")
    w = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(w)
    assert len(w.training_tab.history) == 0 and w.current.source == "default"
    problems = w.networks.restore_problems
    assert sum(p.startswith("a saved run was damaged") for p in problems) == 3
    assert any(p.startswith("current.json could not be read") and "named pipe" in p for p in problems)  # no hang
    w.close()
    (folder / "current.json").unlink()
    (folder / "current.json").write_text('{"description": "x", "epochs": 3, "source": "run:1"}')
    (folder / "current.npz").write_text("not a network")       # the first window's close saved a good one
    again = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(again)
    assert again.current.source == "default"
    assert any("last network could not be restored" in p for p in again.networks.restore_problems)
    again.close()


def test_one_bad_saved_setting_falls_back_alone_and_is_named(qtbot, settings, mnist, tmp_path):
    """epochs = 1e400 and a dict as the cost: those two fields fall back, η 0.5 is kept, and the status
    line names the two; the window starts."""
    settings.set_json("config", {"epochs": 1e400, "cost": {"a": 1}, "learning_rate": 0.5})
    w = MainWindow(settings, data_dir=tmp_path)
    qtbot.addWidget(w)
    cfg = w.panel.config()
    assert cfg.learning_rate == 0.5 and cfg.epochs == TrainingConfig().epochs and cfg.cost == "quadratic"
    assert any(text.endswith("back to their defaults: epochs, cost") for text in w.status.warnings())
    w.close()


def test_train_waits_while_a_dataset_loads(window, qtbot, tmp_path):
    """While another dataset loads, Train is off and a run cannot start on the old data."""
    with qtbot.waitSignal(window.loader.failed, timeout=10_000):
        window.loader.load(tmp_path / "no such folder")
        assert window.loader.busy and not window.actions["train"].isEnabled()
        assert window.training.train() is None
    assert window.actions["train"].isEnabled() and window.session.state is RunState.IDLE


def test_the_session_is_on_disk_after_each_epoch_without_closing(qtbot, window, tmp_path):
    """After a run ends (no close, as if the app were then killed) runs.json already holds its ending
    and the network file its record names."""
    import json

    run_id, _end, _epochs = run_to_end(qtbot, window, replace(QUICK, epochs=1))
    folder = tmp_path / "data" / "session"
    runs = lambda: json.loads((folder / "runs.json").read_text()) if (folder / "runs.json").is_file() else []  # noqa: E731
    # the run's end is saved (an epoch's save before it names a running run's end provisionally)
    qtbot.waitUntil(lambda: any("finished" in r["end_text"] for r in runs()), timeout=10_000)
    (saved,) = runs()
    assert saved["run_id"] == run_id and "finished 1 epoch" in saved["end_text"] and "1 epochs" not in saved["end_text"]
    assert nncore.load(folder / saved["network"]).sizes == [784, 16, 10]


def test_a_sweep_run_joins_the_run_history(window):
    """A run the sweep dialog reports finished appears in the Training tab with its epochs and values."""
    line = {"epoch": 1, "train_cost": 0.2, "validation_cost": 0.1, "validation_accuracy": 0.9,
            "test_accuracy": 0.89, "seconds": 1.0, "eval_seconds": 0.1, "learning_rate": 0.5}
    summary = {"config": {**QUICK.to_dict(), "learning_rate": 0.5}, "outcome": "finished", "status": 0,
               "messages": [], "epochs": 1, "best_validation_accuracy": 0.9, "best_epoch": 1,
               "final_validation_accuracy": 0.9, "final_test_accuracy": 0.89, "final_train_cost": 0.2,
               "final_validation_cost": 0.1, "lines": [line]}
    window.sweeps.runFinished.emit({"eta": 0.5}, summary)
    record = list(window.training_tab.history)[-1]
    assert record.config.learning_rate == 0.5 and record.validation_accuracy == [90.0]
    assert "sweep (eta 0.5): best validation 90.00% (epoch 1)" in record.end_text
    assert window.actions["sweep"].text() == "S&weep…"


def test_regularisation_and_schedule_fields_make_the_config_and_survive_storage(qtbot, window):
    """Typing λ 5, patience 3, halving after 2 and picking log-likelihood gives that config, which goes
    through settings storage (to_dict, from_stored) unchanged; a stored λ of −1 falls back alone."""
    p = window.panel
    p.apply_config(QUICK)
    type_into(qtbot, p.l2, "5")
    type_into(qtbot, p.patience, "3")
    type_into(qtbot, p.halve_eta, "2")
    p.cost.setCurrentIndex(p.cost.findData("log-likelihood"))
    cfg = p.config()
    assert cfg == replace(QUICK, l2=5.0, patience=3, halve_eta=2, cost="log-likelihood")
    assert "λ=5" in cfg.label()
    assert TrainingConfig.from_stored(cfg.to_dict()) == (cfg, [])
    back, fallbacks = TrainingConfig.from_stored({**cfg.to_dict(), "l2": -1.0})
    assert back == replace(cfg, l2=0.0) and fallbacks == ["l2"]


def test_the_worker_passes_l2_patience_and_halving_to_sgd_and_plots_learning_speed(qtbot, window, monkeypatch):
    """A run with λ 5, patience 1 and halving after 1: SGD receives exactly those (0 becomes None), and the
    learning-speed plot draws one curve per layer holding the epoch reports' ‖∂C/∂bˡ‖."""
    from app.training import training_worker
    seen = {}

    class RecordingSGD(nncore.SGD):
        def __init__(self, *args, **kwargs):
            seen.update(kwargs)
            super().__init__(*args, **kwargs)
    monkeypatch.setattr(training_worker, "SGD", RecordingSGD)
    config = replace(QUICK, hidden=(16, 12), l2=5.0, patience=1, halve_eta=1, epochs=2)
    run_id, end, epochs = run_to_end(qtbot, window, config)
    assert (seen["l2"], seen["patience"], seen["halve_eta"]) == (5.0, 1, 1)
    assert end.reason == "finished" and len(epochs) >= 1
    window.training_tab.plots.refresh()
    curves = window.training_tab.plots.speed_plot.curve_data()
    assert len(curves) == 3
    for layer, (xs, ys) in enumerate(curves):
        assert xs == [r.epoch for r in epochs] and ys == [r.learning_speed[layer] for r in epochs]
    run_to_end(qtbot, window, replace(QUICK, epochs=1))
    assert (seen["l2"], seen["patience"], seen["halve_eta"]) == (0.0, None, None)


def test_the_vanishing_gradient_preset_is_a_deep_sigmoid_network():
    """The preset the book's chapter 5 uses: 784-30-30-30-30-10."""
    (cfg,) = [c for name, c in PRESETS.items() if name.startswith("Vanishing gradient")]
    assert cfg.sizes == [784, 30, 30, 30, 30, 10]


def test_the_no_gain_settings_name_their_unit(window):
    """Early stopping and η halving count epochs, and their labels say so."""
    from PySide6.QtWidgets import QFormLayout

    texts = [form.labelForField(field).text() for form in window.panel.findChildren(QFormLayout)
             for field in (window.panel.patience, window.panel.halve_eta) if form.labelForField(field) is not None]
    assert texts == ["Stop after no gain for (epochs)", "Halve η after no gain for (epochs)"]


def test_one_labelled_drawing_is_one_drawing(window, qtbot):
    """After the first labelled drawing the training option counts '1 drawing', not '1 labelled drawings'."""
    from digit_strokes import BASE, smooth

    window.show()
    qtbot.waitExposed(window)
    window.pad_panel.pad.draw_strokes(smooth(BASE[3]))
    window.pad_panel.label_drawing(3)
    box = window.pad_panel.handwriting.use_for_training
    qtbot.waitUntil(lambda: "1 drawing I labelled" in box.toolTip(), timeout=10_000)
    assert "drawings" not in box.toolTip()
