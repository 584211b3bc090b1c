"""The command line runs with one BLAS thread, set by its entry point before NumPy loads."""

import json
import os
import subprocess
import sys

import pytest

from nncore import process

ENV = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}


def run_python(code):
    """Run ``code`` in a fresh interpreter without OPENBLAS_NUM_THREADS; returns its JSON printout."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_python_dash_m_nncore_runs_with_one_blas_thread():
    """`python -m nncore` (its __main__, as runpy runs it) leaves OpenBLAS reporting one thread."""
    result = run_python(
        "import json, runpy, sys\n"
        "sys.argv = ['nncore', 'evaluate', '/no/such/file.npz']\n"
        "try:\n    runpy.run_module('nncore', run_name='__main__')\n"
        "except SystemExit as e:\n    status = e.code\n"
        "from nncore.process import blas_threads\n"
        "print(json.dumps([status, blas_threads()]))")
    assert result == [2, 1]


def test_the_entry_function_sets_it_and_a_plain_numpy_import_does_not():
    """nncore.__main__.main gives 1 thread (None before: NumPy not loaded); a bare NumPy uses its default."""
    entry = run_python(
        "import json\nfrom nncore.__main__ import main\nfrom nncore.process import blas_threads\n"
        "before = blas_threads()\n"
        "try:\n    main(['evaluate', '/no/such/file.npz'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps([before, blas_threads()]))")
    assert entry == [None, 1]     # None: NumPy was not loaded before main() ran
    plain = run_python("import json, numpy\nfrom nncore.process import blas_threads\n"
                       "print(json.dumps(blas_threads()))")
    if os.cpu_count() > 1:        # the probe tells the two apart only where the default is more
        assert plain > 1


def test_too_late_is_a_warning_and_a_users_choice_stands(monkeypatch):
    """With NumPy loaded, use_one_blas_thread() warns and sets nothing; a user's own count is kept."""
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with pytest.warns(RuntimeWarning, match="after NumPy was imported"):
        assert process.use_one_blas_thread() is False
    assert "OPENBLAS_NUM_THREADS" not in os.environ
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    assert process.use_one_blas_thread() is True and os.environ["OPENBLAS_NUM_THREADS"] == "3"
