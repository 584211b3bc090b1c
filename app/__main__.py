"""Launch Backprop Lab: ``uv run backprop-lab``, or ``python -m app`` in a checkout
(``python -m backprop_lab.app`` when installed from the wheel).

The process-wide settings live here, in ``main()``, and nowhere else: one BLAS thread (set before
NumPy loads), a short GIL switch interval, pyqtgraph's options.
"""

import gc
import os
import sys

# While the worker thread runs Python, the GUI thread waits for the GIL up to this long each time it
# needs it (a pyqtgraph repaint needs it many times); 0.5 ms instead of the default 5 ms keeps painting
# and input prompt: under X the pad's 99th-percentile gap while training fell from 12–26 ms at 1 ms to
# 8–15 ms, and a run in the window stays within 10% of headless (benchmarks/gui_responsiveness.py).
GIL_SWITCH_INTERVAL = 0.0005


def configure_process():
    """The settings the window relies on that belong to the whole process (tests call this too)."""
    import pyqtgraph as pg

    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    pg.setConfigOptions(antialias=False, background="w", foreground="#333")


def main(argv=None):
    """Open the main window and run the event loop; returns the exit status.

    ``--install-desktop`` / ``--uninstall-desktop`` add or remove the menu entry and icon instead;
    ``--self-check`` opens the window on a temporary profile, waits for the bundled data and network,
    prints one line and exits (:mod:`app.window.self_check`).
    """
    from nncore.fast.threads import use_one_blas_thread

    use_one_blas_thread()    # before anything loads NumPy
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("--install-desktop", "--uninstall-desktop", "--help", "-h"):
        return _desktop_command(argv[0])
    from .window.desktop_entry import missing_screen_libraries

    missing = missing_screen_libraries()
    if missing:
        print("backprop-lab: Qt cannot open a window on this X display without these system libraries: "
              f"{' '.join(missing)}\n  on Debian or Ubuntu: sudo apt-get install {' '.join(missing)}",
              file=sys.stderr)
        return 1

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .threads import collect_garbage_on_the_gui_thread
    from .window.app_settings import APPLICATION, ORGANIZATION
    from .window.bundled_files import icon_path
    from .window.main_window import MainWindow

    configure_process()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(QIcon(str(icon_path())))
    app.setDesktopFileName("backprop-lab")
    if argv and argv[0] == "--self-check":
        from .window.self_check import self_check

        return self_check(app)
    collector = collect_garbage_on_the_gui_thread()    # noqa: F841  (kept while the app runs)
    window = MainWindow()
    window.show()
    # Everything built so far lives as long as the app: keep it out of the cyclic garbage
    # collector's full passes, which would otherwise stall the window for tens of milliseconds.
    gc.freeze()
    if os.environ.get("BACKPROP_LAB_STARTUP_PROBE"):   # benchmarks/gui_responsiveness.py
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: (print("window shown and responsive", flush=True), window.close()))
    return app.exec()


def _desktop_command(option):
    """Handle the command-line options that do not open the window; returns the exit status."""
    from .window.bundled_files import icon_path
    from .window.desktop_entry import install_desktop_entry, uninstall_desktop_entry

    if option == "--install-desktop":
        entry, icon = install_desktop_entry(icon_path())
        print(f"Added {entry} and {icon}")
    elif option == "--uninstall-desktop":
        removed = uninstall_desktop_entry()
        print("Removed " + ", ".join(map(str, removed)) if removed else "There was no menu entry to remove.")
    else:
        print("usage: backprop-lab [--install-desktop | --uninstall-desktop | --self-check]\n"
              "  With no option, open the window. --self-check opens it on a temporary profile, waits for\n"
              "  the bundled MNIST and network, prints one line and exits (0: all came up).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
