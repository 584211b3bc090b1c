"""The views follow what the student looks at: the inspector traces the pad's drawing against the
network's top guess and again as it changes, Mistakes recomputes for the network in focus, the diagram
never opens blank, and every view reads tied outputs as no clear answer, by the pad's one rule."""

import numpy as np
import pytest
from digit_strokes import BASE, smooth

import nncore
from app.diagram.diagram_tab import DiagramTab
from app.inside import inspector_tab
from app.inside.inspector_tab import InspectorTab
from app.inside.mistakes_tab import STALE_BACKGROUND, MistakesTab
from app.pad.prediction_view import PredictionView
from app.pixels.saliency_panel import SaliencyPanel
from app.widgets.reading import confidence_words, read_outputs
from nncore.inspection import trace
from nncore.metrics import confusion_matrix

TIE = "gives no clear answer (outputs tie)"


@pytest.fixture
def pad(pad_with_a_4):
    """A drawing pad holding a drawn 4."""
    return pad_with_a_4


@pytest.fixture
def inspector(qtbot, pad, default_net):
    """A shown inspector reading the pad (wired to its drawingChanged as the window wires it) with the
    default network; its threads are ended after."""
    tab = InspectorTab(lambda: None if pad.is_empty() else pad.to_network_input())
    qtbot.addWidget(tab)
    pad.drawingChanged.connect(tab.drawing_changed)
    tab.set_network(default_net, "the default network")
    tab.resize(900, 700)
    tab.show()
    qtbot.waitExposed(tab)
    yield tab
    tab.shutdown()


def saturated_network():
    """784-10-10, quadratic cost, every weight 1e30: every output is σ(huge) = 1.000 exactly, every σ′ 0."""
    net = nncore.Network([784, 10, 10], cost="quadratic", rng=1)
    for w in net.weights:
        w[...] = 1e30
    return net


def test_a_drawing_is_traced_against_the_networks_top_guess(inspector, pad, default_net):
    """A drawn 4, Inspect: the target is 4 (not 0) and the note beside the field says it is the top guess."""
    x = pad.to_network_input()
    assert int(np.argmax(default_net.feedforward(x))) == 4
    inspector.load_selected()
    assert inspector.trace.label == inspector.target.value() == 4
    assert inspector.trace.cost == pytest.approx(trace(default_net, x, 4).cost)
    assert inspector.example.note.text().startswith("target: the top guess (4); change it to ask 'what if it were")
    assert "the network reads 4; target y = 4" in inspector.forward_box.title()


def test_an_mnist_image_is_traced_against_its_label(inspector, mnist):
    """An MNIST test image keeps its label as the target, whatever the network reads."""
    inspector.set_dataset(mnist)
    inspector.source.setCurrentIndex(1)
    inspector.index.setValue(8)
    inspector.load_selected()
    assert inspector.trace.label == inspector.target.value() == int(mnist.test.labels[8])
    assert inspector.example.note.text().startswith("target: the image's label")


def test_the_inspector_follows_the_drawing_coalesced_and_off_the_gui_thread(inspector, pad, qtbot, monkeypatch):
    """Five changes of the drawing in one pass of the event loop make one trace, on a worker thread, of the
    drawing as it is then, against its new top guess."""
    inspector.load_selected()
    traced = []
    real_trace = inspector_tab.trace
    monkeypatch.setattr(inspector_tab, "trace", lambda *a: traced.append(a) or real_trace(*a))
    pad.clear()
    pad.draw_strokes(smooth(BASE[7]))                     # two changes through the pad's signal
    for _ in range(3):
        inspector.drawing_changed()
    qtbot.waitUntil(lambda: inspector.target.value() == 7, timeout=5000)
    assert len(traced) == 1
    np.testing.assert_array_equal(inspector.x, pad.to_network_input().astype(np.float64))
    assert inspector.trace.label == 7 and "top guess (7)" in inspector.example.note.text()


def test_a_picked_target_stays_until_the_pad_is_cleared(inspector, pad, qtbot):
    """The user's target 8 is kept as the drawing changes; an empty pad says to draw, and the next
    drawing follows the top guess again."""
    inspector.load_selected()
    inspector.target.setValue(8)                           # the user's pick: traced against 8
    qtbot.waitUntil(lambda: inspector.trace.label == 8, timeout=5000)
    assert inspector.example.note.text().startswith("target: your pick (8)")
    pad.draw_strokes([[(0.2, 0.9), (0.8, 0.9)]])
    qtbot.waitUntil(lambda: np.array_equal(inspector.x, pad.to_network_input()), timeout=5000)
    assert inspector.trace.label == 8
    pad.clear()
    qtbot.waitUntil(lambda: inspector.trace is None, timeout=5000)
    assert inspector.walk_bar.label.text().startswith("Draw a digit on the pad")
    assert not inspector.forward_box.isVisible() and not inspector.step.apply.isEnabled()
    pad.draw_strokes(smooth(BASE[4]))
    qtbot.waitUntil(lambda: inspector.trace is not None, timeout=5000)
    assert inspector.trace.label == 4 and inspector.example.note.text().startswith("target: the top guess (4)")


def test_mistakes_recompute_for_the_network_in_focus_off_thread_and_only_on_screen(qtbot, mnist):
    """Shown, the matrix is the new network's as soon as it is computed (the old one greyed meanwhile);
    hidden, a new network only greys it, and the next show computes it."""
    first, second = (nncore.Network([784, 30, 10], rng=seed) for seed in (1, 2))
    tab = MistakesTab()
    qtbot.addWidget(tab)
    tab.set_dataset(mnist)
    tab.set_network(first)
    with qtbot.waitSignal(tab.matrixComputed, timeout=10_000) as done:
        tab.show()
    np.testing.assert_array_equal(done.args[0], confusion_matrix(mnist.test.labels, first.predict(mnist.test.x)))
    with qtbot.waitSignal(tab.matrixComputed, timeout=10_000) as done:
        tab.set_network(second)
        assert tab.table.item(0, 0).background().color() == STALE_BACKGROUND      # greyed until recomputed
    expected = confusion_matrix(mnist.test.labels, second.predict(mnist.test.x))
    np.testing.assert_array_equal(done.args[0], expected)
    assert tab.table.item(0, 0).text() == f"{int(expected[0, 0]):,}"
    assert tab.table.item(0, 0).background().color() != STALE_BACKGROUND
    tab.hide()
    tab.set_network(first)
    assert not tab.runner.busy and tab.summary.text().startswith("Out of date")
    assert tab.table.item(3, 5).background().color() == STALE_BACKGROUND
    with qtbot.waitSignal(tab.matrixComputed, timeout=10_000) as done:
        tab.show()
    np.testing.assert_array_equal(done.args[0], confusion_matrix(mnist.test.labels, first.predict(mnist.test.x)))
    tab.shutdown()


def test_the_diagram_shows_the_pickers_example_when_first_shown(qtbot, mnist):
    """With a network and data, the first show follows test image 0: the diagram is never a blank panel."""
    net = nncore.Network([784, 12, 10], rng=3)
    tab = DiagramTab(lambda: None)
    qtbot.addWidget(tab)
    tab.set_network(net)
    tab.set_dataset(mnist)
    assert tab.trace is None                                  # nothing traced while hidden
    tab.resize(1000, 700)
    tab.show()
    assert tab.trace is not None and tab.label == int(mnist.test.labels[0])
    np.testing.assert_array_equal(tab.trace.zs[1], trace(net, mnist.test.x[0], tab.label).zs[1])
    tab.shutdown()


def test_play_with_nothing_shown_shows_the_example_and_plays(qtbot, mnist):
    """Play before any Show follows the picker's example and starts playing it."""
    tab = DiagramTab(lambda: None)
    qtbot.addWidget(tab)
    tab.set_network(nncore.Network([784, 12, 10], rng=3))
    tab.set_dataset(mnist)
    tab.picker.index.setValue(5)
    tab.bar.playClicked.emit()
    assert tab.label == int(mnist.test.labels[5]) and tab.player.playing
    tab.pause()
    tab.shutdown()


def test_the_readings_rule_is_the_pads(rng):
    """A digit when the pad shows one, no clear answer when it shows "?"; a tie when the top two are equal."""
    for _ in range(200):
        a = rng.dirichlet(np.full(10, 0.3))
        assert read_outputs(a).ahead == confidence_words(a)[2]
    assert read_outputs(np.full(10, 1.0)).words() == TIE
    assert read_outputs(np.r_[0.9, np.full(9, 0.01)]).words() == "reads 0"
    assert read_outputs(np.r_[0.1, 0.4, np.full(8, 0.05)]).words() == "gives no clear answer (perhaps 1)"


def test_tied_outputs_are_no_clear_answer_in_every_view(qtbot, pad):
    """Weights of 1e30: all ten outputs are 1.000. The pad shows "?", and the inspector and What it looks
    at say the outputs tie instead of "reads 0" (What it looks at: and that its all-zero map is noise)."""
    net = saturated_network()
    x = pad.to_network_input()
    np.testing.assert_array_equal(net.feedforward(x), np.ones(10))
    view = PredictionView()
    qtbot.addWidget(view)
    view.show_outputs(x, net.feedforward(x))
    assert view.guess.text() == "?" and TIE in view.guess.toolTip()
    panel = SaliencyPanel()
    qtbot.addWidget(panel)
    panel.show_example(net, x)
    assert f"The network {TIE}, but this map is noise: every dC/dx is exactly 0" in panel.summary.text()
    assert "reads" not in panel.summary.text()
    insp = InspectorTab(lambda: x)
    qtbot.addWidget(insp)
    insp.set_network(net)
    insp.load_selected()
    assert f"the network {TIE}; target y = 0" in insp.forward_box.title()
    assert "the first of the tied outputs" in insp.example.note.text()
    insp.shutdown()
