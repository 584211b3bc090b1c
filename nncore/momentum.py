"""Momentum-based gradient descent: the readable step SGD takes when μ > 0 (Nielsen, chapter 3)."""

import numpy as np


class Momentum:
    """Momentum-based gradient descent (Nielsen, chapter 3, "Variations on stochastic gradient descent").

    Each weight and bias has a velocity, ``v_w[l]`` of the shape of ``weights[l]`` ``(n_out, n_in)`` and
    ``v_b[l]`` of ``biases[l]`` ``(n_out,)``, starting at 0; a step is v ← μv − η∇C, w ← w + v. The
    gradient is the readable :meth:`Network.backward`'s, not the fast steps': clarity over speed here.
    """

    def __init__(self, network, mu):
        self.mu = mu
        self.v_w = [np.zeros_like(w) for w in network.weights]
        self.v_b = [np.zeros_like(b) for b in network.biases]

    def step(self, network, x, y, eta, buffers=None, decay=0.0):
        """One step on ``x (m, n_0)`` (or one example ``(n_0,)``) with one-hot ``y (m, n_L)`` (or
        ``(n_L,)``); ``decay`` is L2's λ/n. Returns the summed cost C₀ of the examples before the step.
        ``buffers`` is the fast steps' and unused (the signature is the training loop's)."""
        backward = network.backward(x, y)
        cost = network.cost.value(backward.activations[-1], y, backward.zs[-1])
        for l, (w, b) in enumerate(zip(network.weights, network.biases)):
            nabla_w = backward.nabla_w[l] + decay * w if decay else backward.nabla_w[l]  # L2: + (λ/n) W
            for v, nabla, p in ((self.v_w[l], nabla_w, w), (self.v_b[l], backward.nabla_b[l], b)):
                v *= self.mu          # v ← μv − η∇C
                v -= eta * nabla
                p += v                # w ← w + v
        return cost
