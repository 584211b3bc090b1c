"""PySide6 as pinned does not abort after many calls of void Qt methods (6.12.0 on Python 3.11 did)."""

import subprocess
import sys


def test_thirty_thousand_void_calls_do_not_abort():
    """30,000 QWidget.update() calls in a fresh process exit cleanly ('none_dealloc' would abort)."""
    code = ("import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from PySide6.QtWidgets import QApplication, QWidget\n"
            "app = QApplication([]); w = QWidget()\n"
            "for _ in range(30000): w.update()\n"
            "for _ in range(5000): app.processEvents()\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "ok"
