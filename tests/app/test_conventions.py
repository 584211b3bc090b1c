"""Desktop conventions: titles, shortcuts, zoom and theme, recent files, words that follow thresholds."""

from dataclasses import replace

import numpy as np
import pytest
from digit_strokes import BASE, smooth
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import nncore
from app.pad.prediction_view import confidence_words
from app.training.training_config import TrainingConfig
from app.training.training_session import RunState
from app.window.actions import shortcuts_table

QUICK = TrainingConfig(hidden=(16,), learning_rate=3.0, epochs=2, batch_size=10, train_size=1000)


@pytest.mark.parametrize("outputs, words, ahead", [
    ([0.9, 0.1] + [0.0] * 8, "confident", True),
    ([0.6, 0.3] + [0.0] * 8, "fairly sure", True),
    ([0.441, 0.3] + [0.0] * 8, "not sure", False),        # a top output of 0.441 is not "fairly sure"
    ([0.0] * 10, "not sure", False),
])
def test_confidence_words_follow_the_stated_thresholds(outputs, words, ahead):
    """Words and whether a guess is shown come from the thresholds in the docstring."""
    got_words, _color, got_ahead = confidence_words(np.array(outputs))
    assert (got_words, got_ahead) == (words, ahead)


def test_no_big_guess_when_no_output_is_ahead(window):
    """A network whose outputs are all ~0 shows '?' instead of a digit."""
    net = nncore.Network([784, 10], rng=0)
    net.biases[0][:] = -30
    window.current.set(net, "silent network")
    window.pad_panel.pad.draw_strokes(smooth(BASE[3]))
    window.pad_panel.classify()
    assert window.pad_panel.view.guess.text() == "?"


def test_title_bar_names_the_network_and_the_dataset(window):
    """Backprop Lab — <network> — MNIST."""
    window.current.set(nncore.Network([784, 12, 10], rng=1), "my test network, 784 → 12 → 10")
    assert window.windowTitle() == "Backprop Lab — my test network — MNIST"


def test_a_digit_key_labels_the_drawing_wherever_the_focus_is(window, qtbot):
    """Pressing 3 with the focus on a tab (not the pad) keeps the drawing as a 3."""
    window.show()
    qtbot.waitExposed(window)
    window.pad_panel.pad.draw_strokes(smooth(BASE[3]))
    window.pages.setFocus()
    QTest.keyClick(window.pages, Qt.Key_3)
    samples = window.pad_panel.handwriting.store.samples
    assert [s.label for s in samples] == [3] and window.pad_panel.pad.is_empty()


def test_pause_becomes_resume_and_continue_says_why_it_is_off(window, qtbot):
    """The Pause action reads Resume while paused; a disabled Continue's tooltip names the reason."""
    window.panel.apply_config(replace(QUICK, hidden=(16,)))
    assert not window.actions["continue"].isEnabled()
    assert "the settings ask for 784 → 16 → 10" in window.actions["continue"].toolTip()
    with qtbot.waitSignal(window.session.batchReported, timeout=10_000):
        window.training.step()
    assert window.session.state is RunState.PAUSED and window.actions["pause"].text() == "&Resume"
    window.training.toggle_pause()
    assert window.actions["pause"].text() == "&Pause"


def test_shortcuts_are_listed_from_the_actions(window):
    """Help → Keyboard shortcuts lists every action that has a shortcut, with its keys."""
    table = dict(shortcuts_table(window.actions))
    assert table["Train"] == "F5" and table["Full screen"] == "F11" and table["Step"] == "F10"
    assert len(table) == sum(1 for a in window.actions.values() if not a.shortcut().isEmpty())


def test_zoom_scales_the_fonts_and_dark_theme_darkens_widgets_and_plots(window, settings):
    """Zoom in twice → 1.3× the font; Dark → a dark window colour and dark plot backgrounds; kept."""
    base = QApplication.instance().font().pointSizeF()
    window.actions["zoom_in"].trigger()
    window.actions["zoom_in"].trigger()
    assert QApplication.instance().font().pointSizeF() == pytest.approx(base * 1.3)
    window.view.set_theme("dark")
    assert QApplication.instance().palette().window().color().lightness() < 80
    assert window.training_tab.plots.cost_plot.backgroundBrush().color().lightness() < 80
    assert settings.get_json("theme") == "dark" and settings.get_json("zoom") == 1.3
    window.actions["zoom_reset"].trigger()
    window.view.set_theme("light")
    assert QApplication.instance().font().pointSizeF() == pytest.approx(base)


def test_opened_networks_are_remembered_in_open_recent(window, tmp_path):
    """File → Open recent lists an opened network first, and reopening it from there works."""
    path = tmp_path / "net.npz"
    nncore.save(nncore.Network([784, 9, 10], rng=2), path)
    assert window.files.open_network(str(path))
    entries = window.files.recent_menu.actions()
    assert entries and entries[0].text().startswith("net.npz (network)")
    window.current.set(nncore.Network([784, 5, 10], rng=3), "another")
    entries[0].trigger()
    assert window.current.network.sizes == [784, 9, 10]
    assert window.settings.get_json("last_dir_network") == str(tmp_path.resolve())
