"""The backward pass laid open for one example, fact by fact, for the inspector (float64).

:func:`trace` returns every quantity of the derivation for one example, as the one backward pass
(:meth:`Network.backward`) computed them; :func:`apply_step` takes the step ΔW = −η D_W C,
Δb = −η dC/db; :func:`gradient_check` compares backprop with central finite differences;
:func:`saturation` measures how many neurons have σ′(z) below a threshold.
"""

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid_prime_from_a
from .network import one_hot


@dataclass(frozen=True)
class Trace:
    """Forward and backward quantities for one example; lists are indexed by layer l = 0 … L−1.

    ``activations[0]`` is the input (n_0,); ``zs[l]``, ``activations[l+1]``, ``dC_da[l]``,
    ``sigma_prime[l]``, ``dC_dz[l]`` and ``nabla_b[l]`` are (n_{l+1},); ``nabla_w[l]`` is
    (n_{l+1}, n_l); ``dC_da_prev[l]`` = Wᵀ dC/dz is (n_l,).
    """

    label: int
    y: np.ndarray
    zs: list
    activations: list
    dC_da: list
    sigma_prime: list
    dC_dz: list
    nabla_b: list
    nabla_w: list
    dC_da_prev: list
    cost: float


def trace(network, x, label):
    """Every quantity of the derivation for input ``x (n_0,)`` and target digit ``label``.

    The numbers are :meth:`Network.backward`'s, on a float64 copy of ``network``.
    """
    net = network.copy(np.float64)
    y = one_hot([label], net.sizes[-1], np.float64)[0]
    b = net.backward(np.asarray(x, dtype=np.float64), y)
    cost = net.cost.value(b.activations[-1], y, b.zs[-1])
    return Trace(int(label), y, b.zs, b.activations, b.dC_da, b.sigma_prime, b.dC_dz, b.nabla_b,
                 b.nabla_w, b.dC_da_prev, float(cost))


def example_cost(network, x, label):
    """C for one example (float64)."""
    net = network.copy(np.float64)
    zs, acts = net.forward(np.asarray(x, dtype=np.float64))
    y = one_hot([label], net.sizes[-1], np.float64)[0]
    return float(net.cost.value(acts[-1], y, zs[-1]))


def apply_step(network, tr, eta):
    """W ← W − η D_W C and b ← b − η dC/db for the traced example, in place on ``network``."""
    for l in range(len(network.weights)):
        network.weights[l] -= (eta * tr.nabla_w[l]).astype(network.dtype)
        network.biases[l] -= (eta * tr.nabla_b[l]).astype(network.dtype)


def gradient_check(network, x, label, *, eps=1e-5, per_layer=200, gradient=None, rng=0):
    """Largest relative error between backprop and central differences, per layer.

    Returns a list of ``(weights_error, biases_error)``, one per layer. At most ``per_layer`` weights
    and all biases (up to ``per_layer``) of each layer are checked, chosen by ``rng``. ``gradient``
    replaces backprop (``gradient(net64, x, y) -> (nabla_b, nabla_w)``), to show what a wrong one
    looks like.
    """
    net = network.copy(np.float64)
    x = np.asarray(x, dtype=np.float64)
    y = one_hot([label], net.sizes[-1], np.float64)[0]
    nabla_b, nabla_w = (gradient or (lambda n, a, t: n.backprop(a, t)))(net, x, y)
    rng = np.random.default_rng(rng)

    def cost():
        zs, acts = net.forward(x)
        return net.cost.value(acts[-1], y, zs[-1])

    def worst(param, analytic):
        flat, grad = param.reshape(-1), np.asarray(analytic).reshape(-1)
        picks = rng.choice(flat.size, size=min(per_layer, flat.size), replace=False)
        errors = []
        for i in picks:
            old = flat[i]
            flat[i] = old + eps
            up = cost()
            flat[i] = old - eps
            down = cost()
            flat[i] = old
            numeric = (up - down) / (2 * eps)
            errors.append(abs(numeric - grad[i]) / max(abs(numeric) + abs(grad[i]), 1e-8))
        return max(errors)

    return [(worst(net.weights[l], nabla_w[l]), worst(net.biases[l], nabla_b[l]))
            for l in range(len(net.weights))]


def saturation(network, x, threshold=0.01):
    """Share of (example, neuron) pairs with σ′(z) < threshold, per layer, over inputs ``x (m, n_0)``."""
    _, acts = network.forward(x)
    return [float(np.mean(sigmoid_prime_from_a(a) < threshold)) for a in acts[1:]]
