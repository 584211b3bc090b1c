"""The network diagram tab: its schedule, its stepping grains, and that every number it shows is nncore's."""

import ast
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QPushButton

import nncore
from app.diagram.animation import Player
from app.diagram.diagram_tab import DiagramTab
from app.diagram.example_picker import TRAIN
from app.diagram.frames import ease, frame_at
from app.diagram.layer_map import POINTS, layer_map
from app.diagram.numbers_panel import fmt
from app.diagram.schedule import build_schedule
from app.threads import running_threads
from app.training.training_config import TrainingConfig
from nncore.costs import CrossEntropyCost, QuadraticCost
from nncore.diagram_model import edge_numbers, edited_network, neuron_numbers
from nncore.inspection import example_cost, trace

DIAGRAM = Path(__file__).resolve().parents[2] / "app" / "diagram"


@pytest.fixture
def net(diagram_net):
    return diagram_net


@pytest.fixture
def tab(open_diagram, net):
    """A 1000 × 700 DiagramTab following test image 0 from the start."""
    return open_diagram(net, 1000, 700)


def kinds(steps):
    return [(s.kind, s.layer) for s in steps]


def test_the_schedule_is_backprops_order():
    """Forward z, a per layer; Fact 1, 2, 3/5 at L; then Fact 6, 2, 3/5 down to layer 1; then the update."""
    steps = build_schedule(2, QuadraticCost)
    assert kinds(steps) == [("z", 1), ("a", 1), ("z", 2), ("a", 2), ("dC_da", 2), ("delta", 2), ("nabla", 2),
                            ("dC_da", 1), ("delta", 1), ("nabla", 1), ("update", 0)]
    assert [s.group for s in steps] == [0, 0, 1, 1, 2, 2, 2, 3, 3, 3, 4]
    assert steps[4].equation == "Fact 1: dC/daᴸ = aᴸ − y"
    assert steps[7].equation == "Fact 6: dC/da¹ = (W²)ᵀ δ²"
    assert "σ′(zᴸ) cancels" in build_schedule(2, CrossEntropyCost)[5].note


def test_each_stepping_grain_advances_exactly_one_unit(qtbot):
    """Next equation completes one step; next layer completes one group; play completes them all."""
    player = Player()
    steps = build_schedule(3)
    player.load(steps)
    assert player.done == 0
    for expected in (1, 2, 3):
        player.step_equation()
        player.finish()
        assert player.done == expected and not player.playing
    player.step_layer()                     # the rest of nothing: group 1 (z², a²) is next
    player.finish()
    assert player.done == 4 and steps[player.index] == steps[3]
    player.step_layer()                     # group 2: z³, a³
    player.finish()
    assert kinds(steps[:player.done])[-1] == ("a", 3)
    player.step_equation()                  # a half-played step counts as the unit
    player.advance(0.3)
    assert 0 < player.t < 1 and player.done == 6
    player.step_equation()
    player.finish()
    assert player.done == 7
    player.play()
    player.finish()
    assert player.finished and player.done == len(steps)


def test_the_timer_plays_to_the_target_and_stops(qtbot):
    """At 4× speed the QTimer carries the position through one step and stops there, emitting frames."""
    player = Player()
    player.load(build_schedule(2))
    player.set_speed(4.0)
    frames = []
    player.frame.connect(lambda i, t: frames.append((i, t)))
    with qtbot.waitSignal(player.stopped, timeout=3000):
        player.step_equation()
    assert (player.index, player.t) == (0, 1.0) and not player.playing
    ts = [t for _, t in frames]
    assert len(ts) > 3 and ts == sorted(ts) and ts[-1] == 1.0


def test_a_frame_shows_what_has_been_computed_so_far():
    """Half-way through z²: layer 1 shows a, layer 2 its z fading in, and layer 2's edges lit half-way."""
    steps = build_schedule(2)
    f = frame_at(steps, 2, 0.5, 2)
    assert [(c.what, c.opacity) for c in f.fills[1]] == [("z", 1.0), ("a", 1.0)]
    assert [(c.what, c.opacity) for c in f.fills[2]] == [("z", 0.5)]
    assert f.rings == {1: [], 2: []} and not f.outputs_known
    (flow,) = f.flows
    assert (flow.kind, flow.layer, flow.backward, flow.head) == ("forward", 2, False, ease(0.5))
    back = frame_at(steps, 9, 0.25, 2)                    # ∂C/∂W¹: the light runs backwards into layer 1
    assert [(fl.kind, fl.layer, fl.backward) for fl in back.flows] == [("gradient", 1, True)]
    assert [c.what for c in back.rings[1]] == ["delta"]


def test_a_clicked_neuron_shows_the_cores_numbers(tab, net, mnist, qtbot):
    """Clicking a node's pixel shows that neuron; z, a, σ′, δ, ∂C/∂b are the trace's, and are on screen."""
    expected = trace(net, mnist.test.x[0], int(mnist.test.labels[0]))
    g = tab.diagram.diagram_geometry()
    k = 6
    with qtbot.waitSignal(tab.diagram.neuronClicked, timeout=1000) as sig:
        qtbot.mouseClick(tab.diagram, Qt.LeftButton, pos=QPoint(round(g.xs[2]), round(g.ys[2][k])))
    assert sig.args == [2, int(g.shown[2][k])]
    n = tab.numbers.numbers
    assert n == neuron_numbers(net, expected, 2, k)
    assert (n.z, n.a, n.delta, n.nabla_b) == (expected.zs[1][k], expected.activations[2][k],
                                              expected.dC_dz[1][k], expected.nabla_b[1][k])
    text = tab.numbers.label.text()
    for v in (n.z, n.a, n.sigma_prime, n.delta):
        assert fmt(v) in text


def test_a_clicked_edge_shows_fact_5_its_step_and_the_slope(tab, net, mnist, qtbot):
    """An edge's ∂C/∂w is backprop's (= a′δ); the tangent's slope is it; dragging the weight agrees."""
    x, label = mnist.test.x[0], int(mnist.test.labels[0])
    expected = trace(net, x, label)
    tab.set_training_config(TrainingConfig(learning_rate=0.25))
    tab.show_edge(3, 4, 7)
    e = tab.numbers.numbers
    assert e == edge_numbers(net, expected, 3, 4, 7, 0.25)
    assert e.nabla_w == expected.nabla_w[2][4, 7] == pytest.approx(expected.activations[2][7] * expected.dC_dz[2][4])
    assert e.step == -0.25 * e.nabla_w and fmt(e.step) in tab.numbers.label.text()
    tx, ty = tab.slope.tangent.getData()
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(expected.nabla_w[2][4, 7], rel=1e-9)
    s = tab.slope.slice
    assert s.cost0 == pytest.approx(expected.cost, rel=1e-12)
    h = 1e-4
    tab.slope.line.setValue(s.w0 + h)                     # drag the weight a little
    (w,), (c,) = tab.slope.tried.getData()
    assert w == pytest.approx(s.w0 + h)
    assert (c - s.cost0) / h == pytest.approx(s.slope, rel=2e-3, abs=1e-9)
    assert tab.diagram.selection == ("edge", 3, 4, 7)


def test_pick_finds_the_nearest_drawn_edge(tab):
    """A point on a drawn layer-2 edge picks an edge within the tolerance, the nearest of those drawn."""
    d = tab.diagram
    edges = d.base_edges()[1]
    k = 3
    x, y = (edges.x1[k] + edges.x2[k]) / 2, (edges.y1[k] + edges.y2[k]) / 2
    kind, layer, j, i = d.pick(x, y)
    assert (kind, layer) == ("edge", 2)
    chosen = int(np.flatnonzero((edges.rows == j) & (edges.cols == i))[0])
    assert edges.distance(x, y)[chosen] == pytest.approx(edges.distance(x, y).min())


def test_the_update_shows_the_stepped_weights_and_next_example_learns_from_it(tab, net, mnist):
    """Playing to the end shows W − η ∂C/∂W; 'next example' keeps it and follows training image 1 to its end."""
    tab.picker.source.setCurrentIndex(TRAIN)
    assert tab.picker.choose()
    x0, label0 = mnist.train.x[0], int(mnist.train.labels[0])
    tab.set_training_config(TrainingConfig(learning_rate=0.5))
    tab.player.play()
    tab.player.finish()
    assert tab.player.finished and tab.diagram.network is tab.stepped
    expected = trace(net, x0, label0)
    for l in range(3):
        np.testing.assert_allclose(tab.stepped.weights[l].astype(np.float64) - net.weights[l],
                                   -0.5 * expected.nabla_w[l], atol=2e-6)
    assert tab.cost_after == pytest.approx(example_cost(tab.stepped, x0, label0))
    assert tab.cost_after < expected.cost
    assert "→" in tab.summary.text()
    stepped = tab.stepped
    tab.step_example()
    tab.player.finish()
    assert tab.picker.index.value() == 1 and tab.examples_learned == 1 and tab.network is stepped
    assert tab.player.finished
    np.testing.assert_array_equal(tab.trace.activations[0], mnist.train.x[1].astype(np.float64))
    tab.player.restart()
    assert tab.diagram.network is tab.network        # back at the start: the weights before the step


def test_a_new_network_is_traced_again_at_the_same_place(tab, mnist):
    """set_network mid-animation keeps the step and shows the new network's numbers (at once when shown)."""
    for _ in range(5):
        tab.player.step_equation()
        tab.player.finish()
    other = nncore.Network([784, 20, 15, 10], init="scaled", rng=9)
    tab.show()
    tab.set_network(other)
    assert tab.player.done == 5
    np.testing.assert_array_equal(tab.trace.zs[2], trace(other, mnist.test.x[0], int(mnist.test.labels[0])).zs[2])
    assert tab.network is not other                   # the animation steps its own copy
    tab.hide()
    third = nncore.Network([784, 20, 15, 10], init="scaled", rng=11)
    tab.set_network(third)                            # hidden: traced when shown, not before
    expected = trace(third, mnist.test.x[0], int(mnist.test.labels[0])).zs[2]
    assert tab.trace.zs[2][0] != expected[0]
    tab.show()
    np.testing.assert_array_equal(tab.trace.zs[2], expected)


def test_wide_layers_keep_their_most_active_neurons(qtbot, mnist):
    """A 300-neuron layer draws the 64 with the largest activations and folds the other 236."""
    net = nncore.Network([784, 300, 10], init="scaled", rng=4)
    t = DiagramTab(lambda: None)
    qtbot.addWidget(t)
    t.resize(900, 600)
    t.set_network(net)
    t.show_example(mnist.test.x[2], int(mnist.test.labels[2]))
    g = t.diagram.diagram_geometry()
    a = t.trace.activations[1]
    assert len(g.shown[1]) == 64 and g.folded[1] == 236
    assert a[g.shown[1]].min() >= np.sort(a)[-64]
    assert len(t.diagram.base_edges()[0].rows) == 150


def test_a_network_without_hidden_layers_plays_through(qtbot, mnist):
    """784-10: five steps (z, a, Fact 1, Fact 2, Facts 3/5) and the update; its neurons have numbers; no map."""
    net = nncore.Network([784, 10], rng=3)
    t = DiagramTab(lambda: None)
    qtbot.addWidget(t)
    t.resize(900, 600)
    t.set_network(net)
    t.set_dataset(mnist)
    t.show_example(mnist.test.x[1], int(mnist.test.labels[1]))
    assert kinds(t.steps) == [("z", 1), ("a", 1), ("dC_da", 1), ("delta", 1), ("nabla", 1), ("update", 0)]
    t.player.play()
    t.player.finish()
    t.diagram.grab()
    assert t.diagram.paint_ms and t.diagram.diagram_geometry().thumb > 0   # the outputs' weights as images
    t.show_neuron(1, 4)
    assert t.numbers.numbers.delta == t.trace.dC_dz[0][4]
    t.map.refresh()
    assert "needs a network with a hidden layer" in t.map.caption.text()
    t.shutdown()


def test_the_picker_speaks_about_an_empty_pad_and_reads_a_drawing(qtbot):
    """An empty pad gives a message; a drawing is followed against the chosen target digit."""
    drawing = {"x": None}
    t = DiagramTab(lambda: drawing["x"])
    qtbot.addWidget(t)
    t.set_network(nncore.Network([784, 8, 10], rng=1))
    t.picker.source.setCurrentIndex(0)
    assert not t.picker.choose()
    assert t.summary.text() == "The pad is empty: draw a digit first"
    drawing["x"] = np.linspace(0, 1, 784, dtype=np.float32)
    t.picker.target.setValue(3)
    assert t.picker.choose()
    assert t.trace.label == 3 and t.description == "your drawing, target 3"


def test_open_in_the_inspector_sends_the_example(tab, qtbot, mnist):
    """The button emits inspectRequested with the example's pixels, its label and where it came from."""
    button = next(b for b in tab.findChildren(QPushButton) if b.text() == "Open in the inspector")
    with qtbot.waitSignal(tab.inspectRequested, timeout=1000) as sig:
        button.click()
    x, label, description = sig.args
    np.testing.assert_array_equal(x, mnist.test.x[0])
    assert label == int(mnist.test.labels[0]) and description.startswith("MNIST test image 0")


def test_one_epoch_trains_on_a_worker_and_follows_the_example_again(qtbot, net, mnist):
    """'Next epoch' runs nncore.SGD off the GUI thread; the test accuracy shown is the new network's."""
    t = DiagramTab(lambda: None)
    qtbot.addWidget(t)
    t.set_network(net)
    t.set_dataset(mnist.with_train_size(2000))
    t.show_example(mnist.test.x[0], int(mnist.test.labels[0]))
    t.set_training_config(TrainingConfig(learning_rate=3.0, batch_size=10))
    with qtbot.waitSignal(t.learned, timeout=30_000) as sig:
        t.step_epoch()
        assert t.learner.busy and not t.bar.epoch.isEnabled()
    t.shutdown()
    accuracy = t.network.accuracy(mnist.test.x, mnist.test.labels)
    assert sig.args == ["After one more epoch in the diagram's copy (the window's network is unchanged): "
                        f"test accuracy {100 * accuracy:.2f}%"]
    assert accuracy > net.accuracy(mnist.test.x, mnist.test.labels) + 0.2
    assert t.examples_learned == 2000 and t.bar.epoch.isEnabled()
    np.testing.assert_array_equal(t.trace.zs[0], trace(t.network, mnist.test.x[0], int(mnist.test.labels[0])).zs[0])


def test_shutdown_mid_epoch_stops_the_worker(qtbot, net, mnist):
    """Closing while an epoch trains stops it between mini-batches, keeps the network, leaves no thread."""
    t = DiagramTab(lambda: None)
    qtbot.addWidget(t)
    t.set_network(net)
    t.set_dataset(mnist)
    t.set_training_config(TrainingConfig(batch_size=1))
    t.step_epoch()
    t.shutdown()
    assert not t.learner.busy and "diagram-epoch" not in running_threads()
    QCoreApplication.processEvents()                  # the stopped epoch's answer arrives
    assert "did not finish: stopped" in t.summary.text()
    np.testing.assert_array_equal(t.network.weights[0], net.weights[0])


def test_the_lab_switches_a_neuron_off_measures_it_off_thread_and_undoes(tab, net, mnist, qtbot):
    """Off: the outputs are the edited network's, both accuracies come from the worker; undo restores."""
    x = mnist.test.x[0]
    tab.show_neuron(1, 3)
    lab = tab.lab
    with qtbot.waitSignal(lab.accuracyReady, timeout=10_000) as sig:
        lab.switch.setChecked(True)
    off = edited_network(net, off=[(1, 3)])
    np.testing.assert_allclose(lab.after.values, off.feedforward(x))
    np.testing.assert_allclose(lab.before.values, net.feedforward(x))
    assert not np.allclose(lab.after.values, lab.before.values)
    assert sig.args == [net.accuracy(mnist.test.x, mnist.test.labels), off.accuracy(mnist.test.x, mnist.test.labels)]
    assert "→" in lab.accuracy.text() and "layer 1 neuron 3 off" in lab.edits.text()
    assert tab.diagram.marked == {(1, 3)}
    label = int(mnist.test.labels[0])
    assert f"a = {net.feedforward(x)[label]:.4f} → {off.feedforward(x)[label]:.4f}" in lab.change.text()
    lab.undo()
    assert not lab.off and not lab.switch.isChecked() and not tab.diagram.marked
    np.testing.assert_allclose(lab.after.values, net.feedforward(x))
    assert net.weights[1][:, 3].any()                    # the window's network was never touched


def test_the_lab_edits_an_output_bias_but_cannot_switch_an_output_off(tab, net, mnist, qtbot):
    """An output neuron: no off switch; b = 5 gives the edited network's outputs; undo all restores."""
    tab.show_neuron(3, 2)
    lab = tab.lab
    assert not lab.switch.isEnabled() and lab.bias.value() == pytest.approx(float(net.biases[2][2]), abs=1e-4)
    with qtbot.waitSignal(lab.accuracyReady, timeout=10_000):
        lab.set_bias(5.0)
    np.testing.assert_allclose(lab.after.values, edited_network(net, biases={(3, 2): 5.0}).feedforward(mnist.test.x[0]))
    assert lab.after.values[2] > lab.before.values[2]
    lab.reset()
    assert not lab.biases and lab.undo_button.isEnabled()
    np.testing.assert_allclose(lab.after.values, lab.before.values)
    lab.undo()                                           # Undo all is itself undone
    assert lab.biases == {(3, 2): 5.0} and lab.bias.value() == pytest.approx(5.0)
    lab.undo()
    assert not lab.biases and not lab.undo_button.isEnabled()


def test_the_layer_map_is_the_pca_of_a_hidden_layer_and_a_point_opens_its_image(tab, net, mnist, qtbot):
    """The map's points are layer 2's activations of the first test images projected by PCA; a click sends one."""
    m = tab.map
    m.layer.setCurrentIndex(1)
    with qtbot.waitSignal(m.mapReady, timeout=10_000) as sig:
        m.refresh()
    assert sig.args == [2]
    expected, _, _ = layer_map(net, mnist.test.x[:POINTS], 2)
    np.testing.assert_allclose(m.points, expected, rtol=1e-6, atol=1e-9)
    with qtbot.waitSignal(tab.inspectRequested, timeout=1000) as sent:
        m.scatter.sigClicked.emit(m.scatter, [m.scatter.points()[5]], None)
    x, label, description = sent.args
    np.testing.assert_array_equal(x, mnist.test.x[5])
    assert label == int(mnist.test.labels[5]) and "layer-2 map" in description


def test_the_diagram_package_imports_no_other_feature():
    """app/diagram imports only itself, the shared widgets, the thread registry and nncore."""
    for path in DIAGRAM.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2:
                assert node.module.split(".")[0] in ("widgets", "threads"), path.name
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert not node.module.startswith("app.") or node.module.startswith("app.diagram"), path.name

