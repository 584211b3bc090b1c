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
    # A Qt thread that calls into Python code using threading (threadpoolctl) shows up as a "dummy"
    # thread, which cannot be joined: the app's QThreads are checked through app.threads below.
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()
                and not isinstance(t, threading._DummyThread)]
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
    """The bundled MNIST, loaded once for the session, with float copies of its splits kept for the
    tests' own arithmetic (the app and the core read the bytes)."""
    from nncore import load_dataset

    return load_dataset().to_floats()


@pytest.fixture
def rng():
    """A fixed-seed generator, so random shapes and values are the same on every run."""
    return np.random.default_rng(12345)


sys.path.insert(0, os.path.dirname(__file__))   # so tests can import digit_strokes


# The slow end-to-end checks (child processes, clusters, whole sweeps, dreams, many runs, whole-window
# walks): left out of
# the README's quick command and run by `pytest -m slow` (.ci/run runs both). Named here, in one place,
# by file and test name (every parameter of a test alike).
SLOW = {
    "tests/nncore/test_own_data_slow.py": {"*"},   # own data: the spirals and 22,000 PNG files, trained
    "tests/nncore/test_sweep.py": {"test_each_run_is_exactly_the_same_train_command",
                                   "test_a_stopped_sweep_leaves_no_child_process",
                                   "test_without_json_a_table_of_runs_and_each_run_saved",
                                   "test_a_sweep_told_to_end_with_its_parent_stops_its_runs_when_that_dies",
                                   "test_run_ends_adds_one_line_as_each_run_ends"},
    "tests/nncore/test_executor.py": {"*"},
    "tests/nncore/test_momentum.py": {"test_momentum_on_the_command_line_in_a_sweep_and_a_label"},
    "tests/nncore/test_input_gradients.py": {"test_each_dream_is_read_as_its_digit"},
    "tests/app/test_pixels.py": {"test_dreams_shown_are_read_as_their_digits",
                                 "test_dreams_are_recomputed_at_a_bounded_rate_and_only_on_screen"},
    "tests/app/test_sweeps.py": {"test_a_real_two_run_sweep_reports_both_runs",
                                 "test_stop_during_a_sweep_leaves_no_process"},
    "tests/app/test_robust_interruptions.py": {"test_fifty_runs_keep_the_history_bounded_and_memory_flat"},
    "tests/app/test_run_memory.py": {"*"},
    "tests/app/test_window_fit.py": {"*"},      # the real window in its own process, at two screen sizes
    "tests/app/test_dark_theme.py": {"*"},      # every page walked in both themes
    "tests/app/test_second_window.py": {"*"},   # two real windows on one profile
    "tests/test_bundle.py": {"*"},              # the window's self-check, each in its own process
    "tests/test_wheel.py": {"*"},               # a wheel built and installed
    "tests/app/test_session_fuzz.py": {"*"},    # hypothesis over every session file
    "tests/app/test_fuzz_app.py": {"*"},        # hypothesis over the stored settings
    "tests/nncore/test_memory_use.py": {"*"},   # peak memory of whole epochs
}


def pytest_collection_modifyitems(config, items):
    """Mark the tests named in SLOW as slow."""
    for item in items:
        names = SLOW.get(item.nodeid.split("::")[0], ())
        if "*" in names or item.originalname in names:
            item.add_marker(pytest.mark.slow)
