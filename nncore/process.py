"""Settings of the whole process, made by a program's entry point, never as a side effect of import.

Standard library only, so an entry point can call it before anything has loaded NumPy. Besides the
BLAS thread count at start (``OPENBLAS_NUM_THREADS``) it reaches NumPy's own OpenBLAS through
ctypes, once NumPy is loaded: to ask and set its thread count at any time (:func:`blas_threads`,
:func:`set_blas_threads`; :func:`blas_threads_for` is the count worth using for a network, and
:class:`CoreMonitor` tells whether other processes leave the cores free), and to find its functions
for :mod:`nncore.sgd_step` (:func:`openblas_function`). :func:`end_with_parent` makes a process that a
sweep (or the window) started end when that parent dies, however it dies.
"""

import ctypes
import os
import signal
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

# The pid of the process that started this one and whose death should end it, as its decimal digits.
PARENT_VARIABLE = "NNCORE_END_WITH_PARENT"
PR_SET_PDEATHSIG = 1   # <linux/prctl.h>: the signal this process gets when its parent dies


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


def set_blas_threads(n):
    """Ask NumPy's OpenBLAS to use ``n`` threads from now on; returns the count it then reports.

    Unlike ``OPENBLAS_NUM_THREADS`` this works at any time after NumPy is loaded, in both
    directions. Call it between products, from the thread that runs them (OpenBLAS's setting is
    process-wide). Returns None, changing nothing, when NumPy is not loaded or has no OpenBLAS this
    can find.
    """
    functions = _openblas_functions()
    if functions is None:
        return None
    get, set_ = functions
    set_(int(n))
    return int(get())


def blas_threads():
    """The number of threads NumPy's OpenBLAS will use, asked of OpenBLAS itself.

    None when NumPy is not loaded yet or its BLAS is not an OpenBLAS this can find (Linux and macOS
    wheels of NumPy bundle one, as ``scipy_openblas``).
    """
    functions = _openblas_functions()
    return None if functions is None else int(functions[0]())


_library = None


def openblas_library():
    """NumPy's OpenBLAS as a ``ctypes.CDLL`` (found once), or None when NumPy is not loaded or its
    BLAS is not an OpenBLAS this can find."""
    global _library
    if _library is not None:
        return _library
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return None
    for path in _openblas_libraries(Path(numpy.__file__).parent):
        try:
            library = ctypes.CDLL(str(path))
        except OSError:
            continue
        if _lookup(library, "openblas_get_num_threads") is not None:
            _library = library
            return library
    return None


def openblas_function(name):
    """The C function ``name`` of NumPy's OpenBLAS (e.g. 'cblas_sgemm') and its BLAS integer type, or None.

    scipy-openblas, which NumPy's wheels bundle, names it ``scipy_<name>64_`` and its BLAS integers
    (sizes, strides) are 64-bit; a plain OpenBLAS names it ``name`` and they are C ints.
    """
    library = openblas_library()
    return None if library is None else _lookup(library, name)


def _lookup(library, name):
    for symbol, integer in ((f"scipy_{name}64_", ctypes.c_int64), (f"{name}64_", ctypes.c_int64),
                            (f"scipy_{name}", ctypes.c_int), (name, ctypes.c_int)):
        function = getattr(library, symbol, None)
        if function is not None:
            return function, integer
    return None


def _openblas_functions():
    """OpenBLAS's (get_num_threads, set_num_threads), or None."""
    get, set_ = openblas_function("openblas_get_num_threads"), openblas_function("openblas_set_num_threads")
    if get is None or set_ is None:
        return None
    set_[0].argtypes, set_[0].restype = [ctypes.c_int], None   # a C int in every build
    return get[0], set_[0]


def _openblas_libraries(numpy_dir):
    """Paths of the OpenBLAS libraries loaded in this process (Linux) or bundled with NumPy; NumPy's
    own first, should another package have loaded an OpenBLAS too."""
    bundled = [numpy_dir.parent / "numpy.libs", numpy_dir / ".dylibs"]
    maps = Path("/proc/self/maps")
    if maps.exists():
        loaded = {line.split()[-1] for line in maps.read_text().splitlines() if "openblas" in line.lower()}
        if loaded:
            return sorted(loaded, key=lambda p: (not any(p.startswith(str(f)) for f in bundled), p))
    return sorted(p for folder in bundled if folder.is_dir() for p in folder.iterdir()
                  if "openblas" in p.name.lower())


def end_with_parent(environ=None):
    """Arrange for this process to end when the parent named in ``PARENT_VARIABLE`` dies.

    A sweep names itself so to each run, and the window to each sweep (``environ`` is ``os.environ``
    by default; the variable is taken out of it, so that no grandchild inherits it). On Linux the
    kernel then sends this process SIGTERM when the parent dies, even by SIGKILL (``prctl``'s
    ``PR_SET_PDEATHSIG``); everywhere, the returned function tells whether the parent has gone (this
    process was handed to another parent), for a check between mini-batches. Returns a function of no
    arguments that always says False when no parent was named.
    """
    environ = os.environ if environ is None else environ
    text = environ.pop(PARENT_VARIABLE, "")
    if not text.isdigit():
        return lambda: False
    parent = int(text)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass   # no prctl: the check below is all there is
    return lambda: os.getppid() != parent   # read after prctl: a parent that died before it counts too
