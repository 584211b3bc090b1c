"""Bad files never cost the user anything: clear errors, the current state kept, saves atomic."""

import errno
import json
import os
import shutil
import threading

import numpy as np
import pytest
from pickle_payload import PicklePayload
from test_session_lock import hand_edit, record, restored, save_and_wait

import nncore
from app.window.app_settings import AppSettings
from app.window.main_window import MainWindow
from app.window.session_store import SessionStore
from nncore import Network
from nncore.errors import SaveError


def bad_network_files(tmp_path):
    """{name: path} of every kind of bad network file."""
    good = tmp_path / "good.npz"
    nncore.save(Network([784, 8, 10], rng=1), good)
    data = good.read_bytes()
    files = {"missing": tmp_path / "absent.npz", "empty": b"", "text": b"just some words\n",
             "image renamed": b"\x89PNG\r\n\x1a\n" + bytes(200), "truncated": data[: len(data) // 3]}
    with np.load(good) as f:
        fields = {k: f[k] for k in f.files}
    future = dict(fields, format_version=np.array(7))
    shapes = dict(fields, w1=np.zeros((10, 9), np.float32))
    evil = dict(fields, w0=np.array([PicklePayload(str(tmp_path / "pwned"))], dtype=object))
    for name, content in (("future version", future), ("mismatched shapes", shapes), ("pickle", evil)):
        np.savez(tmp_path / f"{name}.npz", **content)
        files[name] = tmp_path / f"{name}.npz"
    out = {}
    for name, content in files.items():
        if isinstance(content, bytes):
            path = tmp_path / f"{name}.npz"
            path.write_bytes(content)
            content = path
        out[name] = content
    return out


def test_window_refuses_every_bad_network_file_and_keeps_its_network(window, errors, tmp_path):
    """Each bad file: an error naming the problem, the same network still loaded, no code run."""
    before = window.current.network
    for name, path in bad_network_files(tmp_path).items():
        errors.clear()
        assert window.files.open_network(str(path)) is False, name
        assert window.current.network is before, name
        assert len(errors) == 1 and "unchanged" in errors[0][1], name
    assert not (tmp_path / "pwned").exists()


def test_network_of_the_wrong_shape_for_the_data_is_refused(window, errors, tmp_path):
    """A valid file whose network takes 100 inputs is refused; the current network stays."""
    nncore.save(Network([100, 5, 10], rng=1), tmp_path / "small.npz")
    before = window.current.network
    assert window.files.open_network(str(tmp_path / "small.npz")) is False
    assert window.current.network is before and "needs 784 inputs" in errors[-1][1]


def test_opening_a_good_network_takes_its_sizes(window, tmp_path):
    """A good file becomes the network and the panel shows its hidden layers, cost and init."""
    nncore.save(Network([784, 12, 7, 10], cost="cross-entropy", init="scaled", rng=1), tmp_path / "n.npz")
    assert window.files.open_network(str(tmp_path / "n.npz"))
    assert window.current.network.sizes == [784, 12, 7, 10]
    cfg = window.panel.config()
    assert (cfg.hidden, cfg.cost, cfg.init) == ((12, 7), "cross-entropy", "scaled")


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EACCES])
def test_failed_save_keeps_the_old_file_and_says_so(window, errors, tmp_path, monkeypatch, failure):
    """Disk full or permission denied during a save: the old file is intact and the user is told."""
    path = tmp_path / "net.npz"
    assert window.files.save_network(str(path))
    before = path.read_bytes()
    window.current.set(Network([784, 9, 10], rng=3), "another network")

    def fail(*args, **kwargs):
        raise OSError(failure, "simulated failure")

    where = "nncore.fileio.os.replace" if failure == errno.EACCES else "nncore.fileio.os.fsync"
    monkeypatch.setattr(where, fail)
    assert window.files.save_network(str(path)) is False
    assert path.read_bytes() == before and "unchanged" in errors[-1][1]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in ("data", "settings.ini")) == ["net.npz"]


def test_export_failure_leaves_the_old_export(window, errors, tmp_path, monkeypatch):
    """A CSV export that fails midway keeps the previous export and reports the error."""
    target = tmp_path / "runs.csv"
    target.write_text("previous export\n")
    monkeypatch.setattr("nncore.fileio.os.fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "full")))
    assert window.training_tab.export_csv(str(target)) is None
    assert target.read_text() == "previous export\n"
    assert len(errors) == 1 and str(target) in errors[0][1]


def test_failed_drawing_save_keeps_the_store_consistent(tmp_path, monkeypatch):
    """A labelled drawing that cannot be written leaves no partial file and no phantom sample."""
    from app.pad.handwriting_store import HandwritingStore

    store = HandwritingStore(tmp_path)
    store.add(np.zeros(784), 1)
    monkeypatch.setattr("nncore.fileio.os.fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "full")))
    with pytest.raises(OSError):
        store.add(np.ones(784), 2)
    assert len(store.samples) == 1 and len(list(tmp_path.iterdir())) == 1
    assert len(HandwritingStore(tmp_path).samples) == 1


def test_bad_dataset_folder_keeps_the_current_data(window, errors, tmp_path, qtbot):
    """A folder with a truncated IDX file: an error, and MNIST stays loaded."""
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03" + bytes(20))
    before = window.loader.dataset
    with qtbot.waitSignal(window.loader.failed, timeout=10_000):
        window.files.open_dataset(str(tmp_path))
    assert window.loader.dataset is before
    assert len(errors) == 1 and str(tmp_path) in errors[0][1]


def test_saving_over_a_read_only_network_asks_first(window, tmp_path):
    """A read-only file is replaced only after the user agrees, and stays read-only."""
    import os

    path = tmp_path / "ro.npz"
    nncore.save(Network([784, 5, 10], rng=1), path)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    window.status.confirm = lambda title, text: False
    assert window.files.save_network(str(path)) is False and path.read_bytes() == before
    window.status.confirm = lambda title, text: True
    assert window.files.save_network(str(path)) and path.read_bytes() != before
    assert os.stat(path).st_mode & 0o777 == 0o444


# ---- the saved session and settings: nothing in them stops the app or costs the user a run --------

def marked(epochs):
    """A small network whose first bias is ``epochs``: it tells which state it was saved with."""
    net = Network([784, 4, 10], rng=1)
    net.biases[0][0] = epochs
    return net


def test_deep_json_in_the_settings_and_the_session_does_not_stop_the_window(qtbot, settings, mnist, tmp_path):
    """A 2 KB value nested 1,000 deep in config, options, recent, runs.json and current.json: the window
    starts, the settings fall back and are named, the session files are named and kept aside."""
    deep = "[" * 1000 + "]" * 1000
    for key in ("config", "options", "recent"):
        hand_edit(settings, key, deep)
    folder = tmp_path / "session"
    folder.mkdir()
    for name in ("runs.json", "current.json"):
        (folder / name).write_text(deep)
    w = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(w)
    assert sorted(settings.skipped) == ["config", "options", "recent"]
    assert all("nested more than" in why for why in settings.skipped.values())
    problems = w.networks.restore_problems
    assert [p.split(" ")[0] for p in problems] == ["runs.json", "current.json"]
    assert all("nested more than" in p and ".damaged-" in p for p in problems)
    assert len(w.training_tab.history) == 0
    w.close()


def test_numbers_the_window_cannot_use_are_refused_when_read(qtbot, settings, mnist, tmp_path):
    """A 300-digit run id and a first epoch of 10⁴⁰⁰ skip their runs (named); a cost of 1e308 is read as
    no value; the window starts and draws the Training tab with finite ranges."""
    folder = tmp_path / "session"
    folder.mkdir()
    good = record(4).to_dict()
    entries = [dict(good, run_id=int("9" * 300)), dict(good, run_id=2, first_epoch=10 ** 400),
               dict(good, run_id=3, epoch_cost=[1e308], batch_cost=[float("inf")]), good]
    (folder / "runs.json").write_text(json.dumps(entries))
    w = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.training_tab.plots.refresh()
    assert [r.run_id for r in w.training_tab.history] == [3, 4]
    assert np.isnan(w.training_tab.history.get(3).epoch_cost[0])
    problems = w.networks.restore_problems
    assert any("run id is not a whole number from 1 to 1,000,000,000" in p for p in problems)
    assert any("first epoch is not a whole number from 1 to 1,000,000" in p for p in problems)
    for plot in (w.training_tab.plots.cost_plot, w.training_tab.plots.acc_plot):
        assert np.isfinite(plot.viewRange()).all()
    w.close()


def test_a_damaged_runs_json_is_kept_aside_and_its_networks_stay(qtbot, tmp_path):
    """runs.json cut short: it is kept as runs.json.damaged-<time> and named; the networks it named
    (an older version's run-1.npz and run-2.npz) survive the next saves, even after the runs are cleared."""
    nets = {k: marked(k) for k in (1, 2)}
    for k, net in nets.items():
        nncore.save(net, tmp_path / f"run-{k}.npz")
    damaged = b'[{"run_id": 1, "config": {"hidd'
    (tmp_path / "runs.json").write_bytes(damaged)
    store = SessionStore(tmp_path)
    try:
        records, networks, current, problems = store.restore()
        assert (records, networks, current) == ([], {}, None) and len(problems) == 1
        (aside,) = tmp_path.glob("runs.json.damaged-*")
        assert aside.read_bytes() == damaged and f"it is kept as {aside.name}" in problems[0]
        save_and_wait(qtbot, store, [record(1)], {1: marked(7)})        # the new session's run #1
        (saved,) = json.loads((tmp_path / "runs.json").read_text())
        assert saved["network"] != "run-1.npz" and nncore.load(tmp_path / saved["network"]).biases[0][0] == 7
        save_and_wait(qtbot, store, [], {})                             # the runs are cleared
        assert not (tmp_path / saved["network"]).exists()
        for k, net in nets.items():
            assert nncore.load(tmp_path / f"run-{k}.npz").biases[0].tobytes() == net.biases[0].tobytes()
    finally:
        store.flush()


def make_special(kind, path):
    """Put a FIFO, a folder or a link to itself at ``path``."""
    {"FIFO": os.mkfifo, "folder": os.mkdir, "loop of symbolic links": lambda p: os.symlink(p.name, p)}[kind](path)


@pytest.mark.parametrize("kind", ["FIFO", "folder", "loop of symbolic links"])
@pytest.mark.parametrize("name", ["runs.json", "current.json"])
def test_a_special_file_as_a_session_file_is_named_and_set_aside(qtbot, tmp_path, kind, name):
    """A FIFO, a folder or a link loop in place of a session file: restore names it (never opening it
    blocking), moves it aside, and the next save writes a regular file there."""
    make_special(kind, tmp_path / name)
    store = SessionStore(tmp_path)
    said = []
    store.problem.connect(said.append)
    try:
        _records, _networks, _current, problems = store.restore()
        assert len(problems) == 1 and problems[0].startswith(f"{name} could not be read") and kind in problems[0]
        assert len(list(tmp_path.glob(f"{name}.damaged-*"))) == 1
        net = marked(1)
        save_and_wait(qtbot, store, [record(1)], {1: net}, (net, "run #1", 1, "run:1"))
        assert isinstance(json.loads((tmp_path / name).read_text()), (list, dict)) and said == []
    finally:
        store.flush()


def test_a_kill_at_any_point_of_a_save_leaves_each_record_with_its_own_network(qtbot, tmp_path, monkeypatch):
    """The folder as a kill -9 would leave it before each file a save writes (three saves, two runs
    and the current network): every record restored has the network of its own epoch, never a newer one."""
    from app.window import session_store

    folder, images = tmp_path / "session", []

    def image_before(write):
        def wrapped(*args, **kwargs):
            images.append(shutil.copytree(folder, tmp_path / f"image-{len(images)}"))
            return write(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(session_store, "save", image_before(session_store.save))
    monkeypatch.setattr(session_store, "atomic_write", image_before(session_store.atomic_write))
    store = SessionStore(folder)
    try:
        for epoch in (1, 2, 3):
            runs = [record(1, epochs=min(epoch, 2)), record(2, epochs=epoch)]
            nets = {1: marked(min(epoch, 2)), 2: marked(epoch)}
            save_and_wait(qtbot, store, runs, nets, (nets[2], "run #2", epoch, "run:2"))
    finally:
        store.flush()
    images.append(folder)
    assert len(images) >= 9
    for image in images:
        records, networks, current, problems = restored(image)
        assert problems == []
        for r in records:
            assert networks[r.run_id].biases[0][0] == len(r.epoch_x), (image.name, r.run_id)
        assert current is None or current[0].biases[0][0] == current[2]
    assert sorted(p.name for p in folder.glob("*.npz")) == sorted(
        [r["network"] for r in json.loads((folder / "runs.json").read_text())]
        + [json.loads((folder / "current.json").read_text())["network"]])


def test_each_epoch_end_is_taken_at_once_and_the_newest_is_written_next(qtbot, tmp_path, monkeypatch):
    """While a save is slow, three epochs end: each one's state is taken as it ends (not later, when the
    worker has sent a network from the middle of the next epoch), and the third is written next."""
    from app.window import session_store

    gate, real_save = threading.Event(), session_store.save
    monkeypatch.setattr(session_store, "save", lambda net, path: (gate.wait(10), real_save(net, path)))
    live, taken = {}, []

    def snapshot():
        taken.append(len(live["record"].epoch_x))
        return [live["record"]], {1: live["network"]}, None

    store = SessionStore(tmp_path)
    try:
        for epoch in (1, 2, 3):
            live.update(record=record(1, epochs=epoch), network=marked(epoch))
            store.save_soon(snapshot)
            qtbot.waitUntil(lambda epoch=epoch: len(taken) == epoch, timeout=5000)
            live["network"] = marked(epoch + 0.5)      # the worker's copy in the middle of the next epoch
        gate.set()
        qtbot.waitUntil(lambda: not store.runner.busy, timeout=10_000)     # the writes queued meanwhile too
        (saved,) = json.loads((tmp_path / "runs.json").read_text())
        assert taken == [1, 2, 3] and len(saved["epoch_x"]) == 3
        assert nncore.load(tmp_path / saved["network"]).biases[0][0] == 3
    finally:
        gate.set()
        store.flush()


def test_a_failed_save_is_said_in_plain_words(qtbot, tmp_path, monkeypatch):
    """A save refused by the disk is reported with its reason, without the name of an exception class."""
    from app.window import session_store

    def refuse(path, write, **_kwargs):
        raise SaveError(path, "the disk is full")

    monkeypatch.setattr(session_store, "atomic_write", refuse)
    store = SessionStore(tmp_path)
    try:
        with qtbot.waitSignal(store.problem, timeout=5000) as said:
            store.save_soon(lambda: ([record(1)], {}, None))
        assert said.args[0] == (f"The session could not be saved in {tmp_path} ({tmp_path / 'runs.json'}: the "
                                "disk is full); training goes on.")
    finally:
        store.flush()


def test_a_runs_json_of_a_thousand_runs_restores_only_the_runs_kept(tmp_path):
    """1,000 records: only the newest 12 (the history's bound) are read and restored."""
    (tmp_path / "runs.json").write_text(json.dumps([record(k).to_dict() for k in range(1, 1001)]))
    records, _networks, _current, problems = restored(tmp_path)
    assert [r.run_id for r in records] == list(range(989, 1001)) and problems == []


def test_moving_the_old_data_layout_never_deletes_a_drawing():
    """Four drawings in the old nested folder, and a top-level folder of the same name holding another
    a.digit: b, c and d move up, both a.digit files are kept, nothing is deleted."""
    from app.window.app_settings import APPLICATION, user_data_dir

    top = user_data_dir()
    nested = top / APPLICATION / "drawings-move-test"
    try:
        nested.mkdir(parents=True)
        for k in "abcd":
            (nested / f"{k}.digit").write_bytes(k.encode() * 3)
        (top / "drawings-move-test").mkdir()
        (top / "drawings-move-test" / "a.digit").write_bytes(b"top")
        assert user_data_dir() == top
        moved = {p.name: p.read_bytes() for p in (top / "drawings-move-test").iterdir()}
        assert moved == {"a.digit": b"top", "b.digit": b"bbb", "c.digit": b"ccc", "d.digit": b"ddd"}
        assert [p.name for p in nested.iterdir()] == ["a.digit"] and (nested / "a.digit").read_bytes() == b"aaa"
    finally:
        shutil.rmtree(top / APPLICATION, ignore_errors=True)
        shutil.rmtree(top / "drawings-move-test", ignore_errors=True)


def test_a_save_writes_only_the_networks_that_changed(qtbot, tmp_path, monkeypatch):
    """Saving again with the same run network writes no file for it (a new current network, one file);
    after a failed save the next one writes every network again, and restores give the last ones."""
    from app.window import session_store

    written, real_save, real_write = [], session_store.save, session_store.atomic_write
    monkeypatch.setattr(session_store, "save", lambda net, path: (written.append(path.name.split("-")[0]),
                                                                  real_save(net, path)))
    run_net, first, second = marked(1), marked(2), marked(3)
    store = SessionStore(tmp_path)
    try:
        for current in (first, second, second):
            save_and_wait(qtbot, store, [record(1)], {1: run_net}, (current, "x", 0, ""))
        assert written == ["run", "current", "current"]
        monkeypatch.setattr(session_store, "atomic_write", lambda path, write: (_ for _ in ()).throw(
            SaveError(path, "the disk is full")))
        with qtbot.waitSignal(store.problem, timeout=5000):
            store.save_soon(lambda: ([record(1)], {1: run_net}, (second, "x", 0, "")))
        monkeypatch.setattr(session_store, "atomic_write", real_write)
        save_and_wait(qtbot, store, [record(1)], {1: run_net}, (second, "x", 0, ""))
        assert written[3:] == ["run", "current"]
    finally:
        store.flush()
    _records, networks, current, _problems = restored(tmp_path)
    assert networks[1].biases[0][0] == 1 and current[0].biases[0][0] == 3


def test_a_fifo_in_place_of_the_settings_file_is_set_aside_not_read(tmp_path):
    """A FIFO where the settings file should be would block Qt's reader for good: it is renamed aside,
    the defaults are used, and what happened is named."""
    import os

    from app.window.app_settings import AppSettings

    path = tmp_path / "settings.ini"
    os.mkfifo(path)
    settings = AppSettings(path)       # returns: nothing opened the FIFO
    reason = settings.skipped["the settings file"]
    assert "FIFO" in reason and "damaged" in reason
    assert not path.exists() and len(list(tmp_path.glob("settings.ini.damaged-*"))) == 1
    settings.set_json("zoom", 1.5)
    assert settings.sync() and settings.get_json("zoom") == 1.5


def test_a_skipped_recent_setting_is_named_once_and_kept_aside(qtbot, settings, mnist, tmp_path):
    """A `recent` nested 1,000 deep: the first launch names it once and keeps the value in a file beside
    the settings; the cleaned value is written back, so the next launch says nothing and File → Open
    recent works again."""
    deep = "[" * 1000 + "]" * 1000
    hand_edit(settings, "recent", deep)
    settings.set_json("options", {"welcome": False})
    first = MainWindow(settings, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(first)
    said = [w for w in first.status.warnings() if '"recent"' in w]
    assert len(said) == 1 and "nested more than" in said[0] and "the value is kept as settings.recent.json" in said[0]
    first.close()
    (kept,) = tmp_path.glob("settings.recent.json.damaged-*")
    assert kept.read_text() == deep
    again = AppSettings(settings.path)
    second = MainWindow(again, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(second)
    assert again.skipped == {} and not any("recent" in w for w in second.status.warnings())
    assert again.get_json("recent", "absent") == "absent"
    second.close()


def test_runs_naming_networks_the_app_never_writes_are_named_once(qtbot, settings, mnist, tmp_path):
    """Records naming a network outside the session folder, an odd name, another run's file or a missing
    one: the runs come back without a network, one warning names them all, the files named are left as
    they are, and the next launch says nothing."""
    folder = tmp_path / "data" / "session"
    folder.mkdir(parents=True)
    outside = tmp_path / "outside.npz"
    nncore.save(marked(9), outside)
    nncore.save(marked(5), folder / "run-5-1.npz")
    names = {1: "../outside.npz", 2: str(outside), 3: "run-5-1.npz", 4: "run-4-7.npz", 5: "run-5-1.npz", 6: None}
    (folder / "runs.json").write_text(json.dumps([{**record(k).to_dict(), "network": name}
                                                  for k, name in names.items()]))
    settings.set_json("options", {"welcome": False})
    first = MainWindow(settings, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(first)
    said = [w for w in first.status.warnings() if "without" in w]
    assert len(said) == 1 and "runs #1, #2, #3, #4 came back without their networks" in said[0]
    assert [r.run_id for r in first.training_tab.history] == [1, 2, 3, 4, 5, 6]
    assert set(first.networks.shelf.run_networks()) == {5}
    first.close()
    assert nncore.load(outside).biases[0][0] == 9
    second = MainWindow(settings, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(second)
    assert not any("without" in w for w in second.status.warnings())
    assert [r.run_id for r in second.training_tab.history] == [1, 2, 3, 4, 5, 6]
    second.close()
