"""A window without the session's lock takes it when it can: at once when the user takes over a lock that
another computer holds (never one a live process of this computer holds), and by itself once the window
that had it closes; its banner and title say so, and nothing saved before is lost."""

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSysInfo
from test_session_lock import record, save_and_wait

import nncore
from app.window import locks
from app.window.locks import SessionLock
from app.window.main_window import MainWindow
from app.window.session_store import SessionStore

FAR = "far-away-host"


def other_hosts_lock(path, pid=4242):
    """Write the lock file a Backprop Lab window on the computer FAR leaves (QLockFile's format)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{pid}\nBackprop Lab\n{FAR}\n")


@pytest.fixture
def quick_retry(monkeypatch):
    """Windows without the lock try again every 50 ms (not every few seconds)."""
    monkeypatch.setattr(locks, "RETRY_MS", 50)


def test_a_lock_of_another_computer_is_named_and_taken_over_in_the_window(qtbot, settings, mnist, tmp_path):
    """The banner names the host and its process in plain words, with a Take over button; the title says
    who has the profile. Take over: the window keeps the session (the lock names this computer), the
    banner and the title say nothing more of it, and what it does is saved."""
    lock = tmp_path / "data" / "session" / "session.lock"
    other_hosts_lock(lock)
    settings.set_json("options", {"welcome": False})
    w = MainWindow(settings, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(w)
    w.show()
    (said,) = w.status.warnings()
    assert said.startswith(f"This profile's session is held by {FAR} (process 4242), another computer")
    assert "take the session over" in said and w.windowTitle().endswith(f"not saved: {FAR} has this profile")
    button = w.status.action_button
    assert button.isVisible() and button.text() == "Take over"
    button.click()
    assert w.networks.store.owns_session and w.status.warnings() == [] and not button.isVisible()
    assert "not saved" not in w.windowTitle() and "now keeps the profile's session" in w.status.text()
    assert lock.read_text().splitlines()[2] == QSysInfo.machineHostName()
    w.networks.save_soon()
    qtbot.waitUntil(lambda: (lock.parent / "current.json").exists() and not w.networks.store.runner.busy)
    w.close()


def test_taking_over_is_refused_while_a_process_here_holds_the_lock(tmp_path):
    """A live process of this computer holds the lock, whose file names another host (a hand edit, a shared
    home): Take over is refused and leaves the file; a lock naming this computer is not offered at all."""
    path = tmp_path / "session.lock"
    code = ("import sys; from PySide6.QtCore import QLockFile; lock = QLockFile(sys.argv[1]); "
            "assert lock.tryLock(0); print('held', flush=True); sys.stdin.readline()")
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        mine = SessionLock(tmp_path)
        assert not mine.held and mine.holder is None and mine.not_kept == "another window has this profile"
        assert mine.take_over() == (False, "a Backprop Lab window on this computer has it; close that window first")
        with open(path, "r+") as f:        # the same file, still locked by its holder, now naming FAR
            f.write(f"{holder.pid}\nBackprop Lab\n{FAR}\n")
            f.truncate()
        assert mine.try_again() is False and mine.holder == (holder.pid, FAR)
        assert mine.take_over() == (False, "a running program still holds its lock file")
        assert path.read_text().splitlines()[2] == FAR and not mine.held
        mine.release()
    finally:
        holder.communicate("\n", timeout=10)


def test_a_host_name_is_shown_bounded_and_printable(tmp_path):
    """A lock naming a host of 4,000 characters with control characters: the name shown is cut and
    printable."""
    (tmp_path / "session.lock").write_text("77\nBackprop Lab\n" + "\x1b[31m" + "h" * 4000 + "\n")
    lock = SessionLock(tmp_path)
    try:
        pid, host = lock.holder
        assert pid == 77 and len(host) == locks.MAX_HOST and host.isprintable() and host.startswith("?[31m")
    finally:
        lock.release()


def test_the_second_store_takes_the_session_once_the_first_closes(qtbot, quick_retry, tmp_path):
    """The second store on a folder tries again on a timer: once the first is flushed (its window closed)
    it holds the lock, says so with ``taken``, and saves from then on."""
    first, second = SessionStore(tmp_path), SessionStore(tmp_path)
    try:
        save_and_wait(qtbot, first, [record(1)], {1: nncore.Network([784, 4, 10], rng=1)})
        assert not second.owns_session
        with qtbot.waitSignal(second.lock.taken, timeout=5000):
            first.flush()
        assert second.owns_session and second.not_kept == "" and second.lock_message == ""
        records, networks, _current, problems = second.restore()
        assert [r.run_id for r in records] == [1] and list(networks) == [1] and problems == []
        save_and_wait(qtbot, second, [*records, record(2)], {**networks, 2: nncore.Network([784, 4, 10], rng=2)})
        assert [r["run_id"] for r in json.loads((tmp_path / "runs.json").read_text())] == [1, 2]
    finally:
        second.flush()
        first.flush()


@pytest.mark.parametrize("kind, words", [("file", "a file"), ("fifo", "a named pipe (FIFO)")])
@pytest.mark.parametrize("place", ["data folder", "session folder"])
def test_a_file_in_place_of_a_folder_is_named_once_and_moving_it_lets_the_window_save(
        qtbot, quick_retry, settings, mnist, tmp_path, kind, words, place):
    """A file or a FIFO where the data folder or the session folder should be: one warning names the path
    and what it is and says what to do; the window trains without a hang or another word; once the file is
    moved away the window keeps its session and saves the run it trained."""
    from test_second_window import QUICK, train

    data = tmp_path / "data"
    blocker = data if place == "data folder" else data / "session"
    blocker.parent.mkdir(exist_ok=True)
    if kind == "fifo":
        os.mkfifo(blocker)
    else:
        blocker.write_text("not a folder")
    settings.set_json("options", {"welcome": False})
    w = MainWindow(settings, dataset=mnist, data_dir=data)
    qtbot.addWidget(w)
    w.status.confirm = lambda title, text: True
    w.files.ask_to_save = lambda title, text: "discard"
    (said,) = w.status.warnings()
    assert said.startswith(f"This window's runs and network cannot be kept: {blocker} is {words}, not a folder")
    assert "Rename or move it" in said and "numbered" not in said
    assert w.windowTitle().endswith(f"not saved: {blocker.name} is {words}, not a folder")
    assert train(qtbot, w, QUICK) == 1 and w.status.warnings() == [said]
    with qtbot.waitSignal(w.networks.store.lock.taken, timeout=5000):
        blocker.rename(tmp_path / "moved")
    assert w.status.warnings() == [] and "not saved" not in w.windowTitle()
    runs_json = data / "session" / "runs.json"
    qtbot.waitUntil(lambda: runs_json.exists() and not w.networks.store.runner.busy, timeout=10_000)
    (run,) = json.loads(runs_json.read_text())
    assert run["run_id"] == 1 and nncore.load(runs_json.parent / run["network"]).sizes == [784, 8, 10]
    w.close()
