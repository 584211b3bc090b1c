"""The window's menu bar and toolbar, and the two Help windows (shortcuts, About)."""

from importlib.metadata import PackageNotFoundError, version

import numpy as np
import pyqtgraph as pg
import PySide6
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTableWidget, QTableWidgetItem, QVBoxLayout

from .actions import shortcuts_table

MENUS = (("&File", ["open_network", "recent", "save_network", None, "open_dataset", "bundled_dataset", None,
                    "export_csv", "save_cost_figure", "save_accuracy_figure", None, "quit"]),
         ("&Training", ["train", "continue", "pause", "step", "stop", None, "reset", None, "sweep"]))
TOOLBAR = ("train", "continue", "pause", "step", "stop", "reset")


def build_menus(window, actions, presets, apply_preset, room_actions, theme_actions, recent_menu):
    """Fill ``window``'s menu bar and toolbar: File (with ``recent_menu``), Training, Presets, View (with
    the side rooms' ``room_actions``), Help. Returns the toolbar."""
    bar = window.menuBar()
    for title, names in MENUS:
        menu = bar.addMenu(title)
        for name in names:
            if name is None:
                menu.addSeparator()
            elif name == "recent":
                menu.addMenu(recent_menu)
            else:
                menu.addAction(actions[name])
    preset_menu = bar.addMenu("&Presets")
    for label, cfg in presets.items():
        preset_menu.addAction(label, lambda c=cfg: apply_preset(c))
    view = bar.addMenu("&View")
    for action in room_actions:
        view.addAction(action)
    view.addSeparator()
    for name in ("zoom_in", "zoom_out", "zoom_reset", "full_screen"):
        view.addAction(actions[name])
    theme = view.addMenu("&Theme")
    for action in theme_actions.actions():
        theme.addAction(action)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions["welcome"])
    help_menu.addAction(actions["derivation"])
    help_menu.addAction(actions["shortcuts"])
    help_menu.addAction(actions["about"])
    toolbar = window.addToolBar("Training")
    toolbar.setObjectName("training_toolbar")
    for name in TOOLBAR:
        toolbar.addAction(actions[name])
    return toolbar


def show_shortcuts(parent, actions):
    """A table of every action's shortcut, generated from the actions themselves."""
    rows = shortcuts_table(actions) + [("Label the pad's drawing as a digit", "0 … 9"),
                                       ("Clear the pad", "Esc (on the pad) or right-click"),
                                       ("Undo a stroke", "Ctrl+Z (on the pad)"),
                                       ("Walk the backward pass: a layer, or a fact when fact by fact",
                                        "← → (in the inspector)"),
                                       ("Walk the backward pass a layer", "↑ ↓ (in the inspector)")]
    dialog = QDialog(parent)
    dialog.setWindowTitle("Keyboard shortcuts")
    table = QTableWidget(len(rows), 2)
    table.setHorizontalHeaderLabels(["What", "Keys"])
    for i, (what, keys) in enumerate(rows):
        table.setItem(i, 0, QTableWidgetItem(what))
        table.setItem(i, 1, QTableWidgetItem(keys))
    table.resizeColumnsToContents()
    table.verticalHeader().hide()
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(520, 520)
    dialog.open()
    return dialog


def app_version():
    """The installed version of Backprop Lab, or 'development' when run from a checkout."""
    try:
        return version("backprop-lab")
    except PackageNotFoundError:
        return "development"


def show_about(parent):
    """Version, licence and credits."""
    QMessageBox.about(
        parent, "About Backprop Lab",
        f"<b>Backprop Lab</b> {app_version()}<p>Build a small network of sigmoid neurons, watch it learn "
        "handwritten digits, and look inside the backward pass that teaches it.</p>"
        "<p>Licence: MIT.</p>"
        "<p>The mathematics and the experiments follow Michael Nielsen's book <i>Neural Networks and Deep "
        "Learning</i> (chapters 1–2 for the derivation, 3 and 5 for the experiments).</p>"
        "<p>The MNIST database by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, under the Creative "
        "Commons Attribution-Share Alike 3.0 licence.</p>"
        f"<p>Built with PySide6 {PySide6.__version__} (Qt for Python, LGPL), pyqtgraph {pg.__version__} "
        f"(MIT) and NumPy {np.__version__} (BSD).</p>")
