"""A second window on a profile whose session another window owns: it says so in its title and banner,
never gives a run a number the owner gives, and asks before its runs are lost, offering to save the
network in focus. Two real windows on one settings file and one data folder."""

import json
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import nncore
from app.training.training_config import TrainingConfig
from app.window.app_settings import AppSettings
from app.window.file_controller import NETWORK_FILTER, FileController
from app.window.main_window import MainWindow

QUICK = TrainingConfig(hidden=(8,), learning_rate=3.0, epochs=1, batch_size=100, train_size=1000)


def open_window(qtbot, tmp_path, mnist):
    """A window on the profile in ``tmp_path`` (settings.ini and data/), shown, closable without questions."""
    w = MainWindow(AppSettings(tmp_path / "settings.ini"), dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(w)
    answer_yes(w)
    w.show()
    return w


def answer_yes(window):
    """Every question ``window`` asks from now on is answered Yes / Quit without saving."""
    window.status.confirm = lambda title, text: True
    window.files.ask_to_save = lambda title, text: "discard"


@pytest.fixture
def two_windows(qtbot, tmp_path, mnist):
    """The window that owns the profile's session, and a second one opened after it."""
    AppSettings(tmp_path / "settings.ini").set_json("options", {"welcome": False})
    first = open_window(qtbot, tmp_path, mnist)
    second = open_window(qtbot, tmp_path, mnist)
    yield first, second
    for window in (second, first):
        answer_yes(window)
        window.close()


def train(qtbot, window, config=QUICK):
    """Run ``config`` to its end in ``window``; its run id."""
    window.panel.apply_config(config)
    with qtbot.waitSignal(window.session.runEnded, timeout=20_000) as ended:
        assert window.training.train() is not None
    return ended.args[0]


def session_files(tmp_path):
    """{name: bytes} of the files in the profile's session folder (the run counter aside)."""
    folder = tmp_path / "data" / "session"
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith("last-run-id")}


def test_the_second_window_says_in_its_title_and_banner_that_it_is_not_saved(two_windows):
    """The owner's title is as ever; the second's ends "not saved: another window has this profile" and
    its banner says its runs are not kept and are numbered after every run of the profile."""
    first, second = two_windows
    assert "not saved" not in first.windowTitle() and first.status.warnings() == []
    assert second.windowTitle().endswith(" — not saved: another window has this profile")
    warning = " ".join(second.status.warnings())
    assert "its own runs and network are not kept" in warning and "numbered after every run of this profile" in warning


def test_two_windows_never_give_one_number_to_two_runs(qtbot, two_windows, tmp_path, mnist):
    """Runs trained in turn in the two windows get 1, 2, 3, 4; the owner's (1, 3) are what the next
    launch restores, and it numbers on from 5."""
    first, second = two_windows
    ids = [train(qtbot, first), train(qtbot, second), train(qtbot, first), train(qtbot, second)]
    assert ids == [1, 2, 3, 4]
    assert [r.run_id for r in first.training_tab.history] == [1, 3]
    assert [r.run_id for r in second.training_tab.history] == [2, 4]
    second.close()
    first.close()
    third = open_window(qtbot, tmp_path, mnist)
    assert [r.run_id for r in third.training_tab.history] == [1, 3] and third.windowTitle().count("not saved") == 0
    assert train(qtbot, third) == 5
    third.close()


def test_a_sweep_run_in_the_second_window_takes_a_number_of_its_own(qtbot, two_windows):
    """A run trained elsewhere (a sweep's) is numbered through the same counter as the owner's runs."""
    first, second = two_windows
    assert [train(qtbot, first), second.session.new_run_id(), train(qtbot, first)] == [1, 2, 3]


def test_closing_the_second_window_with_its_runs_asks_and_cancel_keeps_it(qtbot, two_windows):
    """Cancel: the window stays open with its run; the question names the run, why it is lost and the
    network it offers to save."""
    first, second = two_windows
    train(qtbot, first)
    run_id = train(qtbot, second)
    asked = []
    second.files.ask_to_save = lambda title, text: asked.append(text) or "cancel"
    assert not second.close()
    assert second.isVisible() and second.training_tab.history.get(run_id) is not None
    assert len(asked) == 1
    assert f"Run #{run_id} of this window is not kept" in asked[0]
    assert "another window has this profile" in asked[0] and second.current.description in asked[0]


def test_save_in_the_question_writes_the_network_in_focus_then_closes(qtbot, two_windows, tmp_path, monkeypatch):
    """Save network as…: the file chosen in the save dialog holds the network in focus, then the window
    closes; the owner's session files are as they were."""
    first, second = two_windows
    train(qtbot, first)
    train(qtbot, second)
    before = session_files(tmp_path)
    focus = second.current.network
    chosen = tmp_path / "kept"
    monkeypatch.setattr("app.window.file_controller.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (str(chosen), NETWORK_FILTER))
    second.files.ask_to_save = lambda title, text: "save"
    assert second.close()
    kept = nncore.load(tmp_path / "kept.npz")
    for w_kept, w_focus in zip(kept.weights, focus.weights, strict=True):
        np.testing.assert_array_equal(w_kept, w_focus)
    assert session_files(tmp_path) == before


def test_a_save_dialog_cancelled_keeps_the_window_open(qtbot, two_windows, tmp_path, monkeypatch):
    """Save network as… then Cancel in the file dialog: nothing is lost yet, so the window stays."""
    _first, second = two_windows
    train(qtbot, second)
    monkeypatch.setattr("app.window.file_controller.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: ("", ""))
    second.files.ask_to_save = lambda title, text: "save"
    assert not second.close() and second.isVisible()


def test_quit_without_saving_closes_and_writes_nothing(qtbot, two_windows, tmp_path):
    """Quit without saving (while one of its runs trains): the window closes, and the owner's session
    files are byte for byte as they were."""
    first, second = two_windows
    train(qtbot, first)
    qtbot.waitUntil(lambda: not first.networks.store.runner.busy, timeout=5000)
    before = session_files(tmp_path)
    second.panel.apply_config(replace(QUICK, batch_size=1, train_size=50_000))
    with qtbot.waitSignal(second.session.batchReported, timeout=10_000):
        second.training.train()
    asked = []
    second.files.ask_to_save = lambda title, text: asked.append(text) or "discard"
    assert second.close()
    assert "Run #2 is still training" in asked[0]
    assert session_files(tmp_path) == before
    runs = json.loads((tmp_path / "data" / "session" / "runs.json").read_text())
    assert [r["run_id"] for r in runs] == [1]


@pytest.mark.parametrize("which", ["owner", "second without runs"])
def test_a_window_that_loses_nothing_closes_without_asking(qtbot, two_windows, which):
    """The owner with finished runs, and a second window that trained nothing, close at once."""
    first, second = two_windows
    train(qtbot, first)
    window = first if which == "owner" else second
    asked = []
    window.files.ask_to_save = lambda title, text: asked.append(text) or "cancel"
    window.status.confirm = lambda title, text: asked.append(text) or False
    assert window.close() and asked == []


def test_the_question_is_a_real_box_in_plain_text_with_three_answers(qtbot, two_windows):
    """The box the user sees: its text as plain text (a run label is never HTML), Save network as… first,
    Quit without saving, and Cancel (Escape) keeping the window."""
    _first, second = two_windows
    seen = []

    def answer():
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:                  # not on screen yet: look again once it is
            QTimer.singleShot(10, answer)
            return
        box = boxes[0]
        seen.append((box.textFormat(), box.text(), [b.text() for b in box.buttons()], box.defaultButton().text()))
        box.escapeButton().click()

    QTimer.singleShot(0, answer)
    assert FileController.ask_to_save(second.files, "Quit", "<img src=/dev/zero> run #2") == "cancel"
    text_format, text, buttons, default = seen[0]
    assert text_format == Qt.PlainText and text.startswith("<img") and default == "Save network as…"
    assert {"Save network as…", "Quit without saving"} <= set(buttons) and len(buttons) == 3


@pytest.fixture
def quick_retry(monkeypatch):
    """Windows without the session's lock try again every 50 ms (not every few seconds)."""
    from app.window import locks

    monkeypatch.setattr(locks, "RETRY_MS", 50)


def test_the_second_window_keeps_the_session_once_the_owner_closes(qtbot, quick_retry, two_windows, tmp_path,
                                                                    mnist):
    """Runs #1 and #3 in the owner, #2 in the second window; the owner closes: the second window takes the
    session by itself, reads the owner's saved runs and keeps them with its own (none renumbered, every
    network kept, the owner's byte for byte), says so and saves; its next run is #4, and the next launch
    restores all four."""
    first, second = two_windows
    assert [train(qtbot, first), train(qtbot, second), train(qtbot, first)] == [1, 2, 3]
    owners = {k: first.networks.shelf.get(f"run:{k}")[1] for k in (1, 3)}
    with qtbot.waitSignal(second.networks.store.lock.taken, timeout=10_000):
        first.close()
    assert sorted(r.run_id for r in second.training_tab.history) == [1, 2, 3]
    assert "not saved" not in second.windowTitle() and second.networks.unkept_runs() == []
    assert not any("not kept" in w for w in second.status.warnings())
    assert "now keeps the profile's session" in second.status.text()
    runs_json = tmp_path / "data" / "session" / "runs.json"
    qtbot.waitUntil(lambda: sorted(r["run_id"] for r in json.loads(runs_json.read_text())) == [1, 2, 3]
                    and not second.networks.store.runner.busy, timeout=10_000)
    saved = {r["run_id"]: r for r in json.loads(runs_json.read_text())}
    for k, net in owners.items():
        kept = nncore.load(runs_json.parent / saved[k]["network"])
        assert all(np.array_equal(a, b) for a, b in zip(kept.weights, net.weights, strict=True))
        assert len(saved[k]["epoch_x"]) == 1 and "finished" in saved[k]["end_text"]
    assert saved[2]["network"] is not None
    assert train(qtbot, second) == 4
    second.close()
    third = open_window(qtbot, tmp_path, mnist)
    assert sorted(r.run_id for r in third.training_tab.history) == [1, 2, 3, 4]
    assert set(third.networks.shelf.run_networks()) == {1, 2, 3, 4}
    third.close()


def test_a_run_restored_mid_training_comes_back_whole_when_the_session_is_taken(qtbot, quick_retry, tmp_path,
                                                                                 mnist):
    """The second window opens while the owner's run #1 trains (it restores the epochs saved so far); the
    owner trains on and closes: the window that takes the session keeps run #1 as the owner saved it last,
    never its own older copy."""
    AppSettings(tmp_path / "settings.ini").set_json("options", {"welcome": False})
    first = open_window(qtbot, tmp_path, mnist)
    first.panel.apply_config(replace(QUICK, epochs=30, train_size=5000))
    runs_json = tmp_path / "data" / "session" / "runs.json"

    def saved_epochs():
        try:
            return len(json.loads(runs_json.read_text())[0]["epoch_x"])
        except (OSError, ValueError, IndexError):
            return 0

    first.actions["train"].trigger()
    qtbot.waitUntil(lambda: saved_epochs() >= 1, timeout=20_000)
    second = open_window(qtbot, tmp_path, mnist)
    early = len(second.training_tab.history.get(1).epoch_x)
    assert second.training_tab.history.get(1).end_text == (f"as of epoch {early}: training in the window that "
                                                           "has this profile")
    qtbot.waitUntil(lambda: len(first.training_tab.history.get(1).epoch_x) > early + 1, timeout=20_000)
    with qtbot.waitSignal(second.networks.store.lock.taken, timeout=10_000):
        first.close()
    last = json.loads(runs_json.read_text())[0]
    mine = second.training_tab.history.get(1)
    assert len(mine.epoch_x) == len(last["epoch_x"]) > early + 1
    assert mine.end_text == last["end_text"] == "ended when the window closed"
    qtbot.waitUntil(lambda: not second.networks.store.runner.busy, timeout=10_000)
    second.networks.save_soon()
    qtbot.waitUntil(lambda: not second.networks.store.runner.busy and saved_epochs() == len(last["epoch_x"]),
                    timeout=10_000)
    second.close()
