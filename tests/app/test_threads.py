"""The app's one background-work helper: the latest start wins, outcomes come back in words, cancel
and shutdown leave no thread behind."""

import re
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from app import threads as app_threads
from app.threads import TaskFailed, TaskRunner, running_threads

NAME = "test-runner"


def watched(qtbot):
    """A TaskRunner and the list of its outcomes, ``(token, result or message)`` in order."""
    runner, outcomes = TaskRunner(NAME), []
    runner.finished.connect(lambda token, result: outcomes.append((token, result, NAME in running_threads())))
    runner.failed.connect(lambda token, message: outcomes.append((token, message, NAME in running_threads())))
    return runner, outcomes


def test_the_latest_start_wins_and_the_one_it_replaces_is_asked_to_stop(qtbot):
    """Three starts while the first runs: the second never runs, the first is told to stop and only the
    third's result arrives, once its thread has ended."""
    runner, outcomes = watched(qtbot)
    gate, told_to_stop, ran = threading.Event(), [], []

    def first(task):
        gate.wait(5)
        told_to_stop.append(task.cancelled())
        return "first"

    runner.start(1, first)
    runner.start(2, lambda _task: ran.append(2))
    runner.start(3, lambda _task: "third")
    assert runner.busy
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert outcomes == [(3, "third", False)] and ran == [] and told_to_stop == [True]


def test_progress_arrives_in_order_and_failures_in_words(qtbot):
    """A job's progress comes before its outcome; TaskFailed's message comes as it is, any other error
    with its class's name."""
    runner, outcomes = watched(qtbot)
    progress = []
    runner.progressed.connect(lambda token, done, total: progress.append((token, done, total)))

    def job(task):
        for i in range(3):
            task.progress(i + 1, 3)
        raise TaskFailed("the folder holds no images")

    with qtbot.waitSignal(runner.failed, timeout=5000):
        runner.start("a", job)
    assert progress == [("a", 1, 3), ("a", 2, 3), ("a", 3, 3)]
    with qtbot.waitSignal(runner.failed, timeout=5000):
        runner.start("b", lambda _task: 1 / 0)
    assert outcomes == [("a", "the folder holds no images", False), ("b", "ZeroDivisionError: division by zero", False)]


def test_cancel_drops_the_outcome_and_shutdown_waits_but_keeps_a_returned_one(qtbot):
    """Cancelled, a job that raises to stop is never reported; shut down, the thread has ended at once and
    a job that returned still reports when the event loop runs."""
    runner, outcomes = watched(qtbot)
    gate = threading.Event()

    def job(task):
        gate.wait(5)
        if task.cancelled():
            raise RuntimeError("stopped as asked")
        return "whole"

    runner.start("cancelled", job)
    runner.cancel()
    assert not runner.busy
    gate.set()
    runner.shutdown()
    assert NAME not in running_threads()
    kept = threading.Event()
    runner.start("kept", lambda _task: kept.wait(5) and "returned")
    kept.set()
    runner.shutdown()
    assert not runner.busy and NAME not in running_threads()
    QCoreApplication.processEvents()
    assert outcomes == [("kept", "returned", False)]


def test_only_the_runner_and_the_training_session_start_threads():
    """Every piece of background work goes through TaskRunner; the training worker (STYLE 5) is the one
    other QObject on a QThread of its own."""
    app = Path(app_threads.__file__).parent
    starts = {str(p.relative_to(app)) for p in app.rglob("*.py")
              if re.search(r"QThread\(|new_thread\(|moveToThread\(|import threading", p.read_text(encoding="utf-8"))}
    assert starts == {"threads.py", "training/training_session.py"}
