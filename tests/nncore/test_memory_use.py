"""MNIST is held once, as bytes; a run allocates per mini-batch, not per dataset; the results keep their bits.

The figures from outside (peak RSS of the command-line epoch and of the window) are benchmarks/memory.py's.
"""

import hashlib
import tracemalloc

import numpy as np
import pytest

from nncore import SGD, Dataset, EpochReport, Network, Split, load_dataset
from nncore.augment import distort_batch

MNIST_BYTES = 70_000 * 784
RUN_PEAK = 20e6   # bytes a run may allocate above the data; a float32 copy of 10,000 images is 31.4 MB

# One epoch on the first 1,000 training images, evaluated on the whole validation and test splits:
# the fingerprint (weights, biases and the epoch report's numbers) of each case as the code before
# these changes computed it (32e77e6, which kept a float32 copy of every split), on this machine.
CASES = {
    "book m=10": ([784, 30, 10], dict(learning_rate=3.0, batch_size=10), np.float32, "10fa4933dee500e3"),
    "m=1 deferred": ([784, 30, 10], dict(learning_rate=3.0, batch_size=1), np.float32, "a1c627db434d6145"),
    "m=1 one by one, λ, distorted": ([784, 30, 10], dict(learning_rate=0.5, batch_size=1, l2=5.0,
                                                          distort=distort_batch), np.float32, "8442392d0bea00c0"),
    "m=7 distorted": ([784, 20, 10], dict(learning_rate=3.0, batch_size=7, distort=distort_batch), np.float32,
                      "903231611d0b6e88"),
    "float64 cross-entropy m=13": ([784, 16, 10], dict(learning_rate=0.5, batch_size=13), np.float64,
                                   "c6569a22a5b1a250"),
}


@pytest.fixture(scope="module")
def loaded():
    """The bundled MNIST as load_dataset gives it (not the suite's ``mnist``, which keeps floats for speed)."""
    return load_dataset()


def held_once(data):
    """True when ``data`` holds its pixels as uint8 and no split keeps floats (under any name)."""
    def floats(split):
        return [name for name, v in vars(split).items() if isinstance(v, np.ndarray) and v.dtype.kind == "f"]
    splits = (data.train, data.validation, data.test)
    return all(s.pixels.dtype == np.uint8 and not floats(s) and not s.keeps_floats for s in splits)


def fresh(data):
    """New splits over ``data``'s arrays: nothing an earlier test did to the splits is carried over."""
    return Dataset(*(Split(s.pixels, s.labels) for s in (data.train, data.validation, data.test)), data.name)


def test_mnist_is_held_once_as_its_bytes(loaded):
    """Loaded, MNIST is its 54.9 MB of uint8 pixels, validation a view of the training images' array."""
    assert held_once(loaded)
    assert sum(s.pixels.nbytes for s in (loaded.train, loaded.validation, loaded.test)) == MNIST_BYTES
    assert loaded.train.pixels.base is loaded.validation.pixels.base is not None


def test_the_window_loads_mnist_as_bytes():
    """The window's loader gives the dataset as loaded: no float copy of any split."""
    pytest.importorskip("PySide6")
    from app.window.dataset_loader import load_pixels

    assert held_once(load_pixels(None))


@pytest.mark.parametrize("n, batch_size, dtype, options", [
    (50_000, 10, np.float32, {}), (10_000, 1, np.float32, {}),
    (10_000, 1, np.float32, {"l2": 1.0}), (10_000, 13, np.float64, {})],
    ids=["book m=10", "m=1 deferred", "m=1 one by one", "float64 m=13"])
def test_a_run_allocates_per_mini_batch_not_per_dataset(loaded, n, batch_size, dtype, options):
    """Cutting the training set, starting SGD and an epoch with its evaluation allocate under 20 MB in
    all (a float copy of the training split would take 31–314 MB, of a held-out split 31 MB); after
    it no split holds floats."""
    net, whole = Network([784, 30, 10], rng=1, dtype=dtype), fresh(loaded)
    tracemalloc.start()
    try:
        data = whole.with_train_size(n)
        sgd = SGD(net, data.train, learning_rate=1.0, epochs=1, batch_size=batch_size, rng=2, threads=1,
                  validation=data.validation, test=data.test, **options)
        reports = list(sgd.run())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reports[-1].reason == "finished"
    assert peak < RUN_PEAK, f"a run on {n:,} examples allocated {peak / 1e6:.1f} MB"
    assert held_once(data) and held_once(whole)


def with_float_inputs(data):
    """``data`` read as the code before these changes read it: each split's float32 inputs made once
    from its pixels through a table of k/255 and gathered from those floats (given inputs)."""
    table = np.arange(256, dtype=np.float32) / np.float32(255)

    def floats(split):
        return Split(split.pixels, split.labels, given_x=table[split.pixels])
    return Dataset(floats(data.train), floats(data.validation), floats(data.test), data.name)


def fingerprint(data, sizes, options, dtype):
    """16 hex digits of the weights, biases and epoch report after one epoch of ``sizes`` on ``data``."""
    rng = np.random.default_rng(5)
    net = Network(sizes, cost="cross-entropy" if dtype == np.float64 else "quadratic", rng=rng, dtype=dtype)
    reports = list(SGD(net, data.train, epochs=1, rng=rng, threads=1, validation=data.validation,
                       test=data.test, **options).run())
    h = hashlib.sha256()
    for p in (*net.weights, *net.biases):
        h.update(p.tobytes())
    for r in reports:
        if isinstance(r, EpochReport):
            h.update(repr((r.train_cost, r.validation_cost, r.validation_accuracy, r.test_accuracy,
                           r.saturation, r.learning_speed)).encode())
    return h.hexdigest()[:16]


@pytest.mark.parametrize("case", CASES)
def test_an_epoch_from_the_bytes_has_the_bits_it_had_from_floats(loaded, case):
    """Trained and evaluated from the bytes, an epoch ends with the same bits as from float copies of
    the splits, and as the code before these changes recorded (see CASES)."""
    sizes, options, dtype, before = CASES[case]
    data = loaded.with_train_size(1000)
    from_bytes = fingerprint(data, sizes, options, dtype)
    assert from_bytes == fingerprint(with_float_inputs(data), sizes, options, dtype)
    assert from_bytes == before
