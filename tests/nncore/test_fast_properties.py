"""Every fast step is the readable math, Network.backward followed by the plain update W ← W − η ∇W,
b ← b − η ∇b: over random sizes (2–4 layers, widths 1–12), every cost, mini-batches of 1–16, float32
and float64, L2 on and off, and with the wide-layer and BLAS-update paths forced on at these widths."""

from contextlib import ExitStack
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nncore import Network
from nncore.costs import COSTS
from nncore.fast import buffers
from nncore.fast.buffers import StepBuffers
from nncore.fast.steps import train_single, train_step

PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Relative to each parameter array's largest |value|: float64 sums in another order, float32 rounds.
TOLERANCE = {np.float64: 1e-12, np.float32: 1e-5}
N_TRAIN = 60   # the training-set size n of L2's λ/n


@st.composite
def cases(draw):
    """A network, a mini-batch of inputs with zero columns at its borders (as MNIST's), and the step's settings."""
    sizes = draw(st.lists(st.integers(1, 12), min_size=2, max_size=4))
    m = draw(st.integers(1, 16))
    case = {
        "sizes": sizes, "m": m, "cost": draw(st.sampled_from(sorted(COSTS))),
        "dtype": draw(st.sampled_from([np.float32, np.float64])),
        "init": draw(st.sampled_from(["normal", "scaled"])), "seed": draw(st.integers(0, 2**32 - 1)),
        "eta": draw(st.floats(0.01, 3.0)), "l2": draw(st.sampled_from([0.0, 0.5, 5.0])),
        "buffer_m": draw(st.integers(m, 16)),     # the buffers' mini-batch: the step's may be shorter
        # 1 forces every layer onto the wide path (examples as columns) and the one-call BLAS update
        "wide_from": draw(st.sampled_from([buffers.WIDE_LAYER, 1])),
        "blas_from": draw(st.sampled_from([buffers.BLAS_UPDATE_FROM, 1])),
    }
    n_0 = sizes[0]
    lo = draw(st.integers(0, n_0 - 1))
    case["used"] = slice(lo, draw(st.integers(lo + 1, n_0)))   # the columns not zero in every row
    return case


def data(case):
    """x ``(m, n_0)`` in [0, 1) (zero outside the used columns) and one-hot y ``(m, n_L)``, in the dtype."""
    rng = np.random.default_rng(case["seed"])
    m, (n_0, n_out), dtype = case["m"], (case["sizes"][0], case["sizes"][-1]), case["dtype"]
    x = np.zeros((m, n_0), dtype)
    x[:, case["used"]] = rng.uniform(0, 1, (m, case["used"].stop - case["used"].start))
    return x, np.eye(n_out, dtype=dtype)[rng.integers(0, n_out, m)]


def paths(case):
    """A context in which StepBuffers takes the case's wide-layer and BLAS-update thresholds."""
    stack = ExitStack()
    stack.enter_context(mock.patch.object(buffers, "WIDE_LAYER", case["wide_from"]))
    stack.enter_context(mock.patch.object(buffers, "BLAS_UPDATE_FROM", case["blas_from"]))
    return stack


def readable_step(ref, x, y, eta, l2):
    """Network.backward on ``x (m, n_0)`` or ``(n_0,)`` then W ← W − η ∇W, b ← b − η ∇b, in place;
    returns the summed cost C₀ before the step (from Network.forward)."""
    zs, activations = ref.forward(x)
    value = ref.cost.value(activations[-1], y, zs[-1])
    backward = ref.backward(x, y, l2=l2, n=N_TRAIN)
    for l in range(len(ref.weights)):
        ref.weights[l] = ref.weights[l] - eta * backward.nabla_w[l]
        ref.biases[l] = ref.biases[l] - eta * backward.nabla_b[l]
    return value


def assert_close(net, ref, values, ref_values, dtype):
    """Every parameter array within the dtype's tolerance of the reference's, relative to its largest
    |value|; the returned costs likewise."""
    tolerance = TOLERANCE[dtype]
    for p, r in zip(net.weights + net.biases, ref.weights + ref.biases):
        assert p.dtype == dtype and p.shape == r.shape
        scale = float(np.max(np.abs(r))) or 1.0
        assert float(np.max(np.abs(p.astype(np.float64) - r))) <= tolerance * scale
    np.testing.assert_allclose(values, ref_values, rtol=tolerance, atol=tolerance)


def start(case):
    """The fast network in the case's dtype and its float64 copy for the readable step."""
    net = Network(case["sizes"], cost=case["cost"], init=case["init"], rng=case["seed"], dtype=case["dtype"])
    return net, net.copy(np.float64)


@PROPERTY
@given(cases())
def test_the_minibatch_step_is_backward_and_the_plain_update(case):
    """train_step on m rows moves every parameter by −η × backward's mean gradient (L2's (λ/n) W
    included) and returns the summed cost before the step."""
    x, y = data(case)
    net, ref = start(case)
    with paths(case):
        buf = StepBuffers(case["sizes"], case["buffer_m"], case["dtype"])
    value = train_step(net, x, y, case["eta"], buf, case["l2"] / N_TRAIN)
    ref_value = readable_step(ref, x.astype(np.float64), y.astype(np.float64), case["eta"], case["l2"])
    assert_close(net, ref, [value], [ref_value], case["dtype"])


@PROPERTY
@given(cases(), st.integers(1, 16))
def test_the_steps_on_one_example_are_backward_and_the_plain_update_example_by_example(case, block):
    """m examples one at a time, exact (block 1, any buffer size) or with the first layer deferred over
    blocks: each example sees every earlier update, as backward and the update example by example do.
    The deferred step refuses L2, which it does not model."""
    x, y = data(case)
    net, ref = start(case)
    deferred = block > 1
    with paths(case):
        buf = StepBuffers(case["sizes"], 1 if deferred else case["buffer_m"], case["dtype"], block)
    assert (buf.block is not None) == deferred
    if deferred and case["l2"]:
        with pytest.raises(ValueError, match="no L2 decay"):
            train_single(net, x[0], y[0], case["eta"], buf, case["l2"] / N_TRAIN)
        return
    values, ref_values = [], []
    for j in range(case["m"]):
        row = x[j]
        if deferred:
            if j % block == 0:
                rows = buf.block.load(x, np.arange(j, min(j + block, case["m"])))
            row = rows[j % block]
        values.append(train_single(net, row, y[j], case["eta"], buf, case["l2"] / N_TRAIN))
        ref_values.append(readable_step(ref, x[j].astype(np.float64), y[j].astype(np.float64),
                                        case["eta"], case["l2"]))
    buf.settle(net)
    assert_close(net, ref, values, ref_values, case["dtype"])
