"""'My handwriting': the user's labelled drawings, one small file each, in the user's data folder.

Each drawing is kept as its 28×28 network input in uint8 (784 bytes, after a 4-byte header
``BLH`` + label) in a file of its own, written atomically, so a crash never damages the others and a
damaged file is skipped with a warning. No Qt here.
"""

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nncore import Split
from nncore.errors import NNCoreError
from nncore.fileio import atomic_write, read_regular_bytes
from nncore.limits import IMAGE_SHAPE, IMAGE_SIDE, N_CLASSES, N_INPUTS

MAGIC = b"BLH"
SUFFIX = ".digit"
ACCURACY_CHUNK = 5000


def drawings_text(n):
    """'1 drawing', '1,200 drawings': a count of my drawings for people (the pad's messages use it too)."""
    return f"{n:,} drawing{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Sample:
    """One labelled drawing: its file, its label (0–9) and its pixels ``(28, 28)`` uint8."""

    path: Path
    label: int
    pixels: np.ndarray

    def x(self):
        """The ``(784,)`` float32 network input in [0, 1]."""
        return self.pixels.reshape(-1).astype(np.float32) / 255.0


class HandwritingStore:
    """The labelled drawings in ``folder`` (created when the first one is added)."""

    def __init__(self, folder, *, load=True):
        self.folder = Path(folder)
        self.samples, self.warnings = [], []
        self._split = None      # the drawings stacked, made on first use after a change
        if load:
            self.reload()

    @property
    def samples(self):
        """The drawings, oldest first (a list of :class:`Sample`)."""
        return self._samples

    @samples.setter
    def samples(self, samples):
        self._samples, self._split = samples, None

    def reload(self):
        """Read every drawing again: regular ``.digit`` files only (a FIFO, a device or a folder named like
        one is skipped unread); damaged files are skipped and named in ``warnings``."""
        samples, warnings = [], []
        if self.folder.is_dir():
            for path in sorted(self.folder.glob(f"*{SUFFIX}")):
                try:
                    samples.append(_read(path))
                except (NNCoreError, OSError, ValueError) as e:
                    warnings.append(f"{path.name}: skipped ({e})")
        self.samples, self.warnings = samples, warnings

    def add(self, x, label):
        """Keep the ``(784,)`` input ``x`` in [0, 1] labelled ``label``; returns the Sample."""
        if not (isinstance(label, (int, np.integer)) and 0 <= label < N_CLASSES):
            raise ValueError(f"a label is a digit 0–9, got {label!r}")
        pixels = np.clip(np.rint(np.asarray(x, dtype=np.float64) * 255), 0, 255).astype(np.uint8)
        if pixels.size != N_INPUTS:
            raise ValueError(f"a drawing is {N_INPUTS} values ({IMAGE_SIDE} × {IMAGE_SIDE}), got {pixels.size}")
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{int(time.time() * 1000)}-{uuid.uuid4().hex[:8]}-{label}{SUFFIX}"
        atomic_write(path, lambda f: f.write(MAGIC + bytes([label]) + pixels.tobytes()))
        sample = Sample(path, int(label), pixels.reshape(IMAGE_SHAPE))
        self.samples = [*self.samples, sample]
        return sample

    def relabel(self, sample, label):
        """Give one drawing another label (its file is rewritten atomically); returns the new Sample."""
        if not (isinstance(label, (int, np.integer)) and 0 <= label < N_CLASSES):
            raise ValueError(f"a label is a digit 0–{N_CLASSES - 1}, got {label!r}")
        atomic_write(sample.path, lambda f: f.write(MAGIC + bytes([label]) + sample.pixels.tobytes()))
        new = Sample(sample.path, int(label), sample.pixels)
        self.samples = [new if s.path == sample.path else s for s in self.samples]
        return new

    def delete(self, sample):
        """Forget one drawing and remove its file."""
        sample.path.unlink(missing_ok=True)
        self.samples = [s for s in self.samples if s.path != sample.path]

    def as_split(self):
        """All drawings as a :class:`nncore.Split` ``(n, 784)`` uint8 (for accuracy or to add to training);
        made once after each change."""
        if self._split is None:
            if not self.samples:
                self._split = Split(np.zeros((0, N_INPUTS), np.uint8), np.zeros(0, np.uint8))
            else:
                self._split = Split(np.stack([s.pixels.reshape(-1) for s in self.samples]),
                                    np.array([s.label for s in self.samples], dtype=np.uint8))
        return self._split

    def accuracy(self, network):
        """(correct, total) for ``network`` on these drawings; floats made a chunk at a time."""
        return split_accuracy(network, self.as_split())


def split_accuracy(network, split, chunk=ACCURACY_CHUNK):
    """(correct, total) for ``network`` on a uint8 ``split``, converting ``chunk`` rows to floats at a time."""
    if len(split) == 0 or network is None:
        return 0, len(split)
    correct = 0
    for start in range(0, len(split), chunk):
        x = split.pixels[start:start + chunk].astype(np.float32) / np.float32(255)
        correct += int(np.count_nonzero(network.predict(x) == split.labels[start:start + chunk]))
    return correct, len(split)


def _read(path):
    data = read_regular_bytes(path, 4 + N_INPUTS, "a saved drawing (.digit)")
    if len(data) != 4 + N_INPUTS or data[:3] != MAGIC or data[3] >= N_CLASSES:
        raise ValueError("not a saved drawing (wrong size or header)")
    return Sample(path, data[3], np.frombuffer(data, np.uint8, offset=4).reshape(IMAGE_SHAPE).copy())
