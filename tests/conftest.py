"""Shared fixtures: Qt runs offscreen, and no test may leave a thread running behind it."""

import os
import sys
import threading

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def no_thread_left_behind():
    """Fail any test that leaves a Python thread or one of the app's QThreads running."""
    before = set(threading.enumerate())
    yield
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for t in leftover:
        t.join(timeout=2.0)
    leftover = [t.name for t in leftover if t.is_alive()]
    if "app.threads" in sys.modules:
        leftover += sys.modules["app.threads"].running_threads()
    assert not leftover, f"test left threads running: {leftover}"


@pytest.fixture
def settings(tmp_path):
    """App settings in a temporary file: tests never touch the user's real settings."""
    from app.settings import AppSettings

    return AppSettings(tmp_path / "settings.ini")


@pytest.fixture
def window(qtbot, settings, mnist, tmp_path):
    """A MainWindow on temporary settings and data folder, MNIST loaded; closed (threads ended) after."""
    from app.main_window import MainWindow

    w = MainWindow(settings, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(w)
    w.confirm = lambda title, text: True
    yield w
    w.close()


@pytest.fixture(scope="session")
def mnist():
    """The bundled MNIST, loaded once for the session and converted to floats as the app's loader does."""
    from nncore import load_dataset

    data = load_dataset()
    for split in (data.train, data.validation, data.test):
        split.x
    return data


@pytest.fixture
def rng():
    """A fixed-seed generator, so random shapes and values are the same on every run."""
    return np.random.default_rng(12345)


sys.path.insert(0, os.path.dirname(__file__))   # so tests can import digit_strokes
