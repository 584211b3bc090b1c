"""What the network diagram shows, as numbers: which neurons and edges, and what each one holds.

Qt-free (NumPy only). The diagram draws every neuron of a layer up to ``MAX_DRAWN`` wide and the
strongest ``FOLDED_KEEP`` of a wider one; of each layer's edges it draws the strongest few.
Every number here is read from a :class:`nncore.inspection.Trace` (the one backward pass,
:meth:`Network.backward`) or from the network's own arrays; what is added is only the breakdown a
reader asks for: the terms wᵢⱼ a′ⱼ that sum to z, the terms wⱼᵢ δⱼ that sum to dC/da′.

Layers are numbered as in the derivation, l = 1 … L; ``weights[l - 1]`` is Wˡ, shape (n_l, n_{l-1}).
"""

from dataclasses import dataclass

import numpy as np

from .network import one_hot

MAX_DRAWN = 128     # a layer this wide or narrower is drawn neuron by neuron
FOLDED_KEEP = 64    # of a wider layer, this many of the strongest neurons are drawn
EDGE_KINDS = ("weight", "forward", "backward", "gradient", "update")


# ---- what to draw ---------------------------------------------------------------------------
def shown_neurons(n, strength=None, *, max_drawn=MAX_DRAWN, keep=FOLDED_KEEP):
    """Indices (k,) ascending of the neurons of an ``n``-wide layer to draw.

    All of them when ``n ≤ max_drawn``; else the ``keep`` with the largest |strength| (an array
    (n,), e.g. the activations or the weight norms; the first ``keep`` when None).
    """
    if n <= max_drawn:
        return np.arange(n)
    if strength is None:
        return np.arange(keep)
    top = np.argpartition(-np.abs(np.asarray(strength)), keep - 1)[:keep]
    return np.sort(top)


def strongest_edges(values, rows, cols, k):
    """The ``k`` largest |values| of the sub-matrix ``values[rows][:, cols]``.

    values: (n_out, n_in); rows (r,) and cols (c,) index arrays. Returns ``(ri, ci)``, two int
    arrays (≤ k,) of positions *in rows and cols* (so ``rows[ri]``, ``cols[ci]`` are the neurons),
    strongest first. Ties and order beyond the k-th are not defined.
    """
    sub = np.abs(np.asarray(values)[np.ix_(rows, cols)]).ravel()
    k = min(int(k), sub.size)
    if k <= 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    top = np.argpartition(-sub, k - 1)[:k] if k < sub.size else np.arange(sub.size)
    top = top[np.argsort(-sub[top], kind="stable")]
    return np.divmod(top, len(cols))


def node_positions(count, folded=False):
    """Vertical positions (count,) in (0, 1) of a column's nodes, evenly spread and centred.

    When ``folded`` one more slot is kept free at the bottom for the "+N more" note.
    """
    slots = count + (1 if folded else 0)
    return (np.arange(count) + 0.5) / max(slots, 1)


def pixel_positions(side=28):
    """Where each input pixel sits in its image: (side², 2) of (x, y) in (0, 1), row by row."""
    i = np.arange(side * side)
    return np.stack([(i % side + 0.5) / side, (i // side + 0.5) / side], axis=1)


# ---- what each edge holds, for one step of the animation ------------------------------------
def edge_values(network, tr, kind, layer, eta=None):
    """Per-edge numbers of layer ``layer`` (1 … L), shape (n_l, n_{l-1}), float64.

    'weight': Wˡ. 'forward': the terms wⱼᵢ a′ᵢ of z = W a′ + b (row j sums to zⱼ − bⱼ).
    'backward': the terms wⱼᵢ δⱼ of Fact 6, dC/da′ = Wᵀ δ (column i sums to dC/da′ᵢ).
    'gradient': Fact 5, ∂C/∂wⱼᵢ = δⱼ a′ᵢ, the trace's ``nabla_w``. 'update': −η ∂C/∂w.
    """
    W = np.asarray(network.weights[layer - 1], dtype=np.float64)
    if kind == "weight":
        return W
    if kind == "forward":
        return W * tr.activations[layer - 1][None, :]
    if kind == "backward":
        return W * tr.dC_dz[layer - 1][:, None]
    if kind == "gradient":
        return tr.nabla_w[layer - 1]
    if kind == "update":
        return -eta * tr.nabla_w[layer - 1]
    raise ValueError(f"unknown edge kind {kind!r}; accepted: {', '.join(EDGE_KINDS)}")


# ---- the numbers of one neuron and one edge -------------------------------------------------
@dataclass(frozen=True)
class NeuronNumbers:
    """One neuron j of layer l (1-based) for the traced example.

    ``terms`` lists the largest terms of z = Σᵢ wⱼᵢ a′ᵢ + bⱼ as (i, wⱼᵢ, a′ᵢ, wⱼᵢ a′ᵢ), largest
    |term| first; ``rest`` is the sum of the others, so Σ terms + rest + bias = z.
    """

    layer: int
    neuron: int
    z: float
    a: float
    sigma_prime: float
    dC_da: float
    delta: float
    nabla_b: float
    bias: float
    terms: tuple
    rest: float
    n_inputs: int


def neuron_numbers(network, tr, layer, j, top=6):
    """The :class:`NeuronNumbers` of neuron ``j`` of layer ``layer`` (1 … L) in trace ``tr``."""
    l = layer - 1
    w = np.asarray(network.weights[l][j], dtype=np.float64)
    a_prev = tr.activations[l]
    products = w * a_prev
    order = np.argsort(-np.abs(products), kind="stable")
    shown = order[:top]
    terms = tuple((int(i), float(w[i]), float(a_prev[i]), float(products[i])) for i in shown)
    return NeuronNumbers(layer, int(j), float(tr.zs[l][j]), float(tr.activations[layer][j]),
                         float(tr.sigma_prime[l][j]), float(tr.dC_da[l][j]), float(tr.dC_dz[l][j]),
                         float(tr.nabla_b[l][j]), float(network.biases[l][j]), terms,
                         float(products[order[top:]].sum()), int(w.size))


@dataclass(frozen=True)
class EdgeNumbers:
    """The weight wⱼᵢ from neuron i of layer l−1 to neuron j of layer l, for the traced example."""

    layer: int
    neuron: int
    source: int
    w: float
    a_prev: float
    delta: float
    nabla_w: float
    eta: float
    step: float

    @property
    def w_after(self):
        """The weight after the step, w − η ∂C/∂w."""
        return self.w + self.step


def edge_numbers(network, tr, layer, j, i, eta):
    """The :class:`EdgeNumbers` of wⱼᵢ in layer ``layer`` (1 … L); the step is −η ∂C/∂w (Fact 5)."""
    l = layer - 1
    nabla_w = float(tr.nabla_w[l][j, i])
    return EdgeNumbers(layer, int(j), int(i), float(network.weights[l][j, i]), float(tr.activations[l][i]),
                       float(tr.dC_dz[l][j]), nabla_w, float(eta), -float(eta) * nabla_w)


# ---- the gradient is a slope ----------------------------------------------------------------
@dataclass(frozen=True)
class WeightSlice:
    """The example's cost along one weight: ``costs[k]`` = C with wⱼᵢ = ``values[k]`` (both (k,)).

    ``w0`` and ``cost0`` are where the network is; ``slope`` is backprop's ∂C/∂w there.
    """

    layer: int
    neuron: int
    source: int
    values: np.ndarray
    costs: np.ndarray
    w0: float
    cost0: float
    slope: float

    def tangent(self, w):
        """The tangent line at w0, evaluated at ``w`` (scalar or array)."""
        return self.cost0 + self.slope * (np.asarray(w) - self.w0)


def costs_along_weight(network, x, label, layer, j, i, values):
    """C of example ``x (n_0,)``/``label`` with wⱼᵢ of layer ``layer`` set to each of ``values (k,)``.

    Computed by running the network forward on a float64 copy, one value at a time (no derivative is
    used, so the curve checks backprop independently). Returns (k,) float64.
    """
    net = network.copy(np.float64)
    x = np.asarray(x, dtype=np.float64)
    y = one_hot([label], net.sizes[-1], np.float64)[0]
    W = net.weights[layer - 1]
    costs = np.empty(len(values))
    for k, v in enumerate(values):
        W[j, i] = v
        zs, acts = net.forward(x)
        costs[k] = net.cost.value(acts[-1], y, zs[-1])
    return costs


def weight_slice(network, tr, x, layer, j, i, *, span=None, points=81):
    """C along wⱼᵢ over w0 ± ``span`` (default max(1, 2|w0|)) with the slope backprop gives (trace ``tr``)."""
    w0 = float(np.float64(network.weights[layer - 1][j, i]))
    span = float(span if span is not None else max(1.0, 2.0 * abs(w0)))
    values = np.linspace(w0 - span, w0 + span, points)
    values[points // 2] = w0     # exactly the current value in the middle
    costs = costs_along_weight(network, x, tr.label, layer, j, i, values)
    return WeightSlice(layer, int(j), int(i), values, costs, w0, tr.cost, float(tr.nabla_w[layer - 1][j, i]))


# ---- the neuron lab -------------------------------------------------------------------------
def edited_network(network, off=(), biases=None):
    """A copy of ``network`` with hidden neurons switched off and biases replaced.

    ``off``: pairs (layer, j) of hidden neurons (layer 1 … L−1); the next layer then reads aⱼ as 0
    (column j of Wˡ⁺¹ set to 0). ``biases``: {(layer, j): b} for any layer. The original is untouched.
    """
    net = network.copy()
    last = len(net.weights)
    for layer, j in off:
        if not 1 <= layer < last:
            raise ValueError(f"only hidden neurons can be switched off (layers 1 to {last - 1}), got layer {layer}")
        net.weights[layer][:, j] = 0
    for (layer, j), b in (biases or {}).items():
        net.biases[layer - 1][j] = b
    return net


# ---- a map of a hidden layer ----------------------------------------------------------------
def pca_2d(activations, previous=None):
    """The rows of ``activations (m, n)`` projected on their first two principal components.

    Returns ``(points (m, 2), components (2, n), explained (2,))``: the centred rows times the
    components, the unit component vectors, and the share of the variance each explains. With
    ``previous`` components (2, n) given, each sign is chosen to agree with them, so a map that
    follows training does not flip. A layer of one neuron gives a zero second coordinate.
    """
    a = np.asarray(activations, dtype=np.float64)
    centred = a - a.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    components = np.zeros((2, a.shape[1]))
    components[:min(2, len(vt))] = vt[:2]
    if previous is not None:
        signs = np.where(np.sum(components * previous, axis=1) < 0, -1.0, 1.0)
        components *= signs[:, None]
    variance = s ** 2
    explained = np.zeros(2)
    explained[:min(2, len(s))] = variance[:2] / max(variance.sum(), 1e-300)
    return centred @ components.T, components, explained
