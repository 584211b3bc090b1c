"""A folder of images, one subfolder per class (``cats/``, ``dogs/``), read into uint8 pixel rows.

With ``train/`` and ``test/`` subfolders, each holding the class folders, those are the splits
(:func:`list_folder`); the class names are the training class folders' names in natural order ('2'
before '10'). Files whose names end in .png, .jpg, .jpeg or .bmp are images; other files and hidden
ones are passed over; a class folder is never descended further, so no loop of links can be followed.

:func:`read_images` decodes them (:mod:`nncore.image_decode`) one at a time, into rows of ``n_0`` uint8
pixels: the fit 'auto' keeps the images at their own size when they all share one of at most
:data:`MAX_OWN_PIXELS` pixels, and otherwise centres them (by mass, in 28×28) as the pad's drawings are.
It reports progress through ``progress(done, total)`` and stops, raising :class:`LoadStopped`, once
``stop.is_set()`` (a ``threading.Event``), so a window can run it off its GUI thread.
"""

import math
import os
import re
from dataclasses import dataclass

import numpy as np

from .errors import DataFileError, LoadStopped
from .image_decode import FITS, SUFFIXES, centred, fitted, read_grey
from .limits import IMAGE_SHAPE, LAYER_SIZE, MAX_CLASSES, MAX_DATA_BYTES, N_INPUTS

MAX_OWN_PIXELS = LAYER_SIZE.high             # an image kept at its own size: at most 4,096 inputs
MAX_IMAGES = MAX_DATA_BYTES // N_INPUTS      # about 159,000 images of 28×28, a limit on memory
PROGRESS_EVERY = 250                         # images between two progress reports
CHOICES = ("auto", *FITS)


@dataclass(frozen=True)
class ImageFolder:
    """The images of a folder, listed: ``classes`` (names, in label order), ``train`` and ``test``
    lists of ``(path, label)`` (``test`` None when the folder has no ``test/``)."""

    classes: tuple
    train: list
    test: list | None


@dataclass(frozen=True)
class Pixels:
    """Decoded images: ``rows`` uint8 ``(n, n_0)``, ``image_shape`` (h, w) with h·w = n_0, the ``fit`` used."""

    rows: np.ndarray
    image_shape: tuple
    fit: str


def natural_key(name):
    """Sort key putting 'class2' before 'class10': runs of digits compare as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def list_folder(folder):
    """The :class:`ImageFolder` of ``folder``; raises DataFileError saying what is wrong with its layout."""
    folder = os.fspath(folder)
    train, test = os.path.join(folder, "train"), os.path.join(folder, "test")
    if os.path.isdir(train) and os.path.isdir(test):
        classes, train_files = _classes_in(train)
        test_classes, test_files = _classes_in(test, len(train_files))
        unknown = [name for name in test_classes if name not in classes]
        if unknown:
            raise DataFileError(f"{test}: has the class folder {unknown[0]!r}, which train/ has not; the test "
                                f"classes must be among the training classes ({', '.join(classes)})")
        index = {name: classes.index(name) for name in test_classes}
        return ImageFolder(classes, train_files, [(p, index[test_classes[label]]) for p, label in test_files])
    classes, files = _classes_in(folder)
    return ImageFolder(classes, files, None)


def _classes_in(folder, already=0):
    """(class names, [(path, label)]) of the class folders in ``folder``, checked; ``already`` images
    counted elsewhere (the bound is on them all)."""
    classes, files = [], []
    for name, path in _class_folders(folder):
        images = _images_in(path, MAX_IMAGES - already - len(files))
        if not images:
            raise DataFileError(f"{path}: holds no images; a class folder holds PNG, JPEG or BMP files")
        label = len(classes)
        classes.append(name)
        files.extend((image, label) for image in images)
    if not classes:
        raise DataFileError(f"{folder}: holds no class folders; an image dataset is one subfolder of images "
                            "(PNG, JPEG, BMP) per class, optionally inside train/ and test/")
    if len(classes) == 1 and already == 0:
        raise DataFileError(f"{folder}: has only one class ({classes[0]!r}); a classifier needs at least two "
                            "class folders")
    if len(classes) > MAX_CLASSES:
        raise DataFileError(f"{folder}: has {len(classes):,} class folders; at most {MAX_CLASSES} classes "
                            "are accepted")
    return tuple(classes), files


def _class_folders(folder):
    """[(name, path)] of the folders in ``folder`` (hidden ones passed over), in natural order."""
    found = []
    for entry in _entries(folder):
        try:
            is_dir = entry.is_dir()
        except OSError as e:
            raise DataFileError(f"{entry.path}: cannot be read ({e.strerror or e}); a loop of links?") from None
        if is_dir:
            found.append((entry.name, entry.path))
    return sorted(found, key=lambda item: natural_key(item[0]))


def _images_in(folder, room):
    """The paths of the image files in ``folder``, in natural order; more than ``room`` is refused."""
    found = []
    for entry in _entries(folder):
        if entry.name.lower().endswith(SUFFIXES):
            if len(found) >= room:
                raise DataFileError(f"{folder}: the dataset holds more than {MAX_IMAGES:,} images; at most "
                                    f"{MAX_IMAGES:,} are accepted (about {MAX_DATA_BYTES // 10**6} MB of "
                                    "28×28 pixels, a limit on the memory training needs)")
            found.append(entry.path)
    return sorted(found, key=lambda p: natural_key(os.path.basename(p)))


def _entries(folder):
    """The entries of ``folder`` whose names do not start with '.'; DataFileError if it cannot be listed."""
    try:
        with os.scandir(folder) as it:
            return [entry for entry in it if not entry.name.startswith(".")]
    except OSError as e:
        raise DataFileError(f"{folder}: cannot be listed ({e.strerror or e})") from None


def read_images(paths, fit="auto", progress=None, stop=None):
    """The :class:`Pixels` of the image files ``paths``, in order, fitted by ``fit`` (one of :data:`CHOICES`).

    ``progress(done, total)`` is called every :data:`PROGRESS_EVERY` images and at the end; ``stop`` (with
    ``is_set()``) is checked before each image and raises :class:`LoadStopped`. Raises DataFileError
    naming the first file that cannot be read, or sizes that 'own' cannot keep.
    """
    if fit not in CHOICES:
        raise DataFileError(f"unknown image fit {fit!r}; accepted: {', '.join(CHOICES)}")
    rows, own = [], None   # own: the (width, height) every image has so far, while kept at its own size
    mode = "own" if fit == "auto" else fit
    for done, path in enumerate(paths):
        if stop is not None and stop.is_set():
            raise LoadStopped(f"stopped after {done:,} of {len(paths):,} images")
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(paths))
        grey = read_grey(path, math.inf if mode == "own" else MAX_OWN_PIXELS if fit == "auto" else 0)
        if mode == "own" and grey.size != own:
            if own is None and grey.size[0] * grey.size[1] <= MAX_OWN_PIXELS:
                own = grey.size
                _check_budget(path, len(paths), own)
            elif fit == "own":
                raise DataFileError(_own_refusal(path, grey.size, own, paths[0]))
            else:   # auto: sizes differ, or too many pixels; centre them all
                mode = "centre"
                rows = [centred(row.reshape(own[1], own[0])) for row in rows]
        rows.append(fitted(grey, mode))
    if progress is not None:
        progress(len(paths), len(paths))
    shape = (own[1], own[0]) if mode == "own" else IMAGE_SHAPE
    pixels = np.stack(rows) if rows else np.zeros((0, shape[0] * shape[1]), np.uint8)
    return Pixels(pixels, shape, mode)


def _check_budget(path, n, size):
    """Refuse ``n`` images of ``size`` (w, h) whose pixels would take more than MAX_DATA_BYTES."""
    if n * size[0] * size[1] > MAX_DATA_BYTES:
        raise DataFileError(f"{path}: {n:,} images of {size[0]}×{size[1]} pixels take {n * size[0] * size[1]:,} "
                            f"bytes; at most {MAX_DATA_BYTES:,} are accepted (use --images centre or resize, "
                            "which make them 28×28)")


def _own_refusal(path, size, own, first):
    """The message refusing to keep ``path`` (of ``size``) at its own size."""
    if own is None:
        return (f"{path}: is {size[0]}×{size[1]} = {size[0] * size[1]:,} pixels; an image kept at its own size "
                f"is at most {MAX_OWN_PIXELS:,} pixels (inputs): use --images centre or resize (28×28)")
    return (f"{path}: is {size[0]}×{size[1]} but {first} is {own[0]}×{own[1]}; images of mixed sizes are "
            "kept at their own size only when they all share one: use --images centre or resize (28×28)")
