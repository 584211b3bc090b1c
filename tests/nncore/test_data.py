"""A split holds its pixels; every way of reading them as inputs gives the bits of k/255 in float32."""

import numpy as np
import pytest

from nncore import Dataset, Network, Split, evaluate
from nncore.evaluation import CHUNK, PIECE, saturation

EVERY_VALUE = np.arange(256, dtype=np.uint8).reshape(4, 64)


@pytest.fixture
def pixels(rng):
    """A split of 2,600 random 'images' of 64 pixels: more rows than an evaluation chunk, every value 0–255."""
    p = rng.integers(0, 256, (CHUNK + 100, 64), dtype=np.uint8)
    p[:4] = EVERY_VALUE
    return Split(p, rng.integers(0, 10, len(p), dtype=np.uint8))


def k_over_255(p):
    """The inputs as the book defines them, computed independently: k/255 rounded once to float32."""
    return (p.astype(np.float64) / 255.0).astype(np.float32)


def test_x_is_k_over_255_converted_each_time_unless_kept(pixels):
    """``x`` is every pixel's k/255 in float32, a new array at each read; after to_floats, one kept array."""
    first, second = pixels.x, pixels.x
    assert first.dtype == np.float32 and first.tobytes() == k_over_255(pixels.pixels).tobytes()
    assert first is not second and not pixels.keeps_floats
    data = Dataset(pixels, pixels.head(10), pixels.head(20))
    assert data.to_floats() is data and pixels.keeps_floats and pixels.x is pixels.x
    assert pixels.x.tobytes() == first.tobytes()


@pytest.mark.parametrize("rows", [3, slice(5, 90), np.array([2500, 0, 7, 7])], ids=["one", "slice", "array"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_inputs_of_some_rows_are_x_s_rows(pixels, rows, dtype):
    """inputs(rows) converts only those rows, to the bits of x's (widened exactly to float64)."""
    got = pixels.inputs(rows, dtype)
    assert got.dtype == dtype and got.tobytes() == pixels.x[rows].astype(dtype).tobytes()


def test_rows_into_a_float64_buffer_widens_x_s_rows(pixels, rng):
    """A float64 mini-batch from the pixels holds x's float32 values exactly; given float32 inputs too."""
    idx = rng.permutation(len(pixels))[:37]
    out = pixels.rows_into(idx, np.empty((37, 64), np.float64))
    assert out.tobytes() == pixels.x[idx].astype(np.float64).tobytes()
    given = Split(np.zeros((5, 3), np.uint8), np.zeros(5, np.uint8), given_x=rng.random((5, 3), np.float32))
    assert given.rows_into(np.array([4, 1]), np.empty((2, 3))).tolist() == given.x[[4, 1]].tolist()


def test_a_head_is_views_of_the_split(pixels):
    """head(n) shares the pixels, labels and kept floats; it converts nothing."""
    head = pixels.head(100)
    assert np.shares_memory(head.pixels, pixels.pixels) and np.shares_memory(head.labels, pixels.labels)
    assert not head.keeps_floats and len(head) == 100 and head.n_inputs == 64
    Dataset(pixels, head, head).to_floats()
    assert np.shares_memory(pixels.head(100).x, pixels.x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_evaluate_reads_pixels_as_their_inputs_to_the_bit(pixels, dtype):
    """evaluate on the stored uint8 pixels (converted piece by piece) equals evaluate on x: the same
    cost, accuracy and predictions over several chunks and pieces; saturation too."""
    assert len(pixels) > CHUNK > PIECE and pixels.stored is pixels.pixels
    net = Network([64, 12, 10], cost="cross-entropy", rng=3, dtype=dtype)
    from_bytes = evaluate(net, pixels.stored, pixels.labels, predictions=True)
    from_floats = evaluate(net, pixels.x, pixels.labels, predictions=True)
    assert (from_bytes.cost, from_bytes.accuracy) == (from_floats.cost, from_floats.accuracy)
    assert np.array_equal(from_bytes.predictions, from_floats.predictions)
    assert saturation(net, pixels.stored) == saturation(net, pixels.x)
