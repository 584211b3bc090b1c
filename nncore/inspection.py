"""The backward pass laid open for one example, fact by fact, for the inspector (float64).

:func:`trace` returns every quantity of the derivation for one example, as the one backward pass
(:meth:`Network.backward`) computed them; :func:`apply_step` takes the step ΔW = −η D_W C,
Δb = −η dC/db; :func:`gradient_check` compares backprop with central finite differences;
:func:`saturation` measures how many neurons have σ′(z) below a threshold.
"""

from dataclasses import dataclass

import numpy as np

from .evaluation import saturation  # noqa: F401  (the measure's home; inspected here)
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


AGREES, CLOSE = 1e-6, 1e-3   # whole-gradient relative error: below AGREES backprop is right


@dataclass(frozen=True)
class LayerCheck:
    """Backprop against central differences for one layer (``layer`` = l, 1-based).

    ``weights_error`` and ``biases_error`` are the relative error of the whole checked gradient,
    ‖g − g_fd‖ / (‖g‖ + ‖g_fd‖): small wherever backprop is right, even where single entries are
    nearly zero (where an element-wise ratio is dominated by rounding). ``worst`` lists the entries with
    the largest |g − g_fd| as ``(name, index, backprop, numeric)``, name 'w' or 'b'.
    """

    layer: int
    weights_error: float
    biases_error: float
    worst: tuple

    @property
    def error(self):
        """The larger of the two relative errors."""
        return max(self.weights_error, self.biases_error)

    def verdict(self):
        """One line for a student: whether backprop agrees with finite differences."""
        e = self.error
        if e < AGREES:
            return f"agrees to {e:.0e}: backprop is right"
        if e < CLOSE:
            return f"close ({e:.1e}): rounding in the finite differences, or a subtle error"
        return f"disagrees ({e:.1e}): this gradient is wrong"


class CheckCancelled(Exception):
    """The gradient check was cancelled before it finished."""


def gradient_check(network, x, label, *, eps=1e-5, per_layer=200, gradient=None, rng=0, task=None):
    """Backprop's gradient for one example against central finite differences, layer by layer.

    x: ``(n_0,)``; ``label``: the target digit. Returns a list of :class:`LayerCheck`, one per layer.
    At most ``per_layer`` weights and ``per_layer`` biases of each layer are checked, chosen by
    ``rng``; each needs two forward passes in float64. ``gradient`` replaces backprop
    (``gradient(net64, x, y) -> (nabla_b, nabla_w)``), to show what a wrong one looks like. ``task``
    (optional, with ``progress(done, total)`` and ``cancelled()``) reports progress and may cancel
    (raises :class:`CheckCancelled`).
    """
    net = network.copy(np.float64)
    x = np.asarray(x, dtype=np.float64)
    y = one_hot([label], net.sizes[-1], np.float64)[0]
    nabla_b, nabla_w = (gradient or (lambda n, a, t: n.backprop(a, t)))(net, x, y)
    rng = np.random.default_rng(rng)
    params = [(p, g, name, l) for l in range(len(net.weights))
              for p, g, name in ((net.weights[l], nabla_w[l], "w"), (net.biases[l], nabla_b[l], "b"))]
    picks = [rng.choice(p.size, size=min(per_layer, p.size), replace=False) for p, *_ in params]
    total, done = sum(len(k) for k in picks), 0

    def cost():
        zs, acts = net.forward(x)
        return net.cost.value(acts[-1], y, zs[-1])

    results = []
    for (param, analytic, name, l), chosen in zip(params, picks):
        flat, grad = param.reshape(-1), np.asarray(analytic, dtype=np.float64).reshape(-1)
        numeric = np.empty(len(chosen))
        for k, i in enumerate(chosen):
            old = flat[i]
            flat[i] = old + eps
            up = cost()
            flat[i] = old - eps
            down = cost()
            flat[i] = old
            numeric[k] = (up - down) / (2 * eps)
            done += 1
            if task is not None and done % 50 == 0:
                if task.cancelled():
                    raise CheckCancelled("the gradient check was cancelled")
                task.progress(done, total)
        g = grad[chosen]
        error = float(np.linalg.norm(g - numeric) / max(np.linalg.norm(g) + np.linalg.norm(numeric), 1e-300))
        order = np.argsort(-np.abs(g - numeric))[:3]
        results.append((l, name, error, tuple((name, int(chosen[k]), float(g[k]), float(numeric[k]))
                                              for k in order)))
    return [LayerCheck(l + 1, w[2], b[2], w[3] + b[3]) for l, (w, b) in
            enumerate(zip(results[0::2], results[1::2]))]
