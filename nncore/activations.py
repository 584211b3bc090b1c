"""The sigmoid neuron: σ(z) = 1 / (1 + e^(−z)) and its derivative σ′(z) = σ(z)(1 − σ(z)).

σ is computed as written, in four passes in place: −z, e^(−z), 1 + e^(−z), its reciprocal. Where z is
very negative e^(−z) overflows to infinity and σ(z) = 1/∞ = 0 (the overflow is expected and silenced):
the true value is then below the dtype's smallest normal number (z < −88.7 in float32, −709.8 in
float64), so only subnormal values are lost; elsewhere σ(z) keeps full relative precision. (The training steps use
the equal form ½(1 + tanh(z/2)), fewer calls in float32; see :mod:`nncore.fast.passes`.)
"""

import numpy as np


def sigmoid(z, out=None):
    """σ(z) elementwise. z: ndarray of any shape; returns an array of the same shape, in [0, 1].

    With ``out`` given (may be ``z`` itself) the result is written there without allocating.
    """
    z = np.asarray(z)
    if out is None:
        out = np.empty(z.shape, np.result_type(z.dtype, np.float32))
    with np.errstate(over="ignore"):
        np.negative(z, out=out, dtype=out.dtype)   # in out's float dtype (an unsigned −z would wrap)
        np.exp(out, out=out)                     # e^(−z): ∞ where z < about −88 (float32), −709 (float64)
    np.add(out, 1.0, out=out)
    np.divide(1.0, out, out=out)                 # 1/(1 + e^(−z)); 1/∞ = 0
    return out


def sigmoid_prime(z):
    """σ′(z) = σ(z)(1 − σ(z)). z: ndarray of any shape; returns the same shape, in [0, ¼]."""
    a = sigmoid(np.asarray(z, dtype=np.result_type(z, np.float32)))
    return a * (1.0 - a)


def sigmoid_prime_from_a(a):
    """σ′(z) written through a = σ(z), the form backprop uses: a(1 − a). Same shape as a."""
    return a * (1.0 - a)
