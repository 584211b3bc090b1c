"""The core stays free of Qt, and importing it loads nothing heavy and sets nothing process-wide."""

import os
import subprocess
import sys

GUI = ("PySide6", "pyqtgraph", "shiboken6")


def loaded_after(code):
    """Top-level packages among NumPy's and the GUI's that a fresh interpreter has loaded after ``code``."""
    probe = (f"{code}; import sys; "
             f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'numpy', *{GUI!r}}}))")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    return out.stdout.strip()


def test_import_nncore_loads_neither_numpy_nor_a_gui_library():
    """`import nncore`, `nncore.limits`, `nncore.process` load no NumPy, no Qt, and leave the BLAS alone."""
    code = ("import os, nncore; from nncore import limits, process; "
            "assert 'OPENBLAS_NUM_THREADS' not in os.environ")
    assert loaded_after(code) == "[]"


def test_the_whole_core_loads_no_gui_library():
    """Every core module and the exported names load NumPy but never PySide6 or pyqtgraph."""
    modules = ("augment", "cli", "control", "costs", "data", "evaluation", "fileio", "idx", "inspection",
               "metrics", "modelfile", "network", "preprocess", "reports", "sgd_step", "training")
    code = (f"import nncore; from nncore import {', '.join(modules)}; "
            "[getattr(nncore, name) for name in nncore.__all__]")
    assert loaded_after(code) == "['numpy']"
