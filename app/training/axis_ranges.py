"""The y ranges of the live plots: round numbers, changed only when the data leaves them.

A new range makes pyqtgraph rebuild the plot's axes (ticks and text, several milliseconds of the GUI
thread while a run trains). Snapped to round values with room to spare, a plot's range changes a few
times in a run instead of at nearly every epoch. Qt-free.
"""

import math

MARGIN = 0.08   # of the data's span, above and below


def nice_ceiling(v):
    """The smallest of 1, 2, 5 × 10ᵏ that is ≥ ``v`` (for ``v`` > 0)."""
    base = 10.0 ** math.floor(math.log10(v))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= v * (1 - 1e-12))


def y_range(which, low, high, log=False):
    """The (bottom, top) to show data from ``low`` to ``high``.

    ``which`` 'cost': from 0 to a 1-2-5 value above ``high`` (on a log axis, ``low`` and ``high`` are
    log10 values and the range is whole decades). 'accuracy' (percent): up to 100, from a round value
    below ``low`` (a multiple of 1, 2, 5, 10, 20 or 50), so a rising accuracy never moves it.
    """
    if which == "cost" and log:
        bottom, top = math.floor(low), math.ceil(high)
        return bottom, max(top, bottom + 1)
    if which == "cost":
        return 0.0, nice_ceiling(max(high * (1 + MARGIN), 1e-6))
    span = max(100.0 - low, 1.0)
    step = nice_ceiling(span / 4)
    return float(max(0.0, step * math.floor((low - MARGIN * span) / step))), 100.0


def needs_new_range(shown, low, high, target):
    """True when the data (``low`` to ``high``) has left the ``shown`` range, or the ``target`` range
    would be less than half of it: a range is kept while the data stays inside and fills it enough."""
    (y0, y1), (t0, t1) = shown, target
    outgrown = low < y0 or high > y1
    shrunk = (t1 - t0) < 0.5 * (y1 - y0)
    return outgrown or shrunk


def cost_range_values(runs):
    """The costs the cost axis is ranged on, from ``runs`` (RunRecords of the cost shown).

    Each run gives its epoch means and the reports of the epoch in progress, but not its first report:
    an untrained network's cost (1.9 for F10's one step from a fresh start) would squash a trained run's
    0.02–0.13 flat at the bottom. The reports left out still draw, above the axis. Only when nothing else
    is shown does a lone first report set the range. Non-finite costs (a diverged run) are left out.
    """
    values = []
    for r in runs:
        since = r.epoch_x[-1] if r.epoch_x else float("-inf")
        values += r.epoch_cost + [c for x, c in zip(r.batch_x[1:], r.batch_cost[1:]) if x > since]
    if not values:
        values = [c for r in runs for c in r.batch_cost]
    return [v for v in values if math.isfinite(v)]
