"""A feedforward network of sigmoid neurons and the derivation's backpropagation.

Shapes, stated once: layer l has ``weights[l]`` of shape ``(n_out, n_in)`` and ``biases[l]`` of shape
``(n_out,)``, so that z = W a′ + b reads as in the derivation (a′ is the previous layer's activation).
A batch is a matrix whose **rows** are examples: ``x`` of shape ``(m, n_in)``, and then
z = a′ Wᵀ + b has shape ``(m, n_out)``.
"""

import numpy as np

from .activations import sigmoid, sigmoid_prime_from_a
from .costs import get_cost
from .errors import ConfigError

INITS = ("normal", "scaled")
DTYPES = {"float32": np.float32, "float64": np.float64}
MAX_LAYER_SIZE = 10_000
MAX_PARAMETERS = 20_000_000


def validate_sizes(sizes):
    """Return ``sizes`` as a list of ints, or raise ConfigError saying what is accepted."""
    try:
        sizes = [int(s) for s in sizes]
    except (TypeError, ValueError):
        raise ConfigError(f"layer sizes must be whole numbers, got {sizes!r}") from None
    if len(sizes) < 2:
        raise ConfigError("a network needs at least two layers (input and output), e.g. 784,30,10")
    for s in sizes:
        if not 1 <= s <= MAX_LAYER_SIZE:
            raise ConfigError(f"each layer size must be between 1 and {MAX_LAYER_SIZE:,}, got {s}")
    n_params = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    if n_params > MAX_PARAMETERS:
        raise ConfigError(f"{n_params:,} weights and biases is too many; at most {MAX_PARAMETERS:,}")
    return sizes


class Network:
    """Sigmoid layers ``sizes = [n_0, n_1, ..., n_L]`` trained to lower a cost.

    ``cost`` is 'quadratic' (C = ½‖y − aᴸ‖², the derivation's) or 'cross-entropy'; ``init`` is
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

    @property
    def num_layers(self):
        """Number of layers including the input layer (L + 1 in the derivation's counting)."""
        return len(self.sizes)

    @property
    def num_parameters(self):
        """Total count of weights and biases."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def describe(self):
        """One line for people: '784 → 30 → 10, quadratic cost, normal init'."""
        return f"{' → '.join(map(str, self.sizes))}, {self.cost.name} cost, {self.init} init"

    def copy(self, dtype=None):
        """An independent copy (optionally in another dtype); the original is never shared."""
        dtype = np.dtype(dtype or self.dtype)
        return Network.from_parameters(self.sizes, self.cost, self.init,
                                       [w.astype(dtype, copy=True) for w in self.weights],
                                       [b.astype(dtype, copy=True) for b in self.biases])

    @classmethod
    def from_parameters(cls, sizes, cost, init, weights, biases):
        """A network holding the given arrays as they are (no copy, no check: the caller's job).

        ``cost`` is a cost class; ``weights[l]`` is ``(n_out, n_in)`` and ``biases[l]`` ``(n_out,)``.
        """
        net = object.__new__(cls)
        net.sizes, net.cost, net.init = list(sizes), cost, init
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
        a = np.asarray(x, dtype=self.dtype)
        for w, b in zip(self.weights, self.biases):
            a = sigmoid(a @ w.T + b)  # z = W a′ + b (rows are examples), a = σ(z)
        return a

    def forward(self, x):
        """Every layer's weighted input and activation for ``x (n_in,)`` or ``(m, n_in)``.

        Returns ``(zs, activations)``: ``activations[0]`` is x, ``activations[l]`` and ``zs[l-1]`` have
        shape ``(n_l,)`` or ``(m, n_l)``.
        """
        activation = np.asarray(x, dtype=self.dtype)
        activations, zs = [activation], []
        for w, b in zip(self.weights, self.biases):
            z = activation @ w.T + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        return zs, activations

    # ---- backward ------------------------------------------------------------------------
    def backprop(self, x, y):
        """The gradient of C for one example: ``(nabla_b, nabla_w)``.

        x: ``(n_in,)``; y: one-hot ``(n_out,)``. ``nabla_b[l]`` and ``nabla_w[l]`` have the shapes of
        ``biases[l]`` and ``weights[l]``.
        """
        zs, activations = self.forward(x)
        y = np.asarray(y, dtype=self.dtype)
        nabla_b = [None] * len(self.biases)
        nabla_w = [None] * len(self.weights)
        # Facts 1 and 2 at the output: δᴸ = dC/dzᴸ = (aᴸ − y) ⊙ σ′(zᴸ) (σ′ cancels for cross-entropy).
        delta = self.cost.delta(zs[-1], activations[-1], y)
        for l in range(len(self.weights) - 1, -1, -1):
            nabla_b[l] = delta                               # Fact 3: dC/db = dC/dz
            nabla_w[l] = np.outer(delta, activations[l])     # Fact 5: D_W C = dC/dz ⊗ a′
            if l > 0:
                dC_da_prev = self.weights[l].T @ delta       # Fact 6: dC/da′ = Wᵀ dC/dz
                delta = dC_da_prev * sigmoid_prime_from_a(activations[l])  # Fact 2 one layer down
        return nabla_b, nabla_w

    def backprop_batch(self, x, y):
        """The mean over a batch of the per-example gradients, in one matrix pass.

        x: ``(m, n_in)``; y: one-hot ``(m, n_out)``. Returns ``(nabla_b, nabla_w)`` shaped like
        ``biases`` and ``weights``. Row i of each δ is example i's dC/dz; the sum over rows of
        δᵀ a′ is the sum of the outer products of Fact 5.
        """
        zs, activations = self.forward(x)
        y = np.asarray(y, dtype=self.dtype)
        m = activations[0].shape[0]
        nabla_b = [None] * len(self.biases)
        nabla_w = [None] * len(self.weights)
        delta = self.cost.delta(zs[-1], activations[-1], y)  # Facts 1 and 2, one row per example
        for l in range(len(self.weights) - 1, -1, -1):
            nabla_b[l] = delta.sum(axis=0) / m                # Fact 3, averaged
            nabla_w[l] = delta.T @ activations[l] / m         # Fact 5, averaged
            if l > 0:
                delta = (delta @ self.weights[l]) * sigmoid_prime_from_a(activations[l])  # Facts 6, 2
        return nabla_b, nabla_w

    # ---- cost and accuracy ---------------------------------------------------------------
    def total_cost(self, x, labels, chunk=2000):
        """Mean cost per example over ``x (m, n_in)`` with integer ``labels (m,)``."""
        total, m = 0.0, len(labels)
        for start in range(0, m, chunk):
            zs, acts = self.forward(x[start:start + chunk])
            y = one_hot(labels[start:start + chunk], self.sizes[-1], self.dtype)
            total += self.cost.value(acts[-1], y, zs[-1])
        return total / max(m, 1)

    def predict(self, x, chunk=5000):
        """The digit with the largest output activation for each row of ``x (m, n_in)`` → ``(m,)``."""
        x = np.asarray(x)
        if x.ndim == 1:
            return int(np.argmax(self.feedforward(x)))
        return np.concatenate([np.argmax(self.feedforward(x[s:s + chunk]), axis=1)
                               for s in range(0, len(x), chunk)]) if len(x) else np.zeros(0, int)

    def accuracy(self, x, labels):
        """Fraction of rows of ``x (m, n_in)`` whose prediction equals ``labels (m,)``."""
        return float(np.mean(self.predict(x) == labels)) if len(labels) else 0.0

    def save(self, path):
        """Write this network to ``path`` as ``.npz`` (atomically; see :mod:`nncore.modelfile`)."""
        from .modelfile import save

        save(self, path)


def one_hot(labels, n, dtype=np.float32):
    """Integer ``labels (m,)`` → one-hot ``(m, n)`` rows (ŷ = e_label)."""
    labels = np.asarray(labels)
    y = np.zeros((labels.size, n), dtype=dtype)
    y[np.arange(labels.size), labels] = 1.0
    return y
