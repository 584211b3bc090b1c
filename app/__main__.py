"""Launch Backprop Lab: ``uv run backprop-lab`` or ``python -m app``."""

import gc
import os
import sys


def main():
    """Open the main window and run the event loop; returns the exit status."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .resources import icon_path
    from .settings import APPLICATION, ORGANIZATION

    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(QIcon(str(icon_path())))
    window = MainWindow()
    window.show()
    # Everything built so far lives as long as the app: keep it out of the cyclic garbage
    # collector's full passes, which would otherwise stall the window for tens of milliseconds.
    gc.freeze()
    if os.environ.get("BACKPROP_LAB_STARTUP_PROBE"):   # benchmarks/gui_responsiveness.py
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: (print("window shown and responsive", flush=True), window.close()))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
