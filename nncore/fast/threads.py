"""How many threads NumPy's OpenBLAS runs: one from the start, two only where they gain.

Standard library only at import, so an entry point can call :func:`use_one_blas_thread` before anything
has loaded NumPy: OpenBLAS reads ``OPENBLAS_NUM_THREADS`` once, when NumPy loads it, and nothing can act
earlier. From then on the count is asked and changed through threadpoolctl (:func:`blas_threads`,
:func:`set_blas_threads`), on NumPy's own OpenBLAS only (:func:`numpy_openblas`), never on another
library's pool. :func:`blas_threads_for` is the count worth using for a network, and
:class:`CoreMonitor` tells whether other processes leave the cores free.
"""

import os
import sys
import time
import warnings
from pathlib import Path

BLAS_THREADS_VARIABLE = "OPENBLAS_NUM_THREADS"

# Two BLAS threads pay only for wide layers (benchmarks/blas_threads.py, a 2-core Xeon, cross-entropy):
# a layer of 784 × 1000 weights trains 1.27–1.54× faster with two at any mini-batch, one of 784 × 300
# or 784 × 500 1.22–1.40× at mini-batches of 32 or more, and 1.0–1.12× below that; narrower layers
# gain nothing. While another process spins on a core, two threads are 2–3× slower than one everywhere.
TWO_THREADS_WEIGHTS = 700_000          # from this many weights in one layer, at any mini-batch
TWO_THREADS_WEIGHTS_BATCHED = 200_000  # ... or this many, at mini-batches of TWO_THREADS_BATCH or more
TWO_THREADS_BATCH = 32

_chosen_here = False   # True once use_one_blas_thread() set the variable (rather than the user)


def use_one_blas_thread():
    """Ask OpenBLAS for one thread, unless the user chose a count; call before NumPy is imported.

    At these layer sizes a second BLAS thread gains nothing and stalls badly when another process (or a
    window's event loop) holds a core. OpenBLAS reads ``OPENBLAS_NUM_THREADS`` once, when NumPy loads
    it: if NumPy is already loaded and the variable is unset, this warns (RuntimeWarning) that it is
    too late and changes nothing. Returns True when the process runs (or will run) with the variable
    set, by this call or by the user.
    """
    if BLAS_THREADS_VARIABLE in os.environ:
        return True
    if "numpy" in sys.modules:
        warnings.warn(f"use_one_blas_thread() was called after NumPy was imported, so "
                      f"{BLAS_THREADS_VARIABLE} cannot take effect; call it first thing in the program's "
                      "entry point",
                      RuntimeWarning, stacklevel=2)
        return False
    global _chosen_here
    os.environ[BLAS_THREADS_VARIABLE] = "1"
    _chosen_here = True
    return True


def blas_threads_chosen_by_user():
    """True when the user set ``OPENBLAS_NUM_THREADS`` themselves; the core then leaves the count alone."""
    return BLAS_THREADS_VARIABLE in os.environ and not _chosen_here


def blas_threads_for(sizes, batch_size, cpus=None):
    """The BLAS threads worth using to train layer ``sizes`` with mini-batches of ``batch_size``.

    Two (when the machine has two cores or more) for a layer of :data:`TWO_THREADS_WEIGHTS` weights,
    or of :data:`TWO_THREADS_WEIGHTS_BATCHED` at mini-batches of :data:`TWO_THREADS_BATCH` or more;
    else one. It assumes the cores are free; the training loop also asks :class:`CoreMonitor`.
    """
    cpus = os.cpu_count() if cpus is None else cpus
    weights = max(n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    wide = weights >= TWO_THREADS_WEIGHTS or (weights >= TWO_THREADS_WEIGHTS_BATCHED
                                               and batch_size >= TWO_THREADS_BATCH)
    return 2 if cpus >= 2 and wide else 1


_NOT_FOUND = object()
_openblas = None   # threadpoolctl's controller of NumPy's OpenBLAS, _NOT_FOUND, or None: not looked for


def numpy_openblas():
    """threadpoolctl's controller of NumPy's own OpenBLAS (found once; its ``filepath`` is the library),
    or None when NumPy is not loaded yet or its BLAS is not an OpenBLAS.

    Should another package have loaded an OpenBLAS too, NumPy's bundled one (``numpy.libs``, or
    ``.dylibs`` on macOS) is taken: the others' thread counts are theirs.
    """
    global _openblas
    numpy = sys.modules.get("numpy")
    if _openblas is None and numpy is not None:
        # Imported here, not at the top: 10–30 ms that an entry point run before NumPy loads need not pay.
        from threadpoolctl import ThreadpoolController

        found = ThreadpoolController().select(internal_api="openblas").lib_controllers
        folder = Path(numpy.__file__).parent
        bundled = (str(folder.parent / "numpy.libs"), str(folder / ".dylibs"))
        found.sort(key=lambda library: not str(library.filepath).startswith(bundled))
        _openblas = found[0] if found else _NOT_FOUND
    return None if _openblas is _NOT_FOUND else _openblas


def blas_threads():
    """The number of threads NumPy's OpenBLAS will use, asked of OpenBLAS itself.

    None when NumPy is not loaded yet or its BLAS is not an OpenBLAS (Linux and macOS wheels of NumPy
    bundle one, as ``scipy_openblas``).
    """
    library = numpy_openblas()
    count = None if library is None else library.get_num_threads()
    return None if count is None else int(count)


def set_blas_threads(n):
    """Ask NumPy's OpenBLAS to use ``n`` threads from now on; returns the count it then reports.

    Unlike ``OPENBLAS_NUM_THREADS`` this works at any time after NumPy is loaded, in both directions.
    Call it between products, from the thread that runs them (OpenBLAS's setting is process-wide).
    Returns None, changing nothing, when NumPy is not loaded or has no OpenBLAS.
    """
    library = numpy_openblas()
    if library is None:
        return None
    library.set_num_threads(int(n))
    # threadpoolctl lets only the thread that last set the count set it again until that thread ends
    # or lets go; a run's worker thread sets it and ends, and the next run's is another thread.
    release = getattr(type(library), "clear_controlling_thread", None)
    if release is not None:
        release()
    return blas_threads()


class CoreMonitor:
    """How many cores other processes kept busy lately, from Linux's ``/proc/stat`` and this process's
    own CPU time (every thread of it, a window's included).

    Two BLAS threads are 2–7× slower than one while another process holds one of two cores (the
    second thread waits for a core), so the training loop asks before it uses them.
    """

    WINDOW = 0.1   # seconds: /proc/stat counts in 10 ms ticks, so over 0.1 s it is good to ±0.2 cores

    def __init__(self):
        self._last, self._others = self._sample(), None

    def others(self):
        """Cores used by other processes over the last window of at least WINDOW seconds; before one
        has passed, the threads running elsewhere at this instant (``/proc/loadavg``); None where
        neither can be read."""
        now = self._sample()
        if now is None or self._last is None:
            return None
        if now[0] - self._last[0] >= self.WINDOW:
            (t0, busy0, own0), (t1, busy1, own1) = self._last, now
            self._others = max(0.0, (busy1 - busy0) - (own1 - own0)) / (t1 - t0)
            self._last = now
        return self._others if self._others is not None else self._running_elsewhere()

    @staticmethod
    def _running_elsewhere():
        """Threads running now other than the one asking (the fourth field of /proc/loadavg), or None."""
        try:
            with open("/proc/loadavg") as f:
                return max(0, int(f.read().split()[3].split("/")[0]) - 1)
        except (OSError, ValueError, IndexError):
            return None

    @staticmethod
    def _sample():
        """(monotonic seconds, CPU seconds the machine was busy, CPU seconds of this process), or None."""
        try:
            with open("/proc/stat") as f:
                ticks = [int(v) for v in f.readline().split()[1:9]]
        except (OSError, ValueError):
            return None
        user, nice, system, _idle, _iowait, irq, softirq, steal = ticks
        times = os.times()
        return (time.monotonic(), (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK"),
                times.user + times.system)
