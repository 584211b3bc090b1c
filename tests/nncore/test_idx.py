"""The IDX reader accepts good files (raw or gzip) and names what is wrong with bad ones."""

import gzip

import numpy as np
import pytest

from nncore import DataFileError, load_dataset
from nncore.idx import parse_idx, read_images, read_labels


def idx_bytes(array, ndim=None):
    """IDX encoding of a uint8 array (the magic's dimension count can be overridden)."""
    header = bytes([0, 0, 8, ndim or array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture
def images(rng):
    """Five random 28×28 images."""
    return rng.integers(0, 256, (5, 28, 28)).astype(np.uint8)


def test_raw_and_gzip_files_read_the_same(tmp_path, images):
    """The same images written raw and gzipped read back identical to what was written."""
    (tmp_path / "raw").write_bytes(idx_bytes(images))
    (tmp_path / "gz").write_bytes(gzip.compress(idx_bytes(images)))
    assert np.array_equal(read_images(tmp_path / "raw"), images)
    assert np.array_equal(read_images(tmp_path / "gz"), images)


def test_truncated_file_is_a_clear_error(tmp_path, images):
    """Dropping the last 10 bytes is reported as truncated, with the byte counts."""
    (tmp_path / "t").write_bytes(idx_bytes(images)[:-10])
    with pytest.raises(DataFileError, match="truncated or mislabelled"):
        read_images(tmp_path / "t")


def test_wrong_magic_is_a_clear_error(tmp_path, images):
    """A file whose magic is not IDX unsigned bytes is refused by name."""
    data = bytearray(idx_bytes(images))
    data[2] = 0x0D  # float type code
    (tmp_path / "m").write_bytes(bytes(data))
    with pytest.raises(DataFileError, match="not an IDX file"):
        read_images(tmp_path / "m")


def test_labels_file_given_as_images_is_refused(tmp_path):
    """A 1-dimensional (labels) file opened as images says how many dimensions it has."""
    (tmp_path / "l").write_bytes(idx_bytes(np.arange(10, dtype=np.uint8)))
    with pytest.raises(DataFileError, match="has 1 dimensions; IDX images have 3"):
        read_images(tmp_path / "l")


def test_images_that_are_not_28_by_28_are_refused(tmp_path, rng):
    """32×32 images are refused with what is accepted."""
    (tmp_path / "big").write_bytes(idx_bytes(rng.integers(0, 255, (2, 32, 32))))
    with pytest.raises(DataFileError, match="only 28×28"):
        read_images(tmp_path / "big")


def test_labels_above_nine_are_refused(tmp_path):
    """A label of 12 is named in the error."""
    (tmp_path / "l").write_bytes(idx_bytes(np.array([1, 12, 3])))
    with pytest.raises(DataFileError, match="label 12"):
        read_labels(tmp_path / "l")


def test_damaged_gzip_and_missing_file(tmp_path, images):
    """A cut gzip stream and a missing path are DataFileErrors, not zlib or OS errors."""
    (tmp_path / "g").write_bytes(gzip.compress(idx_bytes(images))[:100])
    with pytest.raises(DataFileError, match="gzip"):
        read_images(tmp_path / "g")
    with pytest.raises(DataFileError, match="no such file"):
        read_images(tmp_path / "absent")


def test_bundled_mnist_has_the_books_split(mnist):
    """50,000 / 10,000 / 10,000 examples, uint8 pixels, float inputs in [0, 1], the known label counts."""
    assert (len(mnist.train), len(mnist.validation), len(mnist.test)) == (50_000, 10_000, 10_000)
    assert mnist.train.pixels.dtype == np.uint8 and mnist.test.x.dtype == np.float32
    assert mnist.test.x.min() == 0.0 and mnist.test.x.max() == 1.0
    assert np.bincount(mnist.test.labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    all_train = np.concatenate([mnist.train.labels, mnist.validation.labels])
    assert np.bincount(all_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def test_another_idx_dataset_folder_loads(tmp_path, rng):
    """A folder of four raw IDX files named as MNIST's (e.g. Fashion-MNIST) loads with its own split."""
    train = rng.integers(0, 256, (30, 28, 28))
    test = rng.integers(0, 256, (7, 28, 28))
    files = {"train-images-idx3-ubyte": train, "train-labels-idx1-ubyte": rng.integers(0, 10, 30),
             "t10k-images-idx3-ubyte": test, "t10k-labels-idx1-ubyte": rng.integers(0, 10, 7)}
    for name, arr in files.items():
        (tmp_path / name).write_bytes(idx_bytes(arr))
    data = load_dataset(tmp_path, validation_size=10)
    assert (len(data.train), len(data.validation), len(data.test)) == (20, 10, 7)
    assert np.array_equal(data.test.images(), test)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(rng.integers(0, 10, 6)))
    with pytest.raises(DataFileError, match="7 test images but 6 labels"):
        load_dataset(tmp_path, validation_size=10)


def test_parse_rejects_short_header():
    """Three bytes are too short to be IDX."""
    with pytest.raises(DataFileError, match="too short"):
        parse_idx(b"\x00\x00\x08", 3)
