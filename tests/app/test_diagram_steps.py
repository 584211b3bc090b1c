"""The diagram's one meaning of "learn one step": the settings' η and m, training images only, said on
screen; Pause holds everything still; the side panels follow the example on show; the tab fits a laptop."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

import nncore
from app.diagram.diagram_tab import DiagramTab
from app.diagram.example_picker import TRAIN
from app.diagram.learning import LearningSettings, batch_rows, rows_text
from app.training.training_config import TrainingConfig
from nncore.diagram_model import edge_numbers, neuron_numbers
from nncore.inspection import example_cost, trace
from nncore.network import one_hot
from nncore.sgd_step import StepBuffers, train_step
from nncore.training import SGD


@pytest.fixture
def net(diagram_net):
    return diagram_net


@pytest.fixture
def tab(open_diagram, net):
    """A 1190 × 600 DiagramTab (a laptop's page) following test image 0 (not a training image)."""
    return open_diagram(net, 1190, 600)


def nncore_step(net, x, labels, eta):
    """nncore's training step (the fast one a run takes) on a copy of ``net``."""
    stepped = net.copy()
    buffers = StepBuffers(stepped.sizes, len(x), np.float32)
    train_step(stepped, np.ascontiguousarray(x), one_hot(labels, 10), eta, buffers)
    return stepped


def assert_same_weights(a, b, atol=2e-6):
    for l in range(len(a.weights)):
        np.testing.assert_allclose(a.weights[l], b.weights[l], atol=atol, rtol=0)
        np.testing.assert_allclose(a.biases[l], b.biases[l], atol=atol, rtol=0)


def test_the_diagram_starts_with_the_settings_defaults():
    """Until the window sends its settings, η and m are TrainingConfig's defaults (not a value of its own)."""
    cfg = TrainingConfig()
    assert LearningSettings() == LearningSettings(cfg.learning_rate, cfg.batch_size)
    assert LearningSettings.from_config(None, LearningSettings(2.0, 5)) == LearningSettings(2.0, 5)


def test_a_mini_batch_is_nncores_step_on_the_next_training_images(tab, net, mnist, qtbot):
    """η = 2, m = 5 with a test image on show: one step on training images 0–4 (not test images 0–4), then 5–9."""
    tab.set_training_config(TrainingConfig(learning_rate=2.0, batch_size=5))
    with qtbot.waitSignal(tab.learned, timeout=1000) as sig:
        tab.step_batch()
    expected = nncore_step(net, mnist.train.x[:5], mnist.train.labels[:5], 2.0)
    assert_same_weights(tab.network, expected)
    on_test = nncore_step(net, mnist.test.x[:5], mnist.test.labels[:5], 2.0)
    assert not np.allclose(tab.network.weights[0], on_test.weights[0], atol=1e-4)
    assert not np.allclose(tab.network.weights[2], net.weights[2], atol=1e-3)        # it did move
    np.testing.assert_array_equal(tab.learner.last_rows, np.arange(5))
    assert "training images 0 to 4, with η = 2 in the diagram's copy" in sig.args[0]
    np.testing.assert_array_equal(tab.trace.activations[0], mnist.test.x[0].astype(np.float64))  # still on show
    np.testing.assert_array_equal(tab.trace.zs[0], trace(tab.network, mnist.test.x[0], 7).zs[0])
    assert tab.examples_learned == 5 and tab.window_network is net
    with qtbot.waitSignal(tab.learned, timeout=1000):
        tab.step_batch()
    second = nncore_step(expected, mnist.train.x[5:10], mnist.train.labels[5:10], 2.0)
    assert_same_weights(tab.network, second, atol=4e-6)
    assert "training images 10 to 14" in tab.bar.batch.toolTip()


def test_a_mini_batch_wraps_at_the_settings_training_size():
    """The batch after the last training image starts again at 0, and the caption says both runs."""
    rows = batch_rows(49_998, 5, 50_000)
    np.testing.assert_array_equal(rows, [49_998, 49_999, 0, 1, 2])
    assert rows_text(rows) == "training images 49,998 to 49,999 and 0 to 2"
    assert rows_text(batch_rows(7, 1, 1000)) == "training image 7"


def test_every_learning_control_says_its_eta_and_which_network(tab):
    """The settings' η and m are shown beside the buttons and in every weight-changing tooltip."""
    tab.set_training_config(TrainingConfig(learning_rate=0.25, batch_size=7))
    label = tab.bar.settings.text()
    assert label.startswith("η = 0.25, mini-batch 7") and "from the settings" in label
    for button in (tab.bar.example, tab.bar.batch, tab.bar.epoch):
        tip = button.toolTip()
        assert "η = 0.25" in tip and "the diagram's own copy" in tip and "window's network" in tip, tip
    assert "m = 7" in tab.bar.batch.toolTip() and "mini-batches of 7" in tab.bar.epoch.toolTip()
    assert "training images 0 to 6" in tab.bar.batch.toolTip()
    for tip in (tab.lab.switch.toolTip(), tab.lab.bias.toolTip()):
        assert "copy of the diagram's network" in tip and "no η" in tip
    tab.set_training_config(None)                 # the settings hold an invalid value: the last valid stay
    assert tab.eta == 0.25 and tab.learner.settings.batch_size == 7


def test_the_settings_eta_is_the_updates_and_the_numbers(tab, net, mnist):
    """η = 0.25 from the settings: the update shown is W − 0.25 ∂C/∂W, and an edge's step says so."""
    tab.set_training_config(TrainingConfig(learning_rate=0.25))
    expected = trace(net, mnist.test.x[0], int(mnist.test.labels[0]))
    np.testing.assert_allclose(tab.stepped.weights[1].astype(np.float64) - net.weights[1],
                               -0.25 * expected.nabla_w[1], atol=2e-6)
    tab.show_edge(2, 1, 3)
    assert tab.numbers.numbers.step == -0.25 * expected.nabla_w[1][1, 3]


def test_next_example_keeps_a_training_images_step_and_not_a_test_images(tab, net, mnist):
    """A test image's update is played but not kept; a training image's is kept in the diagram's copy."""
    tab.player.play()
    tab.player.finish()
    assert "shown, not kept" in tab.summary.text()
    tab.step_example()
    assert tab.network is not tab.stepped and tab.examples_learned == 0
    assert_same_weights(tab.network, net, atol=0)
    tab.picker.source.setCurrentIndex(TRAIN)
    tab.picker.index.setValue(3)
    assert tab.picker.choose()
    tab.player.play()
    tab.player.finish()
    assert "keeps this step in the diagram's copy" in tab.summary.text()
    stepped = tab.stepped
    tab.step_example()
    assert tab.network is stepped and tab.examples_learned == 1 and tab.picker.index.value() == 4
    assert tab.cost_after == pytest.approx(example_cost(tab.stepped, mnist.train.x[4], int(mnist.train.labels[4])))


def test_an_epoch_learns_the_settings_training_images_only(qtbot, net, mnist):
    """train_size 1000, m = 10, η = 3: the same network as nncore.SGD over training images 0–999."""
    t = DiagramTab(lambda: None)
    qtbot.addWidget(t)
    t.set_network(net)
    t.set_dataset(mnist)
    t.set_training_config(TrainingConfig(learning_rate=3.0, batch_size=10, train_size=1000))
    assert "training images 0 to 999" in t.bar.epoch.toolTip()
    with qtbot.waitSignal(t.learned, timeout=30_000):
        t.step_epoch()
    t.shutdown()
    expected = net.copy()
    for _ in SGD(expected, mnist.train.head(1000), learning_rate=3.0, epochs=1, batch_size=10, rng=0).run():
        pass
    assert_same_weights(t.network, expected, atol=1e-6)
    assert t.examples_learned == 1000


def test_pause_stops_the_player_and_holds_the_network(tab, net, mnist, qtbot):
    """After Pause the frame does not move, and a new window network is not followed until Play."""
    tab.show()
    frames = []
    tab.player.frame.connect(lambda i, t: frames.append((i, t)))
    tab.bar.play.click()
    qtbot.waitUntil(lambda: len(frames) >= 3, timeout=2000)
    tab.bar.play.click()
    assert not tab.player.playing and tab.bar.play.text() == "▶ Play"
    at, seen, zs = (tab.player.index, tab.player.t), len(frames), tab.trace.zs[0].copy()
    assert 0 < at[1] < 1
    other = nncore.Network([784, 20, 15, 10], init="scaled", rng=9)
    tab.set_network(other)
    qtbot.wait(300)                                   # a bounded wait: nothing may play meanwhile
    assert (tab.player.index, tab.player.t) == at and len(frames) == seen
    np.testing.assert_array_equal(tab.trace.zs[0], zs)
    assert tab.map.held and not tab.map._timer.isActive() and "Paused" in tab.summary.text()
    tab.bar.play.click()                              # Play follows the window's network again
    assert tab.player.playing and not tab.map.held
    np.testing.assert_array_equal(tab.trace.zs[0], trace(other, mnist.test.x[0], 7).zs[0])
    tab.toggle_play()


def test_space_pauses_too(tab, qtbot):
    """Space while playing pauses: the frame index then stays put."""
    tab.show()
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=1000)
    tab.diagram.setFocus()
    qtbot.keyClick(tab.diagram, Qt.Key_Space)
    qtbot.waitUntil(lambda: tab.player.t > 0, timeout=2000)
    qtbot.keyClick(tab.diagram, Qt.Key_Space)
    at = (tab.player.index, tab.player.t)
    qtbot.wait(200)
    assert not tab.player.playing and (tab.player.index, tab.player.t) == at and tab.held


def test_the_side_panels_follow_the_example_on_show(tab, mnist):
    """After Next example the slope, the numbers and the lab are the new example's; a neuron clears the slope."""
    tab.show_edge(2, 1, 3)
    tab.player.play()
    tab.player.finish()
    tab.step_example()                                # on to test image 1
    x1, y1 = mnist.test.x[1], int(mnist.test.labels[1])
    tr = trace(tab.network, x1, y1)
    assert tab.slope.slice.cost0 == pytest.approx(tr.cost, rel=1e-9)
    assert tab.slope.slice.slope == pytest.approx(tr.nabla_w[1][1, 3], rel=1e-9)
    assert tab.numbers.numbers == edge_numbers(tab.network, tr, 2, 1, 3, tab.eta)
    np.testing.assert_array_equal(tab.lab.x, x1)
    np.testing.assert_allclose(tab.lab.before.values, tab.network.feedforward(x1))
    tab.show_neuron(1, 4)
    tab.picker.next_example()                         # test image 2
    tr2 = trace(tab.network, mnist.test.x[2], int(mnist.test.labels[2]))
    assert tab.numbers.numbers == neuron_numbers(tab.network, tr2, 1, 4)
    assert tab.slope.slice is None and tab.slope.title.text().startswith("Click an edge")


def test_a_selection_the_new_network_lacks_is_dropped(tab, mnist):
    """A narrower network from the window drops a selected neuron it has not, and clears the numbers."""
    tab.show_neuron(1, 18)
    tab.show()
    tab.set_network(nncore.Network([784, 8, 10], rng=1))
    assert tab.diagram.selection is None and tab.numbers.numbers is None and tab.lab.neuron is None


@pytest.mark.parametrize("size", [(1190, 600), (1700, 950)])
def test_the_tab_fits_a_laptop_page_with_the_bar_in_view(tab, size):
    """At every step's caption the tab needs ≤ 900 px of width and its page's height; the bar and the
    side panels' tab labels are inside the page."""
    tab.resize(*size)
    tab.show()
    tab.show_edge(2, 1, 3)
    for k in range(len(tab.steps)):
        tab.player.step_equation()
        tab.player.finish()
        hint = tab.minimumSizeHint()
        assert hint.width() <= 900 and hint.height() <= 600, (k, hint)
        tab.layout().activate()
        bar = tab.bar.geometry()
        assert bar.bottom() < size[1] and bar.top() > tab.summary.geometry().bottom(), k
    tabs = tab.side.tabBar()
    right = tab.side.mapTo(tab, tabs.geometry().topLeft()).x() + tabs.tabRect(tabs.count() - 1).right()
    assert right < size[0] and tabs.tabRect(tabs.count() - 1).right() < tab.side.width()
