"""A feedforward network of sigmoid neurons and the derivation's backpropagation.

Shapes, stated once: layer l has ``weights[l]`` of shape ``(n_out, n_in)`` and ``biases[l]`` of shape
``(n_out,)``, so that z = W a′ + b reads as in the derivation (a′ is the previous layer's activation).
A batch is a matrix whose **rows** are examples: ``x`` of shape ``(m, n_in)``, and then
z = a′ Wᵀ + b has shape ``(m, n_out)``.

:meth:`Network.backward` is the one readable backward pass (the inspector's trace is its record; the
fast training step in :mod:`nncore.fast` is checked against it); :meth:`Network.predict` and
:meth:`Network.accuracy` go through :func:`nncore.evaluation.evaluate`. Saving is
:func:`nncore.modelfile.save`.
"""

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid, sigmoid_prime_from_a
from .costs import get_cost
from .errors import ConfigError
from .evaluation import evaluate
from .limits import HIDDEN_LAYERS, LAYER_SIZE, PARAMETERS

INITS = ("normal", "scaled")


def sizes_text(sizes):
    """'784 → 30 → 10' for people; a size that is not known yet shows as '?'."""
    return " → ".join("?" if s is None else str(s) for s in sizes)


def count_parameters(sizes):
    """Weights and biases of a network of layer ``sizes``: Σ (n_in · n_out + n_out)."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def validate_sizes(sizes):
    """Return ``sizes`` as a list of ints, or raise ConfigError saying what is accepted.

    The bounds are :mod:`nncore.limits`': LAYER_SIZE neurons in each layer, HIDDEN_LAYERS layers
    between the input and the output, PARAMETERS weights and biases in all.
    """
    try:
        sizes = [int(s) for s in sizes]
    except (TypeError, ValueError):
        raise ConfigError(f"layer sizes must be whole numbers, got {sizes!r}") from None
    if len(sizes) - 2 not in HIDDEN_LAYERS:
        raise ConfigError(f"a network has an input layer, {HIDDEN_LAYERS.text()} hidden layers and an "
                          f"output layer (e.g. 784,30,10), got {len(sizes)} layers")
    for s in sizes:
        if s not in LAYER_SIZE:
            raise ConfigError(f"each layer size must be a whole number from {LAYER_SIZE.text()}, got {s}")
    n_params = count_parameters(sizes)
    if n_params not in PARAMETERS:
        raise ConfigError(f"{n_params:,} weights and biases is too many; a network may have "
                          f"{PARAMETERS.text()} of them")
    return sizes


class Network:
    """Sigmoid layers ``sizes = [n_0, n_1, ..., n_L]`` trained to lower a cost.

    ``cost`` is 'quadratic' (C = ½‖y − aᴸ‖², the derivation's), 'cross-entropy' or 'log-likelihood'
    (whose output layer is a softmax: the cost declares it, ``cost.output``); ``init`` is
    'normal' (weights and biases N(0, 1), as the book's chapter 1) or 'scaled' (weights N(0, 1/n_in),
    biases N(0, 1)). ``rng`` is a ``numpy.random.Generator`` (or a seed); ``dtype`` is float32 (the
    default for training) or float64 (for gradient checks).
    """

    def __init__(self, sizes, *, cost="quadratic", init="normal", rng=None, dtype=np.float32):
        self.sizes = validate_sizes(sizes)
        self.cost = get_cost(cost)
        if init not in INITS:
            raise ConfigError(f"unknown initialisation {init!r}; accepted: {', '.join(INITS)}")
        self.init = init
        self.data_shape = None   # the DataShape of the data it was made for, once known (saved with it)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ConfigError(f"dtype must be float32 or float64, got {self.dtype}")
        rng = np.random.default_rng(rng)
        # Drawn in float64 and then cast, so float32 and float64 networks from one seed agree.
        self.biases = [rng.standard_normal(n).astype(self.dtype) for n in self.sizes[1:]]
        self.weights = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            w = rng.standard_normal((n_out, n_in))
            if init == "scaled":
                w /= np.sqrt(n_in)
            self.weights.append(w.astype(self.dtype))

    def describe(self):
        """One line for people: '784 → 30 → 10, quadratic cost, normal init'."""
        return f"{sizes_text(self.sizes)}, {self.cost.name} cost, {self.init} init"

    def copy(self, dtype=None):
        """An independent copy (optionally in another dtype); the original is never shared."""
        dtype = np.dtype(dtype or self.dtype)
        net = Network.from_parameters(self.sizes, self.cost, self.init,
                                      [w.astype(dtype, copy=True) for w in self.weights],
                                      [b.astype(dtype, copy=True) for b in self.biases])
        net.data_shape = getattr(self, "data_shape", None)
        return net

    @classmethod
    def from_parameters(cls, sizes, cost, init, weights, biases):
        """A network holding the given arrays as they are (no copy, no check: the caller's job).

        ``cost`` is a cost class; ``weights[l]`` is ``(n_out, n_in)`` and ``biases[l]`` ``(n_out,)``.
        """
        net = object.__new__(cls)
        net.sizes, net.cost, net.init = list(sizes), cost, init
        net.data_shape = None
        net.dtype = weights[0].dtype
        net.weights, net.biases = list(weights), list(biases)
        return net

    def set_parameters(self, weights, biases):
        """Copy ``weights`` and ``biases`` (shapes as this network's) into this network in place."""
        for w, w_new, b, b_new in zip(self.weights, weights, self.biases, biases):
            np.copyto(w, w_new)
            np.copyto(b, b_new)

    def is_finite(self):
        """True when no weight or bias is NaN or infinite."""
        return all(np.isfinite(w).all() and np.isfinite(b).all()
                   for w, b in zip(self.weights, self.biases))

    # ---- forward -------------------------------------------------------------------------
    def feedforward(self, x):
        """aᴸ for one example ``x (n_in,)`` → ``(n_out,)`` or a batch ``(m, n_in)`` → ``(m, n_out)``."""
        return self.forward(x)[1][-1]

    def forward(self, x):
        """Every layer's weighted input and activation for ``x (n_in,)`` or ``(m, n_in)``.

        Returns ``(zs, activations)``: ``activations[0]`` is x, ``activations[l]`` and ``zs[l-1]`` have
        shape ``(n_l,)`` or ``(m, n_l)``.
        """
        activation = np.asarray(x, dtype=self.dtype)
        activations, zs = [activation], []
        last = len(self.weights) - 1
        for l, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = activation @ w.T + b                  # z = W a′ + b (rows are examples)
            zs.append(z)
            # a = σ(z); the output layer's activation is the one its cost declares (softmax or σ)
            activation = self.cost.activate(z) if l == last else sigmoid(z)
            activations.append(activation)
        return zs, activations

    # ---- backward ------------------------------------------------------------------------
    def backprop(self, x, y, *, l2=0.0, n=None):
        """The gradient of C: ``(nabla_b, nabla_w)``, shaped like ``biases`` and ``weights``.

        x: one example ``(n_0,)`` or a batch ``(m, n_0)`` whose rows are examples; y: one-hot
        ``(n_L,)`` or ``(m, n_L)``. For a batch the gradient is the mean over its examples. ``l2`` and
        ``n`` as in :meth:`backward`.
        """
        backward = self.backward(x, y, l2=l2, n=n)
        return backward.nabla_b, backward.nabla_w

    def backward(self, x, y, *, l2=0.0, n=None, biases_only=False):
        """The derivation's backward pass, Facts 1–6, from the output layer down to the first.

        x, y as in :meth:`backprop`. With ``l2`` = λ > 0 the cost is C = C₀ + λ/(2n) Σ w² over the
        weights (not the biases), ``n`` the training-set size, and nabla_w gains (λ/n) W. Returns a
        :class:`Backward` holding the gradient and every intermediate of every layer (dC/da, σ′(z),
        dC/dz, Wᵀ dC/dz), which the inspector shows; at a softmax output σ′ is the diagonal of its
        Jacobian, a(1 − a), and δᴸ comes from the cost, not from Fact 2.

        ``biases_only``: stop at what ∂C/∂b needs (the learning speed): Fact 5 is skipped (nabla_w is
        None per layer) and so is Fact 6 below the first layer (the first layer's ``dC_da_prev``, dC/dx,
        is None). Everything computed is the same, bit for bit.
        """
        one = np.ndim(x) == 1
        zs, activations = self.forward(np.atleast_2d(x))       # rows are examples
        y = np.atleast_2d(np.asarray(y, dtype=self.dtype))
        m, n_layers = len(y), len(self.weights)
        nabla_b, nabla_w, dC_das, sigma_primes, deltas, dC_da_prevs = ([None] * n_layers for _ in range(6))
        dC_da = self.cost.dC_da(activations[-1], y)                  # Fact 1: dC/daᴸ
        delta = self.cost.delta(zs[-1], activations[-1], y)          # Facts 1, 2: δᴸ (σ′ may cancel)
        for l in range(n_layers - 1, -1, -1):
            sigma_prime = sigmoid_prime_from_a(activations[l + 1])   # σ′(z) = a(1 − a)
            if l < n_layers - 1:
                delta = dC_da * sigma_prime               # Fact 2: dC/dz = dC/da ⊙ σ′(z)
            nabla_b[l] = delta.sum(axis=0) / m            # Fact 3: dC/db = dC/dz (mean over rows)
            dC_das[l], sigma_primes[l], deltas[l] = dC_da, sigma_prime, delta
            if biases_only and l == 0:
                break
            if not biases_only:
                nabla_w[l] = delta.T @ activations[l] / m     # Fact 5: D_W C = dC/dz ⊗ a′ (mean over rows)
            dC_da = dC_da_prevs[l] = delta @ self.weights[l]   # Fact 6: dC/da′ = Wᵀ dC/dz (rows)
        if l2 and not biases_only:   # L2: ∂/∂W of λ/(2n) Σ w² is (λ/n) W, so a step is W ← (1 − ηλ/n) W − η ∇C₀
            nabla_w = [g + (l2 / n) * w for g, w in zip(nabla_w, self.weights)]
        per_example = [zs, activations, dC_das, sigma_primes, deltas, dC_da_prevs]
        if one:   # one example in, 1-D vectors out
            per_example = [[None if v is None else v[0] for v in values] for values in per_example]
        zs, activations, dC_das, sigma_primes, deltas, dC_da_prevs = per_example
        return Backward(zs, activations, nabla_b, nabla_w, dC_das, sigma_primes, deltas, dC_da_prevs)

    # ---- evaluation ----------------------------------------------------------------------
    def predict(self, x):
        """The digit with the largest output activation for each row of ``x (m, n_0)`` → ``(m,)`` int64.

        Always a batch: for one example pass ``x[None, :]`` and take ``[0]``.
        """
        return evaluate(self, x, predictions=True).predictions

    def accuracy(self, x, labels):
        """Fraction (0–1) of rows of ``x (m, n_0)`` whose prediction equals ``labels (m,)``."""
        return evaluate(self, x, labels).accuracy


@dataclass(frozen=True)
class Backward:
    """What one backward pass computed; lists are indexed by layer l = 0 … L−1 (L = len(weights)).

    For one example: ``activations[0]`` is x ``(n_0,)``; ``zs[l]``, ``activations[l+1]``, ``dC_dz[l]``
    (= δ), ``dC_da[l]`` and ``sigma_prime[l]`` are ``(n_{l+1},)``; ``dC_da_prev[l]`` = Wᵀ dC/dz is
    ``(n_l,)``. For a batch each of these has a leading axis of m rows. ``nabla_b[l]`` and
    ``nabla_w[l]`` have the shapes of ``biases[l]`` and ``weights[l]`` (the mean over a batch).
    """

    zs: list
    activations: list
    nabla_b: list
    nabla_w: list
    dC_da: list
    sigma_prime: list
    dC_dz: list
    dC_da_prev: list


def one_hot(labels, n, dtype=np.float32):
    """Integer ``labels (m,)`` → one-hot ``(m, n)`` rows (ŷ = e_label)."""
    labels = np.asarray(labels)
    y = np.zeros((labels.size, n), dtype=dtype)
    y[np.arange(labels.size), labels] = 1.0
    return y
