"""Shared fixtures: Qt runs offscreen, and no test may leave a thread running behind it."""

import os
import shutil
import sys
import tempfile
import threading

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Keep every test away from the user's real settings and data: Qt finds both through the XDG folders
# (QSettings' user scope, QStandardPaths' AppDataLocation), pointed here before Qt loads.
_ISOLATED_HOME = tempfile.mkdtemp(prefix="backprop-lab-tests-")
for _name, _sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache")):
    os.environ[_name] = os.path.join(_ISOLATED_HOME, _sub)


@pytest.fixture(scope="session", autouse=True)
def isolated_user_folders():
    """The temporary folder that stands in for the user's settings and data (removed at the end)."""
    yield _ISOLATED_HOME
    shutil.rmtree(_ISOLATED_HOME, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def app_process_settings():
    """The process-wide settings the app's main() makes (GIL switch interval, pyqtgraph options)."""
    from app.__main__ import configure_process

    configure_process()


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
    from app.window.app_settings import AppSettings

    return AppSettings(tmp_path / "settings.ini")


@pytest.fixture
def window(qtbot, settings, mnist, tmp_path):
    """A MainWindow on temporary settings and data folder, MNIST loaded, the welcome already seen; closed
    (threads ended) after."""
    from app.window.main_window import MainWindow

    settings.set_json("options", {"welcome": False})
    w = MainWindow(settings, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(w)
    w.status.confirm = lambda title, text: True
    yield w
    w.close()


@pytest.fixture(scope="session")
def mnist():
    """The bundled MNIST, loaded once for the session and converted to floats as the app's loader does."""
    from nncore import load_dataset

    return load_dataset().to_floats()


@pytest.fixture
def rng():
    """A fixed-seed generator, so random shapes and values are the same on every run."""
    return np.random.default_rng(12345)


sys.path.insert(0, os.path.dirname(__file__))   # so tests can import digit_strokes
