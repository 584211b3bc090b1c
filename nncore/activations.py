"""The sigmoid neuron: σ(z) = 1 / (1 + e^(−z)) and its derivative σ′(z) = σ(z)(1 − σ(z)).

σ is computed from e = e^(−|z|), which lies in (0, 1] and so never overflows: 1/(1 + e) for z ≥ 0
and e/(1 + e) for z < 0. No NumPy warning for any z, and full relative precision even where σ(z)
is tiny. (The training loop uses the equal form ½(1 + tanh(z/2)), fewer calls in float32.)
"""

import numpy as np


def sigmoid(z, out=None):
    """σ(z) elementwise. z: ndarray of any shape; returns an array of the same shape, in [0, 1].

    With ``out`` given (may be ``z`` itself) the result is written there without allocating.
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    negative = z < 0
    out = np.divide(1.0, 1.0 + e, out=out)
    np.multiply(out, e, out=out, where=negative)
    return out


def sigmoid_prime(z):
    """σ′(z) = σ(z)(1 − σ(z)). z: ndarray of any shape; returns the same shape, in [0, ¼]."""
    a = sigmoid(np.asarray(z, dtype=np.result_type(z, np.float32)))
    return a * (1.0 - a)


def sigmoid_prime_from_a(a):
    """σ′(z) written through a = σ(z), the form backprop uses: a(1 − a). Same shape as a."""
    return a * (1.0 - a)
