"""The sigmoid neuron: σ(z) = 1 / (1 + e^(−z)) and its derivative σ′(z) = σ(z)(1 − σ(z)).

σ is computed as ½(1 + tanh(z/2)), which is the same function but never overflows: no NumPy
warning for any z, finite or infinite.
"""

import numpy as np


def sigmoid(z, out=None):
    """σ(z) elementwise. z: ndarray of any shape; returns an array of the same shape, in [0, 1].

    With ``out`` given (may be ``z`` itself) the result is written there without allocating.
    """
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


def sigmoid_prime(z):
    """σ′(z) = σ(z)(1 − σ(z)). z: ndarray of any shape; returns the same shape, in [0, ¼]."""
    a = sigmoid(np.asarray(z, dtype=np.result_type(z, np.float32)))
    return a * (1.0 - a)


def sigmoid_prime_from_a(a):
    """σ′(z) written through a = σ(z), the form backprop uses: a(1 − a). Same shape as a."""
    return a * (1.0 - a)
