"""Property-based fuzzing: any bytes or array either loads correctly or raises the project's error."""

import gzip
import io

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nncore
from nncore import DataFileError, ModelFileError, Network, NNCoreError
from nncore.idx import parse_idx, read_images
from nncore.modelfile import loads
from nncore.preprocess import to_mnist

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid_network_bytes():
    buf = io.BytesIO()
    net = Network([784, 4, 10], rng=0)
    path = io.BytesIO()
    arrays = {"kind": np.array("backprop-lab-network"), "format_version": np.array(1),
              "sizes": np.array(net.sizes), "cost": np.array("quadratic"), "init": np.array("normal")}
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        arrays[f"w{l}"], arrays[f"b{l}"] = w, b
    np.savez(path, **arrays)
    del buf
    return path.getvalue()


VALID = _valid_network_bytes()
VALID_IDX = (bytes([0, 0, 8, 3]) + (2).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
             + bytes(range(256)) * 6 + bytes(32))


@FUZZ
@given(st.binary(max_size=2000))
def test_idx_parser_on_any_bytes(data):
    """Random bytes as images or labels: a uint8 array of the header's shape, or DataFileError."""
    for ndim in (1, 3):
        try:
            arr = parse_idx(data, ndim)
        except DataFileError:
            continue
        assert arr.dtype == np.uint8 and arr.ndim == ndim


@FUZZ
@given(st.integers(0, len(VALID_IDX) - 1), st.integers(0, 255), st.booleans())
def test_idx_reader_on_damaged_files(tmp_path_factory, position, value, compress):
    """A valid IDX file with one byte changed (raw or gzipped): 2×28×28 images or DataFileError."""
    data = bytearray(VALID_IDX)
    data[position] = value
    raw = gzip.compress(bytes(data)) if compress else bytes(data)
    path = tmp_path_factory.mktemp("idx") / "f"
    path.write_bytes(raw)
    try:
        images = read_images(path)
    except DataFileError:
        return
    assert images.shape == (2, 28, 28)


@FUZZ
@given(st.binary(max_size=3000))
def test_network_loader_on_any_bytes(data):
    """Random bytes as a network file: a Network or ModelFileError, nothing else."""
    try:
        net = loads(data)
    except ModelFileError:
        return
    assert isinstance(net, Network)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=4),
       st.integers(0, len(VALID)))
@example(changes=[(1239, 0)], cut=len(VALID))   # once found: a NUL in a .npy header broke NumPy's parser
def test_network_loader_on_damaged_files(changes, cut):
    """A valid network file with bytes changed and maybe cut short: loads consistently or ModelFileError."""
    data = bytearray(VALID)
    for position, value in changes:
        data[position] = value
    try:
        net = loads(bytes(data[:cut] if cut < len(VALID) // 2 else data))
    except ModelFileError:
        return
    assert net.sizes == [784, 4, 10] and net.is_finite()
    assert net.feedforward(np.zeros(784)).shape == (10,)


@FUZZ
@given(hnp.arrays(dtype=st.sampled_from([np.float64, np.float32, np.uint8, np.int16]),
                  shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=40),
                  elements=None))
def test_preprocessing_on_any_array(image):
    """Any array (NaN, inf, any shape and dtype): None, a (784,) input in [0, 1], or the project's error."""
    try:
        x = to_mnist(image)
    except NNCoreError:
        return
    if x is not None:
        assert x.shape == (784,) and x.dtype == np.float32
        assert np.isfinite(x).all() and x.min() >= 0 and x.max() <= 1


def test_loader_error_type_is_the_projects():
    """The loader's and reader's errors share the one family the app catches."""
    assert issubclass(ModelFileError, nncore.NNCoreError) and issubclass(DataFileError, nncore.NNCoreError)
