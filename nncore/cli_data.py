"""The command line's data: ``--data`` opened with its progress on stderr, ``make-data``, and results by class.

:func:`open_for_cli` opens ``--data`` (:func:`nncore.data_sources.open_data`); reading an image folder
shows its progress on a terminal's stderr and says afterwards how many images it read and how long it
took. ``make-data KIND FOLDER`` writes one of the built-in 2-D datasets (:mod:`nncore.toy_data`) as
``FOLDER/train.csv`` and ``FOLDER/test.csv``, which ``--data FOLDER`` reads back. :func:`class_lines`
are the test accuracy of each class, by name, for data whose classes are not MNIST's digits.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from .data_shape import DIGITS
from .data_sources import open_data
from .errors import SaveError
from .metrics import per_class
from .toy_data import (
    CLUSTERS,
    MAKERS,
    NOISE,
    POINTS,
    TEST_SHARE,
    TURNS,
    class_names,
    make,
    split_points,
    write_points_csv,
)


class _Progress:
    """``progress(done, total)`` for :func:`open_data`: an in-place count on a terminal's stderr."""

    def __init__(self):
        self.tty = sys.stderr is not None and sys.stderr.isatty()
        self.total = 0

    def __call__(self, done, total):
        self.total = total
        if self.tty:
            sys.stderr.write(f"\rreading images {done:,}/{total:,}")
            sys.stderr.flush()


def open_for_cli(source, images="auto", shape=None):
    """The Dataset of ``--data`` ``source`` (None: the bundled MNIST); an image folder's reading is shown
    on stderr, and its time said once it is read."""
    progress, t0 = _Progress(), time.perf_counter()
    try:
        data = open_data(source, images=images, progress=progress, shape=shape)
    finally:
        if progress.tty and progress.total:
            sys.stderr.write("\r" + " " * 40 + "\r")
    if progress.total:
        print(f"read {progress.total:,} images ({data.shape.inputs_text()} inputs, {data.shape.classes_text()} "
              f"classes, {data.shape.preprocessing}) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return data


def names_classes(shape):
    """True when the data's classes have names of their own (not MNIST's digits 0–9)."""
    return tuple(shape.classes) != DIGITS


def class_lines(matrix, names):
    """One line per class of the test confusion ``matrix``: 'trouser      96.10%  (961/1,000)'."""
    accuracy, correct, examples = per_class(matrix)
    width = max(len(n) for n in names)
    return [f"  {name:<{width}}  " + (f"{100 * a:6.2f}%" if n else "    —  ") + f"  ({c:,}/{n:,})"
            for name, a, c, n in zip(names, accuracy.tolist(), correct.tolist(), examples.tolist())]


def class_json(matrix, names):
    """{name: test accuracy (a fraction; None for a class without test examples)} of each class."""
    accuracy = per_class(matrix)[0]
    return {name: (None if np.isnan(a) else float(a)) for name, a in zip(names, accuracy.tolist())}


# ---- make-data ---------------------------------------------------------------------------------------

def add_make_data(sub):
    """The ``make-data`` sub-command."""
    m = sub.add_parser("make-data", help="write a built-in 2-D dataset as FOLDER/train.csv and test.csv",
                       description="Write one of the built-in 2-D datasets (x,y,label rows) for --data FOLDER.")
    m.add_argument("kind", choices=list(MAKERS))
    m.add_argument("folder")
    m.add_argument("--points", type=_in(int, POINTS, "--points"), default=400,
                   help=f"points in all, training and test ({POINTS.text()}; default 400)")
    m.add_argument("--noise", type=_in(float, NOISE, "--noise"), default=0.0,
                   help=f"standard deviation of the noise on each coordinate ({NOISE.text()}; default 0)")
    m.add_argument("--test-share", type=_in(float, TEST_SHARE, "--test-share"), default=0.5,
                   help=f"share of the points that test ({TEST_SHARE.text()}; default 0.5)")
    m.add_argument("--turns", type=_in(float, TURNS, "--turns"), default=2.0,
                   help=f"spirals: turns of each spiral ({TURNS.text()}; default 2)")
    m.add_argument("--clusters", type=_in(int, CLUSTERS, "--clusters"), default=2,
                   help=f"clusters: how many, one class each ({CLUSTERS.text()}; default 2)")
    m.add_argument("--seed", type=_in(int, range(0, 2**31), "--seed"), default=1, help="seed of the points")
    m.add_argument("--force", action="store_true", help="replace train.csv and test.csv if they exist")


def _in(kind, accepted, flag):
    """A parser of one ``kind`` value within ``accepted``, refusing anything else in one line."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or value not in accepted or value != value:
            what = accepted.text() if hasattr(accepted, "text") else f"{accepted.start} to {accepted.stop - 1:,}"
            raise argparse.ArgumentTypeError(f"{flag} must be a {'whole ' * (kind is int)}number from {what}, "
                                             f"got {text!r}")
        return value
    return parse


def make_data(args):
    """``nncore make-data``: write the points; returns the exit status."""
    folder = Path(args.folder)
    targets = [folder / "train.csv", folder / "test.csv"]
    if not args.force:
        for target in targets:
            if os.path.lexists(target):
                raise SaveError(target, "exists; it was not replaced (use --force to replace it)")
    if os.path.lexists(folder) and not folder.is_dir():
        raise SaveError(folder, "is not a folder; make-data writes train.csv and test.csv into a folder")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as e:
        raise SaveError(folder, f"cannot be made ({e.strerror or e})") from None
    rng = np.random.default_rng(args.seed)
    points, labels = make(args.kind, args.points, rng, noise=args.noise, turns=args.turns, k=args.clusters)
    parts = split_points(points, labels, args.test_share, rng)
    names = class_names(args.kind, args.clusters)
    for target, (x, y) in zip(targets, parts):
        write_points_csv(target, x, y, names)
    print(f"wrote {len(parts[0][1]):,} training and {len(parts[1][1]):,} test points of {args.kind} "
          f"({', '.join(names)}) to {targets[0]} and {targets[1]}")
    return 0
