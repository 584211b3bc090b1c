"""The inspector, weights and mistakes views show the core's numbers and act on them exactly."""

import numpy as np
import pytest
from digit_strokes import BASE, smooth
from PySide6.QtWidgets import QScrollArea

import nncore
from app.inside.inspector_tab import InspectorTab
from app.training.training_config import TrainingConfig
from nncore.inspection import example_cost, trace
from nncore.metrics import confusion_matrix


@pytest.fixture
def inspected(window, mnist):
    """The window's inspector on test image 0 with a fixed float32 784-20-15-10 network."""
    net = nncore.Network([784, 20, 15, 10], init="scaled", rng=2)
    window.current.set(net, "test network")
    insp = window.inspector
    insp.source.setCurrentIndex(1)
    insp.index.setValue(0)
    insp.load_selected()
    return window, insp, net


def test_displayed_numbers_are_the_cores(inspected, mnist):
    """Every panel of every layer holds exactly what nncore's trace computes; Fact 6 feeds the next."""
    _, insp, net = inspected
    expected = trace(net, mnist.test.x[0], int(mnist.test.labels[0]))
    assert insp.trace.label == int(mnist.test.labels[0]) == insp.target.value()
    assert insp.layer == 3
    for layer in (3, 2, 1):
        i = layer - 1
        f = insp.facts
        np.testing.assert_array_equal(f.dC_da.map.values[0], expected.dC_da[i])
        np.testing.assert_array_equal(f.sigma_prime.map.values[0], expected.sigma_prime[i])
        np.testing.assert_array_equal(f.dC_dz.map.values[0], expected.dC_dz[i])
        np.testing.assert_allclose(f.dC_dz.map.values[0], f.dC_da.map.values[0] * f.sigma_prime.map.values[0])
        if layer > 1:
            np.testing.assert_array_equal(f.nabla_w.map.values, expected.nabla_w[i])
            np.testing.assert_array_equal(f.dC_da_prev.map.values[0], expected.dC_da_prev[i])
            shown_prev = f.dC_da_prev.map.values[0]
        else:
            tile = f.nabla_w.map.values[:28, :28]                 # neuron 0's row as 28×28
            np.testing.assert_array_equal(tile.reshape(-1), expected.nabla_w[0][0])
        insp.move_layer(-1)
        if layer > 1:   # what Fact 6 showed is the next layer's dC/da
            np.testing.assert_array_equal(insp.facts.dC_da.map.values[0], shown_prev)
    assert insp.layer == 1


def test_apply_step_moves_weights_by_minus_eta_times_the_displayed_gradient(inspected, qtbot):
    """'Apply' changes every weight by −η × the trace's gradient (η the settings') and lowers this
    example's cost."""
    window, insp, net = inspected
    insp.set_training_config(TrainingConfig(learning_rate=0.05))
    shown = insp.trace
    new = insp.step.apply_one_step()
    assert window.current.network is new
    for l in range(3):
        delta = new.weights[l].astype(np.float64) - net.weights[l].astype(np.float64)
        np.testing.assert_allclose(delta, -0.05 * shown.nabla_w[l], atol=2e-6)
        np.testing.assert_allclose(new.biases[l] - net.biases[l], -0.05 * shown.nabla_b[l], atol=2e-6)
    assert example_cost(new, insp.x, shown.label) < shown.cost
    assert "→" in insp.step.step_result.text()
    insp.step.undo_step()                                # Undo puts back the network from before
    assert window.current.network is net and "undone" in insp.step.step_result.text()
    window.show()                                        # shown, the inspector steps from what it shows
    window.pages.show_page(insp)
    second = insp.step.apply_one_step()
    third = insp.step.apply_one_step()
    assert window.current.network is third and insp.step.undo.isEnabled()
    insp.step.undo_step()                                # one step back, and only one
    assert window.current.network is second and not insp.step.undo.isEnabled()
    insp.step.undo_step()
    assert window.current.network is second


def test_gradient_check_runs_off_the_gui_thread_and_gives_a_verdict(inspected, qtbot):
    """The check runs on its own thread; each layer's verdict says backprop is right (below 1e-6)."""
    _, insp, _ = inspected
    with qtbot.waitSignal(insp.step.checkFinished, timeout=30_000) as done:
        assert insp.step.run_gradient_check()
        assert insp.step.check.text() == "Cancel check"     # the window is free meanwhile
    checks = done.args[0]
    assert len(checks) == 3 and max(c.error for c in checks) < 1e-6
    assert insp.step.check_result.text().count("backprop is right") == 3


def test_a_gradient_check_of_all_zero_gradients_says_it_cannot_tell(qtbot, mnist):
    """Every weight 1e30 (quadratic cost): σ′ = 0, so backprop's gradient and the finite differences are
    all 0; the verdict says the check cannot tell, not "agrees to 0e+00: backprop is right"."""
    net = nncore.Network([784, 10, 10], cost="quadratic", rng=1)
    for w in net.weights:
        w[...] = 1e30
    insp = InspectorTab(lambda: mnist.test.x[0])
    qtbot.addWidget(insp)
    insp.set_network(net)
    insp.load_selected()
    assert all(not np.any(g) for g in insp.trace.nabla_w + insp.trace.nabla_b)
    with qtbot.waitSignal(insp.step.checkFinished, timeout=30_000) as done:
        insp.step.run_gradient_check()
    assert [c.error for c in done.args[0]] == [0.0, 0.0]        # the core's "agrees" would be vacuous
    assert insp.step.check_result.text() == ("Every gradient is 0 here: the network is saturated, so the "
                                             "check cannot tell.")
    insp.shutdown()


def test_gradient_check_can_be_cancelled(inspected, qtbot):
    """Cancel stops the check: no verdict arrives, the button reads "Gradient check" again."""
    _, insp, _ = inspected
    finished = []
    insp.step.checkFinished.connect(finished.append)
    insp.step.run_gradient_check()
    insp.step.check.click()                              # now "Cancel check"
    qtbot.waitUntil(lambda: not insp.step.runner.busy, timeout=30_000)
    assert finished == [] and insp.step.check.text() == "Gradient check"
    assert insp.step.check_result.text() == "Cancelled."


def test_draw_a_3_target_8_and_the_output_for_8_rises(window):
    """The lecture scenario: a drawn 3, target 8, one step: the output for 8 goes up."""
    window.pad_panel.pad.draw_strokes(smooth(BASE[3]))
    window.show()
    window.pages.show_page(window.inspector)
    insp = window.inspector
    insp.source.setCurrentIndex(0)
    insp.target.setValue(8)
    insp.load_selected()
    before = insp.trace.activations[-1][8]
    insp.step.apply_one_step()
    assert insp.trace.activations[-1][8] > before


def test_confusion_matrix_and_cell_gallery(window, mnist):
    """The matrix sums to 10,000, its trace matches the accuracy, a cell lists exactly its images."""
    tab = window.mistakes
    matrix = tab.compute()
    net = window.current.network
    predictions = net.predict(mnist.test.x)
    assert matrix.sum() == len(mnist.test) == 10_000
    assert np.trace(matrix) / 10_000 == pytest.approx(net.accuracy(mnist.test.x, mnist.test.labels))
    np.testing.assert_array_equal(matrix, confusion_matrix(mnist.test.labels, predictions))
    i, j = 4, 9
    tab.open_cell(i, j)
    expected = np.flatnonzero((mnist.test.labels == i) & (predictions == j)).tolist()
    shown = [tab.gallery.item(k).data(0x0100) for k in range(tab.gallery.count())]
    assert shown == expected == tab.cell_indices and int(matrix[i, j]) == len(expected)
    window.inspector.index.setValue(8)                 # a stale pick from before
    window.inspector.step.step_result.setText("cost 1 → 0.5")
    tab.gallery.itemClicked.emit(tab.gallery.item(0))
    inspector = window.inspector
    assert inspector.trace.label == i and window.pages.current_room() is inspector
    np.testing.assert_array_equal(inspector.x, mnist.test.x[expected[0]].astype(np.float64))
    assert inspector.source.currentText() == "MNIST test image" and inspector.index.value() == expected[0]
    assert inspector.step.step_result.text() == ""
    assert inspector.findChild(QScrollArea).verticalScrollBar().value() == 0


def test_weights_view_shows_first_layer_rows(window, qtbot):
    """The grid's first tile is neuron 0's incoming weights; clicking shows that neuron's bias."""
    net = nncore.Network([784, 16, 10], init="scaled", rng=4)
    window.current.set(net, "test")
    window.pages.show_page(window.weights_tab)
    window.show()
    qtbot.waitUntil(lambda: window.weights_tab.network is net, timeout=3000)
    values = window.weights_tab.grid.values
    np.testing.assert_allclose(values[:28, :28].reshape(-1), net.weights[0][0], rtol=1e-6)
    magnitudes = np.sort(np.abs(net.weights[0]).ravel())
    expected = float(magnitudes[int(0.99 * (magnitudes.size - 1))])
    assert window.weights_tab.grid.scale == pytest.approx(expected)
    window.weights_tab.show_neuron(3)
    assert f"{net.biases[0][3]:.4g}" in window.weights_tab.detail.text()


def test_a_hidden_inspector_retraces_only_when_shown(window, mnist, qtbot):
    """While another tab is in front, network updates only mark the trace stale; showing the inspector
    traces the example again with the newest network (off the GUI thread)."""
    window.show()
    insp = window.inspector
    window.pages.show_page(insp)
    insp.source.setCurrentIndex(1)
    insp.load_selected()
    window.pages.show_page(window.weights_tab)
    shown = insp.trace
    newer = nncore.Network([784, 20, 10], rng=9)
    window.current.set(newer, "a newer network")
    assert insp.trace is shown                                # nothing recomputed while hidden
    window.pages.show_page(insp)
    qtbot.waitUntil(lambda: insp.trace is not shown, timeout=5000)
    assert len(insp.trace.zs) == 2
    expected = trace(newer, mnist.test.x[0], int(mnist.test.labels[0]))
    np.testing.assert_array_equal(insp.facts.dC_dz.map.values[0], expected.dC_dz[insp.layer - 1])
