"""A log-scale axis labelled at whole decades (and at 2 and 5 when the view spans about one).

pyqtgraph's own log axis labels every minor tick 1 … 9 of a decade and adds an SI multiplier to the
axis title; in a plot a hundred pixels high the labels then overlap. Here each decade is one label,
10ᵏ (every second or third one when the view spans many), only a view narrower than a decade and
a half adds 2·10ᵏ and 5·10ᵏ, and one that would show fewer than two labels adds the other multiples, as
many as fit apart.
"""

import math

import pyqtgraph as pg

MAX_LABELS = 5   # decades labelled at most: a wider view labels every second, third, … decade
MIN_GAP = (44, 22)   # pixels between the centres of two labelled marks: along a horizontal, a vertical axis


def thinned(values, low, high, size, orientation):
    """``values`` (ascending, in the view ``low`` … ``high`` of an axis ``size`` pixels long), each kept at
    least MIN_GAP pixels from the one kept before it: labels that never overlap."""
    gap = MIN_GAP[orientation in ("left", "right")] * (high - low) / max(size, 1.0)
    kept = values[:1]
    for v in values[1:]:
        if v - kept[-1] >= gap:
            kept.append(v)
    return kept


class DecadeAxis(pg.AxisItem):
    """For a plot in log mode on this axis: ``DecadeAxis('left')`` in ``axisItems``."""

    def __init__(self, orientation, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def logTickValues(self, low, high, size, standard_ticks):
        """[(1, decades), (None, 2 and 5 of each decade), (None, 3, 4, 6, … if still needed)] between ``low``
        and ``high`` (log10 values; pyqtgraph passes them positionally, with the axis's length in pixels
        ``size`` and its own ticks, unused here). A value that would come closer than MIN_GAP pixels to
        one already labelled is left out."""
        first, last = math.ceil(low), math.floor(high)
        step = max(1, math.ceil((last - first + 1) / MAX_LABELS))   # every decade, or every step-th
        decades = [float(k) for k in range(first, last + 1) if k % step == 0]
        if high - low > 1.5 and len(decades) >= 2:
            return [(float(step), decades)]
        gap = MIN_GAP[self.orientation in ("left", "right")] * (high - low) / max(size, 1.0)
        levels, kept = [(1.0, decades)], list(decades)
        for factors in ((2, 5), (3, 4, 6, 7, 8, 9)):   # the second only while fewer than two are labelled
            if len(levels) > 1 and len(kept) >= 2:
                break
            level = []
            for v in (k + math.log10(f) for k in range(math.floor(low), math.ceil(high)) for f in factors):
                if low <= v <= high and all(abs(v - u) >= gap for u in kept):
                    level.append(v)
                    kept.append(v)
            levels.append((None, level))
        return levels


class ValueAxis(DecadeAxis):
    """A DecadeAxis labelled with the values themselves (0.01, 1, 100), not 10ᵏ: for a swept η or a
    cost, where people read the number. :meth:`set_marks` labels chosen values instead of the decades
    (a sweep's η), as many as fit without overlapping. On a linear axis it is pyqtgraph's own."""

    def __init__(self, orientation, **kwargs):
        super().__init__(orientation, **kwargs)
        self.marks = ()     # log10 of the values to label on a log axis; () labels the decades

    def set_marks(self, values):
        """Label these values (> 0) on a log axis rather than the decades; [] for the decades again."""
        self.marks = tuple(sorted(math.log10(v) for v in values if v > 0))
        self.picture = None     # pyqtgraph redraws the axis from its cached picture otherwise
        self.update()

    def logTickValues(self, low, high, size, standard_ticks):
        """The marks between ``low`` and ``high`` (log10 values), every one at least MIN_GAP pixels
        (of the axis's ``size``) from the one before; the decades when no mark is in view."""
        inside = [m for m in self.marks if low <= m <= high]
        if not inside:
            return super().logTickValues(low, high, size, standard_ticks)
        return [(None, thinned(inside, low, high, size, self.orientation))]

    def logTickStrings(self, values, scale, spacing):
        return [f"{10 ** v * scale:g}" for v in values]
