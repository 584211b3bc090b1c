"""What the window showed comes back after a restart: the learning-speed curves, the lessons' runs, the
inspector's example and the folder exports were saved to."""

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.lessons.lessons_tab import LessonsTab
from app.training.run_history import RunHistory, RunRecord, RunSetup
from app.training.training_config import TrainingConfig
from app.window.main_window import MainWindow
from nncore.reports import EpochReport

QUICK = TrainingConfig(hidden=(16,), learning_rate=3.0, epochs=2, batch_size=10, train_size=1000)


def epoch(e, speeds=(0.004, 0.05), saturation=(0.1, 0.3)):
    return EpochReport(e, 2, 0.1, 0.1, 0.9, 0.89, 3.0, 1.0, 0.1, saturation, speeds)


def two_epochs(config=QUICK, run_id=1, **kw):
    """A record of two epochs, each with learning speeds."""
    record = RunRecord(run_id, RunSetup(config), "#1f77b4", end_text="validation 90.00%, test 89.00%; finished")
    for e in (1, 2):
        record.add_epoch(epoch(e, **kw))
    return record


def test_a_kept_record_brings_back_its_learning_speed_and_lesson():
    """to_dict/from_dict keep the per-layer ‖∂C/∂bˡ‖ of each epoch and the lesson button that started the run."""
    record = two_epochs()
    record.lesson = ("06-vanishing-gradient", 1)
    back = RunRecord.from_dict(record.to_dict())
    assert back.learning_speed == [(0.004, 0.05), (0.004, 0.05)]
    assert back.lesson == ("06-vanishing-gradient", 1)


def test_a_record_kept_before_speeds_and_lessons_reads_without_them():
    """A runs.json entry from before (no learning_speed, no lesson) is read, with no speeds and no lesson;
    a speed of no layers (a run that measured none) reads as such."""
    d = two_epochs().to_dict()
    del d["learning_speed"], d["lesson"]
    back = RunRecord.from_dict(d)
    assert back.learning_speed == [] and back.lesson is None and len(back.epoch_x) == 2
    none_measured = RunRecord.from_dict({**d, "learning_speed": [[], []], "saturation": [[], []]})
    assert none_measured.learning_speed == [(), ()] and none_measured.saturation == [(), ()]


@pytest.mark.parametrize("change, words", [
    ({"learning_speed": [[0.1, 0.2]]}, "different lengths"),          # one epoch's speeds for two epochs
    ({"learning_speed": "fast"}, "learning speed are not rows"),
    ({"learning_speed": [[0.1] * 20, [0.1] * 20]}, "learning speed are not rows"),
    ({"lesson": ["01-baseline", -1]}, "its lesson is not"),
    ({"lesson": "01-baseline"}, "its lesson is not"),
])
def test_a_damaged_speed_or_lesson_is_refused_with_a_reason(change, words):
    """Bounded reading: a malformed learning speed or lesson refuses the record, saying what was wrong."""
    with pytest.raises(ValueError, match=words):
        RunRecord.from_dict({**two_epochs().to_dict(), **change})


def test_out_of_range_speeds_read_as_no_value():
    """A speed of 1e300 or below 0 cannot be drawn: it reads as NaN, as an out-of-range cost does."""
    d = two_epochs().to_dict()
    back = RunRecord.from_dict({**d, "learning_speed": [[1e300, 0.05], [-1.0, 0.05]]})
    assert math.isnan(back.learning_speed[0][0]) and math.isnan(back.learning_speed[1][0])
    assert back.learning_speed[0][1] == 0.05


def test_lessons_find_their_runs_in_a_restored_history(qtbot):
    """A lesson button's run, kept in the history (marked with its button, or from before runs were
    marked: by its settings), shows on the lesson after a restart instead of 'not run yet'."""
    lessons = LessonsTab()
    qtbot.addWidget(lessons)
    lesson = lessons.lessons[2]                              # two runs: quadratic, cross-entropy
    asked = [TrainingConfig.from_dict(run.config()) for run in lesson.runs]
    history = RunHistory()
    marked = two_epochs(asked[0], run_id=4)
    marked.lesson = (lesson.key, 0)
    history.insert(marked)
    history.insert(two_epochs(asked[1], run_id=5))           # not marked: kept before runs knew their lesson
    history.insert(two_epochs(replace(asked[1], seed=9), run_id=6))   # another seed: not the lesson's run
    lessons.open_lesson(2)
    assert lessons.page.results.text().count("not run yet") == 2
    lessons.use_history(history)
    lessons.refresh()
    text = lessons.page.results.text()
    assert "not run yet" not in text and text.count("89.00% at epoch 2/30") == 2
    assert lessons.page.plot.curve_data(0) == ([1, 2], [89.0, 89.0])


def test_a_lesson_run_started_here_is_marked_in_the_history(qtbot):
    """The run a lesson's button starts records that button, so that the next launch finds it."""
    lessons = LessonsTab()
    qtbot.addWidget(lessons)
    history = RunHistory()
    lessons.use_history(history)
    lesson = lessons.lessons[0]
    lessons.open_lesson(0)
    with qtbot.waitSignal(lessons.runRequested) as asked:
        lessons.page.run_buttons[0].click()
    setup = RunSetup(TrainingConfig.from_dict(asked.args[0]))
    record, _ = history.add(7, setup)
    lessons.run_started(7, setup)
    assert record.lesson == (lesson.key, 0)
    assert RunRecord.from_dict(record.to_dict()).lesson == (lesson.key, 0)


def launch(qtbot, settings, mnist, folder):
    w = MainWindow(settings, dataset=mnist, data_dir=folder)
    qtbot.addWidget(w)
    w.status.confirm = lambda title, text: True
    return w


def test_a_relaunch_keeps_speeds_lesson_runs_the_inspected_example_and_the_export_folder(
        qtbot, settings, mnist, tmp_path, monkeypatch):
    """Train a lesson's run, inspect test image 123, export the curves to a folder, close; the next window
    draws the run's learning speeds, shows the run on its lesson, inspects image 123 again, and opens the
    export dialog in that folder."""
    settings.set_json("options", {"welcome": False})
    first = launch(qtbot, settings, mnist, tmp_path / "data")
    lesson = first.lessons.lessons[0]
    first.lessons.runs.requested((lesson.key, 0), QUICK.to_dict())     # as the lesson's Run button does
    first.panel.apply_config(QUICK)
    with qtbot.waitSignal(first.session.runEnded, timeout=30_000):
        first.actions["train"].trigger()
    speeds = first.training_tab.history.get(1).learning_speed
    assert len(speeds) == 2
    first.inspector.show_test_image(123)
    exports = tmp_path / "exports"
    exports.mkdir()
    assert first.training_tab.export_csv(str(exports / "runs.csv"))
    first.close()

    second = launch(qtbot, settings, mnist, tmp_path / "data")
    second.pages.show_page(second.training_tab)
    second.show()
    qtbot.waitExposed(second)
    drawn = second.training_tab.plots.speed_plot.curve_data()
    assert [ys for _xs, ys in drawn] == [list(layer) for layer in zip(*speeds)]
    second.lessons.open_lesson(0)
    second.lessons.refresh()
    assert "not run yet" not in second.lessons.page.results.text().split("<br>")[1]
    box = second.inspector.example
    assert (box.source.currentIndex(), box.index.value(), box.target.value()) == (1, 123, int(mnist.test.labels[123]))
    np.testing.assert_array_equal(second.inspector.x, mnist.test.inputs(123))
    starts = []
    monkeypatch.setattr("app.training.training_tab.QFileDialog.getSaveFileName",
                        lambda _parent, _title, start, _filter: starts.append(start) or ("", ""))
    second.training_tab.export_csv()
    second.training_tab.save_figure("cost")
    assert [Path(s).parent for s in starts] == [exports.resolve()] * 2
    second.close()


def test_exports_start_in_the_home_folder_not_the_working_folder(qtbot, monkeypatch, tmp_path):
    """With no export yet, the dialogs open in the home folder, whatever the working folder is."""
    from app.training.training_tab import TrainingTab

    tab = TrainingTab()
    qtbot.addWidget(tab)
    monkeypatch.chdir(tmp_path)
    starts = []
    monkeypatch.setattr("app.training.training_tab.QFileDialog.getSaveFileName",
                        lambda _parent, _title, start, _filter: starts.append(start) or ("", ""))
    tab.export_csv()
    tab.save_figure("accuracy")
    assert [Path(s).parent for s in starts] == [Path.home()] * 2
    assert [Path(s).name for s in starts] == ["runs.csv", "accuracy.svg"]


def test_the_inspector_keeps_its_example_until_data_and_network_come(qtbot, mnist):
    """state() → restore_state() on a new inspector: the picker shows the source at once, and once the
    data and a network arrive (in either order) image 7 is inspected again with the 'what if' target."""
    import nncore
    from app.inside.inspector_tab import InspectorTab

    first = InspectorTab(lambda: None)
    qtbot.addWidget(first)
    first.set_network(nncore.Network([784, 12, 10], rng=1))
    first.set_dataset(mnist)
    first.show_test_image(7)
    what_if = (int(mnist.test.labels[7]) + 1) % 10
    first.example.target.setValue(what_if)
    kept = first.state()
    assert kept == {"source": 1, "index": 7, "target": what_if, "inspected": True}
    second = InspectorTab(lambda: None)
    qtbot.addWidget(second)
    second.restore_state(kept)
    assert second.example.source.currentIndex() == 1 and second.x is None
    second.set_dataset(mnist)
    assert second.x is None                               # no network yet
    second.set_network(nncore.Network([784, 12, 10], rng=1))
    np.testing.assert_array_equal(second.x, mnist.test.inputs(7))
    assert second.example.index.value() == 7 and second.example.target.value() == what_if
    for damaged in (None, [], {"source": 9, "index": 0, "target": 0}, {"source": 1, "index": -1, "target": 0},
                    {"source": 1, "index": 0, "target": "3"}):
        third = InspectorTab(lambda: None)
        qtbot.addWidget(third)
        third.restore_state(damaged)                      # ignored: nothing is inspected
        third.set_dataset(mnist)
        third.set_network(nncore.Network([784, 12, 10], rng=1))
        assert third.example.source.currentIndex() == 0 and third.x is None
        third.shutdown()
    for tab in (first, second):
        tab.shutdown()


def test_a_run_killed_during_training_comes_back_as_stopped_unexpectedly(qtbot, settings, mnist, tmp_path):
    """The session folder as a kill -9 leaves it in the middle of a run: the next window lists the run as
    "stopped unexpectedly after epoch k", with the network of epoch k to look at; a window closed while a
    run trains still says the run ended when the window closed."""
    import json
    import shutil

    settings.set_json("options", {"welcome": False})
    first = launch(qtbot, settings, mnist, tmp_path / "data")
    first.panel.apply_config(replace(QUICK, epochs=200, train_size=5000))     # stopped long before its end
    runs_json, crashed = tmp_path / "data" / "session" / "runs.json", tmp_path / "crashed"

    def copied_mid_run():
        try:
            (run,) = json.loads(runs_json.read_text())
        except (OSError, ValueError):
            return False
        if not run["epoch_x"] or not run["end_text"].startswith("stopped unexpectedly"):
            return False
        try:                                              # what a kill -9 at this moment leaves
            shutil.copytree(tmp_path / "data", crashed, ignore=shutil.ignore_patterns(".*"))
        except shutil.Error:                              # a file the store replaced went meanwhile: again
            shutil.rmtree(crashed)
            return False
        (copied,) = json.loads((crashed / "session" / "runs.json").read_text())
        if not (crashed / "session" / copied["network"]).exists():    # copied in the middle of a save
            shutil.rmtree(crashed)
            return False
        (crashed / "session" / "session.lock").unlink()  # a killed window's lock is taken over (test_session_lock)
        return True

    first.actions["train"].trigger()
    qtbot.waitUntil(copied_mid_run, timeout=30_000)
    first.close()
    (closed,) = json.loads(runs_json.read_text())
    assert closed["end_text"] == "ended when the window closed"
    (saved,) = json.loads((crashed / "session" / "runs.json").read_text())
    k = len(saved["epoch_x"])
    second = launch(qtbot, settings, mnist, crashed)
    assert second.networks.store.owns_session
    (row,) = [second.training_tab.runs.list.item(i).text() for i in range(second.training_tab.runs.list.count())]
    assert row.endswith(f": stopped unexpectedly after epoch {k}; the network of epoch {k} is kept")
    assert "run:1" in dict(second.networks.shelf.choices())
    second.close()
