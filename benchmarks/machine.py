"""What the benchmarks share: the machine's name, NumPy's BLAS and its threads, nncore from a git ref.

Standard library only at import, so a benchmark can import it before NumPy loads.
"""

import importlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_name():
    """'Intel(R) Xeon(R) Processor, AVX-512, 2 CPUs', from /proc/cpuinfo where there is one."""
    model, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    except OSError:
        pass
    vector = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else None
    return ", ".join(p for p in (model, vector, f"{os.cpu_count()} CPUs") if p)


def blas_description():
    """NumPy's version and BLAS, and the thread count OpenBLAS itself reports (NumPy must be loaded)."""
    import numpy as np

    from nncore.fast.threads import blas_threads

    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        name = f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception:
        name = "unknown BLAS"
    variable = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    return (f"NumPy {np.__version__}, {name}: {blas_threads() or 'unknown'} BLAS thread(s) by OpenBLAS's "
            f"own count at start (OPENBLAS_NUM_THREADS={variable})")


def baseline_package(ref):
    """nncore as it was at git ``ref``, imported under the name ``nncore_baseline``.

    Extracted with ``git archive`` into a temporary folder, so the working tree is not touched.
    """
    folder = Path(tempfile.mkdtemp(prefix="nncore-baseline-"))
    archive = subprocess.run(["git", "archive", ref, "nncore"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    shutil.move(folder / "nncore", folder / "nncore_baseline")
    sys.path.insert(0, str(folder))
    package = importlib.import_module("nncore_baseline")
    # The baseline must choose its BLAS threads as nncore does here: if this process's
    # OPENBLAS_NUM_THREADS=1 came from nncore, it was not the user's choice for the baseline either.
    from nncore.fast import threads

    if threads._chosen_here:
        for name in ("nncore_baseline.fast.threads", "nncore_baseline.process"):   # where it was, by ref
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            if hasattr(module, "_chosen_here"):
                module._chosen_here = True
                break
    return package


def summary(values):
    """'0.712 s (0.70–0.75)': the median and the range of seconds."""
    return f"{statistics.median(values):.3f} s ({min(values):.2f}–{max(values):.2f})"
