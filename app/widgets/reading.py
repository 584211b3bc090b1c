"""What the network reads from its ten outputs: one rule for every view (the pad's big guess, the
inspector, What it looks at), so that no view names a digit where another shows "?"."""

from dataclasses import dataclass

import numpy as np

# (top output at least, lead over the second at least) for each word; below the last: "not sure"
CONFIDENT, FAIRLY_SURE = (0.8, 0.5), (0.5, 0.25)
TIE = 1e-3        # the top two outputs closer than this (equal as the views print them): they tie


def confidence_words(a):
    """(words, colour, ahead) from the outputs ``a (10,)``: how clearly the top output stands out.

    "confident" when the top output is ≥ 0.8 and leads the second by ≥ 0.5; "fairly sure" at ≥ 0.5 and
    a lead of ≥ 0.25; otherwise "not sure", and ``ahead`` is False: no output is clearly ahead.
    """
    second, top = np.sort(np.asarray(a, dtype=np.float64))[-2:]
    for (level, lead), words, color in ((CONFIDENT, "confident", "#2e7d32"),
                                        (FAIRLY_SURE, "fairly sure", "#f9a825")):
        if top >= level and top - second >= lead:
            return words, color, True
    return "not sure", "#c62828", False


@dataclass(frozen=True)
class Reading:
    """The top output's digit ``top`` (the first of equal ones), whether it is clearly ``ahead`` (the
    pad shows it, not "?"), and whether the top two outputs ``tie``."""

    top: int
    ahead: bool
    tie: bool

    @property
    def answer(self):
        """The digit the network reads, or None: no clear answer."""
        return self.top if self.ahead else None

    def words(self):
        """'reads 4', or why there is no clear answer, for a sentence "the network …"."""
        if self.ahead:
            return f"reads {self.top}"
        if self.tie:
            return "gives no clear answer (outputs tie)"
        return f"gives no clear answer (perhaps {self.top})"


def read_outputs(a):
    """The :class:`Reading` of the outputs ``a (10,)``."""
    a = np.asarray(a, dtype=np.float64)
    second, top = np.sort(a)[-2:]
    return Reading(int(np.argmax(a)), confidence_words(a)[2], bool(top - second < TIE))
