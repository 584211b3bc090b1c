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

A cost also *declares* the activation of the output layer it goes with, ``output``: 'sigmoid' (the
default, every layer alike) or 'softmax' (the log-likelihood cost). :meth:`Cost.activate` applies it;
``Network.forward`` and the fast step call it, so nothing outside this module tests a cost's name.
"""

import numpy as np

from .activations import sigmoid, sigmoid_prime_from_a
from .errors import ConfigError

Z_CLIP = 1e6   # |z| beyond this changes no cost or softmax that matters, and keeps z − max(z) finite


def softmax(z, out=None):
    """aⱼ = e^(zⱼ) / Σₖ e^(zₖ) over the last axis. z: ``(n,)`` or ``(m, n)``; returns the same shape.

    Numerically stable: e^(z − max z), so nothing overflows. With ``out`` (may be ``z``) no allocation.
    """
    out = np.clip(z, -Z_CLIP, Z_CLIP, out=out)
    np.subtract(out, np.max(out, axis=-1, keepdims=True), out=out)
    np.exp(out, out=out)
    return np.divide(out, np.sum(out, axis=-1, keepdims=True), out=out)


def log_softmax(z):
    """ln softmax(z) = z − max z − ln Σ e^(z − max z), finite for any finite z. Shapes as :func:`softmax`."""
    z = np.clip(np.asarray(z, dtype=np.float64), -Z_CLIP, Z_CLIP)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


OUTPUT_ACTIVATIONS = {"sigmoid": sigmoid, "softmax": softmax}


class Cost:
    """The interface of a cost; subclasses set ``name`` and write ``value`` and ``dC_da``."""

    name = None
    sigma_prime_cancels = False   # True when δᴸ simplifies so that σ′(zᴸ) drops out
    dC_da_formula = "dC/daᴸ"      # for people (the inspector's title): what dC_da computes
    output = "sigmoid"            # the output layer's activation: a key of OUTPUT_ACTIVATIONS

    @classmethod
    def activate(cls, z, out=None):
        """aᴸ from zᴸ with the declared output activation; z ``(n_out,)`` or ``(m, n_out)``, same shape out."""
        return OUTPUT_ACTIVATIONS[cls.output](z, out=out)

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

        ln σ(z) = −log(1 + e^(−z)) and ln(1 − σ(z)) = −log(1 + e^(z)), and log(1 + e^(−z)) =
        log(1 + e^(z)) − z, so C = Σ [log(1 + e^(z)) − y z]: one logaddexp pass instead of two, in
        float64. z is clipped to ±1e6 (a cost of a million per neuron already means "completely
        wrong") so that the sum stays finite.
        """
        z = np.clip(np.asarray(z, dtype=np.float64), -1e6, 1e6)
        yz = np.vdot(np.asarray(y, dtype=np.float64), z)       # Σ y z
        return float(np.add.reduce(np.logaddexp(0.0, z, out=z), axis=None) - yz)

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


class LogLikelihoodCost(Cost):
    """C = −ln aᴸ_y with a softmax output layer aᴸ = softmax(zᴸ); δᴸ = aᴸ − y (no σ′, no slow-down)."""

    name = "log-likelihood"
    output = "softmax"
    sigma_prime_cancels = True    # the output is not a sigmoid: δᴸ is written directly, no Fact 2
    dC_da_formula = "dC/daᴸ = −y / aᴸ, and with the softmax δᴸ = aᴸ − y"

    @staticmethod
    def value(a, y, z):
        """Σ over the batch of −Σⱼ yⱼ ln softmax(z)ⱼ, from z (stable, finite even where aᴸ_y = 0)."""
        return float(-np.sum(y * log_softmax(z)))

    @staticmethod
    def dC_da(a, y, out=None):
        """dC/daᴸ = −y / aᴸ (shown by the inspector; aᴸ = 0 is replaced by the dtype's tiny)."""
        tiny = np.finfo(np.result_type(a, np.float32)).tiny
        out = np.divide(y, np.maximum(a, tiny), out=out)
        return np.negative(out, out=out)

    @classmethod
    def delta(cls, z, a, y, out=None):
        """δᴸ = dC/dzᴸ = aᴸ − y, with aᴸ the softmax of zᴸ (the softmax's Jacobian times −y/aᴸ)."""
        return np.subtract(a, y, out=out)


COSTS = {c.name: c for c in (QuadraticCost, CrossEntropyCost, LogLikelihoodCost)}


def get_cost(name):
    """The cost class called ``name`` (a key of :data:`COSTS`)."""
    try:
        return COSTS[name]
    except KeyError:
        raise ConfigError(f"unknown cost {name!r}; accepted: {', '.join(COSTS)}") from None
