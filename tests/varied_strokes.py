"""Pad drawings for development: the ways people write each digit that MNIST's scans show rarely, each
drawn in several hands.

These are not the drawings of ``digit_strokes.py`` and not anything the training augmentation draws
(``nncore.augment`` adds crossbars and flags to MNIST digits; it never sees these point lists), but
the same people wrote both, so they are a development set, not a test of strangers' handwriting.
``FAMILIES`` holds two to four forms of each digit as strokes (canvas fractions, x right, y down);
:func:`drawings` renders every form in every hand of ``HANDS``: a fine and a heavy pen, small,
slanted either way, narrow, wide, a shaky hand, and four hurried ones (every point a little off,
with a random slant, width and turn).
"""

import numpy as np
from digit_strokes import smooth

from nncore.preprocess import to_mnist
from nncore.strokes import render

FAMILIES = {
    (0, "tall oval"): [[(0.52, 0.16), (0.40, 0.22), (0.36, 0.42), (0.37, 0.64), (0.45, 0.82),
                        (0.57, 0.82), (0.64, 0.62), (0.64, 0.38), (0.59, 0.20), (0.50, 0.17),
                        (0.44, 0.22)]],
    (0, "round, open at the top"): [[(0.58, 0.22), (0.44, 0.20), (0.31, 0.32), (0.27, 0.52),
                                     (0.33, 0.72), (0.50, 0.80), (0.66, 0.72), (0.72, 0.52),
                                     (0.67, 0.32), (0.60, 0.26)]],
    (1, "stick"): [[(0.50, 0.17), (0.50, 0.50), (0.50, 0.83)]],
    (1, "with a flag"): [[(0.35, 0.34), (0.45, 0.26), (0.55, 0.16), (0.55, 0.50), (0.55, 0.83)]],
    (1, "with a flag and a base"): [[(0.36, 0.32), (0.46, 0.24), (0.53, 0.16), (0.53, 0.50),
                                     (0.53, 0.82)],
                                    [(0.36, 0.83), (0.53, 0.83), (0.70, 0.83)]],
    (2, "with a loop"): [[(0.30, 0.30), (0.40, 0.19), (0.55, 0.17), (0.66, 0.26), (0.64, 0.42),
                          (0.50, 0.58), (0.34, 0.74), (0.30, 0.80), (0.38, 0.70), (0.46, 0.74),
                          (0.52, 0.81), (0.60, 0.80), (0.72, 0.78)]],
    (2, "angular, like a Z"): [[(0.30, 0.24), (0.46, 0.18), (0.62, 0.20), (0.66, 0.30),
                                (0.30, 0.81), (0.50, 0.81), (0.72, 0.81)]],
    (3, "flat top"): [[(0.30, 0.19), (0.50, 0.19), (0.68, 0.19), (0.48, 0.43), (0.62, 0.47),
                       (0.70, 0.60), (0.66, 0.74), (0.52, 0.82), (0.36, 0.80), (0.28, 0.72)]],
    (3, "two wide bowls"): [[(0.28, 0.24), (0.44, 0.16), (0.62, 0.19), (0.70, 0.30), (0.62, 0.44),
                             (0.46, 0.48)],
                            [(0.46, 0.48), (0.66, 0.54), (0.72, 0.68), (0.62, 0.81), (0.44, 0.84),
                             (0.28, 0.76)]],
    (4, "open"): [[(0.40, 0.17), (0.36, 0.38), (0.31, 0.58), (0.52, 0.58), (0.73, 0.58)],
                  [(0.60, 0.36), (0.60, 0.60), (0.60, 0.84)]],
    (4, "closed"): [[(0.60, 0.84), (0.60, 0.50), (0.60, 0.17), (0.45, 0.38), (0.29, 0.60),
                     (0.50, 0.60), (0.74, 0.60)]],
    (4, "closed, two strokes"): [[(0.58, 0.17), (0.44, 0.38), (0.30, 0.60), (0.52, 0.60),
                                  (0.73, 0.60)],
                                 [(0.59, 0.20), (0.59, 0.52), (0.59, 0.84)]],
    (5, "roof drawn last"): [[(0.37, 0.20), (0.35, 0.46), (0.48, 0.42), (0.62, 0.47), (0.68, 0.60),
                              (0.64, 0.74), (0.50, 0.82), (0.33, 0.78)],
                             [(0.37, 0.20), (0.52, 0.19), (0.68, 0.19)]],
    (5, "round belly"): [[(0.67, 0.18), (0.42, 0.18), (0.38, 0.44), (0.56, 0.42), (0.70, 0.54),
                          (0.70, 0.70), (0.58, 0.81), (0.42, 0.82), (0.31, 0.74)]],
    (6, "straight stem"): [[(0.58, 0.16), (0.46, 0.40), (0.36, 0.62), (0.38, 0.76), (0.50, 0.82),
                            (0.62, 0.76), (0.64, 0.62), (0.54, 0.54), (0.42, 0.56), (0.37, 0.64)]],
    (6, "big loop"): [[(0.66, 0.20), (0.50, 0.18), (0.36, 0.30), (0.29, 0.50), (0.31, 0.70),
                       (0.46, 0.82), (0.64, 0.78), (0.70, 0.62), (0.60, 0.48), (0.44, 0.48),
                       (0.31, 0.58)]],
    (7, "plain"): [[(0.30, 0.20), (0.70, 0.20), (0.58, 0.44), (0.47, 0.82)]],
    (7, "with a crossbar"): [[(0.30, 0.22), (0.50, 0.19), (0.70, 0.19), (0.60, 0.44), (0.49, 0.82)],
                             [(0.42, 0.51), (0.56, 0.50), (0.70, 0.49)]],
    (7, "serif and crossbar"): [[(0.30, 0.28), (0.30, 0.19), (0.50, 0.19), (0.71, 0.19),
                                 (0.57, 0.48), (0.48, 0.82)],
                                [(0.40, 0.48), (0.58, 0.48), (0.72, 0.47)]],
    (7, "curved stem"): [[(0.29, 0.20), (0.50, 0.21), (0.70, 0.20), (0.58, 0.38), (0.49, 0.58),
                          (0.47, 0.82)]],
    (8, "two circles"): [[(0.50, 0.18), (0.38, 0.24), (0.38, 0.40), (0.50, 0.47), (0.62, 0.40),
                          (0.62, 0.24), (0.50, 0.18)],
                         [(0.50, 0.47), (0.35, 0.56), (0.33, 0.72), (0.50, 0.82), (0.67, 0.72),
                          (0.65, 0.56), (0.50, 0.47)]],
    (8, "from the top right"): [[(0.64, 0.24), (0.50, 0.18), (0.36, 0.26), (0.40, 0.40),
                                 (0.62, 0.56), (0.66, 0.72), (0.50, 0.82), (0.34, 0.72),
                                 (0.38, 0.56), (0.60, 0.40), (0.64, 0.24)]],
    (9, "straight tail"): [[(0.64, 0.26), (0.52, 0.18), (0.38, 0.22), (0.34, 0.36), (0.44, 0.46),
                            (0.58, 0.44), (0.65, 0.30), (0.64, 0.56), (0.64, 0.83)]],
    (9, "circle and stick"): [[(0.60, 0.24), (0.48, 0.17), (0.36, 0.24), (0.34, 0.38), (0.46, 0.47),
                               (0.60, 0.42), (0.62, 0.28), (0.60, 0.24)],
                              [(0.63, 0.20), (0.63, 0.50), (0.62, 0.83)]],
    (9, "hooked tail"): [[(0.66, 0.28), (0.54, 0.18), (0.40, 0.20), (0.34, 0.33), (0.42, 0.45),
                          (0.58, 0.44), (0.66, 0.32), (0.66, 0.58), (0.58, 0.78), (0.44, 0.83),
                          (0.34, 0.78)]],
}

# name → (transform of the points, pen width as a fraction of the canvas)
HANDS = {
    "fine pen": ({}, 0.035),
    "heavy pen": ({}, 0.13),
    "small": ({"scale": 0.45, "shift": (0.12, -0.1)}, 0.075),
    "slanted right": ({"shear": 0.35}, 0.075),
    "slanted left": ({"shear": -0.22}, 0.075),
    "narrow": ({"stretch_x": 0.6}, 0.075),
    "wide": ({"stretch_x": 1.45, "scale": 0.85}, 0.075),
    "shaky": ({"shaky": 0.012}, 0.075),
    "hurried 1": ({"hurried": 0.03}, 0.075),
    "hurried 2": ({"hurried": 0.03}, 0.06),
    "hurried 3": ({"hurried": 0.04}, 0.09),
    "hurried 4": ({"hurried": 0.04}, 0.075),
}


def _hand(strokes, *, scale=1.0, shift=(0.0, 0.0), shear=0.0, stretch_x=1.0, shaky=0.0, hurried=0.0,
          seed=0):
    rng = np.random.default_rng(seed)
    if hurried:      # every point misplaced a little, and a random slant, width and turn
        strokes = [[(x + rng.normal(0, hurried), y + rng.normal(0, hurried)) for x, y in s] for s in strokes]
        shear, stretch_x = rng.uniform(-0.25, 0.35), rng.uniform(0.7, 1.3)
        turn = np.deg2rad(rng.uniform(-12, 12))
        strokes = [[(0.5 + (x - 0.5) * np.cos(turn) - (y - 0.5) * np.sin(turn),
                     0.5 + (x - 0.5) * np.sin(turn) + (y - 0.5) * np.cos(turn)) for x, y in s] for s in strokes]
    out = []
    for stroke in smooth(strokes):
        p = np.array(stroke) - 0.5
        p[:, 0] = (p[:, 0] * stretch_x - shear * p[:, 1]) * scale
        p[:, 1] *= scale
        if shaky:
            p += np.cumsum(rng.normal(0, shaky, p.shape), axis=0) * 0.5 + rng.normal(0, shaky, p.shape)
        out.append([(float(x) + 0.5 + shift[0], float(y) + 0.5 + shift[1]) for x, y in p])
    return out


def drawings():
    """[(digit, form, hand, strokes, pen fraction)] for every form of every digit in every hand."""
    out = []
    for f, ((digit, form), strokes) in enumerate(FAMILIES.items()):
        for i, (hand, (kw, pen)) in enumerate(HANDS.items()):   # each drawing its own shake and hurry
            out.append((digit, form, hand, _hand(strokes, seed=f * 100 + i, **kw), pen))
    return out


def prepared():
    """The drawings as the pad prepares them: x (n, 784), labels (n,), [(digit, form, hand)]."""
    items = drawings()
    x = np.array([to_mnist(render(strokes, pen_fraction=pen)) for _, _, _, strokes, pen in items])
    return x, np.array([d for d, *_ in items]), [(d, form, hand) for d, form, hand, *_ in items]
