"""Shared fixtures: Qt runs offscreen, and no test may leave a thread running behind it."""

import os
import threading

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def no_thread_left_behind():
    """Fail any test that leaves a Python thread running after it returns."""
    before = set(threading.enumerate())
    yield
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for t in leftover:
        t.join(timeout=2.0)
    leftover = [t for t in leftover if t.is_alive()]
    assert not leftover, f"test left threads running: {leftover}"


@pytest.fixture(scope="session")
def mnist():
    """The bundled MNIST, loaded once for the whole session."""
    from nncore import load_dataset

    return load_dataset()


@pytest.fixture
def rng():
    """A fixed-seed generator, so random shapes and values are the same on every run."""
    return np.random.default_rng(12345)
