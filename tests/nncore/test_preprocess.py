"""Preprocessing makes a drawing look like an MNIST digit, whatever its place, size and stroke."""

import numpy as np
import pytest

import nncore
from nncore.data import resources_dir
from nncore.preprocess import PreprocessError, stroke_width, to_mnist


def upscale(image28, factor=10):
    """An MNIST image blown up to a pad-sized canvas by pixel repetition."""
    return np.kron(image28, np.ones((factor, factor)))


def canvas_with(digit28, scale, top, left, size=280):
    """A ``size`` canvas holding ``digit28`` blown up by ``scale`` at (top, left)."""
    canvas = np.zeros((size, size))
    big = upscale(digit28, scale)
    canvas[top:top + big.shape[0], left:left + big.shape[1]] = big
    return canvas


@pytest.fixture(scope="module")
def default_network():
    """The shipped pre-trained network."""
    return nncore.load(resources_dir() / "default-network.npz")


def test_mnist_images_survive_the_round_trip(mnist, default_network):
    """1,000 test digits blown up ×10 and preprocessed are read as the originals for ≥ 97% of them."""
    originals = mnist.test.x[:1000]
    prepared = np.array([to_mnist(upscale(im)) for im in mnist.test.images()[:1000] / 255.0])
    same = default_network.predict(prepared) == default_network.predict(originals)
    assert same.mean() >= 0.97
    assert np.abs(prepared - originals).mean() < 0.02


def test_shift_and_scale_on_the_canvas_do_not_matter(mnist):
    """The same digit drawn small in a corner and large in the middle gives nearly the same input."""
    digit = mnist.test.images()[0] / 255.0
    a = to_mnist(canvas_with(digit, 4, 5, 8))       # 112 px, top left
    b = to_mnist(canvas_with(digit, 9, 20, 25))     # 252 px, centred
    assert a.shape == (784,) and a.dtype == np.float32
    assert np.abs(a - b).mean() < 0.03
    assert 0.0 <= a.min() and a.max() == pytest.approx(1.0)


def test_result_is_centred_by_mass_in_a_20_pixel_box(mnist):
    """The ink fits a 20-pixel box and its centre of mass sits within half a pixel of (14, 14)."""
    x = to_mnist(canvas_with(mnist.test.images()[7] / 255.0, 6, 100, 3)).reshape(28, 28)
    rows, cols = np.flatnonzero(x.any(axis=1)), np.flatnonzero(x.any(axis=0))
    assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 <= 20
    r, c = np.mgrid[0:28, 0:28]
    assert abs((x * r).sum() / x.sum() - 14) <= 0.5 and abs((x * c).sum() / x.sum() - 14) <= 0.5


def test_empty_canvas_gives_no_input():
    """No ink: None, so the window shows a hint instead of a prediction."""
    assert to_mnist(np.zeros((280, 280))) is None
    assert to_mnist(np.full((50, 50), 0.05)) is None


def test_thin_and_thick_strokes_are_normalised(mnist):
    """A hairline '1' is thickened and a blob-thick one thinned, towards MNIST's stroke width."""
    thin = np.zeros((280, 280))
    thin[40:240, 139:141] = 1.0                      # 2 px wide, 200 px tall: ratio 0.01
    thick = np.zeros((280, 280))
    thick[40:240, 100:180] = 1.0                     # 80 px wide: ratio 0.4
    mnist_width = np.median([stroke_width(im) for im in mnist.test.images()[:200] / 255.0])
    w_thin = stroke_width(to_mnist(thin).reshape(28, 28))
    w_thick = stroke_width(to_mnist(thick).reshape(28, 28))
    raw_thin = stroke_width(to_mnist(thin, normalise_stroke=False).reshape(28, 28))
    raw_thick = stroke_width(to_mnist(thick, normalise_stroke=False).reshape(28, 28))
    assert abs(w_thin - mnist_width) < abs(raw_thin - mnist_width)
    assert abs(w_thick - mnist_width) < abs(raw_thick - mnist_width)


@pytest.mark.parametrize("bad", [np.zeros(5), np.zeros((2, 2, 2)), np.array([[np.nan, 1.0]]), "text",
                                 np.zeros((0, 3))])
def test_bad_arrays_raise_the_projects_error(bad):
    """Anything that is not a finite 2-D image raises PreprocessError (an NNCoreError)."""
    with pytest.raises(nncore.NNCoreError):
        to_mnist(bad)
    assert issubclass(PreprocessError, nncore.NNCoreError)
