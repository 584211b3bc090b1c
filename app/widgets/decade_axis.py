"""A log-scale axis labelled at whole decades (and at 2 and 5 when the view spans about one).

pyqtgraph's own log axis labels every minor tick 1 … 9 of a decade and adds an SI multiplier to the
axis title; in a plot a hundred pixels high the labels then overlap. Here each decade is one label,
10ᵏ (every second or third one when the view spans many), and only a view narrower than a decade and
a half adds 2·10ᵏ and 5·10ᵏ.
"""

import math

import pyqtgraph as pg

MAX_LABELS = 5   # decades labelled at most: a wider view labels every second, third, … decade


class DecadeAxis(pg.AxisItem):
    """For a plot in log mode on this axis: ``DecadeAxis('left')`` in ``axisItems``."""

    def __init__(self, orientation, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickValues(self, low, high, size, standard_ticks):
        """[(1, decades), (None, 2 and 5 of each decade)] between ``low`` and ``high`` (log10 values;
        pyqtgraph passes them positionally, with the axis's length and its own ticks, unused here)."""
        first, last = math.ceil(low), math.floor(high)
        step = max(1, math.ceil((last - first + 1) / MAX_LABELS))   # every decade, or every step-th
        decades = [float(k) for k in range(first, last + 1) if k % step == 0]
        if high - low > 1.5:
            return [(float(step), decades)]
        between = [k + math.log10(f) for k in range(math.floor(low), math.ceil(high)) for f in (2, 5)]
        return [(1.0, decades), (None, [v for v in between if low <= v <= high])]
