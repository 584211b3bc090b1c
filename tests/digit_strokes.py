"""Hand-authored digits as strokes (point lists in canvas fractions, x right and y down, 0 to 1).

Each digit has a base drawing; :func:`variants` adds the kinds of difference people's drawings show:
smaller and off-centre, slanted, wide, and drawn with fewer points.
"""

import numpy as np

BASE = {
    0: [[(0.50, 0.18), (0.36, 0.24), (0.29, 0.40), (0.29, 0.60), (0.36, 0.76), (0.50, 0.82),
         (0.64, 0.76), (0.71, 0.60), (0.71, 0.40), (0.64, 0.24), (0.50, 0.18)]],
    1: [[(0.42, 0.30), (0.53, 0.18), (0.52, 0.50), (0.51, 0.82)]],
    2: [[(0.31, 0.32), (0.38, 0.22), (0.50, 0.18), (0.62, 0.22), (0.68, 0.32), (0.65, 0.45),
         (0.50, 0.60), (0.30, 0.80), (0.50, 0.80), (0.71, 0.80)]],
    3: [[(0.31, 0.25), (0.45, 0.18), (0.61, 0.21), (0.66, 0.32), (0.58, 0.44), (0.45, 0.48),
         (0.58, 0.51), (0.68, 0.61), (0.66, 0.73), (0.55, 0.81), (0.40, 0.82), (0.30, 0.75)]],
    4: [[(0.38, 0.18), (0.33, 0.40), (0.30, 0.56), (0.50, 0.56), (0.72, 0.55)],
        [(0.62, 0.20), (0.62, 0.50), (0.62, 0.84)]],
    5: [[(0.66, 0.19), (0.40, 0.19), (0.36, 0.46)],
        [(0.36, 0.46), (0.50, 0.42), (0.63, 0.47), (0.69, 0.60), (0.64, 0.74), (0.51, 0.81),
         (0.33, 0.77)]],
    6: [[(0.62, 0.18), (0.48, 0.27), (0.38, 0.43), (0.34, 0.61), (0.39, 0.76), (0.52, 0.81),
         (0.64, 0.74), (0.66, 0.61), (0.57, 0.51), (0.45, 0.50), (0.36, 0.58)]],
    7: [[(0.29, 0.21), (0.50, 0.20), (0.71, 0.20), (0.60, 0.42), (0.51, 0.62), (0.45, 0.83)]],
    8: [[(0.50, 0.49), (0.38, 0.40), (0.37, 0.27), (0.50, 0.18), (0.63, 0.27), (0.62, 0.40),
         (0.50, 0.49), (0.36, 0.60), (0.35, 0.73), (0.50, 0.82), (0.65, 0.73), (0.64, 0.60),
         (0.50, 0.49)]],
    9: [[(0.64, 0.30), (0.56, 0.20), (0.43, 0.19), (0.35, 0.29), (0.38, 0.41), (0.50, 0.46),
         (0.62, 0.40), (0.65, 0.28), (0.64, 0.55), (0.61, 0.83)]],
}


def _transform(strokes, *, scale=1.0, shift=(0.0, 0.0), shear=0.0, stretch_x=1.0):
    out = []
    for stroke in strokes:
        pts = []
        for x, y in stroke:
            u, v = x - 0.5, y - 0.5
            u = (u * stretch_x - shear * v) * scale
            v = v * scale
            pts.append((u + 0.5 + shift[0], v + 0.5 + shift[1]))
        out.append(pts)
    return out


def smooth(strokes, per_segment=6):
    """Catmull-Rom curves through each stroke's points, as a pen would trace them."""
    out = []
    for stroke in strokes:
        p = np.array(stroke, dtype=float)
        if len(p) < 3:
            out.append([tuple(q) for q in p])
            continue
        padded = np.vstack([p[0], p, p[-1]])
        pts = []
        for i in range(1, len(padded) - 2):
            p0, p1, p2, p3 = padded[i - 1:i + 3]
            for t in np.linspace(0, 1, per_segment, endpoint=False):
                pts.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                                  + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
        pts.append(p[-1])
        out.append([tuple(map(float, q)) for q in pts])
    return out


VARIANTS = {
    "plain": {},
    "small, top left": {"scale": 0.55, "shift": (-0.18, -0.16)},
    "slanted": {"shear": 0.28},
    "wide, low right": {"stretch_x": 1.3, "scale": 0.8, "shift": (0.08, 0.1)},
}


def variants():
    """[(digit, variant name, smoothed strokes)] for every digit and variant."""
    return [(d, name, smooth(_transform(BASE[d], **kw))) for d in range(10) for name, kw in VARIANTS.items()]
