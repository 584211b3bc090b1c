"""The inspector walks one fact at a time with the core's numbers, names Fact 1 for every cost, fits a
laptop's page, and its one step uses the training settings' η."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea

import nncore
from app.inside.fact_panels import PANELS, walk_steps
from app.inside.inspector_tab import InspectorTab
from app.training.training_config import TrainingConfig
from nncore.costs import COSTS
from nncore.inspection import trace
from nncore.network import one_hot

QUADRATIC_WALK = [(3, 1), (3, 2), (3, 3), (3, 4), (3, 5), (3, 6),
                  (2, 2), (2, 3), (2, 4), (2, 5), (2, 6), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6)]
CANCELLING_WALK = [(3, 1), (3, 3), (3, 4), (3, 5), (3, 6),    # Fact 1 there is δᴸ: facts 1 and 2 in one
                   (2, 2), (2, 3), (2, 4), (2, 5), (2, 6), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6)]


@pytest.fixture
def make_tab(qtbot, mnist):
    """An inspector (850 × 560, the page it gets at 1366 × 768) on test image 0 with a 784-20-15-10
    network of the given cost; its threads are ended after the test."""
    tabs = []

    def make(cost="quadratic", sizes=(784, 20, 15, 10)):
        tab = InspectorTab(lambda: None)
        qtbot.addWidget(tab)
        tabs.append(tab)
        tab.set_dataset(mnist)
        tab.set_network(nncore.Network(list(sizes), cost=cost, init="scaled", rng=5))
        tab.resize(850, 560)
        tab.show()
        qtbot.waitExposed(tab)
        tab.source.setCurrentIndex(1)
        tab.index.setValue(0)
        tab.load_selected()
        return tab

    yield make
    for tab in tabs:
        tab.shutdown()


@pytest.mark.parametrize("cost, expected", [("quadratic", QUADRATIC_WALK), ("cross-entropy", CANCELLING_WALK),
                                            ("log-likelihood", CANCELLING_WALK)])
def test_the_fact_walk_visits_each_layers_facts_in_backprop_order(make_tab, cost, expected):
    """→ from Fact 1 at the output visits exactly the expected (layer, fact) pairs, then stops; ← goes back."""
    tab = make_tab(cost)
    assert walk_steps(3, COSTS[cost]) == expected
    tab.set_fact_by_fact(True)
    visited = [(tab.layer, tab.fact)]
    for _ in range(len(expected) + 2):          # two more than needed: the walk stops at its end
        tab.walk(-1)
        if (tab.layer, tab.fact) != visited[-1]:
            visited.append((tab.layer, tab.fact))
    assert visited == expected
    assert not tab.walk_bar.towards_input.isEnabled() and tab.walk_bar.towards_output.isEnabled()
    tab.walk(+1)
    assert (tab.layer, tab.fact) == expected[-2]
    assert tab.walk_bar.label.text() == f"Layer 1 of 3,  fact 5  ({len(expected) - 1} of {len(expected)})"


def test_each_fact_shows_only_its_panels_with_the_cores_numbers(make_tab, mnist):
    """At each step only that fact's panels are on screen; the marked one holds the trace's numbers."""
    tab = make_tab("quadratic")
    tr = trace(tab.network, mnist.test.x[0], int(mnist.test.labels[0]))
    expected_panel = {1: ("dC_da", tr.dC_da), 2: ("dC_dz", tr.dC_dz), 3: ("dC_dz", tr.nabla_b),
                      4: ("nabla_w", tr.nabla_w), 5: ("nabla_w", tr.nabla_w), 6: ("dC_da_prev", tr.dC_da_prev)}
    tab.set_fact_by_fact(True)
    for layer, fact in QUADRATIC_WALK[:-5]:     # layer 1 shows ∂C/∂w as 28×28 tiles: checked elsewhere
        assert (tab.layer, tab.fact) == (layer, fact)
        name, values = expected_panel[fact]
        panel = getattr(tab.facts, name)
        assert tab.facts.current is panel and panel.current
        shown = [n for n in PANELS if not getattr(tab.facts, n).isHidden()]
        assert shown == ([n for n in PANELS if n in ("dC_da", "sigma_prime", "dC_dz")] if fact == 2 else [name])
        np.testing.assert_array_equal(np.squeeze(panel.map.values), values[layer - 1])
        assert panel.title.plain_text().startswith(f"Fact {fact}") and panel.title.fact_links()[0] == fact
        assert panel.words.isVisibleTo(tab) and panel.numbers.isVisibleTo(tab)
        tab.walk(-1)


def test_fact_4_names_the_largest_weight_slope_and_its_two_factors(make_tab, mnist):
    """Fact 4's numbers: the entry of largest |∂C/∂w| and a′ₖ × δⱼ, from an independent outer product."""
    tab = make_tab("quadratic")
    tab.set_fact_by_fact(True)
    for _ in range(3):
        tab.walk(-1)
    assert (tab.layer, tab.fact) == (3, 4)
    net = tab.network.copy(np.float64)
    zs, acts = net.forward(mnist.test.x[0].astype(np.float64))
    y = one_hot([int(mnist.test.labels[0])], 10, np.float64)[0]
    delta = (acts[-1] - y) * acts[-1] * (1 - acts[-1])           # Facts 1 and 2, quadratic cost
    outer = np.outer(delta, acts[-2])                            # Fact 5
    j, k = np.unravel_index(np.argmax(np.abs(outer)), outer.shape)
    text = tab.facts.nabla_w.numbers.text()
    assert f"w[{j}, {k}]: a′[{k}] × δ[{j}] = {acts[-2][k]:.4g} × {delta[j]:.4g} = {outer[j, k]:.4g}" in text
    np.testing.assert_allclose(tab.facts.nabla_w.map.values, outer, rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("cost", sorted(COSTS))
def test_the_output_layer_names_fact_1_for_every_cost(make_tab, mnist, cost):
    """Layer by layer, the output's dC/daᴸ row is tagged Fact 1 with the cost's name; where σ′ cancels the
    δᴸ row says it is facts 1 and 2 in one and shows nncore's δᴸ (= aᴸ − y)."""
    tab = make_tab(cost)
    facts, c = tab.facts, COSTS[cost]
    assert tab.layer == 3 and tab.fact is None
    assert facts.dC_da.title.plain_text().startswith(f"Fact 1 ({cost}): dC/daᴸ = ")
    assert facts.dC_da.title.fact_links()[0] == 1
    delta_row = facts.dC_dz.title.plain_text()
    a, y = tab.trace.activations[-1], tab.trace.y
    if c.sigma_prime_cancels:
        assert delta_row.startswith(f"Fact 1 ({cost}): δᴸ = aᴸ − y, facts 1 and 2 in one")
        np.testing.assert_allclose(facts.dC_dz.map.values[0], c.delta(tab.trace.zs[-1], a, y), rtol=0, atol=0)
        np.testing.assert_allclose(facts.dC_dz.map.values[0], a - y, atol=1e-12)
    else:
        assert delta_row.startswith("Fact 2: dC/dzᴸ = dC/daᴸ ⊙ σ′(zᴸ)")
        np.testing.assert_allclose(facts.dC_da.map.values[0], a - y, atol=1e-12)


def test_arrow_keys_walk_facts_and_up_down_move_a_layer(make_tab, qtbot):
    """Fact by fact, → moves one fact and ↓ one layer (to its first fact); ← goes back a fact."""
    tab = make_tab("quadratic")
    tab.set_fact_by_fact(True)
    with qtbot.waitActive(tab):
        tab.activateWindow()
    tab.walk_bar.towards_input.setFocus()
    QTest.keyClick(tab.walk_bar.towards_input, Qt.Key_Right)
    assert (tab.layer, tab.fact) == (3, 2)
    QTest.keyClick(tab.walk_bar.towards_input, Qt.Key_Down)
    assert (tab.layer, tab.fact) == (2, 2)
    QTest.keyClick(tab.walk_bar.towards_input, Qt.Key_Left)
    assert (tab.layer, tab.fact) == (3, 6)
    tab.walk_bar.fact_by_fact.click()                      # back to the layer walk
    assert tab.fact is None and all(not getattr(tab.facts, n).isHidden() for n in PANELS)
    QTest.keyClick(tab.walk_bar.towards_input, Qt.Key_Right)
    assert (tab.layer, tab.fact) == (2, None)


def test_the_walk_stays_in_view_on_a_laptop_page(make_tab, qtbot):
    """At 850 × 560 the walk bar never scrolls away, nothing scrolls sideways, and every fact's panel is
    scrolled into view as the walk reaches it (784-30-10, whose ∂C/∂w¹ is tiles)."""
    tab = make_tab("cross-entropy", sizes=(784, 30, 10))
    tab.set_fact_by_fact(True)
    for _ in range(len(walk_steps(2, COSTS["cross-entropy"]))):
        qtbot.waitUntil(lambda: not tab.facts.current.visibleRegion().isEmpty(), timeout=2000)
        bar = tab.walk_bar.geometry()
        assert bar.top() >= 0 and bar.bottom() < tab.height() and not tab.walk_bar.visibleRegion().isEmpty()
        assert tab.findChild(QScrollArea).horizontalScrollBar().maximum() == 0
        tab.walk(-1)


def test_the_step_uses_the_settings_eta(make_tab, mnist):
    """With η = 0.7 from the settings, the step's weights are W − η D_W C from nncore's own backprop; None
    from the settings keeps the last η; the user's own η, when chosen, replaces it."""
    tab = make_tab("quadratic")
    tab.set_training_config(TrainingConfig(learning_rate=0.7))
    before = tab.network
    step = tab.step
    assert step.eta_source.text() == "η = 0.7 (from the settings)"
    tip = step.apply.toolTip()
    assert "the network you are looking at: every weight and bias, by −η times this example's gradient" in tip
    assert "η = 0.7, from the settings" in tip and "Undo restores it" in tip
    after = step.apply_one_step()
    x = mnist.test.x[0].astype(np.float64)
    y = one_hot([int(mnist.test.labels[0])], 10, np.float64)[0]
    nabla_b, nabla_w = before.copy(np.float64).backprop(x, y)
    for l in range(3):
        np.testing.assert_allclose(after.weights[l], before.weights[l] - 0.7 * nabla_w[l], rtol=0, atol=2e-6)
        np.testing.assert_allclose(after.biases[l], before.biases[l] - 0.7 * nabla_b[l], rtol=0, atol=2e-6)
    assert step.step_result.text().startswith("η = 0.7: cost ")
    tab.set_training_config(None)                          # a settings field is being edited
    assert step.current_eta() == (0.7, "the settings' last valid η")
    step.own_eta.setChecked(True)
    step.eta.setValue(0.05)
    assert step.current_eta() == (0.05, "your own") and "not used" in step.eta_source.text()
    step.own_eta.setChecked(False)
    tab.set_training_config(TrainingConfig(learning_rate=2.0))
    assert step.current_eta() == (2.0, "from the settings") and step.eta.value() == 2.0


def test_the_forward_strips_hold_each_layers_z_and_a(make_tab, mnist):
    """Layer l's strips hold the trace's zˡ and aˡ; a softmax output layer says so; the title names the
    network's guess, the target and the cost; a new network shape rebuilds the strips."""
    tab = make_tab("log-likelihood")
    tr = trace(tab.network, mnist.test.x[0], int(mnist.test.labels[0]))
    strips = tab.forward_box
    assert len(strips.maps) == 3
    for l, (z_map, a_map) in enumerate(strips.maps, start=1):
        np.testing.assert_array_equal(z_map.values[0], tr.zs[l - 1])
        np.testing.assert_array_equal(a_map.values[0], tr.activations[l])
    assert [strips.grid.itemAtPosition(2 * l - 1, 0).widget().text() for l in (1, 2, 3)] == \
        ["a = σ(z)", "a = σ(z)", "a = softmax(z)"]
    assert strips.title() == (f"Forward pass: the network gives no clear answer (perhaps "   # untrained: "?" on the pad
                              f"{int(np.argmax(tr.activations[-1]))}); "
                              f"target y = {tr.label}; cost C = {tr.cost:.5f}")
    tab.set_network(nncore.Network([784, 30, 10], init="scaled", rng=5))
    tab.load_selected()
    assert [m[0].values.size for m in strips.maps] == [30, 10]
    assert strips.grid.itemAtPosition(3, 0).widget().text() == "a = σ(z)"


def test_the_shape_notes_read_dimmer_than_the_text_in_both_themes(make_tab):
    """Drawn on the light window and on the dark one, a shape note's ink stands well clear of the window
    yet nearer to it than the text is (a fixed #666 all but vanished on the dark window)."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from app.window.view_options import dark_palette

    app = QApplication.instance()
    light = QPalette(app.palette())
    try:
        for palette in (light, dark_palette()):
            app.setPalette(palette)
            note = make_tab("quadratic").facts.dC_da.shape
            image = note.grab().toImage()
            window = image.pixelColor(0, 0).lightnessF()
            ink = max((image.pixelColor(x, y).lightnessF() for x in range(image.width())
                       for y in range(image.height())), key=lambda v: abs(v - window))
            text = palette.color(QPalette.WindowText).lightnessF()
            assert window == pytest.approx(palette.color(QPalette.Window).lightnessF(), abs=0.01)
            assert 0.3 < abs(ink - window) < abs(text - window)
    finally:
        app.setPalette(light)
