"""``backprop-lab --self-check``, the smoke check that ``packaging/check-bundle`` (in CI) runs against the
no-Python download: it passes only with the window shown, MNIST loaded and the default network reading
the test images as it should, and it fails in one line otherwise. The bundle itself is built and started
by ``.ci/run`` (packaging/build-bundle, packaging/check-bundle), too slow for a test.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.window.network_shelf import DEFAULT_KEY
from app.window.self_check import SelfCheck

ROOT = Path(__file__).resolve().parents[1]
PASSED = re.compile(r"passed: the window is up \(\d+×\d+\); MNIST: 50,000 training, 10,000 validation, "
                    r"10,000 test images; the default network \(784 → 300 → 10, [^)]*\) reads (\d),(\d{3}) "
                    r"of the 10,000 test images correctly \(\d+\.\d s\)")


def check_window(window, mnist):
    """A SelfCheck watching ``window``, after ``mnist`` arrives as the window's dataset."""
    check = SelfCheck(QApplication.instance(), window, time.perf_counter())
    window.show()
    window.loader.use(mnist)
    return check


def test_it_passes_with_the_window_the_data_and_the_default_network(window, mnist):
    """Status 0; the line gives the splits' sizes and the default network's test score (9,859)."""
    check = check_window(window, mnist)
    match = PASSED.fullmatch(check.line)
    assert check.status == 0 and match, check.line
    assert int("".join(match.groups())) == 9_859
    assert not window.isVisible()   # closed once judged


def test_without_the_default_network_it_fails_saying_so(window, mnist):
    """The default network missing from the shelf: status 1 and what did not load."""
    window.networks.shelf.remove(DEFAULT_KEY)
    check = check_window(window, mnist)
    assert check.status == 1
    assert re.fullmatch(r"FAILED: the pre-trained default network did not load \(\d+\.\d s\)", check.line)


def test_a_dataset_that_fails_to_load_fails_the_check_with_its_message(window):
    """The loader's failure message is the check's, with status 1."""
    check = SelfCheck(QApplication.instance(), window, time.perf_counter())
    window.loader.failed.emit("t10k-images-idx3-ubyte.gz: truncated")
    assert check.status == 1
    assert check.line.startswith("FAILED: MNIST did not load: t10k-images-idx3-ubyte.gz: truncated (")


def test_the_command_prints_one_line_and_leaves_the_users_folders_alone(tmp_path):
    """``python -m app --self-check`` from another folder: status 0, one passing line on stdout, and
    nothing written in the user's settings or data folders (its profile is a temporary one)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "app", "--self-check"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("\n") == 1 and PASSED.search(done.stdout), done.stdout
    assert done.stdout.startswith("backprop-lab self-check passed: ")
    assert not (tmp_path / "config").exists() and not (tmp_path / "data").exists()
