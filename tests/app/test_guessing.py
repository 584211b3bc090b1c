"""A run that only guesses is named as such in the window: a warning that stays, and the pad, reading with
that run's network, says its answer means nothing instead of calling its one constant answer "confident"."""

from digit_strokes import BASE, smooth

from app.training.training_config import TrainingConfig

HUGE_ETA = TrainingConfig(hidden=(16,), learning_rate=10_000.0, epochs=2, batch_size=10, train_size=2000)


def test_a_run_at_chance_is_warned_about_and_the_pad_says_its_answer_means_nothing(qtbot, window):
    """η = 10,000 saturates the sigmoid neurons within the first mini-batches: two epochs at ~10%. The
    warning names the run, its best accuracy and what to try; the pad's words say "at chance" with the
    reason in the tooltip; and the book's η = 3 on the same settings gets neither."""
    window.show()
    window.panel.apply_config(HUGE_ETA)
    with qtbot.waitSignal(window.session.runEnded, timeout=60_000) as ended:
        window.actions["train"].trigger()
    run_id = ended.args[0]
    (warning,) = [w for w in window.status.warnings() if "guessing" in w]
    assert warning.startswith(f"Run #{run_id}: the network is guessing") and "η = 10000" in warning
    assert "e.g. η = 3" in warning and "--eta" not in warning
    qtbot.waitUntil(lambda: window.current.source == f"run:{run_id}", timeout=5000)
    window.pad_panel.pad.draw_strokes(smooth(BASE[4]))
    view = window.pad_panel.view
    qtbot.waitUntil(lambda: view.outputs is not None, timeout=5000)
    assert view.detail.text().startswith("at chance") and "confident" not in view.detail.text()
    assert f"Run #{run_id} never did better than" in view.guess.toolTip()
    window.pages.show_page(window.pixels)         # What it looks at: the saliency map explains its noise
    saliency = window.pixels.saliency
    qtbot.waitUntil(lambda: saliency.gradient is not None and saliency.isVisible(), timeout=5000)
    assert abs(saliency.gradient).max() < 1e-6 and "this map is noise" in saliency.summary.text()
    assert "orange" not in saliency.summary.text()

    window.status.dismiss_warnings()
    window.panel.apply_config(TrainingConfig(hidden=(16,), learning_rate=3.0, epochs=2, batch_size=10,
                                             train_size=2000))
    with qtbot.waitSignal(window.session.runEnded, timeout=60_000) as ended:
        window.actions["train"].trigger()
    qtbot.waitUntil(lambda: window.current.source == f"run:{ended.args[0]}", timeout=5000)
    window.pad_panel.pad.draw_strokes(smooth(BASE[1]))
    qtbot.waitUntil(lambda: not view.detail.text().startswith("at chance"), timeout=5000)
    assert not [w for w in window.status.warnings() if "guessing" in w]
    qtbot.waitUntil(lambda: "orange" in saliency.summary.text(), timeout=5000)   # a map worth reading again
    assert "noise" not in saliency.summary.text()
    assert view.guess.toolTip() == "" or "never did better" not in view.guess.toolTip()
