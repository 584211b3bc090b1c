"""One window owns a profile's session: a second store on the same folder restores what is there and
never overwrites or deletes anything of the first's; every window takes its run ids from one counter;
whatever cannot be read in place of the lock, the counter or a network is kept aside unopened."""

import json
import os
import subprocess
import sys
import time

import pytest
from PySide6.QtCore import QSettings

import nncore
from app.training.run_history import RUN_ID, RunRecord, RunSetup
from app.training.training_config import TrainingConfig
from app.training.training_session import TrainingSession
from app.window.run_numbers import WAIT_MS, RunNumbers
from app.window.session_store import SessionStore
from nncore import save


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


# ---- one run numbering for the profile's windows ---------------------------------------------------

def test_every_window_takes_its_run_ids_from_one_counter(tmp_path):
    """Two windows' numbering interleave (each id given once), whatever their own last ids; the counter
    file says the highest given."""
    first, second = RunNumbers(tmp_path), RunNumbers(tmp_path)
    ids = [first.after(0), second.after(0), first.after(1), second.after(2), first.after(40), second.after(4)]
    assert ids == [1, 2, 3, 4, 41, 42]
    assert (tmp_path / "last-run-id").read_text() == "42"


@pytest.mark.parametrize("content", ["7" * 300, "1e400", "-3", "2.5", "true", '"9"', "[" * 1000 + "]" * 1000,
                                     "\x00\xff", ""], ids=["300 digits", "1e400", "negative", "fraction",
                                                           "bool", "text", "1000 deep", "binary", "empty"])
def test_a_counter_that_cannot_be_used_is_kept_aside_and_numbering_goes_on(tmp_path, content):
    """A damaged counter is copied aside (nothing lost) and numbering goes on from the window's own ids."""
    (tmp_path / "last-run-id").write_text(content, encoding="latin-1")
    assert RunNumbers(tmp_path).after(5) == 6
    assert (tmp_path / "last-run-id").read_text() == "6"
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("last-run-id.damaged-")]
    assert len(aside) == 1 and aside[0].read_text(encoding="latin-1") == content


@pytest.mark.parametrize("kind", ["fifo", "link loop", "folder", "dangling link"])
def test_a_special_file_in_place_of_the_counter_is_set_aside_unopened(tmp_path, kind):
    """A FIFO (which would block a reader for good), a loop of links, a folder or a dangling link is
    renamed aside without being opened; numbering goes on and the counter is a file again."""
    path = tmp_path / "last-run-id"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link loop":
        os.symlink(path, path)
    elif kind == "folder":
        path.mkdir()
    else:
        os.symlink(tmp_path / "nowhere", path)
    assert RunNumbers(tmp_path).after(2) == 3
    assert path.is_file() and not path.is_symlink() and path.read_text() == "3"
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("last-run-id.damaged-")]) == 1


def test_a_counter_at_the_end_of_the_range_is_not_followed(tmp_path):
    """A counter whose next id could not be restored (past RUN_ID) is not followed: the window numbers
    after its own ids."""
    (tmp_path / "last-run-id").write_text(str(RUN_ID.high))
    assert RunNumbers(tmp_path).after(4) == 5


def test_a_counter_held_by_a_stuck_window_delays_a_run_only_a_moment(tmp_path):
    """A counter lock held by another live process (a window stuck mid-write) costs at most WAIT_MS: the
    run is numbered after the window's own ids, and the counter is left to its holder."""
    (tmp_path / "last-run-id").write_text("9")
    code = ("import sys, time; from PySide6.QtCore import QLockFile; lock = QLockFile(sys.argv[1]); "
            "assert lock.tryLock(0); print('held', flush=True); sys.stdin.readline()")
    holder = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "last-run-id.lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        assert RunNumbers(tmp_path).after(3) == 4
        assert time.monotonic() - started < WAIT_MS / 1000 + 1.0
        assert (tmp_path / "last-run-id").read_text() == "9"
    finally:
        holder.communicate("\n", timeout=10)


def test_a_session_folder_that_cannot_be_made_numbers_after_the_windows_own_ids(tmp_path):
    """A session folder that cannot be made (a file where its parent should be): the ids go on from the
    window's own at once, nothing raises."""
    (tmp_path / "profile").write_text("a file, not a folder")
    started = time.monotonic()
    assert RunNumbers(tmp_path / "profile" / "session").after(7) == 8
    assert time.monotonic() - started < WAIT_MS / 1000


def test_the_training_session_takes_each_new_id_from_the_numbering(qtbot):
    """number_runs_with: start and new_run_id both take their id from it, never below the last + 1."""
    session = TrainingSession()
    try:
        given = iter([10, 3])
        session.number_runs_with(lambda last: next(given))
        assert session.new_run_id() == 10 and session.new_run_id() == 11
    finally:
        session.shutdown()


@pytest.mark.parametrize("kind", ["fifo", "folder", "link to /dev/zero", "link loop", "huge file"])
def test_anything_but_a_lock_file_in_place_of_the_lock_is_set_aside_unread(tmp_path, kind):
    """A FIFO at session.lock hung the window before it opened, on every launch (QLockFile reads the lock
    it cannot create); a link to /dev/zero read without end. Each is renamed aside unread, and the store
    owns the session. (In a child process: a regression hangs it, not the test run.)"""
    lock = tmp_path / "session.lock"
    if kind == "fifo":
        os.mkfifo(lock)
    elif kind == "folder":
        lock.mkdir()
    elif kind == "link to /dev/zero":
        os.symlink("/dev/zero", lock)
    elif kind == "link loop":
        os.symlink(lock, lock)
    else:
        lock.write_bytes(b"1" * 100_000)
    code = ("import sys; from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]); "
            "from app.window.session_store import SessionStore; s = SessionStore(sys.argv[1]); "
            "print(s.owns_session, flush=True); s.flush()")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True", done.stderr
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("session.lock.damaged-")]) == 1


@pytest.mark.parametrize("kind", ["text", "fifo"])
def test_an_unreadable_network_is_kept_aside_once_by_the_owner_only(tmp_path, kind):
    """A saved run whose network file is damaged (text, or a FIFO that must not be opened): the owner
    restores the run without it, names the file once and keeps it aside (the next launch says nothing);
    a store that does not own the session leaves it where it is."""
    save(nncore.Network([784, 4, 10], rng=1), tmp_path / "run-2-2.npz")
    (tmp_path / "runs.json").write_text(json.dumps([{**record(1).to_dict(), "network": "run-1-1.npz"},
                                                    {**record(2).to_dict(), "network": "run-2-2.npz"}]))
    if kind == "fifo":
        os.mkfifo(tmp_path / "run-1-1.npz")
    else:
        (tmp_path / "run-1-1.npz").write_text("not a network")
    owner = SessionStore(tmp_path)
    other = SessionStore(tmp_path)
    try:
        *_, problems = other.restore()
        assert len(problems) == 1 and problems[0].endswith("another window owns it")
        assert os.path.lexists(tmp_path / "run-1-1.npz")
        records, networks, _current, problems = owner.restore()
        assert [r.run_id for r in records] == [1, 2] and list(networks) == [2]
        assert len(problems) == 1 and "the network of a saved run could not be restored" in problems[0]
        assert "it is kept as run-1-1.npz.damaged-" in problems[0]
        assert not os.path.lexists(tmp_path / "run-1-1.npz")
    finally:
        other.flush()
        owner.flush()
    records, networks, _current, problems = restored(tmp_path)
    assert problems == [] and [r.run_id for r in records] == [1, 2] and list(networks) == [2]
