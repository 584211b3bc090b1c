"""Core robustness: atomic writes, pickles refused without running, divergence on the command line."""

import pickle

import pytest
from pickle_payload import PicklePayload

import nncore
from nncore.fileio import atomic_write


def test_atomic_write_never_leaves_a_half_file(tmp_path):
    """A write that raises halfway leaves the old content and no temporary file."""
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")

    def half(f):
        f.write(b"new but")
        raise RuntimeError("crash while writing")

    with pytest.raises(RuntimeError):
        atomic_write(path, half)
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_raw_pickle_bytes_are_refused_without_running(tmp_path):
    """A plain pickle file named .npz is refused and its payload never runs."""
    path = tmp_path / "p.npz"
    path.write_bytes(pickle.dumps(PicklePayload(str(tmp_path / "ran"))))
    with pytest.raises(nncore.ModelFileError):
        nncore.load(path)
    assert not (tmp_path / "ran").exists()


def test_cli_reports_divergence(monkeypatch, capsys, tmp_path):
    """On the CLI a diverged run prints what happened and what to try, and exits with status 3."""
    from nncore import cli, training

    real = training.train_single

    def exploding(net, x, y, eta, buf, *rest):
        return real(net, x, y, float("inf"), buf, *rest)

    monkeypatch.setattr(training, "train_single", exploding)
    status = cli.main(["train", "--batch-size", "1", "--train-size", "1000", "--epochs", "1",
                       "--save", str(tmp_path / "n.npz")])
    err = capsys.readouterr().err
    assert status == 3 and "diverged" in err and "smaller learning rate" in err
    assert nncore.load(tmp_path / "n.npz").is_finite()
