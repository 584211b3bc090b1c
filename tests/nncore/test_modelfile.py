"""Network files round-trip exactly; every kind of bad file is one clear ModelFileError."""

import io
import pickle
import zipfile

import numpy as np
import pytest

import nncore
from nncore import ModelFileError, Network


def test_round_trip_keeps_every_number_and_setting(tmp_path):
    """Save then load gives the same sizes, cost, init, dtype and bit-identical parameters."""
    net = Network([784, 20, 15, 10], cost="cross-entropy", init="scaled", rng=3)
    nncore.save(net, tmp_path / "n.npz")
    back = nncore.load(tmp_path / "n.npz")
    assert (back.sizes, back.cost.name, back.init) == (net.sizes, "cross-entropy", "scaled")
    assert back.dtype == np.float32
    for a, b in zip(net.weights + net.biases, back.weights + back.biases):
        assert a.tobytes() == b.tobytes()
    x = np.random.default_rng(0).uniform(0, 1, (3, 784))
    assert np.array_equal(net.feedforward(x), back.feedforward(x))


def rewrite(path, **changes):
    """Copy of a saved network file with some entries replaced (None deletes)."""
    with np.load(path) as f:
        fields = {k: f[k] for k in f.files}
    for k, v in changes.items():
        if v is None:
            fields.pop(k)
        else:
            fields[k] = v
    out = path.with_name("changed.npz")
    np.savez(out, **fields)
    return out


@pytest.fixture
def saved(tmp_path):
    """A saved 784-5-10 network."""
    path = tmp_path / "n.npz"
    nncore.save(Network([784, 5, 10], rng=1), path)
    return path


@pytest.mark.parametrize("content, words", [
    (b"", "empty"), (b"hello, I am text\n", "another kind of file"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "another kind of file"), (b"PK\x03\x04broken", "damaged"),
])
def test_wrong_kinds_of_file(tmp_path, content, words):
    """Empty, text, an image renamed .npz and a broken zip each get a message naming the problem."""
    (tmp_path / "bad.npz").write_bytes(content)
    with pytest.raises(ModelFileError, match=words):
        nncore.load(tmp_path / "bad.npz")


def test_truncated_file(saved):
    """A file cut in half is reported as damaged or truncated."""
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="damaged or truncated"):
        nncore.load(saved)


def test_missing_file(tmp_path):
    """A path that does not exist says so."""
    with pytest.raises(ModelFileError, match="no such file"):
        nncore.load(tmp_path / "nope.npz")


def test_future_version_and_mismatched_shapes(saved):
    """A newer format version, and weights that do not fit the sizes, are named in the error."""
    with pytest.raises(ModelFileError, match="newer Backprop Lab"):
        nncore.load(rewrite(saved, format_version=np.array(99)))
    with pytest.raises(ModelFileError, match="layer 1 has weights"):
        nncore.load(rewrite(saved, w0=np.zeros((4, 784), np.float32)))
    with pytest.raises(ModelFileError, match="layer 2 is missing"):
        nncore.load(rewrite(saved, w1=None))
    with pytest.raises(ModelFileError, match="NaN or infinite"):
        nncore.load(rewrite(saved, b1=np.full(10, np.nan, np.float32)))
    with pytest.raises(ModelFileError, match="not a Backprop Lab network"):
        nncore.load(rewrite(saved, kind=None))


class _Payload:
    """Unpickling this would create a marker file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickled_payload_is_refused_without_running(tmp_path, saved):
    """An .npz whose entry is a pickle (object array) is refused and the payload never executes."""
    marker = tmp_path / "pwned"
    with np.load(saved) as f:
        fields = {k: f[k] for k in f.files}
    fields["w0"] = np.array([_Payload(str(marker))], dtype=object)
    evil = tmp_path / "evil.npz"
    np.savez(evil, **fields)
    with pytest.raises(ModelFileError, match="pickled"):
        nncore.load(evil)
    assert not marker.exists()
    raw_pickle = tmp_path / "raw.npz"
    raw_pickle.write_bytes(pickle.dumps(_Payload(str(marker))))
    with pytest.raises(ModelFileError):
        nncore.load(raw_pickle)
    assert not marker.exists()


def test_zip_without_the_entries(tmp_path):
    """A valid zip holding unrelated files is 'not a Backprop Lab network'."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hi")
    (tmp_path / "z.npz").write_bytes(buf.getvalue())
    with pytest.raises(ModelFileError, match="not a Backprop Lab network"):
        nncore.load(tmp_path / "z.npz")


def test_failed_save_leaves_the_old_file_intact(saved, monkeypatch):
    """A disk-full error during save raises OSError and the previous file still loads unchanged."""
    before = saved.read_bytes()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("nncore.fileio.os.fsync", full)
    with pytest.raises(OSError, match="No space"):
        nncore.save(Network([784, 9, 10], rng=2), saved)
    assert saved.read_bytes() == before
    assert nncore.load(saved).sizes == [784, 5, 10]
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]
