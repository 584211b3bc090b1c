"""Datasets: MNIST bundled in ``resources/``, any IDX set of 28×28 digits with labels 0–9, or (through
:func:`nncore.data_sources.open_data`) a folder of images or a CSV table.

Pixels are held as uint8, once, and converted to float32 in [0, 1] where they are read (a mini-batch,
an evaluation piece, the rows a view shows): MNIST costs its 55 MB of bytes. The split is the book's:
the first 50,000 training images train, the last 10,000 validate, the 10,000 test images test.
"""

import os
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import numpy as np

from .data_shape import MNIST_SHAPE, DataShape
from .errors import DataFileError
from .idx import MAX_DATA_BYTES, check_image_shape, read_images, read_labels, read_shape
from .limits import IMAGE_SHAPE, N_INPUTS

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
VALIDATION_SIZE = 10_000   # the book's split: the last 10,000 training images validate


def resources_dir():
    """The bundled ``resources/`` folder: the sibling of this package's folder (never the cwd).

    In the repository ``nncore/`` and ``resources/`` sit side by side at the top; the wheel installs
    them side by side as ``backprop_lab/nncore`` and ``backprop_lab/resources``. The package's folder
    is asked of ``importlib.resources`` by this package's own name, so both layouts work.
    """
    return Path(files(__package__)).parent / "resources"


def mnist_dir():
    """The folder of the bundled MNIST files."""
    return resources_dir() / "mnist"


@dataclass(frozen=True)
class Split:
    """One part of a dataset: ``pixels (n, 784)`` uint8 and ``labels (n,)`` uint8.

    The bytes are what is held: the network's inputs, float32 in [0, 1], are converted from them where
    they are read, a mini-batch (:meth:`rows_into`), an evaluation piece or a few rows (:meth:`inputs`)
    at a time, so a split costs its bytes and no more. ``x`` converts the whole split (a new array each
    time) unless :meth:`Dataset.to_floats` was asked to keep the floats. ``given_x``, if set, is the
    float input instead (for inputs that are not 8-bit pixels, e.g. in tests).
    """

    pixels: np.ndarray
    labels: np.ndarray
    given_x: np.ndarray | None = field(default=None, repr=False, compare=False)

    def __len__(self):
        return len(self.labels)

    @property
    def n_inputs(self):
        """Inputs per example, n_0 (784 for MNIST)."""
        return self.stored.shape[1]

    @property
    def stored(self):
        """The inputs as held, ``(n, n_0)``: ``given_x``, or the uint8 pixels, which
        :func:`nncore.evaluate` reads as k/255 a piece at a time."""
        return self.pixels if self.given_x is None else self.given_x

    @property
    def x(self):
        """float32 ``(n, 784)`` in [0, 1]: the whole split converted now, a new array each time (157 MB for
        MNIST's training split), or the floats :meth:`Dataset.to_floats` kept (or ``given_x``).

        For a part, :meth:`inputs` converts only the rows asked for.
        """
        if self.given_x is not None:
            return self.given_x
        kept = self.__dict__.get("_kept_x")
        return kept if kept is not None else _to_float(self.pixels)

    @property
    def keeps_floats(self):
        """True when a float copy of the inputs is held beside the pixels (:meth:`Dataset.to_floats`)."""
        return self.__dict__.get("_kept_x") is not None

    def inputs(self, rows, dtype=np.float32):
        """The inputs of ``rows`` (an index, a slice or an index array) in ``dtype``: ``(n_0,)`` for one
        row, ``(k, n_0)`` for several; a new array, converted from the pixels (the same bits as ``x``'s)."""
        if self.given_x is not None or self.keeps_floats:
            return np.array(self.x[rows], dtype=dtype)
        pixels = self.pixels[rows]
        floats = pixels_to_inputs(pixels, np.empty(pixels.shape, np.float32))
        return floats if dtype == np.float32 else floats.astype(dtype)

    def rows_into(self, idx, out):
        """Write ``x[idx]`` into ``out (len(idx), n_0)``; returns ``out``.

        From the pixels: the rows are fetched as uint8 (a quarter of the bytes, from a split too large
        for the cache) and divided by 255 in float32 (or, for another ``out`` dtype, looked up in the
        float32 table of k/255): the same bits as ``x``'s. ``given_x``'s rows are copied (cast to ``out``).
        """
        if self.given_x is not None:
            if self.given_x.dtype == out.dtype:
                return np.take(self.given_x, idx, axis=0, out=out)
            out[...] = np.take(self.given_x, idx, axis=0)
            return out
        pixels = np.take(self.pixels, idx, axis=0)
        if out.dtype == np.float32:
            return pixels_to_inputs(pixels, out)
        return np.take(_table().astype(out.dtype), pixels, out=out)

    def images(self):
        """The pixels as uint8 ``(n, 28, 28)`` (a view)."""
        return self.pixels.reshape(-1, *IMAGE_SHAPE)

    def head(self, n):
        """The first ``n`` examples, as views of this split's arrays (and of its kept floats, if any)."""
        given = None if self.given_x is None else self.given_x[:n]
        part = Split(self.pixels[:n], self.labels[:n], given)
        if self.keeps_floats:
            part.__dict__["_kept_x"] = self.__dict__["_kept_x"][:n]
        return part


@dataclass(frozen=True)
class Dataset:
    """Training, validation and test splits, where they came from (``name``) and their ``shape``: the
    inputs, the class names and the preprocessing (:class:`~nncore.data_shape.DataShape`)."""

    train: Split
    validation: Split
    test: Split
    name: str = "MNIST"
    shape: DataShape = MNIST_SHAPE

    def to_floats(self):
        """Convert every split's pixels to float inputs now and keep them (four times the bytes: 219 MB for
        MNIST), for code that reads ``x`` often (tests, benchmarks that hand arrays to other libraries).
        Training, evaluation and the window read the bytes and never need this.

        Returns the dataset itself, so ``load_dataset().to_floats()`` reads as one step.
        """
        for split in (self.train, self.validation, self.test):
            if split.given_x is None and not split.keeps_floats:
                split.__dict__["_kept_x"] = _to_float(split.pixels)
        return self

    def with_train_size(self, n):
        """The same dataset with only the first ``n`` training examples (a view, no copy)."""
        return Dataset(self.train.head(n), self.validation, self.test, self.name, self.shape)


def _find(folder, stem):
    """The file ``stem`` or ``stem.gz`` in ``folder`` (whatever it is: the reader says if it cannot be read)."""
    for candidate in (folder / stem, folder / f"{stem}.gz"):
        if os.path.lexists(candidate):
            return candidate
    raise DataFileError(f"{folder}: no {stem} or {stem}.gz; a dataset folder holds the four files "
                        f"named as MNIST's ({', '.join(FILES.values())}, raw or .gz)")


def pixels_to_inputs(pixels, out):
    """uint8 pixels → float32 ``out`` in [0, 1] (any shape, ``out`` of the same): k/255 rounded to float32,
    the one formula of the inputs. Returns ``out``."""
    return np.divide(pixels, np.float32(255.0), out=out, dtype=np.float32)


def _table():
    """float32 ``(256,)``: the input of each pixel value k, through :func:`pixels_to_inputs`."""
    return pixels_to_inputs(np.arange(256, dtype=np.uint8), np.empty(256, np.float32))


def _to_float(pixels):
    """uint8 ``(n, 784)`` → float32 ``(n, 784)`` in [0, 1], through :func:`pixels_to_inputs`'s table."""
    # A 256-entry lookup table is several times faster than converting every pixel here.
    return _table()[pixels]


def load_dataset(folder=None, *, validation_size=VALIDATION_SIZE, name=None):
    """Load the four IDX files in ``folder`` (default: the bundled MNIST) and split them; a ``folder``
    that holds no IDX files, or a CSV file, is read by :func:`nncore.data_sources.open_data`.

    The four headers are read and checked together first (images and labels agree in number, the
    split has something to train and test on, the pixels fit :data:`~nncore.idx.MAX_DATA_BYTES`),
    so a bad folder is refused before any pixel is read. Raises DataFileError saying what is wrong.
    """
    folder = Path(folder) if folder is not None else mnist_dir()
    if not is_idx_folder(folder) and (folder.is_dir() or folder.suffix.lower() == ".csv"):
        from .data_sources import open_data  # images and tables: only when asked for

        return open_data(folder)
    if not folder.is_dir():
        what = "no such folder" if not os.path.lexists(folder) else "not a folder"
        raise DataFileError(f"{folder}: {what}; choose the folder holding the four IDX files")
    paths, shapes = {}, {}
    for key, stem in FILES.items():
        paths[key] = _find(folder, stem)
        shapes[key] = read_shape(paths[key], 3 if key.endswith("images") else 1)
    for key in ("train_images", "test_images"):
        check_image_shape(shapes[key], str(paths[key]))
    counts = {key: shape[0] for key, shape in shapes.items()}
    _check_counts(folder, counts, validation_size)
    pixels = (counts["train_images"] + counts["test_images"]) * N_INPUTS
    if pixels > MAX_DATA_BYTES:
        raise DataFileError(f"{folder}: its images take {pixels:,} bytes; a dataset may take at most "
                            f"{MAX_DATA_BYTES:,} (about {MAX_DATA_BYTES // N_INPUTS:,} images), a limit on "
                            "the memory training needs")
    arrays = {key: read_images(path) if key.endswith("images") else read_labels(path)
              for key, path in paths.items()}
    _check_counts(folder, {key: len(a) for key, a in arrays.items()}, validation_size)   # changed since?
    n_train = len(arrays["train_labels"])
    train_pixels = arrays["train_images"].reshape(n_train, -1)
    cut = n_train - validation_size
    return Dataset(
        train=Split(train_pixels[:cut], arrays["train_labels"][:cut]),
        validation=Split(train_pixels[cut:], arrays["train_labels"][cut:]),
        test=Split(arrays["test_images"].reshape(-1, N_INPUTS), arrays["test_labels"]),
        name=name or ("MNIST" if folder == mnist_dir() else folder.name),
    )


def is_idx_folder(folder):
    """True when ``folder`` holds (or its links name) any of the four files named as MNIST's (raw or .gz)."""
    return any(os.path.lexists(Path(folder) / name) for stem in FILES.values() for name in (stem, f"{stem}.gz"))


def _check_counts(folder, counts, validation_size):
    """Images and labels agree in number; more training images than validate; a test set."""
    for part in ("train", "test"):
        n_img, n_lab = counts[f"{part}_images"], counts[f"{part}_labels"]
        if n_img != n_lab:
            raise DataFileError(f"{folder}: {n_img:,} {part} images but {n_lab:,} labels")
    n_train, n_test = counts["train_labels"], counts["test_labels"]
    if n_train <= validation_size:
        raise DataFileError(f"{folder}: {n_train:,} training images; need more than {validation_size:,} "
                            f"(the last {validation_size:,} validate)")
    if n_test == 0:
        raise DataFileError(f"{folder}: no test images; a dataset needs a test set")
