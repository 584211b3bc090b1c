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


@pytest.mark.parametrize("dtype, layer, where", [(np.float32, 0, "w"), (np.float64, 1, "w"), (np.float64, 0, "b")])
def test_finite_weights_whose_forward_pass_overflows_are_refused(tmp_path, dtype, layer, where):
    """A float-max weight (or bias) is finite but makes z overflow: refused on opening, naming the layer
    and what is accepted (it loaded, and the window's views then failed on inf and NaN)."""
    net = Network([784, 12, 10], rng=1, dtype=dtype)
    (net.weights if where == "w" else net.biases)[layer].flat[0] = np.finfo(dtype).max
    nncore.save(net, tmp_path / "huge.npz")
    with pytest.raises(ModelFileError) as e:
        nncore.load(tmp_path / "huge.npz")
    accepted = np.finfo(dtype).max / 2
    assert f"layer {layer + 1}'s weights and biases are too large to compute with" in str(e.value)
    assert f"Σ|w| + |b| is at most {accepted:.3g} for every neuron" in str(e.value)


def test_the_largest_accepted_weights_give_a_finite_forward_pass(tmp_path):
    """Every neuron's Σ|w| + |b| at the accepted bound (half of float32's largest), with signs mixed: the
    network loads and z and a stay finite for inputs of 0 and 1; a little more is refused."""
    net = Network([784, 12, 10], rng=1)
    for w, b in zip(net.weights, net.biases):
        n_in = w.shape[1]
        share = np.float32(np.finfo(np.float32).max / 2 / (n_in + 1) * (1 - 1e-6))
        w[:] = share * np.where(np.arange(n_in) % 3 == 0, -1, 1)
        b[:] = share
    nncore.save(net, tmp_path / "edge.npz")
    back = nncore.load(tmp_path / "edge.npz")
    zs, activations = back.forward(np.array([np.ones(784), np.zeros(784)], dtype=np.float32))
    assert all(np.isfinite(z).all() for z in zs) and all(np.isfinite(a).all() for a in activations)
    net.biases[1][0] *= 2
    nncore.save(net, tmp_path / "over.npz")
    with pytest.raises(ModelFileError, match="layer 2's weights and biases are too large"):
        nncore.load(tmp_path / "over.npz")
