"""Costs C(aᴸ, y) for one example, each with its value and its output error side by side.

Shapes: ``a`` and ``y`` are ``(n_out,)`` for one example or ``(m, n_out)`` for a batch whose rows are
examples; ``z`` is the output layer's weighted input with the same shape. ``value`` returns the
*sum over the batch* (divide by m for the mean), so running means are cheap.
"""

import numpy as np

from .activations import sigmoid_prime_from_a
from .errors import ConfigError


class QuadraticCost:
    """C = ½‖y − aᴸ‖², the derivation's cost."""

    name = "quadratic"

    @staticmethod
    def value(a, y, z=None):
        """Σ over the batch of ½‖y − a‖². Returns a float."""
        d = a - y
        return 0.5 * float(np.vdot(d, d))

    @staticmethod
    def delta(z, a, y):
        """δᴸ = dC/dzᴸ. Fact 1: dC/daᴸ = aᴸ − y; Fact 2: dC/dz = dC/da ⊙ σ′(z)."""
        return (a - y) * sigmoid_prime_from_a(a)


class CrossEntropyCost:
    """C = −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)], whose σ′ cancels: δᴸ = aᴸ − y (no slow-down)."""

    name = "cross-entropy"

    @staticmethod
    def value(a, y, z):
        """Σ over the batch of the cross-entropy, computed from z so that a = 0 or 1 is still finite.

        ln σ(z) = −log(1 + e^(−z)) and ln(1 − σ(z)) = −log(1 + e^(z)). z is clipped to ±1e6 (a cost
        of a million per neuron already means "completely wrong") so that the sum cannot overflow.
        """
        z = np.clip(np.asarray(z, dtype=np.float64), -1e6, 1e6)
        return float(np.sum(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))

    @staticmethod
    def delta(z, a, y):
        """δᴸ = dC/dzᴸ = aᴸ − y: dC/daᴸ ⊙ σ′(z) with the σ′ cancelled."""
        return a - y


COSTS = {c.name: c for c in (QuadraticCost, CrossEntropyCost)}


def get_cost(name):
    """The cost class called ``name`` ('quadratic' or 'cross-entropy')."""
    try:
        return COSTS[name]
    except KeyError:
        raise ConfigError(f"unknown cost {name!r}; accepted: {', '.join(COSTS)}") from None
