"""One window owns a profile's session: a second store on the same folder restores what is there and
never overwrites or deletes anything of the first's."""

import json
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings

import nncore
from app.training.run_history import RunRecord, RunSetup
from app.training.training_config import TrainingConfig
from app.window.session_store import SessionStore


def hand_edit(settings, key, text):
    """Store ``text`` under ``key`` in the AppSettings' file as a hand edit would, past its checks (Qt
    shares one file's settings within a process, so ``settings`` reads it at once)."""
    QSettings(settings.path, QSettings.IniFormat).setValue(key, text)


def record(run_id, epochs=1):
    """A finished run with ``epochs`` epochs of points."""
    r = RunRecord(run_id, RunSetup(TrainingConfig()), "#1f77b4", end_text="finished")
    for k in range(1, epochs + 1):
        r.batch_x.append(k - 0.5), r.batch_cost.append(0.2), r.batch_eta.append(3.0)
        r.epoch_x.append(k), r.epoch_cost.append(0.1), r.epoch_eta.append(3.0)
        r.validation_accuracy.append(90.0), r.test_accuracy.append(89.0), r.saturation.append((0.1, 0.2))
    return r


def save_and_wait(qtbot, store, records, networks, current=None):
    """Queue a save of ``records`` with ``networks`` and wait until the store has written it."""
    taken = []
    store.save_soon(lambda: taken.append(records) or (records, networks, current))
    qtbot.waitUntil(lambda: (taken or not store.owns_session) and not store.runner.busy, timeout=10_000)


def restored(folder):
    """What a new store on ``folder`` restores: (records, networks, current, problems)."""
    store = SessionStore(folder)
    try:
        return store.restore()
    finally:
        store.flush()


def folder_contents(folder):
    """{name: bytes} of every file in ``folder``."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def two_stores(qtbot, tmp_path):
    """The first and second store on one session folder (both flushed after the test)."""
    first = SessionStore(tmp_path)
    second = SessionStore(tmp_path)
    yield first, second
    second.flush()
    first.flush()


def test_the_second_store_does_not_own_the_session_and_says_so(two_stores):
    """The first store owns the session; the second does not, and its message says another window uses it."""
    first, second = two_stores
    assert first.owns_session and first.lock_message == ""
    assert not second.owns_session and "another Backprop Lab window" in second.lock_message


def test_the_second_store_restores_but_never_writes(qtbot, two_stores, tmp_path):
    """Both number a run #2: the first's record and network are on disk, untouched by the second's save
    and close; the second restores the first's run #1."""
    first, second = two_stores
    net1, net2, other = (nncore.Network([784, 4, 10], rng=k) for k in (1, 2, 3))
    save_and_wait(qtbot, first, [record(1)], {1: net1})
    records, networks, _current, problems = second.restore()
    assert [r.run_id for r in records] == [1] and problems == [] and 1 in networks
    save_and_wait(qtbot, first, [record(1), record(2)], {1: net1, 2: net2})
    before = folder_contents(tmp_path)
    save_and_wait(qtbot, second, [record(1), record(2, epochs=3)], {1: net1, 2: other}, (other, "x", 3, ""))
    second.flush()
    assert folder_contents(tmp_path) == before
    runs = json.loads((tmp_path / "runs.json").read_text())
    assert [(r["run_id"], len(r["epoch_x"])) for r in runs] == [(1, 1), (2, 1)]
    saved = nncore.load(tmp_path / runs[1]["network"])
    assert saved.biases[0].tobytes() == net2.biases[0].tobytes()


def test_the_second_store_leaves_a_damaged_file_where_it_is(two_stores, tmp_path):
    """A damaged runs.json is named by the second store but not moved aside: it is not its session."""
    _first, second = two_stores
    (tmp_path / "runs.json").write_text("[{")
    _records, _networks, _current, problems = second.restore()
    assert len(problems) == 1 and "another window owns it" in problems[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.json", "session.lock"]


def test_the_session_is_free_again_once_its_owner_closes(two_stores, tmp_path):
    """After the first store is flushed (its window closed), a new store owns the session."""
    first, _second = two_stores
    first.flush()
    third = SessionStore(tmp_path)
    try:
        assert third.owns_session
    finally:
        third.flush()


def test_a_lock_left_by_a_process_that_died_is_taken_over(tmp_path):
    """A lock whose process is gone (the app was killed) does not keep the next window out."""
    code = ("import sys; from PySide6.QtCore import QLockFile; lock = QLockFile(sys.argv[1]); "
            "assert lock.tryLock(0); import os; os._exit(0)")     # exits without unlocking
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "session.lock")], check=True)
    assert (tmp_path / "session.lock").exists()
    store = SessionStore(tmp_path)
    try:
        assert store.owns_session
    finally:
        store.flush()


@pytest.mark.parametrize("content", [b"", b"\x00garbage\xff\nnot a lock"], ids=["empty", "garbled"])
def test_an_empty_or_garbled_lock_is_nobodys(tmp_path, content):
    """A lock file a crash or a full disk left empty or garbled names no process: the next window takes
    the session over instead of saying, on every launch, that another window has it."""
    (tmp_path / "session.lock").write_bytes(content)
    store = SessionStore(tmp_path)
    try:
        assert store.owns_session and store.lock_message == ""
    finally:
        store.flush()
