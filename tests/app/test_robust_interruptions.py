"""Interrupted work and long sessions: no crash, no deadlock, no Qt warning, no thread left."""

import resource
from dataclasses import replace

from app.threads import running_threads
from app.training.training_config import TrainingConfig
from app.training.training_session import RunState
from app.window.main_window import MainWindow

QUICK = TrainingConfig(hidden=(8,), learning_rate=3.0, epochs=1, batch_size=100, train_size=1000)


def test_divergence_in_the_window_restores_and_explains(window, errors, qtbot):
    """η pushed to infinity mid-run: the run ends 'diverged', weights stay finite, the user is told."""
    window.panel.apply_config(replace(QUICK, batch_size=1, train_size=50_000))
    with qtbot.waitSignal(window.session.batchReported, timeout=10_000):
        window.training.train()
    with qtbot.waitSignal(window.session.runEnded, timeout=10_000) as ended:
        window.session.set_learning_rate(float("inf"))
    assert ended.args[1].reason == "diverged"
    assert window.current.network.is_finite()
    assert "smaller learning rate" in errors[-1][1]


def test_close_while_the_dataset_loads(qtbot, settings, tmp_path):
    """Closing right after launch, while MNIST is still loading, ends the loader thread cleanly."""
    w = MainWindow(settings, data_dir=tmp_path)
    qtbot.addWidget(w)
    assert w.loader.dataset is None and "Loading" in w.status.text()
    qtbot.waitUntil(lambda: w.loader.busy, timeout=5000)
    w.close()
    assert "dataset-loader" not in running_threads()
    closed_at_once = MainWindow(settings, data_dir=tmp_path)   # closed before loading even began
    qtbot.addWidget(closed_at_once)
    closed_at_once.close()
    qtbot.waitUntil(lambda: not closed_at_once.loader.busy, timeout=5000)
    assert "dataset-loader" not in running_threads()


def test_train_and_stop_pressed_100_times(window, qtbot):
    """Train/Stop hammered 100 times: every run ends, the session ends idle, nothing crashes."""
    window.panel.apply_config(replace(QUICK, batch_size=1, train_size=50_000))
    ends, started = [], []
    window.session.runEnded.connect(lambda i, e: ends.append(e.reason))
    window.session.runStarted.connect(lambda i, setup: started.append(i))
    for _ in range(100):
        window.actions["train"].trigger()
        window.actions["stop"].trigger()
        qtbot.wait(1)
    qtbot.waitUntil(lambda: window.session.state is RunState.IDLE and len(ends) == len(started), timeout=20_000)
    assert len(started) >= 10 and set(ends) <= {"stopped", "finished"}
    assert window.actions["train"].isEnabled()


def test_settings_changed_mid_run(window, qtbot):
    """Changing η, epochs and the layer sizes while training: the run goes on or stops when asked."""
    asked = []
    window.status.confirm = lambda title, text: asked.append(title) or True
    window.panel.apply_config(replace(QUICK, batch_size=1, train_size=50_000, epochs=3))
    with qtbot.waitSignal(window.session.batchReported, timeout=10_000):
        window.training.train()
    window.panel.apply_config(replace(QUICK, batch_size=1, train_size=50_000, epochs=3, learning_rate=0.3))
    assert window.session.state is RunState.RUNNING
    with qtbot.waitSignal(window.session.runEnded, timeout=10_000) as ended:
        window.panel.apply_config(replace(QUICK, hidden=(20, 20), batch_size=1, train_size=50_000))
    assert asked == ["New weights needed"] and ended.args[1].reason == "stopped"


def rss_mb():
    """The process's peak resident memory so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_fifty_runs_keep_the_history_bounded_and_memory_flat(window, qtbot):
    """50 short runs: the run history, curves and list stay at 12 runs and memory stops growing.

    (Whether later runs are as fast as early ones is measured by benchmarks/long_session.py.)
    """
    peaks = []
    for k in range(50):
        window.panel.apply_config(replace(QUICK, learning_rate=0.5 + k / 10))
        with qtbot.waitSignal(window.session.runEnded, timeout=20_000):
            window.training.train()
        peaks.append(rss_mb())
    tab = window.training_tab
    assert len(tab.history) == tab.history.max_runs == 12
    assert len(tab.plots._curves) == 12 and tab.runs.list.count() == 12
    assert peaks[-1] - peaks[19] < 30, peaks
