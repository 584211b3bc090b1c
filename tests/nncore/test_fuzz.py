"""Property-based fuzzing: any bytes or array either loads correctly or raises the project's error."""

import gzip
import io

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nncore
from nncore import DataFileError, ModelFileError, Network, NNCoreError
from nncore.idx import MAX_DATA_BYTES, parse_header, parse_idx, read_idx, read_images
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


# Dimensions: small ones, and the edges where arithmetic used to go wrong (0, 2³¹, 2³², powers of two).
DIM = st.one_of(st.integers(0, 40), st.sampled_from([2**23, 2**20, 2**21, 2**31, 2**32 - 1, 28]),
                st.integers(0, 2**32 - 1))


@FUZZ
@given(st.sampled_from([1, 3]), st.lists(DIM, min_size=3, max_size=3), st.integers(0, 3000))
def test_idx_header_reader_on_any_dimensions(ndim, dims, body):
    """Any header: a shape whose product is 1 … MAX_DATA_BYTES (Python ints) or DataFileError; the
    parser then returns exactly that shape or refuses the body's length, never anything else."""
    data = bytes([0, 0, 8, ndim]) + b"".join(d.to_bytes(4, "big") for d in dims[:ndim]) + bytes(body)
    try:
        shape = parse_header(data, ndim)
    except DataFileError:
        assert not 1 <= int(np.prod(dims[:ndim], dtype=object)) <= MAX_DATA_BYTES
        return
    assert shape == tuple(dims[:ndim]) and 1 <= int(np.prod(shape, dtype=object)) <= MAX_DATA_BYTES
    try:
        arr = parse_idx(data, ndim)
    except DataFileError:
        assert int(np.prod(shape, dtype=object)) != body
        return
    assert arr.shape == shape


@FUZZ
@given(st.sampled_from([1, 3]), st.lists(DIM, min_size=3, max_size=3), st.integers(0, 3000), st.booleans())
def test_idx_stream_reader_on_any_dimensions(tmp_path_factory, ndim, dims, body, compress):
    """The file reader (raw or gzip, read in bounded chunks) agrees with the in-memory parser."""
    data = bytes([0, 0, 8, ndim]) + b"".join(d.to_bytes(4, "big") for d in dims[:ndim]) + bytes(body)
    path = tmp_path_factory.mktemp("idx") / "f"
    path.write_bytes(gzip.compress(data, compresslevel=1) if compress else data)
    try:
        expected = parse_idx(data, ndim)
    except DataFileError:
        expected = None
    try:
        arr = read_idx(path, ndim)
    except DataFileError:
        assert expected is None
        return
    assert expected is not None and arr.shape == expected.shape


def _fields():
    with np.load(io.BytesIO(VALID)) as f:
        return {k: f[k] for k in f.files}


MEMBER_NAMES = st.sampled_from(["kind", "format_version", "sizes", "cost", "init", "w0", "b0", "w1", "b1",
                                "w2", "b2", "w10", "extra", "arr_0", "w01"])
MEMBER_ARRAYS = st.one_of(
    hnp.arrays(dtype=st.sampled_from([np.float32, np.float64, np.int64, np.uint8, np.bool_, np.dtype(">f4")]),
               shape=hnp.array_shapes(min_dims=0, max_dims=2, max_side=12), elements=None),
    st.sampled_from([np.zeros((4, 784), np.float32), np.zeros((10, 4), np.float64), np.zeros(4, np.float64),
                     np.array([784, 4, 10]), np.array([784, 10]), np.array("quadratic"), np.array(1),
                     np.array(["backprop-lab-network"]), np.array(2**40)]))


@FUZZ
@given(st.dictionaries(MEMBER_NAMES, st.one_of(st.none(), MEMBER_ARRAYS), max_size=4))
def test_network_loader_member_checks(changes):
    """A valid network file with members replaced (any dtype and shape), removed or added: a network
    whose every layer fits its sizes, or ModelFileError, nothing else."""
    fields = _fields()
    for key, value in changes.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    buf = io.BytesIO()
    np.savez(buf, **fields)
    try:
        net = loads(buf.getvalue())
    except ModelFileError:
        return
    assert net.is_finite() and len({w.dtype for w in net.weights + net.biases}) == 1
    for w, b, n_in, n_out in zip(net.weights, net.biases, net.sizes[:-1], net.sizes[1:]):
        assert w.shape == (n_out, n_in) and b.shape == (n_out,) and w.flags.writeable


def test_loader_error_type_is_the_projects():
    """The loader's and reader's errors share the one family the app catches."""
    assert issubclass(ModelFileError, nncore.NNCoreError) and issubclass(DataFileError, nncore.NNCoreError)
