"""The pixels tab shows the core's dC/dx, nudges and dreams exactly, and ends its threads."""

import numpy as np
import pytest

import nncore
from app.inside.weights_tab import WeightsTab
from app.pixels import dreams_panel
from app.pixels.colours import AGAINST, FOR, grey_rgb, saliency_rgb
from app.pixels.pixels_tab import PixelsTab
from app.threads import running_threads


@pytest.fixture
def pad(pad_with_a_4):
    """A drawing pad holding a drawn 4."""
    return pad_with_a_4


@pytest.fixture
def tab(qtbot, pad, default_net):
    """A shown PixelsTab reading the pad with the default network; its thread is ended after."""
    tab = PixelsTab(lambda: None if pad.is_empty() else pad.to_network_input())
    qtbot.addWidget(tab)
    pad.drawingChanged.connect(tab.drawing_changed)
    tab.resize(1200, 800)
    tab.set_network(default_net, "the default network")
    tab.show()
    qtbot.waitUntil(lambda: tab.saliency.gradient is not None, timeout=3000)
    yield tab
    tab.shutdown()


def test_overlay_is_input_gradient_for_the_top_guess(tab, pad, default_net):
    """The overlay holds input_gradient for the top guess (4), coloured orange where dC/dx < 0."""
    x = pad.to_network_input()
    assert int(np.argmax(default_net.feedforward(x))) == 4 == tab.saliency.target
    expected = nncore.input_gradient(default_net, x, 4)
    np.testing.assert_array_equal(tab.saliency.gradient, expected)
    np.testing.assert_array_equal(tab.saliency.overlay.rgb, saliency_rgb(x, expected, tab.saliency.scale))
    most_for, most_against = (tab.saliency.overlay.rgb[divmod(int(i), 28)].astype(int)
                              for i in (np.argmin(expected), np.argmax(expected)))
    assert np.abs(most_for - FOR).max() < 50 and np.abs(most_against - AGAINST).max() < 50
    assert "reads <b>4</b>" in tab.saliency.summary.text()


def test_a_chosen_digit_is_weighed_instead_of_the_top_guess(tab, pad, default_net, qtbot):
    """Picking 9 shows dC/dx for the target 9, not for the network's guess."""
    tab.saliency.digit.setCurrentIndex(1 + 9)
    qtbot.waitUntil(lambda: tab.saliency.target == 9, timeout=3000)
    np.testing.assert_array_equal(tab.saliency.gradient,
                                  nncore.input_gradient(default_net, pad.to_network_input(), 9))


def test_drawing_updates_are_coalesced_and_follow_the_pad(tab, pad, qtbot):
    """Five changes in one pass of the event loop make one update, of the drawing as it is now."""
    weighed = []
    tab.saliencyUpdated.connect(lambda: weighed.append(tab.saliency.x))
    with qtbot.waitSignal(tab.saliencyUpdated, timeout=3000):
        pad.draw_strokes([[(0.2, 0.9), (0.8, 0.9)]])      # one change through the pad's signal
        for _ in range(4):
            tab.drawing_changed()
    qtbot.wait(50)
    assert len(weighed) == 1
    np.testing.assert_array_equal(weighed[0], pad.to_network_input())


def test_nudge_animation_reaches_the_target_with_toward_steps_frames(tab, pad, default_net, qtbot):
    """A drawn 4 pressed toward 9: animated frames are exactly toward_steps', the last read as 9."""
    x = pad.to_network_input()
    tab.nudge.speed.setCurrentText("60 steps a second")
    with qtbot.waitSignal(tab.nudge.nudgeFinished, timeout=20_000) as done:
        tab.nudge.digit_buttons[9].click()
        assert tab.nudge.running and len(tab.nudge.frames) == 1     # the untouched input, at once
    expected = list(nncore.toward_steps(default_net, x, 9))
    shown = tab.nudge.frames
    assert len(shown) == len(expected) > 2 and done.args[0] is shown[-1]
    for got, want in zip(shown, expected):
        assert (got.step, got.steps, got.reached) == (want.step, want.steps, want.reached)
        np.testing.assert_array_equal(got.x, want.x)
        np.testing.assert_array_equal(got.outputs, want.outputs)
    assert shown[-1].reached and int(np.argmax(default_net.feedforward(shown[-1].x))) == 9
    np.testing.assert_array_equal(tab.nudge.after.rgb, grey_rgb(shown[-1].x))
    np.testing.assert_array_equal(tab.nudge.bars.values, shown[-1].outputs)
    assert f"reads <b>9</b> after {shown[-1].steps} steps" in tab.nudge.status.text()
    with qtbot.waitSignal(tab.sendToPad) as sent:
        tab.nudge.to_pad.click()
    assert sent.args[0].dtype == np.float32
    np.testing.assert_array_equal(sent.args[0], shown[-1].x.astype(np.float32))
    with qtbot.waitSignal(tab.inspectRequested) as asked:
        tab.nudge.to_inspector.click()
    assert asked.args[1] == 9 and f"nudged toward 9 in {shown[-1].steps} steps" in asked.args[2]


def test_a_nudge_that_does_not_arrive_says_so_and_offers_a_larger_step(tab, qtbot):
    """Two steps of 0.1 cannot turn the 4 into a 9: "Not reached", and a retry with step size 0.3."""
    tab.nudge.max_steps.setValue(2)
    tab.nudge.speed.setCurrentText("straight to the end")
    with qtbot.waitSignal(tab.nudge.nudgeFinished, timeout=10_000) as done:
        tab.nudge.digit_buttons[9].click()
    assert not done.args[0].reached and done.args[0].steps == 2
    assert "Not reached" in tab.nudge.status.text() and "larger step size" in tab.nudge.status.text()
    assert not tab.nudge.retry.isHidden() and tab.nudge.retry.text() == "Try step size 0.3"
    with qtbot.waitSignal(tab.nudge.nudgeFinished, timeout=10_000):
        tab.nudge.retry.click()
    assert tab.nudge.step_size.value() == pytest.approx(0.3) and tab.nudge.target == 9


def test_dreams_shown_are_read_as_their_digits(tab, default_net, qtbot):
    """Each of the ten dreams shown is nncore.dream's, and the network reads it as its digit."""
    qtbot.waitUntil(lambda: tab.dreams.dreams is not None, timeout=30_000)
    for d, (dr, view) in enumerate(zip(tab.dreams.dreams, tab.dreams.views)):
        assert dr.digit == d and int(np.argmax(default_net.feedforward(dr.x))) == d
        np.testing.assert_array_equal(dr.x, nncore.dream(default_net, d))
        np.testing.assert_array_equal(view.rgb, grey_rgb(dr.x))
        assert f"<br>{dr.outputs[d]:.3f}" in tab.dreams.captions[d].text()
    assert "10 of 10 dreams are read as their digit" in tab.dreams.status.text()


def test_dreams_are_recomputed_at_a_bounded_rate_and_only_on_screen(tab, default_net, qtbot, monkeypatch):
    """Networks arriving while dreaming start nothing; the next waits its turn; a hidden tab waits."""
    monkeypatch.setattr(dreams_panel, "MIN_INTERVAL_S", 3600.0)   # however long the first takes
    started = []
    tab.dreams.dreamingStarted.connect(lambda: started.append(tab.dreams.status.text()))
    assert tab.dreams.runner.busy and tab.dreams.status.text().startswith("Dreaming…")
    for _ in range(5):
        tab.set_network(default_net.copy(), "during training")
    assert started == []                                  # never queued twice
    qtbot.waitUntil(lambda: tab.dreams.dreams is not None, timeout=30_000)
    assert started == [] and not tab.dreams.runner.busy  # not before MIN_INTERVAL_S
    tab.hide()
    monkeypatch.setattr(dreams_panel, "MIN_INTERVAL_S", 0.0)
    tab.set_network(default_net.copy(), "while hidden")
    assert started == []
    tab.show()                                            # in view again: the latest network
    assert started == ["Dreaming… (0 of 10)"] and tab.dreams.runner.busy


def test_the_tab_leaves_no_thread_running(tab, qtbot):
    """shutdown() ends the dreams' thread, even while it dreams."""
    assert "dreams" in running_threads()
    tab.shutdown()
    assert "dreams" not in running_threads()


def test_weights_tab_shows_the_clicked_neurons_preferred_input(qtbot):
    """Clicking neuron 3's tile shows dream_neuron(network, 1, 3) beside its weights; no thread stays."""
    tab = WeightsTab()
    qtbot.addWidget(tab)
    net = nncore.Network([784, 16, 10], init="scaled", rng=4)
    tab.set_network(net)
    tab.show()
    qtbot.waitUntil(lambda: tab.network is net, timeout=3000)
    r, c = next((r, c) for r in range(tab.grid.values.shape[0]) for c in range(tab.grid.values.shape[1])
                if tab.neuron_at(r, c) == (3, 0))
    tab.grid.cellClicked.emit(r, c)
    assert "computing" in tab.dream_caption.text()
    qtbot.waitUntil(lambda: tab.dream is not None, timeout=10_000)
    j, x = tab.dream
    assert j == 3 and tab.selected == 3 and "Neuron 3's preferred input" in tab.dream_caption.text()
    np.testing.assert_array_equal(x, nncore.dream_neuron(net, 1, 3))
    assert not tab.dream_view.pixmap().isNull()
    assert "neuron-dream" not in running_threads()
    tab.shutdown()


def test_a_saturated_networks_tiny_gradient_still_colours_the_map():
    """dC/dx of 1e-211 scaled by 1e-212 (a saturated network's) colours the map like any other: no NaN
    row index (float32 would make 0 × inf of them), the largest values at full colour."""
    g = np.zeros(784)
    g[:2] = (-3e-211, 3e-211)
    rgb = saliency_rgb(np.zeros(784), g, 1e-212)
    assert np.abs(rgb[0, 0].astype(int) - saliency_rgb(np.zeros(784), -np.ones(784), 1.0)[0, 0]).max() == 0
    assert rgb[0, 2].min() >= 250                        # zero: (nearly) the bare paper
