"""nncore.strokes paints a pen's segment as the area it covers, with round ends, never removing ink."""

import math

import numpy as np
import pytest

from nncore.strokes import draw_segment, render


@pytest.mark.parametrize("width", [2.0, 5.0, 21.0])
def test_a_segments_ink_is_a_stadiums_area(width):
    """A segment of length L with a round pen of width w covers L·w + π(w/2)² pixels, within 3%."""
    image = np.zeros((200, 200), np.float64)
    draw_segment(image, (50.0, 60.0), (140.0, 130.0), width)
    length = math.hypot(90.0, 70.0)
    expected = length * width + math.pi * (width / 2) ** 2
    assert image.sum() == pytest.approx(expected, rel=0.03)
    assert image.max() == 1.0 and image.min() == 0.0


def test_a_dot_is_a_disc_and_ink_only_grows():
    """A zero-length segment is a disc of the pen's width; painting over ink never lowers it."""
    image = np.zeros((40, 40))
    draw_segment(image, (20.0, 20.0), (20.0, 20.0), 10.0)
    assert image.sum() == pytest.approx(math.pi * 25, rel=0.03)
    before = image.copy()
    draw_segment(image, (0.0, 20.0), (39.0, 20.0), 2.0, value=0.5)
    assert (image >= before).all() and image[20, 20] == 1.0 and image[20, 2] == 0.5


def test_a_segment_off_the_image_paints_nothing_and_one_at_the_edge_is_clipped():
    image = np.zeros((10, 10), np.float32)
    draw_segment(image, (-30.0, -30.0), (-20.0, -25.0), 3.0)
    assert not image.any()
    draw_segment(image, (-5.0, 5.0), (3.0, 5.0), 2.0)
    assert image[5, 0] == 1.0 and image[5, 6] == 0.0


def test_render_paints_strokes_in_canvas_fractions():
    """A horizontal stroke across the middle: ink in the middle rows only, width the pen's."""
    image = render([[(0.2, 0.5), (0.8, 0.5)]], size=100, pen_fraction=0.1)
    assert image.shape == (100, 100) and image.dtype == np.float32
    rows = np.flatnonzero(image.max(axis=1) > 0.5)
    cols = np.flatnonzero(image.max(axis=0) > 0.5)
    assert rows.min() >= 44 and rows.max() <= 55 and len(rows) == 10
    assert 14 <= cols.min() <= 16 and 84 <= cols.max() <= 85
    assert render([[(0.5, 0.5)]], size=100, pen_fraction=0.1).sum() == pytest.approx(math.pi * 25, rel=0.03)
