"""The core stays free of Qt: importing nncore loads neither PySide6 nor pyqtgraph."""

import subprocess
import sys


def test_import_nncore_loads_no_gui_library():
    """In a fresh interpreter, `import nncore` (and its CLI) leave PySide6 and pyqtgraph unloaded."""
    code = ("import sys, nncore, nncore.cli; "
            "print(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
