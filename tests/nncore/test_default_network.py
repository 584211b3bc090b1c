"""The shipped default network reads MNIST and people's pad drawings, as its notes say it does."""

import re

import numpy as np
import pytest
from digit_strokes import variants
from varied_strokes import FAMILIES, HANDS, prepared

import nncore
from nncore.data import resources_dir
from nncore.preprocess import to_mnist
from nncore.strokes import render

NOTES = (resources_dir() / "default-network.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def default_network():
    return nncore.load(resources_dir() / "default-network.npz")


@pytest.fixture(scope="module")
def varied():
    return prepared()


def stated(pattern):
    """The number the notes give for ``pattern`` (a regex with one group)."""
    found = re.search(pattern, NOTES)
    assert found, f"default-network.md does not state {pattern!r}"
    return float(found.group(1).replace(",", ""))


def test_mnist_test_accuracy_is_at_least_98_percent_and_as_the_notes_state(default_network, mnist):
    """The issue's floor, and the figure the notes print, to the hundredth of a percent."""
    accuracy = 100 * default_network.accuracy(mnist.test.x, mnist.test.labels)
    assert accuracy >= 98.0
    assert accuracy == pytest.approx(stated(r"\*\*([\d.]+)% test accuracy\*\*"), abs=0.005)


def test_the_file_has_the_shape_the_notes_command_gives(default_network):
    """Sizes, cost and initialisation of the file are those of the recorded command, which distorts."""
    command = re.search(r"nncore train (.*?)--save", NOTES, re.S).group(1)
    sizes = [int(n) for n in re.search(r"--sizes ([\d,]+)", command).group(1).split(",")]
    assert default_network.sizes == sizes
    assert f"--cost {default_network.cost.name}" in command and f"--init {default_network.init}" in command
    assert "--distort" in command


def test_development_drawings_are_read_as_the_notes_state(default_network, varied):
    """At least 96% of the 300 drawings (every form in every hand), at least half the hands of every
    form, and exactly the count the notes give."""
    x, labels, about = varied
    right = default_network.predict(x) == labels
    assert len(right) == len(FAMILIES) * len(HANDS)
    assert right.mean() >= 0.96
    assert right.sum() == stated(r"\*\*(\d+) of " + str(len(right)) + r"\*\*")
    for form in FAMILIES:
        assert sum(ok for ok, (d, f, _) in zip(right, about) if (d, f) == form) >= len(HANDS) // 2, form


def test_every_authored_drawing_is_read(default_network):
    """All 40 drawings of digit_strokes.py, painted and prepared as the pad does."""
    x = np.array([to_mnist(render(strokes)) for _, _, strokes in variants()])
    labels = np.array([d for d, _, _ in variants()])
    assert (default_network.predict(x) == labels).all()
