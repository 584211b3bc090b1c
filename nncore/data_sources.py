"""Any dataset the user names, opened as a :class:`~nncore.data.Dataset` by :func:`open_data`.

- nothing: the bundled MNIST; a folder of IDX files named as MNIST's: that IDX set (:mod:`nncore.data`);
- a folder of images, one subfolder per class, optionally inside ``train/`` and ``test/``
  (:mod:`nncore.image_folder`): uint8 pixel rows, read as k/255 like MNIST's;
- a CSV file, or a folder holding ``train.csv`` and ``test.csv`` (:mod:`nncore.csv_table`): the features
  standardised, x ↦ (x − μ)/σ per column, with μ and σ of the training split (recorded in the dataset's
  :class:`~nncore.data_shape.DataShape`, and so in a saved network, which applies its own when given).

Data without a test split is split here: a share :data:`TEST_SHARE` (MNIST's 10,000 of 70,000) tests;
a share :data:`VALIDATION_SHARE` of the training examples (MNIST's 10,000 of 60,000) validates. The
shares are drawn by a generator seeded with ``split_seed`` (default :data:`SPLIT_SEED`), one split
for every run, so runs of several seeds compare on the same test examples.
"""

import os
from pathlib import Path

import numpy as np

from .csv_table import read_table
from .data import Dataset, Split, is_idx_folder, load_dataset
from .data_shape import DataShape
from .errors import DataFileError
from .image_folder import list_folder, natural_key, read_images
from .limits import MAX_CLASSES

VALIDATION_SHARE = 1 / 6     # of the training examples, as MNIST's 10,000 of 60,000
TEST_SHARE = 1 / 7           # of all examples, when the data has no test split: MNIST's 10,000 of 70,000
SPLIT_SEED = 0


def open_data(source=None, *, images="auto", progress=None, stop=None, shape=None, split_seed=SPLIT_SEED):
    """The Dataset of ``source`` (a path, or None for the bundled MNIST); see the module's list.

    ``images`` is an image folder's fit ('auto', 'centre', 'resize', 'own': :mod:`nncore.image_decode`);
    ``progress(done, total)`` and ``stop`` (a ``threading.Event``) follow an image folder's reading
    (:func:`nncore.image_folder.read_images`, which raises LoadStopped once ``stop`` is set); ``shape``, a
    saved network's DataShape, makes its preprocessing (a table's μ and σ, an image fit) the one applied.
    Raises DataFileError saying what is wrong.
    """
    if source is None:
        return load_dataset()
    path = Path(source)
    rng = np.random.default_rng(split_seed)
    if not os.path.lexists(path):
        raise DataFileError(f"{path}: no such file or folder")
    if path.is_dir():
        if is_idx_folder(path):
            return load_dataset(path)
        tables = path / "train.csv", path / "test.csv"
        if all(os.path.lexists(t) for t in tables):
            return _tables(path.name, *tables, rng, shape)
        if images == "auto" and shape is not None and shape.image_shape is not None:
            images = "own" if shape.preprocessing == "pixels" else shape.preprocessing
        return _images(path, images, progress, stop, rng)
    if path.suffix.lower() != ".csv":
        raise DataFileError(f"{path}: is not a CSV table (.csv); --data takes a .csv file or a folder of "
                            "images, of train.csv and test.csv, or of IDX files")
    return _tables(path.stem, path, None, rng, shape)


def _carve(n, share, rng):
    """(kept, held) index arrays: a random share ``share`` of ``range(n)`` held out (at least 1 of 2 or more)."""
    if n < 2:
        return np.arange(n), np.arange(0)
    order = rng.permutation(n)
    held = min(max(1, int(n * share)), n - 1)
    return np.sort(order[held:]), np.sort(order[:held])


def _splits(x, labels, test, rng, what):
    """``(train, validation, test)`` index arrays into ``x``'s rows; ``test`` the given test rows, or None to
    draw them. Refuses data too small to have every part."""
    rows = np.arange(len(labels))
    if test is None:
        rows, test = _carve(len(labels), TEST_SHARE, rng)
    if len(rows) < 2 or len(test) < 1:
        raise DataFileError(f"{what}: has {len(rows)} training and {len(test)} test examples; at least 2 "
                            "training examples and 1 test example are needed")
    kept, held = _carve(len(rows), VALIDATION_SHARE, rng)
    return rows[kept], rows[held], test


def _images(folder, fit, progress, stop, rng):
    listing = list_folder(folder)
    paths = [p for p, _ in listing.train] + [p for p, _ in listing.test or ()]
    pixels = read_images(paths, fit, progress, stop)
    labels = np.array([c for _, c in listing.train] + [c for _, c in listing.test or ()], np.uint8)
    n_train = len(listing.train)
    given_test = None if listing.test is None else np.arange(n_train, len(labels))
    train, validation, test = _splits(pixels.rows[:n_train], labels[:n_train], None, rng, folder) \
        if given_test is None else _given(n_train, given_test, rng, folder)
    shape = DataShape(inputs=pixels.rows.shape[1], classes=listing.classes, image_shape=pixels.image_shape,
                      preprocessing=pixels.fit)
    parts = [Split(pixels.rows[i], labels[i]) for i in (train, validation, test)]
    return Dataset(*parts, name=folder.name, shape=shape)


def _given(n_train, test, rng, what):
    """The splits of data whose first ``n_train`` rows train (and validate) and ``test`` rows test."""
    if n_train < 2 or len(test) < 1:
        raise DataFileError(f"{what}: has {n_train} training and {len(test)} test examples; at least 2 "
                            "training examples and 1 test example are needed")
    kept, held = _carve(n_train, VALIDATION_SHARE, rng)
    return kept, held, test


def _tables(name, train_path, test_path, rng, expected):
    """The Dataset of the CSV table ``train_path`` (and ``test_path``, if given)."""
    train = read_table(train_path)
    test = read_table(test_path) if test_path is not None else None
    if test is not None and len(test.columns) != len(train.columns):
        raise DataFileError(f"{test_path}: has {len(test.columns)} feature columns; {train_path} has "
                            f"{len(train.columns)}")
    classes = tuple(sorted(set(train.labels.tolist()), key=natural_key))
    _check_classes(train_path, classes)
    index = {c: i for i, c in enumerate(classes)}
    unknown = sorted(set(test.labels.tolist()) - set(classes)) if test is not None else []
    if unknown:
        raise DataFileError(f"{test_path}: holds the class {unknown[0]!r}, which {train_path.name} has not; "
                            f"its classes are {', '.join(classes)}")
    x = train.features if test is None else np.concatenate([train.features, test.features])
    labels = np.array([index[c] for c in train.labels.tolist() + ([] if test is None else test.labels.tolist())],
                      np.uint8)
    n_train = len(train.labels)
    parts = _splits(x, labels, None, rng, train_path) if test is None else \
        _given(n_train, np.arange(n_train, len(labels)), rng, train_path)
    mean, std = _statistics(x[parts[0]], expected)
    inputs = ((x - mean) / std).astype(np.float32)   # x ↦ (x − μ)/σ, μ and σ of the training split
    shape = DataShape(inputs=x.shape[1], classes=classes, image_shape=None, columns=train.columns,
                      preprocessing="standardise", mean=tuple(mean.tolist()), std=tuple(std.tolist()))
    splits = [Split(np.zeros((len(i), 0), np.uint8), labels[i], inputs[i]) for i in parts]
    return Dataset(*splits, name=name, shape=shape)


def _check_classes(path, classes):
    if len(classes) < 2:
        raise DataFileError(f"{path}: has only one class ({classes[0]!r}); a classifier needs at least two")
    if len(classes) > MAX_CLASSES:
        raise DataFileError(f"{path}: has {len(classes):,} classes; at most {MAX_CLASSES} are accepted")


def _statistics(x, expected):
    """(μ, σ) ``(d,)`` of the columns of ``x (n, d)``, a constant column's σ taken as 1; or the μ and σ the
    DataShape ``expected`` records, when it standardises as many columns."""
    if expected is not None and expected.preprocessing == "standardise" and len(expected.mean) == x.shape[1]:
        return np.array(expected.mean), np.array(expected.std)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    return mean, np.where(std > 0, std, 1.0)
