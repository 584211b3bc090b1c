"""What a network expects of its data: :class:`DataShape`, recorded beside a saved network.

A dataset has a shape (:attr:`nncore.data.Dataset.shape`): n_0 inputs (the pixels of ``image_shape``
images, or the named columns of a table), the names of its n_L classes, and the preprocessing that made
the inputs (``pixels``: k/255 of 28×28 digits as MNIST's; ``centre``/``resize``/``own`` for an image
folder; ``standardise`` for a table, with the training split's ``mean`` and ``std`` per column).
:func:`nncore.modelfile.save` records it, and :meth:`DataShape.mismatch` says, in one line, what of
another dataset does not match.
"""

from dataclasses import dataclass

import numpy as np

from .limits import IMAGE_SHAPE, N_CLASSES, N_INPUTS

PREPROCESSING = ("pixels", "centre", "resize", "own", "standardise")
DIGITS = tuple(str(d) for d in range(N_CLASSES))
SAME_PIXELS = {"pixels", "own"}   # an IDX set's images and a folder's kept at their size are read alike, k/255


@dataclass(frozen=True)
class DataShape:
    """``inputs`` n_0; ``classes`` the names of the n_L classes, in label order; ``image_shape`` (h, w)
    of image data (h·w = n_0) or None; ``columns`` the names of a table's n_0 feature columns (else
    ``()``); ``preprocessing`` one of :data:`PREPROCESSING`; ``mean`` and ``std`` ``(n_0,)`` tuples of
    the training split's column statistics when it is 'standardise' (else ``()``)."""

    inputs: int = N_INPUTS
    classes: tuple = DIGITS
    image_shape: tuple | None = IMAGE_SHAPE
    columns: tuple = ()
    preprocessing: str = "pixels"
    mean: tuple = ()
    std: tuple = ()

    @property
    def n_classes(self):
        """n_L: the number of classes, so of output neurons."""
        return len(self.classes)

    def inputs_text(self):
        """'784 (28×28 pixels)', '2 (x, y)'."""
        if self.image_shape is not None:
            return f"{self.inputs} ({self.image_shape[0]}×{self.image_shape[1]} pixels)"
        return f"{self.inputs} ({_listed(self.columns)})" if self.columns else str(self.inputs)

    def classes_text(self):
        """'10 (0, 1, …, 9)', '2 (A, B)'."""
        return f"{self.n_classes} ({_listed(self.classes)})"

    def mismatch(self, other, what="the network", theirs="the data"):
        """'' when data of shape ``other`` can be read as this shape's, else one line saying what differs:
        inputs, classes (their number or names), image size, columns or preprocessing."""
        if self.inputs != other.inputs:
            return f"{what} takes {self.inputs_text()} inputs; {theirs} has {other.inputs_text()} inputs"
        if self.n_classes != other.n_classes:
            return f"{what} has {self.classes_text()} classes; {theirs} has {other.classes_text()} classes"
        if self.classes != other.classes:
            return f"{what}'s classes are {_listed(self.classes)}; {theirs}'s are {_listed(other.classes)}"
        if self.image_shape != other.image_shape and None not in (self.image_shape, other.image_shape):
            return (f"{what} reads {self.image_shape[0]}×{self.image_shape[1]} images; {theirs}'s are "
                    f"{other.image_shape[0]}×{other.image_shape[1]}")
        if (self.image_shape is None) != (other.image_shape is None):
            kinds = ("images" if self.image_shape else "table columns", "images" if other.image_shape else "a table")
            return f"{what} reads {kinds[0]}; {theirs} is {kinds[1]}"
        if self.columns and other.columns and self.columns != other.columns:
            return f"{what} reads the columns {_listed(self.columns)}; {theirs} has {_listed(other.columns)}"
        if self.preprocessing != other.preprocessing and {self.preprocessing, other.preprocessing} != SAME_PIXELS:
            return (f"{what}'s inputs were prepared by {self.preprocessing!r}; {theirs}'s by "
                    f"{other.preprocessing!r}")
        return ""

    # ---- plain values, as the network file holds them ---------------------------------------------
    def to_dict(self):
        """Plain JSON values of every field (tuples as lists, no image shape as None)."""
        return {"inputs": self.inputs, "classes": list(self.classes),
                "image_shape": None if self.image_shape is None else list(self.image_shape),
                "columns": list(self.columns), "preprocessing": self.preprocessing,
                "mean": list(self.mean), "std": list(self.std)}

    @classmethod
    def from_dict(cls, d):
        """The shape of a :meth:`to_dict` dict (as read back from a file: anything); raises ValueError
        saying what is wrong, never anything else."""
        if not isinstance(d, dict) or set(d) != set(cls().to_dict()):
            raise ValueError("not a record of a data's shape")
        image = d["image_shape"]
        shape = cls(inputs=_whole(d["inputs"]), classes=_texts(d["classes"]),
                    image_shape=None if image is None else tuple(_whole(v) for v in _list(image)),
                    columns=_texts(d["columns"]), preprocessing=str(d["preprocessing"]),
                    mean=_numbers(d["mean"]), std=_numbers(d["std"]))
        return shape.check()

    def check(self):
        """Raise ValueError unless the fields agree with each other; returns self."""
        if self.preprocessing not in PREPROCESSING:
            raise ValueError(f"unknown preprocessing {self.preprocessing!r}")
        if len(self.classes) < 2 or len(set(self.classes)) != len(self.classes):
            raise ValueError("the class names must be two or more, each different")
        if self.image_shape is not None and (len(self.image_shape) != 2
                                             or self.image_shape[0] * self.image_shape[1] != self.inputs):
            raise ValueError(f"an image shape {self.image_shape} does not hold {self.inputs} inputs")
        if self.columns and len(self.columns) != self.inputs:
            raise ValueError(f"{len(self.columns)} column names for {self.inputs} inputs")
        stats = self.preprocessing == "standardise"
        if stats and not (len(self.mean) == len(self.std) == self.inputs
                          and np.isfinite(self.mean).all() and all(s > 0 and np.isfinite(s) for s in self.std)):
            raise ValueError("standardisation needs a finite mean and a positive std for every input")
        if not stats and (self.mean or self.std):
            raise ValueError("a mean and std are only kept for standardised inputs")
        return self


MNIST_SHAPE = DataShape()


def _list(v):
    if not isinstance(v, list):
        raise ValueError(f"expected a list, got {type(v).__name__}")
    return v


def _whole(v):
    if not (isinstance(v, int) and not isinstance(v, bool) and v >= 1):
        raise ValueError(f"expected a whole number of at least 1, got {v!r}")
    return v


def _texts(v):
    if not all(isinstance(t, str) for t in _list(v)):
        raise ValueError("expected a list of names")
    return tuple(v)


def _numbers(v):
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in _list(v)):
        raise ValueError("expected a list of numbers")
    return tuple(float(x) for x in v)


def _listed(names, most=6):
    """'A, B, C' or '0, 1, 2, …, 9' (the first and last of a long list)."""
    names = [str(n) for n in names]
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[:most - 2]) + ", …, " + names[-1]
