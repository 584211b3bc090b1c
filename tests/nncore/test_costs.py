"""Each cost's value, dC/daᴸ and δᴸ agree with each other, and stay finite and silent for any z; a
cost's declared output activation (σ or softmax) is the one its δᴸ is the gradient through."""

import numpy as np
import pytest

from nncore import ConfigError
from nncore.activations import sigmoid, sigmoid_prime
from nncore.costs import COSTS, get_cost, log_softmax, softmax

ids = list(COSTS)
SIGMOID_OUTPUT = [c for c in COSTS.values() if c.output == "sigmoid"]


@pytest.mark.parametrize("cost", COSTS.values(), ids=ids)
def test_value_is_the_sum_over_the_batch(cost, rng):
    """value() of a batch of 5 rows equals the sum of value() of each row."""
    z = rng.normal(0, 2, (5, 4))
    a, y = cost.activate(z), np.eye(4)[rng.integers(0, 4, 5)]
    assert cost.value(a, y, z) == pytest.approx(sum(cost.value(a[i], y[i], z[i]) for i in range(5)),
                                                rel=1e-12)


@pytest.mark.parametrize("cost", SIGMOID_OUTPUT, ids=lambda c: c.name)
def test_dC_da_is_the_gradient_of_the_value(cost, rng):
    """(σ outputs) dC/daᴸ matches central differences of value() in a (through z = σ⁻¹(a)) to 1e-6."""
    a, y = rng.uniform(0.05, 0.95, 6), np.eye(6)[1]
    eps = 1e-6
    numeric = np.empty(6)
    for i in range(6):
        up, down = a.copy(), a.copy()
        up[i] += eps
        down[i] -= eps
        numeric[i] = (cost.value(up, y, np.log(up / (1 - up)))
                      - cost.value(down, y, np.log(down / (1 - down)))) / (2 * eps)
    np.testing.assert_allclose(cost.dC_da(a, y), numeric, rtol=1e-6)


@pytest.mark.parametrize("cost", SIGMOID_OUTPUT, ids=lambda c: c.name)
def test_delta_is_fact_2_of_dC_da_whether_or_not_sigma_prime_cancels(cost, rng):
    """(σ outputs) δᴸ = dC/daᴸ ⊙ σ′(zᴸ) for every cost; a cost that declares σ′ cancels has δᴸ = aᴸ − y."""
    z = rng.normal(0, 2, (3, 5))
    a, y = sigmoid(z), np.eye(5)[[0, 2, 4]]
    delta = cost.delta(z, a, y)
    np.testing.assert_allclose(delta, cost.dC_da(a, y) * sigmoid_prime(z), rtol=1e-10)
    if cost.sigma_prime_cancels:
        np.testing.assert_allclose(delta, a - y, rtol=1e-12)
    out = np.empty_like(a)
    assert cost.delta(z, a, y, out=out) is out and np.array_equal(out, delta)


@pytest.mark.parametrize("cost", COSTS.values(), ids=ids)
def test_costs_are_warning_free_for_extreme_finite_z(cost):
    """Values and output errors stay finite and silent for z from −1e308 to 1e308."""
    z = np.array([[-1e308, -800.0, 0.0, 800.0, 1e308]])
    y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = cost.activate(z)
        value = cost.value(a, y, z)
        delta = cost.delta(z, a, y)
        dC_da = cost.dC_da(a, y)
    assert np.isfinite(delta).all() and delta.shape == z.shape
    assert np.isfinite(dC_da).all() and np.isfinite(value)
    if cost.name == "quadratic":
        assert value == pytest.approx(0.5 * np.sum((a - y) ** 2))


def test_unknown_cost_names_what_is_accepted():
    """get_cost('hinge') raises ConfigError listing the accepted names."""
    with pytest.raises(ConfigError, match="accepted: quadratic, cross-entropy"):
        get_cost("hinge")


@pytest.mark.parametrize("cost", COSTS.values(), ids=ids)
def test_value_and_error_is_value_and_the_declared_error(cost, rng):
    """The fast step's one call gives value() and δᴸ (σ′ cancels) or dC/daᴸ (it does not), bit for bit."""
    z = rng.normal(0, 2, (4, 3)).astype(np.float32)
    a, y = cost.activate(z), np.eye(3, dtype=np.float32)[[0, 1, 2, 0]]
    out = np.empty_like(a)
    value = cost.value_and_error(z, a, y, out=out)
    assert value == cost.value(a, y, z)
    expected = cost.delta(z, a, y) if cost.sigma_prime_cancels else cost.dC_da(a, y)
    assert out.tobytes() == expected.tobytes()


@pytest.mark.parametrize("cost", COSTS.values(), ids=ids)
def test_every_cost_declares_its_name_and_its_formula(cost):
    """A registered cost has its registry name, a bool sigma_prime_cancels and a dC/daᴸ formula to show."""
    assert COSTS[cost.name] is cost and isinstance(cost.sigma_prime_cancels, bool)
    assert cost.dC_da_formula.count("dC/daᴸ") == 1


@pytest.mark.parametrize("cost", COSTS.values(), ids=ids)
def test_delta_is_the_gradient_of_the_value_in_z(cost, rng):
    """δᴸ = dC/dzᴸ matches central differences of value(activate(z), y, z) in z, float64, below 1e-6."""
    z, y = rng.normal(0, 1.5, 6), np.eye(6)[2]
    h = 1e-5
    numeric = np.empty(6)
    for i in range(6):
        up, down = z.copy(), z.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (cost.value(cost.activate(up), y, up) - cost.value(cost.activate(down), y, down)) / (2 * h)
    np.testing.assert_allclose(cost.delta(z, cost.activate(z), y), numeric, rtol=1e-6, atol=1e-9)


def test_cross_entropy_is_the_books_formula(rng):
    """C = −Σ [y ln a + (1 − y) ln(1 − a)], a = σ(z), to 1e-12, for one-hot and soft targets; a
    confidently right neuron costs nearly 0, a confidently wrong one nearly |z|."""
    cost = get_cost("cross-entropy")
    z = rng.normal(0, 3, (7, 10)).astype(np.float32)
    a = sigmoid(z.astype(np.float64))
    for y in (np.eye(10)[rng.integers(0, 10, 7)], rng.uniform(0, 1, (7, 10))):
        book = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a))
        assert cost.value(a, y, z) == pytest.approx(book, rel=1e-12)
    right_and_wrong = np.array([[30.0, -30.0, 30.0]])
    assert cost.value(None, np.array([[1.0, 0.0, 0.0]]), right_and_wrong) == pytest.approx(30.0, rel=1e-9)


def test_log_likelihood_is_minus_ln_of_the_softmax_at_the_label(rng):
    """C = −ln aᴸ_y with aᴸ = softmax(z); δᴸ = aᴸ − y is the softmax Jacobian applied to dC/daᴸ = −y/aᴸ."""
    cost = get_cost("log-likelihood")
    z = rng.normal(0, 2, (3, 5))
    a, y = cost.activate(z), np.eye(5)[[0, 3, 4]]
    np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=1e-12)
    assert cost.value(a, y, z) == pytest.approx(-np.log(a[[0, 1, 2], [0, 3, 4]]).sum(), rel=1e-12)
    for i in range(3):
        jacobian = np.diag(a[i]) - np.outer(a[i], a[i])          # ∂a_j/∂z_k of the softmax
        np.testing.assert_allclose(jacobian.T @ cost.dC_da(a[i], y[i]), a[i] - y[i], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(cost.delta(z, a, y), a - y, rtol=0)


def test_softmax_is_stable_for_huge_z():
    """softmax and ln softmax of z = ±1e308 or 1000s are finite, silent and sum to 1 (max subtracted)."""
    z = np.array([[1e308, 0.0, -1e308], [1000.0, 1001.0, 999.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a, log_a = softmax(z), log_softmax(z)
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(np.exp(log_a[1]), a[1], rtol=1e-12)
    assert np.isfinite(log_a[1]).all() and log_a[0, 0] == 0.0
