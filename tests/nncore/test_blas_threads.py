"""BLAS threads: a run sets its count and gives it back, the rule picks two only for wide layers, a busy
core elsewhere keeps a run on one, and the count can be set from any thread (threadpoolctl)."""

import os
import subprocess
import sys
import threading
import time

import pytest

from nncore import SGD, BatchReport, Network
from nncore.fast import threads as fast_threads


def test_a_run_sets_its_blas_threads_and_gives_them_back(mnist):
    """SGD(threads=2) runs with two OpenBLAS threads and leaves the count it found; the rule picks two
    only for wide layers."""
    before = fast_threads.blas_threads()
    if before is None:
        pytest.skip("NumPy's BLAS is not an OpenBLAS")
    data = mnist.with_train_size(50)
    during = []
    for threads in (2, 1):
        for r in SGD(Network([784, 8, 10], rng=1), data.train, learning_rate=1.0, epochs=1, batch_size=10,
                     rng=1, threads=threads, report_interval=0).run():
            if isinstance(r, BatchReport):
                during.append(fast_threads.blas_threads())
        assert fast_threads.blas_threads() == before
    assert during[0] == 2 and during[-1] == 1
    assert fast_threads.blas_threads_for([784, 30, 10], 10, cpus=2) == 1
    assert fast_threads.blas_threads_for([784, 1000, 10], 1, cpus=2) == 2
    assert fast_threads.blas_threads_for([784, 300, 10], 100, cpus=2) == 2
    assert fast_threads.blas_threads_for([784, 300, 10], 10, cpus=2) == 1
    assert fast_threads.blas_threads_for([784, 1000, 10], 100, cpus=1) == 1


def test_a_busy_core_elsewhere_is_seen_and_keeps_a_wide_run_on_one_thread(mnist, monkeypatch):
    """CoreMonitor sees a spinning process as a core taken; SGD(threads=None) then trains a wide
    network on one BLAS thread, and on two when the cores are free."""
    if fast_threads.CoreMonitor._sample() is None:
        pytest.skip("no /proc/stat here")
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.1)
        monitor = fast_threads.CoreMonitor()
        time.sleep(0.3)
        assert monitor.others() >= 0.5
    finally:
        spinner.kill()
        spinner.wait()
    if fast_threads.blas_threads() is None or (os.cpu_count() or 1) < 2 or fast_threads.blas_threads_chosen_by_user():
        pytest.skip("one core, no OpenBLAS to set, or OPENBLAS_NUM_THREADS set by the user")
    data = mnist.with_train_size(200)
    for others, expected in ((1.0, 1), (0.0, 2)):
        monkeypatch.setattr(fast_threads.CoreMonitor, "others", lambda self, o=others: o)
        during = [fast_threads.blas_threads() for r in SGD(Network([784, 1000, 10], rng=1), data.train,
                                                      learning_rate=0.1, epochs=1, batch_size=100, rng=1,
                                                      report_interval=0).run() if isinstance(r, BatchReport)]
        assert set(during) == {expected}


def test_a_worker_thread_sets_the_count_after_another_thread_did():
    """The count set from the main thread, then from a worker thread (as a window's run does), then from
    the main thread again, is each time the one OpenBLAS reports (threadpoolctl would otherwise let only
    the first thread that set it set it again); the count found is given back."""
    before = fast_threads.blas_threads()
    if before is None:
        pytest.skip("NumPy's BLAS is not an OpenBLAS")
    seen = []
    try:
        seen.append(fast_threads.set_blas_threads(2))
        worker = threading.Thread(target=lambda: seen.append(fast_threads.set_blas_threads(1)))
        worker.start()
        worker.join()
        seen.append(fast_threads.blas_threads())
        seen.append(fast_threads.set_blas_threads(2))
    finally:
        fast_threads.set_blas_threads(before)
    assert seen == [2, 1, 1, 2]
    assert fast_threads.blas_threads() == before


def test_the_library_is_numpys_own_openblas():
    """The controller threadpoolctl gives is the OpenBLAS bundled with NumPy, and Gemm calls into it."""
    import numpy as np

    library = fast_threads.numpy_openblas()
    if library is None:
        pytest.skip("NumPy's BLAS is not an OpenBLAS")
    folder = os.path.dirname(np.__file__)
    assert str(library.filepath).startswith((os.path.join(os.path.dirname(folder), "numpy.libs"),
                                             os.path.join(folder, ".dylibs")))
    assert library.internal_api == "openblas"
