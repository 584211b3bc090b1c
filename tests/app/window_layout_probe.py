"""Open the real main window on a screen of a given size, walk every page, and print what fits as JSON.

Run in its own process (the screen's size is the Qt platform's, fixed at start):
``python tests/app/window_layout_probe.py WIDTH HEIGHT SETTINGS_FILE DATA_DIR``. test_window_fit.py does.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

# Controls a page needs in view, found by a part of their text.
NEEDED = {"Backprop inspector": ("towards the output", "towards the input"),
          "Network diagram": ("▶ Play", "Next mini-batch", "Open in the inspector")}


def _screen_platform(width, height):
    config = {"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
              "screens": [{"name": "probe", "x": 0, "y": 0, "width": width, "height": height,
                           "logicalDpi": 96, "logicalBpi": 96, "dpr": 1}]}
    path = Path(tempfile.mkdtemp(prefix="layout-probe-")) / "screen.json"
    path.write_text(json.dumps(config))
    return f"offscreen:configfile={path}"


def _in_view(widget, viewport):
    """Whether ``widget`` is shown and lies wholly inside ``viewport`` (its scroll area's visible part)."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    bottom_right = widget.mapTo(viewport, widget.rect().bottomRight())
    return viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)


def _page_report(window, index, app):
    from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea

    window.pages.setCurrentIndex(index)
    for _ in range(3):
        app.processEvents()
    page = window.pages.pages[index]
    scroll = window.pages.widget(index)
    scrolls = [scroll, *scroll.findChildren(QAbstractScrollArea)]     # scroll areas, lists, tables, plots
    sideways = [s.objectName() or type(s).__name__ for s in scrolls
                if s.isVisible() and s.horizontalScrollBar().isVisible()]
    needed = {}
    for start in NEEDED.get(page.title, ()):
        buttons = [b for b in page.widget.findChildren(QAbstractButton) if start in b.text()
                   and b.isVisibleTo(page.widget)]
        needed[start] = bool(buttons) and all(_in_view(b, scroll.viewport()) for b in buttons)
    button = window.pages.rail.widgetForAction(window.pages.actions_for_pages()[index])
    rail = window.pages.rail
    return {"title": page.title, "sideways": sideways,
            "clipped": page.widget.width() < page.widget.minimumSizeHint().width(),
            "width": page.widget.width(), "needs": page.widget.minimumSizeHint().width(),
            "label_shown": button.isVisible() and rail.rect().contains(button.geometry())
            and button.width() >= button.sizeHint().width(),
            "needed_in_view": needed,
            "settings": window.settings_dock.isVisible(), "pad": window.pad_dock.isVisible()}


def main(width, height, settings_file, data_dir):
    os.environ["QT_QPA_PLATFORM"] = _screen_platform(width, height)
    from PySide6.QtWidgets import QApplication

    from app.__main__ import configure_process
    from app.window.app_settings import AppSettings
    from app.window.main_window import MainWindow
    from nncore import load_dataset

    configure_process()
    app = QApplication([])
    window = MainWindow(AppSettings(settings_file), dataset=load_dataset().to_floats(), data_dir=data_dir)
    from app.training.run_history import RunSetup
    from app.training.training_config import TrainingConfig

    # A run with a long label, as a sweep leaves: it must wrap in the runs list, never scroll it sideways.
    window.training_tab.add_finished_run(1, RunSetup(TrainingConfig(hidden=(100, 100, 100))), [],
                                         "sweep (learning rate 0.316, mini-batch 10): best validation 96.41% "
                                         "(epoch 28); finished 30 epochs")
    window.show()
    for _ in range(5):
        app.processEvents()
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    report = {"screen": [screen.width(), screen.height()], "window": [frame.width(), frame.height()],
              "share": frame.width() * frame.height() / (screen.width() * screen.height()),
              "welcome": window.welcome is not None and window.welcome.isVisible(),
              "pages": [_page_report(window, i, app) for i in range(window.pages.count())]}
    window.close()
    print(json.dumps(report))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4])
