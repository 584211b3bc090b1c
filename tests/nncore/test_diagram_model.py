"""The diagram's model: what is drawn, what each node and edge holds, the slope, the lab, the map."""

import numpy as np
import pytest

from nncore import Network
from nncore.costs import COSTS
from nncore.diagram_model import (
    edge_numbers,
    edge_values,
    edited_network,
    neuron_numbers,
    node_positions,
    pca_2d,
    pixel_positions,
    shown_neurons,
    strongest_edges,
    weight_slice,
)
from nncore.inspection import example_cost, trace


@pytest.fixture
def example(rng):
    """A float32 784-12-7-10 network, a random input in [0, 1] and its trace against target 4."""
    net = Network([784, 12, 7, 10], init="scaled", rng=3)
    x = rng.random(784).astype(np.float32)
    return net, x, trace(net, x, 4)


def test_narrow_layers_are_drawn_whole_and_wide_ones_keep_their_strongest(rng):
    """≤ 128 neurons: all, in order; 300: the 64 with the largest |strength|, ascending."""
    np.testing.assert_array_equal(shown_neurons(128), np.arange(128))
    strength = rng.standard_normal(300)
    kept = shown_neurons(300, strength)
    assert kept.shape == (64,) and np.all(np.diff(kept) > 0)
    assert np.abs(strength[kept]).min() >= np.sort(np.abs(strength))[-64]


def test_strongest_edges_are_the_largest_magnitudes_of_the_shown_submatrix(rng):
    """The k edges picked are exactly the k largest |w| among the shown rows and columns, strongest first."""
    w = rng.standard_normal((20, 30))
    rows, cols = np.array([1, 4, 9, 15]), np.arange(0, 30, 3)
    ri, ci = strongest_edges(w, rows, cols, 7)
    picked = np.abs(w[rows[ri], cols[ci]])
    sub = np.sort(np.abs(w[np.ix_(rows, cols)]).ravel())[::-1]
    np.testing.assert_allclose(picked, sub[:7])
    assert len(strongest_edges(w, rows, cols, 10_000)[0]) == rows.size * cols.size


def test_positions_are_centred_in_the_unit_interval():
    """Three nodes sit at 1/6, 1/2, 5/6; a folded column keeps a slot below; pixel 29 is row 1, col 1."""
    np.testing.assert_allclose(node_positions(3), [1 / 6, 1 / 2, 5 / 6])
    np.testing.assert_allclose(node_positions(3, folded=True), [1 / 8, 3 / 8, 5 / 8])
    np.testing.assert_allclose(pixel_positions()[29], [1.5 / 28, 1.5 / 28])


def test_edge_terms_sum_to_the_traces_z_and_to_fact_6(example):
    """Forward terms of row j sum to zⱼ − bⱼ; backward terms of column i sum to dC/da′ᵢ; gradient is nabla_w."""
    net, _, tr = example
    for layer in (1, 2, 3):
        l = layer - 1
        fwd = edge_values(net, tr, "forward", layer)
        np.testing.assert_allclose(fwd.sum(axis=1) + net.biases[l], tr.zs[l], rtol=1e-5, atol=1e-5)
        back = edge_values(net, tr, "backward", layer)
        np.testing.assert_allclose(back.sum(axis=0), tr.dC_da_prev[l], rtol=1e-6, atol=1e-12)
        np.testing.assert_array_equal(edge_values(net, tr, "gradient", layer), tr.nabla_w[l])
        np.testing.assert_array_equal(edge_values(net, tr, "update", layer, eta=2.0), -2.0 * tr.nabla_w[l])
    with pytest.raises(ValueError, match="accepted: weight"):
        edge_values(net, tr, "flux", 1)


def test_neuron_numbers_are_the_traces_and_the_terms_add_up_to_z(example):
    """z, a, σ′, δ, ∂C/∂b equal the trace's; the listed terms + rest + b = z; terms sorted by size."""
    net, _, tr = example
    n = neuron_numbers(net, tr, 2, 5, top=4)
    assert (n.z, n.a, n.sigma_prime, n.delta, n.nabla_b) == (tr.zs[1][5], tr.activations[2][5],
                                                             tr.sigma_prime[1][5], tr.dC_dz[1][5], tr.nabla_b[1][5])
    assert n.nabla_b == n.delta                                         # Fact 3
    assert len(n.terms) == 4 and n.n_inputs == 12
    sizes = [abs(t[3]) for t in n.terms]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(t[3] for t in n.terms) + n.rest + n.bias == pytest.approx(n.z, rel=1e-5, abs=1e-6)


def test_edge_numbers_are_fact_5_and_the_step(example):
    """∂C/∂w of an edge is the trace's nabla_w, equal to a′ δ; the step is −η times it."""
    net, _, tr = example
    e = edge_numbers(net, tr, 3, 4, 2, eta=0.5)
    assert e.nabla_w == tr.nabla_w[2][4, 2]
    assert e.nabla_w == pytest.approx(e.a_prev * e.delta, rel=1e-12)
    assert e.step == -0.5 * e.nabla_w and e.w_after == e.w + e.step
    assert e.w == float(net.weights[2][4, 2])


@pytest.mark.parametrize("cost", list(COSTS))
def test_the_tangent_slope_is_backprops_gradient_and_the_curves_finite_difference(rng, cost):
    """The slice's slope is nabla_w; the curve through w0 has that slope by central differences."""
    net = Network([784, 12, 7, 10], cost=cost, init="scaled", rng=3)
    x = rng.random(784).astype(np.float32)
    tr = trace(net, x, 4)
    for layer, j, i in ((1, 3, 400), (2, 6, 11), (3, 4, 2)):
        s = weight_slice(net, tr, x, layer, j, i, span=1e-4, points=3)
        assert s.slope == tr.nabla_w[layer - 1][j, i]
        assert s.costs[1] == pytest.approx(s.cost0, rel=1e-12)
        numeric = (s.costs[2] - s.costs[0]) / (s.values[2] - s.values[0])
        assert numeric == pytest.approx(s.slope, rel=1e-6, abs=1e-11)
        assert s.tangent(s.w0 + 1.0) == pytest.approx(s.cost0 + s.slope)


def test_weight_slice_default_span_and_middle_point(example):
    """81 points over w0 ± max(1, 2|w0|), the middle one exactly w0 with the example's cost."""
    net, x, tr = example
    s = weight_slice(net, tr, x, 2, 1, 1)
    span = max(1.0, 2 * abs(s.w0))
    assert s.values.shape == s.costs.shape == (81,)
    assert s.values[0] == pytest.approx(s.w0 - span) and s.values[40] == s.w0
    assert s.costs[40] == pytest.approx(example_cost(net, x, 4), rel=1e-12)


def test_switching_a_neuron_off_is_reading_its_activation_as_zero(example):
    """Off: the next layer's z is W (a with aⱼ = 0) + b; a bias edit changes that bias; the original is kept."""
    net, x, tr = example
    edited = edited_network(net, off=[(1, 3)], biases={(2, 0): 5.0})
    _, acts = net.forward(x)
    a1 = acts[1].copy()
    a1[3] = 0
    zs, _ = edited.forward(x)
    np.testing.assert_allclose(zs[1][1:], (net.weights[1] @ a1 + net.biases[1])[1:], rtol=1e-5)
    assert edited.biases[1][0] == 5.0 and net.biases[1][0] != 5.0
    assert np.all(net.weights[1][:, 3] != 0)
    with pytest.raises(ValueError, match="only hidden neurons"):
        edited_network(net, off=[(3, 0)])


def test_pca_finds_the_plane_of_the_data_and_keeps_signs(rng):
    """Data in a 2-D plane of 6-D: the two components explain all of it and recover the distances."""
    basis = np.linalg.qr(rng.standard_normal((6, 2)))[0].T          # (2, 6) orthonormal rows
    coords = rng.standard_normal((200, 2)) * [3.0, 1.0]
    points, components, explained = pca_2d(coords @ basis + 0.5)
    assert points.shape == (200, 2) and components.shape == (2, 6)
    assert explained.sum() == pytest.approx(1.0)
    assert explained[0] > explained[1]
    d = lambda p: np.linalg.norm(p[0] - p[1])
    assert d(points) == pytest.approx(d(coords), rel=1e-9)
    flipped, again, _ = pca_2d(coords @ basis, previous=-components)
    np.testing.assert_allclose(again, -components, atol=1e-12)
    np.testing.assert_allclose(flipped, -points, atol=1e-9)
