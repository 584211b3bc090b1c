"""Settings of the whole process, made by a program's entry point, never as a side effect of import.

Standard library only, so an entry point can call it before anything has loaded NumPy.
"""

import ctypes
import os
import sys
import warnings
from pathlib import Path

BLAS_THREADS_VARIABLE = "OPENBLAS_NUM_THREADS"


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
    os.environ[BLAS_THREADS_VARIABLE] = "1"
    return True


def blas_threads():
    """The number of threads NumPy's OpenBLAS will use, asked of OpenBLAS itself.

    None when NumPy is not loaded yet or its BLAS is not an OpenBLAS this can find (Linux and macOS
    wheels of NumPy bundle one, as ``scipy_openblas``).
    """
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return None
    for path in _openblas_libraries(Path(numpy.__file__).parent):
        try:
            library = ctypes.CDLL(str(path))
        except OSError:
            continue
        for symbol in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
                       "openblas_get_num_threads64_", "openblas_get_num_threads"):
            get = getattr(library, symbol, None)
            if get is not None:
                return int(get())
    return None


def _openblas_libraries(numpy_dir):
    """Paths of the OpenBLAS libraries loaded in this process (Linux) or bundled with NumPy."""
    maps = Path("/proc/self/maps")
    if maps.exists():
        loaded = {line.split()[-1] for line in maps.read_text().splitlines() if "openblas" in line.lower()}
        if loaded:
            return sorted(loaded)
    bundled = [numpy_dir.parent / "numpy.libs", numpy_dir / ".dylibs"]
    return sorted(p for folder in bundled if folder.is_dir() for p in folder.iterdir()
                  if "openblas" in p.name.lower())
