"""Backpropagation carried to the pixels: dC/dx, nudging an input toward a digit, and dreams.

The derivation stops at the first layer's weights, but Fact 6 does not: at layer 1 it gives
dC/da⁰ = W¹ᵀ δ¹, and a⁰ is the input x. :meth:`Network.backward` already computes it (its
``dC_da_prev[0]``); everything here is that one vector, put to three uses:

- :func:`input_gradient`: dC/dx itself, which pixels argue for the target and which against;
- :func:`toward` / :func:`toward_steps`: gradient steps on the pixels until the network reads a target;
- :func:`dream` / :func:`dream_neuron`: gradient ascent from noise to the input a digit's output (or
  one hidden neuron) responds to most, under a prior that keeps the image small and smooth.

Shapes as in :mod:`nncore.network`: one example ``x (n_0,)``, or a batch ``x (m, n_0)`` whose rows are
examples. Everything is computed in float64 on a copy; the network passed in is never changed.
"""

from collections import deque
from dataclasses import dataclass

import numpy as np

from .activations import sigmoid_prime_from_a
from .costs import Cost
from .limits import IMAGE_SHAPE
from .network import Network, one_hot


def input_gradient(network, x, labels):
    """dC/dx for the target ``labels``: C is ``network.cost`` for the one-hot ŷ = e_label.

    x: one example ``(n_0,)`` with an int label, or a batch ``(m, n_0)`` with labels ``(m,)``.
    Returns float64 of the shape of ``x``: one gradient per example (a batch's rows are not averaged).
    """
    net = network.copy(np.float64)
    x = _inputs(net, x)
    return _dC_dx(net, x, _targets(net, labels, x, "labels"))


def _dC_dx(net, x, y):
    """dC/dx from the one backward pass. net: float64; x ``(n_0,)`` or ``(m, n_0)``; y one-hot like aᴸ.

    ``backward`` averages only nabla_b and nabla_w over a batch; its dC/da rows are per example and
    unscaled (δ = the cost's output error row by row, then Fact 6 row by row), so they are dC/dx as is.
    """
    return net.backward(x, y).dC_da_prev[0]   # Fact 6 at layer 1: dC/da⁰ = W¹ᵀ δ¹, and a⁰ = x


# ---- toward: make the network read another digit ---------------------------------------------
@dataclass(frozen=True)
class NudgeStep:
    """One step of :func:`toward_steps`; arrays are float64 and read-only.

    ``x``: the input now, the shape of the input given, in [0, 1]. ``outputs``: aᴸ for it, ``(n_L,)``
    or ``(m, n_L)``. ``steps``: gradient steps taken so far (int, or ``(m,)`` for a batch: a row
    stops moving once it is read as its target). ``reached``: whether the network reads the target
    now (bool, or ``(m,)``).
    """

    step: int
    x: np.ndarray
    outputs: np.ndarray
    steps: int | np.ndarray
    reached: bool | np.ndarray


def toward_steps(network, x, target, *, max_steps=200, step_size=0.1):
    """Yield a :class:`NudgeStep` before the first step and after each step that moves ``x`` toward ``target``.

    Each step is x ← clip(x − step_size · g/‖g‖, 0, 1), with g = dC/dx for the target (Fact 6 at
    layer 1) and its components that push a pixel past 0 or 1 left out, so every step moves the image
    by ``step_size`` (L2), or a little less where a pixel reaches 0 or 1. x: ``(n_0,)`` in [0, 1], or
    a batch ``(m, n_0)``; target: an int, or ``(m,)`` ints for a batch. A row stops as soon as the
    network's argmax is its target; the generator ends when every row has, or after ``max_steps``
    steps. For an animation: each record is one frame.
    """
    net = network.copy(np.float64)
    x = _inputs(net, x).copy()
    if not ((x >= 0) & (x <= 1)).all():
        raise ValueError("the pixels of x must lie in [0, 1]")
    one = x.ndim == 1
    x = np.atleast_2d(x)
    y = np.atleast_2d(_targets(net, target, x, "target"))
    targets = y.argmax(axis=1)
    steps = np.zeros(len(x), dtype=np.int64)
    outputs = net.feedforward(x)
    for step in range(max_steps + 1):
        reached = outputs.argmax(axis=1) == targets
        yield _record(step, x, outputs, steps, reached, one)
        moving = ~reached
        if step == max_steps or not moving.any():
            return
        x[moving] = _nudge(net, x[moving], y[moving], step_size)
        steps[moving] += 1
        outputs[moving] = net.feedforward(x[moving])


def toward(network, x, target, *, max_steps=200, step_size=0.1):
    """:func:`toward_steps` run to its end: returns ``(x_new, steps)``.

    x_new: float64 of the shape of ``x``, in [0, 1]; steps: the gradient steps taken (an int, or
    ``(m,)`` for a batch). Where the network still does not read the target after ``max_steps``,
    x_new is the last step's input: check ``network``'s argmax if it matters.
    """
    records = toward_steps(network, x, target, max_steps=max_steps, step_size=step_size)
    last = deque(records, maxlen=1)[0]   # run to the end, keeping only the last record
    return last.x.copy(), last.steps


def _nudge(net, x, y, step_size):
    """One normalised gradient step on rows ``x (k, n_0)`` toward one-hot ``y (k, n_L)``, kept in [0, 1]."""
    g = _dC_dx(net, x, y)
    g[((x <= 0) & (g > 0)) | ((x >= 1) & (g < 0))] = 0   # a pixel at 0 or 1 cannot go further out
    norm = np.linalg.norm(g, axis=1, keepdims=True)
    return np.clip(x - step_size * g / np.where(norm > 0, norm, 1), 0, 1)


def _record(step, x, outputs, steps, reached, one):
    """A :class:`NudgeStep` of read-only copies; for one example the batch axis is dropped."""
    if one:
        return NudgeStep(step, _read_only(x[0]), _read_only(outputs[0]), int(steps[0]), bool(reached[0]))
    return NudgeStep(step, _read_only(x), _read_only(outputs), _read_only(steps), _read_only(reached))


def _read_only(v):
    """A copy of the array ``v`` that cannot be written to."""
    v = v.copy()
    v.setflags(write=False)
    return v


# ---- dreams: the input an output or a hidden neuron responds to most --------------------------
def dream(network, digit, *, steps=200, step_size=0.05, l2=0.2, smoothness=0.5, rng=0):
    """The input ``(n_0,)`` in [0, 1] that ``network`` reads as ``digit``, with that output near 1.

    :func:`dream_neuron` for output neuron ``digit`` of the last layer L: gradient ascent on the
    pixels of the digit's weighted input zᴸ_digit under the prior stated there. The other outputs
    are not pushed down; a trained network keeps them low by itself.
    """
    return dream_neuron(network, len(network.weights), digit, steps=steps, step_size=step_size, l2=l2,
                        smoothness=smoothness, rng=rng)


def dream_neuron(network, layer, neuron, *, steps=200, step_size=0.05, l2=0.2, smoothness=0.5, rng=0):
    """The input ``(n_0,)`` in [0, 1] that drives neuron ``neuron`` of layer ``layer`` highest: what it looks for.

    layer: 1 … L as in the derivation (1 is the first hidden layer, L the output); neuron: 0 … n_l − 1.
    Minimises E(x) = −zˡ_neuron(x) + (l2/2)‖x‖² + (smoothness/2) Σ (x_p − x_q)² over x in [0, 1], the
    sum running over the pairs of horizontally or vertically adjacent pixels of the ``IMAGE_SHAPE``
    image. σ is increasing, so a high zˡ is a high activation aˡ = σ(zˡ), but unlike aˡ it does not
    saturate: the gradient does not fade as the activation nears 1, and the prior, not σ, sets how
    much ink the dream has. The prior says what a plausible dream is: the L2 term keeps the ink that
    does not help at 0, the smoothness term favours strokes over speckle (``smoothness=0`` for a
    network whose input is not a 28×28 image).

    Each step is x ← clip(x − step_size · dE/dx, 0, 1), from faint noise drawn from ``rng`` (a
    ``numpy.random.Generator`` or a seed; the default makes a dream reproducible); the prior's part
    stays stable while step_size · (l2 + 8 · smoothness) < 2. d(−zˡ)/dx comes
    from the one backward pass (:meth:`Network.backward`) run on the network cut at layer l, with an
    objective whose δˡ = dC/dzˡ is −e_neuron: Fact 6, then Facts 2 and 6 down to the input.
    """
    cut = _cut(network.copy(np.float64), layer)
    what = "digit" if layer == len(network.weights) else "neuron"
    y = _targets(cut, neuron, np.zeros(cut.sizes[0]), what)
    return _descend(cut, y, steps, step_size, l2, smoothness, rng)


def _cut(net, layer):
    """``net``'s layers 1 … ``layer`` (sharing its arrays), whose cost is −zˡ · y: its dC/dx is −dzˡ_j/dx."""
    n_layers = len(net.weights)
    if not (isinstance(layer, int | np.integer) and 1 <= layer <= n_layers):
        raise ValueError(f"layer must be a whole number from 1 to {n_layers}, got {layer!r}")
    return Network.from_parameters(net.sizes[:layer + 1], _WeightedInput, net.init,
                                   net.weights[:layer], net.biases[:layer])


class _WeightedInput(Cost):
    """C = −zᴸ · y: with y = e_j, minus neuron j's weighted input, so that δᴸ = dC/dzᴸ = −y."""

    name = "weighted input"
    sigma_prime_cancels = True

    @staticmethod
    def value(a, y, z):
        """Σ over the batch of −z · y. Returns a float."""
        return -float(np.vdot(z, y))

    @staticmethod
    def dC_da(a, y, out=None):
        """dC/daᴸ = −y / σ′(zᴸ) (σ′ = a(1 − a), floored at the tiny); the backward pass starts from δ."""
        sp = np.maximum(sigmoid_prime_from_a(a), np.finfo(a.dtype).tiny)
        return np.divide(-y, sp, out=out)

    @classmethod
    def delta(cls, z, a, y, out=None):
        """δᴸ = dC/dzᴸ = −y, with no σ′ in it."""
        return np.negative(y, out=out)


def _descend(net, y, steps, step_size, l2, smoothness, rng):
    """x ``(n_0,)`` in [0, 1] after ``steps`` projected gradient steps on C(x; y) + the dream's prior."""
    if smoothness and net.sizes[0] != IMAGE_SHAPE[0] * IMAGE_SHAPE[1]:
        raise ValueError(f"the smoothness prior needs {IMAGE_SHAPE[0]}×{IMAGE_SHAPE[1]} = "
                         f"{IMAGE_SHAPE[0] * IMAGE_SHAPE[1]} inputs, the network has {net.sizes[0]}; "
                         "pass smoothness=0")
    x = np.random.default_rng(rng).uniform(0, 0.1, net.sizes[0])
    for _ in range(steps):
        dE_dx = _dC_dx(net, x, y) + l2 * x
        if smoothness:
            dE_dx += smoothness * _laplacian(x)
        x = np.clip(x - step_size * dE_dx, 0, 1)
    return x


def _laplacian(x):
    """d/dx of ½ Σ (x_p − x_q)² over adjacent pixels: for each pixel, Σ over its neighbours of (x_p − x_q).

    x: ``(n_0,)`` with n_0 = 28·28, read as the ``IMAGE_SHAPE`` image. Returns ``(n_0,)``.
    """
    image = x.reshape(IMAGE_SHAPE)
    g = np.zeros_like(image)
    down, right = np.diff(image, axis=0), np.diff(image, axis=1)   # x_q − x_p for each adjacent pair
    g[:-1] -= down
    g[1:] += down
    g[:, :-1] -= right
    g[:, 1:] += right
    return g.reshape(-1)


# ---- checks ---------------------------------------------------------------------------------
def _inputs(net, x):
    """x as float64 ``(n_0,)`` or ``(m, n_0)``, or a ValueError saying what shape is accepted."""
    x = np.asarray(x, dtype=np.float64)
    n_0 = net.sizes[0]
    if x.ndim not in (1, 2) or x.shape[-1] != n_0:
        raise ValueError(f"x must have shape ({n_0},) for one example or (m, {n_0}) for a batch, "
                         f"got {x.shape}")
    return x


def _targets(net, labels, x, what):
    """One-hot float64 ŷ for int ``labels``: ``(n_L,)`` for one example x, ``(m, n_L)`` for a batch.

    ``what`` names the labels in the message of the ValueError that bad labels raise.
    """
    n_L, given = net.sizes[-1], labels
    labels = np.asarray(labels)
    m = 1 if x.ndim == 1 else len(x)
    if labels.ndim > 1 or labels.dtype.kind not in "iu" or labels.size not in (1, m) or \
            ((labels < 0) | (labels >= n_L)).any():
        raise ValueError(f"{what} must be one whole number from 0 to {n_L - 1}"
                         f"{'' if x.ndim == 1 else f' or {m} of them'}, got {given!r}")
    y = one_hot(np.broadcast_to(labels.reshape(-1), (m,)), n_L, np.float64)
    return y[0] if x.ndim == 1 else y
