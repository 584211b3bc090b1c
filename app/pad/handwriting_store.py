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
from nncore.fileio import atomic_write
from nncore.limits import IMAGE_SHAPE, IMAGE_SIDE, N_CLASSES, N_INPUTS

MAGIC = b"BLH"
SUFFIX = ".digit"


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

    def __init__(self, folder):
        self.folder = Path(folder)
        self.samples, self.warnings = [], []
        self.reload()

    def reload(self):
        """Read every drawing again; damaged files are skipped and named in ``warnings``."""
        self.samples, self.warnings = [], []
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.glob(f"*{SUFFIX}")):
            try:
                self.samples.append(_read(path))
            except (OSError, ValueError) as e:
                self.warnings.append(f"{path.name}: skipped ({e})")

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
        self.samples.append(sample)
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
        """All drawings as a :class:`nncore.Split` (for accuracy or to add to training)."""
        if not self.samples:
            return Split(np.zeros((0, N_INPUTS), np.uint8), np.zeros(0, np.uint8))
        return Split(np.stack([s.pixels.reshape(-1) for s in self.samples]),
                     np.array([s.label for s in self.samples], dtype=np.uint8))

    def accuracy(self, network):
        """(correct, total) for ``network`` on these drawings."""
        split = self.as_split()
        if len(split) == 0 or network is None:
            return 0, len(split)
        return int(np.count_nonzero(network.predict(split.x) == split.labels)), len(split)


def _read(path):
    data = path.read_bytes()
    if len(data) != 4 + N_INPUTS or data[:3] != MAGIC or data[3] >= N_CLASSES:
        raise ValueError("not a saved drawing (wrong size or header)")
    return Sample(path, data[3], np.frombuffer(data, np.uint8, offset=4).reshape(IMAGE_SHAPE).copy())
