"""The learning-rate finder: the book's heuristic for η (chapter 3), run as one short sweep (no Qt).

Nielsen: find the threshold η at which the cost, over the first few epochs, stops falling and starts
to oscillate or rise; try η = 0.01, 0.1, 1, … and refine between; then train with a safe fraction of
it, such as half. Here that is one sweep over :data:`FINDER_ETAS` (two per decade), two epochs each on
a part of the training set. The cost is the network's on the validation images at the end of each
epoch (train's ``validation_cost``): a clean measurement of where the network is, where the epoch's
training cost is an average over an epoch in which it changed. Where it starts, the untrained
network's cost, comes from one more run at the smallest η the core takes (10⁻⁶), which in two epochs
moves no weight by more than about 10⁻⁵: every run has the same seed, so the same first weights.

A run's cost "falls" when each measurement is below the one before, starting from there, by more than
:data:`FALL`: a cost that saturates (sigmoid neurons stuck at σ′ ≈ 0, the quadratic cost parked at
0.5) or that first leaps up and then comes back down does not fall. Only the end of each epoch is
seen, so a cost that oscillates inside the epochs can still end lower than it began; it then ends
well above that of a smaller η. So an η also counts as past the threshold when its last cost is more
than :data:`SLOWER` above the lowest last cost of the smaller η tried.
"""

import math
from dataclasses import dataclass

from nncore.limits import LEARNING_RATE

from .parameters import ETA, MAX_VALUES
from .sweep_plan import SweepPlan, default_jobs

FINDER_ETAS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
START_ETA = LEARNING_RATE.low
FINDER_EPOCHS = 2
FINDER_EXAMPLES = 2_000     # the training examples of each run (more for large mini-batches)
STEPS_PER_EPOCH = 20        # at least this many mini-batches an epoch
FALL = 1e-3                 # a fall of more than 0.1% from one measurement to the next counts
SLOWER = 0.1                # a last cost 10% above a smaller η's is past the threshold
SAFE_FRACTION = 0.5         # the book's "half the threshold"
PROPOSED_VALUES = 5         # the sweep proposed around the answer: threshold/10 … threshold, log-spaced


def finder_plan(config, jobs=None):
    """The finder's sweep for the window's settings ``config``: η over START_ETA and FINDER_ETAS,
    FINDER_EPOCHS epochs on the first FINDER_EXAMPLES examples (or STEPS_PER_EPOCH mini-batches)."""
    examples = min(config["train_size"], max(FINDER_EXAMPLES, STEPS_PER_EPOCH * config["batch_size"]))
    short = {**config, "epochs": FINDER_EPOCHS, "train_size": examples}
    return SweepPlan(short, ETA, (START_ETA, *FINDER_ETAS), default_jobs() if jobs is None else jobs)


def falls(start, costs):
    """True when every cost in ``costs`` is finite and below the one before (from ``start``) by > FALL."""
    previous = start
    for c in costs:
        if not (math.isfinite(c) and c < previous * (1 - FALL)):
            return False
        previous = c
    return bool(costs)


@dataclass(frozen=True)
class Finding:
    """What the finder found: ``verdicts`` (η → "falls", "does not fall" or "falls more slowly", in
    order), ``threshold`` (the largest η tried at which the cost fell, as at every smaller η; None if it
    fell at none) and :attr:`eta`, the safe fraction of it."""

    verdicts: dict
    threshold: float | None

    @property
    def eta(self):
        return None if self.threshold is None else SAFE_FRACTION * self.threshold

    def proposed_range(self):
        """(from, to, count) of a log-spaced sweep around the answer: the threshold / 10 to the threshold."""
        return (_rounded(self.threshold / 10), _rounded(self.threshold), min(PROPOSED_VALUES, MAX_VALUES))

    def text(self):
        """The answer in words, with the evidence."""
        tried = list(self.verdicts)
        if self.threshold is None:
            return (f"The cost did not fall over {FINDER_EPOCHS} epochs even at η = {tried[0]:g}: check the "
                    "settings, or try smaller values of η by hand.")
        above = [e for e in tried if e > self.threshold]
        if not above:
            return (f"The cost fell at every η tried, up to {self.threshold:g}: the threshold is at least "
                    f"that. A safe η: about {self.eta:g}.")
        why = ("it fell more slowly than at a smaller η (it oscillates)" if self.verdicts[above[0]] == SLOWER_TEXT
               else "it did not fall")
        return (f"The cost fell over the first {FINDER_EPOCHS} epochs up to η = {self.threshold:g}; at "
                f"{above[0]:g} {why}. The threshold is about {self.threshold:g}; a safe η is half of it, "
                f"about {self.eta:g}.")


FALLS_TEXT, NO_FALL_TEXT, SLOWER_TEXT = "falls", "does not fall", "falls more slowly"


def find_threshold(start, costs_by_eta):
    """The book's threshold from the untrained network's cost ``start`` and, for each η tried, the
    costs measured after each epoch: the largest η before the first at which the cost does not fall
    (or ends more than SLOWER above a smaller η's)."""
    verdicts, lowest = {}, math.inf
    for eta, costs in sorted(costs_by_eta.items()):
        if not falls(start, costs):
            verdicts[eta] = NO_FALL_TEXT
        elif costs[-1] > (1 + SLOWER) * lowest:
            verdicts[eta] = SLOWER_TEXT
        else:
            verdicts[eta] = FALLS_TEXT
        if costs and math.isfinite(costs[-1]):
            lowest = min(lowest, costs[-1])
    threshold = None
    for eta, verdict in verdicts.items():
        if verdict != FALLS_TEXT:
            break
        threshold = eta
    return Finding(verdicts, threshold)


def finding_from_runs(lines_by_eta):
    """A Finding from the finder sweep's epoch lines (η → lines): START_ETA's first cost is the start.
    None when the start could not be measured."""
    start_lines = lines_by_eta.get(START_ETA) or []
    if not start_lines or not math.isfinite(start_lines[0]["validation_cost"]):
        return None
    costs = {eta: [e["validation_cost"] for e in lines] for eta, lines in lines_by_eta.items() if eta != START_ETA}
    return find_threshold(start_lines[0]["validation_cost"], costs)


def _rounded(v):
    return float(f"{v:.3g}")
