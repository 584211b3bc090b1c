"""Costs C(aᴸ, y), each owning its value and its output error side by side.

Shapes: ``a`` and ``y`` are ``(n_out,)`` for one example or ``(m, n_out)`` for a batch whose rows are
examples; ``z`` is the output layer's weighted input with the same shape. ``value`` returns the
*sum over the batch* (divide by m for the mean), so running means are cheap.

A cost gives the backward pass its start, the output error, in two forms: ``dC_da`` (dC/daᴸ, Fact 1
for the quadratic cost) and ``delta`` (δᴸ = dC/dzᴸ, Fact 1 with Fact 2). A cost whose σ′(zᴸ)
cancels in δᴸ (cross-entropy) *declares* it with ``sigma_prime_cancels = True`` and writes its own
``delta``; the others inherit ``delta`` = dC/daᴸ ⊙ σ′(zᴸ). Both methods take ``out=`` so the fast
training step can write into its buffers; it calls :meth:`Cost.value_and_error`, which gives the value
and the right one of the two in one call (a cost may override it to share work between them).
"""

import numpy as np

from .activations import sigmoid_prime_from_a
from .errors import ConfigError


class Cost:
    """The interface of a cost; subclasses set ``name`` and write ``value`` and ``dC_da``."""

    name = None
    sigma_prime_cancels = False   # True when δᴸ simplifies so that σ′(zᴸ) drops out
    dC_da_formula = "dC/daᴸ"      # for people (the inspector's title): what dC_da computes

    @staticmethod
    def value(a, y, z):
        """Σ over the batch of C. a, y, z: ``(n_out,)`` or ``(m, n_out)``. Returns a float."""
        raise NotImplementedError

    @staticmethod
    def dC_da(a, y, out=None):
        """dC/daᴸ, the shape of ``a``, written into ``out`` if given."""
        raise NotImplementedError

    @classmethod
    def delta(cls, z, a, y, out=None):
        """δᴸ = dC/dzᴸ, the shape of ``a``. Fact 2: dC/dz = dC/da ⊙ σ′(z), σ′(z) = a(1 − a)."""
        out = cls.dC_da(a, y, out=out)
        return np.multiply(out, sigmoid_prime_from_a(a), out=out)

    @classmethod
    def value_and_error(cls, z, a, y, out):
        """``value(a, y, z)``, and the output error the backward pass starts from written into ``out``.

        The error is δᴸ when the cost declares ``sigma_prime_cancels``, else dC/daᴸ (the caller then
        applies Fact 2). For the fast training step, which needs both from one call.
        """
        value = cls.value(a, y, z)
        if cls.sigma_prime_cancels:
            cls.delta(z, a, y, out=out)
        else:
            cls.dC_da(a, y, out=out)
        return value


class QuadraticCost(Cost):
    """C = ½‖y − aᴸ‖², the derivation's cost."""

    name = "quadratic"
    dC_da_formula = "Fact 1: dC/daᴸ = aᴸ − y"

    @staticmethod
    def value(a, y, z=None):
        """Σ over the batch of ½‖y − a‖². Returns a float (z is not needed)."""
        d = a - y
        return 0.5 * float(np.vdot(d, d))

    @staticmethod
    def dC_da(a, y, out=None):
        """Fact 1: dC/daᴸ = aᴸ − y."""
        return np.subtract(a, y, out=out)

    @classmethod
    def value_and_error(cls, z, a, y, out):
        """As :meth:`Cost.value_and_error`, sharing the work: C = ½‖dC/daᴸ‖² once dC/daᴸ is in ``out``."""
        np.subtract(a, y, out=out)                  # Fact 1
        return 0.5 * float(np.vdot(out, out))


class CrossEntropyCost(Cost):
    """C = −Σⱼ [yⱼ ln aⱼ + (1 − yⱼ) ln(1 − aⱼ)], whose σ′ cancels: δᴸ = aᴸ − y (no slow-down)."""

    name = "cross-entropy"
    sigma_prime_cancels = True
    dC_da_formula = "dC/daᴸ = (aᴸ − y) / (aᴸ(1 − aᴸ)), so σ′ cancels in Fact 2"

    @staticmethod
    def value(a, y, z):
        """Σ over the batch of the cross-entropy, computed from z so that a = 0 or 1 is still finite.

        ln σ(z) = −log(1 + e^(−z)) and ln(1 − σ(z)) = −log(1 + e^(z)). z is clipped to ±1e6 (a cost
        of a million per neuron already means "completely wrong") so that the sum cannot overflow.
        """
        z = np.clip(np.asarray(z, dtype=np.float64), -1e6, 1e6)
        return float(np.sum(y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))

    @staticmethod
    def dC_da(a, y, out=None):
        """dC/daᴸ = (aᴸ − y) / (aᴸ(1 − aᴸ)); where a is exactly 0 or 1 the denominator is the dtype's tiny.

        Only the inspector shows it: the backward pass starts from :meth:`delta`, which needs no division.
        """
        sp = np.maximum(sigmoid_prime_from_a(a), np.finfo(np.result_type(a, np.float32)).tiny)
        out = np.subtract(a, y, out=out)
        return np.divide(out, sp, out=out)

    @classmethod
    def delta(cls, z, a, y, out=None):
        """δᴸ = dC/dzᴸ = aᴸ − y: dC/daᴸ ⊙ σ′(z) with the σ′ cancelled."""
        return np.subtract(a, y, out=out)


COSTS = {c.name: c for c in (QuadraticCost, CrossEntropyCost)}


def get_cost(name):
    """The cost class called ``name`` ('quadratic' or 'cross-entropy')."""
    try:
        return COSTS[name]
    except KeyError:
        raise ConfigError(f"unknown cost {name!r}; accepted: {', '.join(COSTS)}") from None
