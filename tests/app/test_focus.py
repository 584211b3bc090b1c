"""One network in focus: the views read the network the user chose (or the training run, when following
it once it has learned an epoch); Step, Reset and an inspector step never leave the chooser blank or
change the focus behind the user's back; the welcome's three ways in."""

from dataclasses import replace

import numpy as np

from app.training.training_config import TrainingConfig
from app.training.training_session import RunState
from nncore import Network

QUICK = TrainingConfig(hidden=(16,), learning_rate=3.0, epochs=1, batch_size=10, train_size=1000)


def _views_read(window):
    """The network each view that reads at once holds, by name (the others read it when shown)."""
    return {"pad": window.pad_panel.network, "inspector": window.inspector.network,
            "mistakes": window.mistakes.network}


def test_step_from_new_weights_does_not_take_the_focus(qtbot, window):
    """F10 with no run going trains one mini-batch of an untrained network: the pad keeps its network."""
    window.panel.apply_config(QUICK)
    before, source = window.current.network, window.current.source
    with qtbot.waitSignal(window.session.batchReported, timeout=10_000):
        window.actions["step"].trigger()
    qtbot.waitUntil(lambda: window.session.state is RunState.PAUSED, timeout=5000)
    qtbot.wait(50)
    assert window.current.network is before and window.current.source == source == "default"
    assert window.pad_panel.network is before
    assert f"run:{window.session.run_id}" in [k for k, _ in window.networks.shelf.choices()]
    window.session.stop()
    qtbot.waitUntil(lambda: window.session.state is RunState.IDLE, timeout=5000)


def test_reset_offers_new_weights_without_taking_the_focus(window):
    """Reset puts untrained weights from the seed on the list; the views keep reading what they read."""
    window.panel.apply_config(replace(QUICK, seed=7))
    before = window.current.network
    net = window.training.reset_weights()
    assert window.current.network is before and window.pad_panel.network is before
    label, kept = window.networks.shelf.get("new")
    assert kept is net and "untrained" in label and "seed 7" in label
    cfg = window.panel.config()
    same = Network(cfg.sizes, cost=cfg.cost, init=cfg.init, rng=np.random.default_rng(7))
    for got, want in zip(net.weights, same.weights):
        np.testing.assert_array_equal(got, want)


def test_following_takes_the_run_once_it_has_learned_an_epoch(qtbot, window):
    """With "Follow training" on, the focus moves to the run after its first epoch; every view reads it."""
    assert window.networks.follow
    window.panel.apply_config(QUICK)
    with qtbot.waitSignal(window.session.runEnded, timeout=30_000) as ended:
        window.actions["train"].trigger()
    run_id = ended.args[0]
    qtbot.waitUntil(lambda: window.current.source == f"run:{run_id}", timeout=5000)
    assert window.current.epochs == 1
    assert all(net is window.current.network for net in _views_read(window).values())
    assert window.focus_bar.combo.currentData() == f"run:{run_id}"


def test_not_following_keeps_the_chosen_network(qtbot, window):
    """With "Follow training" off, a whole run trains and the focus stays on the default network."""
    window.focus_bar.follow.setChecked(False)
    assert not window.networks.follow
    before = window.current.network
    window.panel.apply_config(QUICK)
    with qtbot.waitSignal(window.session.runEnded, timeout=30_000):
        window.actions["train"].trigger()
    qtbot.wait(50)
    assert window.current.network is before and window.current.source == "default"
    window.focus_bar.follow.setChecked(True)       # turning it on takes nothing: no run is training
    assert window.current.network is before


def test_an_inspector_step_and_undo_leave_focus_and_chooser_as_they_were(qtbot, window):
    """The inspector's step changes the focus network (every view reads the stepped one); Undo puts back
    exactly the network, its description and its place on the chooser."""
    window.pages.show_page(window.inspector)
    before, description, source = window.current.network, window.current.description, window.current.source
    chooser_before = window.focus_bar.current_text()
    mnist_x = window.loader.dataset.test.x[0]
    window.inspector.show_example(mnist_x, int(window.loader.dataset.test.labels[0]), "test image 0")
    qtbot.waitUntil(lambda: window.inspector.trace is not None, timeout=10_000)
    stepped = window.inspector.step.apply_one_step()
    assert stepped is not None and window.current.network is stepped
    assert window.current.source == source and window.focus_bar.current_text()      # never blank
    assert "inspector step" in window.focus_bar.current_text()
    assert all(net is stepped for net in _views_read(window).values())
    window.inspector.step.undo_step()
    assert window.current.network is before and window.current.description == description
    assert window.current.source == source and window.focus_bar.current_text() == chooser_before


def test_choosing_another_network_during_a_run_stops_following(qtbot, window):
    """Picking the default while a run trains stops following: the run's later networks do not take over."""
    window.panel.apply_config(replace(QUICK, epochs=3, train_size=2000))
    with qtbot.waitSignal(window.session.epochReported, timeout=30_000):
        window.actions["train"].trigger()
    window.focus_bar.chosen.emit("default")
    assert not window.networks.follow and not window.focus_bar.follow.isChecked()
    chosen = window.current.network
    with qtbot.waitSignal(window.session.runEnded, timeout=30_000):
        pass
    assert window.current.network is chosen and window.current.source == "default"


def test_the_welcome_opens_lesson_one(qtbot, window):
    """Help → Welcome offers three ways in; "Open lesson 1" shows the Lessons page at its first lesson."""
    window.actions["welcome"].trigger()
    assert window.welcome.isVisible() and set(window.welcome.buttons) == {"train", "draw", "lesson"}
    window.welcome.buttons["lesson"].click()
    assert not window.welcome.isVisible()
    assert window.pages.current_room() is window.lessons and window.lessons.list.currentRow() == 0


def test_the_welcome_trains_the_books_network(qtbot, window):
    """"Train the book's network" puts the book's settings in place and starts the run on the Training page."""
    window.pages.show_page(window.lessons)
    window.actions["welcome"].trigger()
    with qtbot.waitSignal(window.session.runStarted, timeout=5000) as started:
        window.welcome.buttons["train"].click()
    assert started.args[1].config == TrainingConfig()
    assert window.pages.current_room() is window.training_tab
    window.session.stop()
    qtbot.waitUntil(lambda: window.session.state is RunState.IDLE, timeout=10_000)


def test_the_welcome_greets_once_unless_asked(qtbot, settings, mnist, tmp_path):
    """A fresh profile is greeted once ("Show this at start" unticked); ticking it brings the welcome back
    at the next start."""
    from app.window.main_window import MainWindow

    def launch():
        w = MainWindow(settings, dataset=mnist, data_dir=tmp_path)
        qtbot.addWidget(w)
        w.show()
        qtbot.wait(100)
        return w

    first = launch()
    qtbot.waitUntil(lambda: first.welcome is not None and first.welcome.isVisible(), timeout=5000)
    assert not first.welcome.show_at_start.isChecked()
    first.close()
    second = launch()
    assert second.welcome is None                       # greeted once
    second.actions["welcome"].trigger()                 # Help → Welcome, and ask for it at every start
    second.welcome.show_at_start.setChecked(True)
    second.close()
    third = launch()
    qtbot.waitUntil(lambda: third.welcome is not None and third.welcome.isVisible(), timeout=5000)
    assert third.welcome.show_at_start.isChecked()
    third.close()


def test_a_room_shown_by_hand_is_remembered_for_its_page(qtbot, window):
    """Showing the settings on the Weights page sticks to that page, and not to others."""
    window.show()
    qtbot.waitExposed(window)
    window.pages.show_page(window.weights_tab)
    assert not window.settings_dock.isVisible()
    window.settings_dock.toggleViewAction().trigger()
    assert window.settings_dock.isVisible()
    window.pages.show_page(window.mistakes)
    assert not window.settings_dock.isVisible()
    window.pages.show_page(window.weights_tab)
    assert window.settings_dock.isVisible()
    assert window.rooms.choices() == {"Weights": {"settings": True}}
