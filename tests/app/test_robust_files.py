"""Bad files never cost the user anything: clear errors, the current state kept, saves atomic."""

import errno

import numpy as np
import pytest
from pickle_payload import PicklePayload

import nncore
from nncore import Network


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


def test_window_refuses_every_bad_network_file_and_keeps_its_network(window, tmp_path):
    """Each bad file: an error naming the problem, the same network still loaded, no code run."""
    before = window.current.network
    for name, path in bad_network_files(tmp_path).items():
        window.status.last_error = None
        assert window.files.open_network(str(path)) is False, name
        assert window.current.network is before, name
        assert window.status.last_error is not None and "unchanged" in window.status.last_error[1], name
    assert not (tmp_path / "pwned").exists()


def test_network_of_the_wrong_shape_for_the_data_is_refused(window, tmp_path):
    """A valid file whose network takes 100 inputs is refused; the current network stays."""
    nncore.save(Network([100, 5, 10], rng=1), tmp_path / "small.npz")
    before = window.current.network
    assert window.files.open_network(str(tmp_path / "small.npz")) is False
    assert window.current.network is before and "needs 784 inputs" in window.status.last_error[1]


def test_opening_a_good_network_takes_its_sizes(window, tmp_path):
    """A good file becomes the network and the panel shows its hidden layers, cost and init."""
    nncore.save(Network([784, 12, 7, 10], cost="cross-entropy", init="scaled", rng=1), tmp_path / "n.npz")
    assert window.files.open_network(str(tmp_path / "n.npz"))
    assert window.current.network.sizes == [784, 12, 7, 10]
    cfg = window.panel.config()
    assert (cfg.hidden, cfg.cost, cfg.init) == ((12, 7), "cross-entropy", "scaled")


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EACCES])
def test_failed_save_keeps_the_old_file_and_says_so(window, tmp_path, monkeypatch, failure):
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
    assert path.read_bytes() == before and "unchanged" in window.status.last_error[1]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["net.npz"]


def test_export_failure_leaves_the_old_export(window, tmp_path, monkeypatch):
    """A CSV export that fails midway keeps the previous export and reports the error."""
    target = tmp_path / "runs.csv"
    target.write_text("previous export\n")
    monkeypatch.setattr("nncore.fileio.os.fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "full")))
    assert window.training_tab.export_csv(str(target)) is None
    assert target.read_text() == "previous export\n"
    assert window.status.last_error is not None


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


def test_bad_dataset_folder_keeps_the_current_data(window, tmp_path, qtbot):
    """A folder with a truncated IDX file: an error, and MNIST stays loaded."""
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03" + bytes(20))
    before = window.loader.dataset
    with qtbot.waitSignal(window.loader.failed, timeout=10_000):
        window.files.open_dataset(str(tmp_path))
    assert window.loader.dataset is before
    assert window.status.last_error is not None and str(tmp_path) in window.status.last_error[1]


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
