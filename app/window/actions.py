"""The window's actions, with their shortcuts and tooltips, built in one place."""

from PySide6.QtGui import QAction, QKeySequence

from nncore.limits import IMAGE_SIDE, N_CLASSES

# name: (text, shortcut, tooltip)
ACTIONS = {
    "train": ("&Train", "F5", "Start a new run with new weights from the seed (F5)"),
    "continue": ("&Continue training", "Ctrl+F5",
                 "Train the network in focus further with the settings' η and mini-batch size (Ctrl+F5)"),
    "pause": ("&Pause", "F6", "Pause the run, or resume it when paused (F6)"),
    "stop": ("&Stop", "Shift+F5", "Stop the run before its next mini-batch (Shift+F5)"),
    "step": ("S&tep", "F10", "Train the run exactly one mini-batch of training images with the settings' η, then "
             "pause; with no run going, a new run from new weights starts paused (F10)"),
    "reset": ("&Reset weights", "Ctrl+R", "Draw new, untrained weights from the seed and put them on the "
              "\"Looking at\" list; the views keep the network they read (Ctrl+R)"),
    "sweep": ("S&weep…", "Ctrl+W", "Train the current settings across a range of one parameter, on both cores, "
              "and find a learning rate"),
    "open_network": ("&Open network…", QKeySequence.Open, "Open a saved network (.npz)"),
    "save_network": ("&Save network as…", QKeySequence.Save, "Save the current network (.npz)"),
    "open_dataset": ("Open &dataset folder…", "Ctrl+D",
                     f"Train on another IDX dataset of {IMAGE_SIDE}×{IMAGE_SIDE} images with labels 0–{N_CLASSES - 1} "
                     "(e.g. Fashion-MNIST)"),
    "bundled_dataset": ("Use bundled &MNIST", None, "Go back to the MNIST data shipped with the app"),
    "export_csv": ("Export curves as &CSV…", "Ctrl+E", "Save every run's points as CSV"),
    "save_cost_figure": ("Save the c&ost plot…", "Ctrl+Shift+E",
                         "Save the cost plot as an SVG drawing or a PNG picture (2×), with a legend"),
    "save_accuracy_figure": ("Save the &accuracy plot…", "Ctrl+Shift+A",
                             "Save the accuracy plot as an SVG drawing or a PNG picture (2×), with a legend"),
    "quit": ("&Quit", QKeySequence.Quit, "Stop training and close Backprop Lab"),
    "about": ("&About Backprop Lab", None, "Version, licence and credits"),
    "shortcuts": ("&Keyboard shortcuts", "F1", "Every shortcut of the window"),
    "full_screen": ("&Full screen", "F11", "Show the window on the whole screen (F11 again to leave)"),
    "zoom_in": ("Zoom &in", QKeySequence.ZoomIn, "Larger text, for a lecture hall"),
    "zoom_out": ("Zoom &out", QKeySequence.ZoomOut, "Smaller text"),
    "zoom_reset": ("&Actual size", "Ctrl+0", "Text at its normal size"),
    "welcome": ("&Welcome", None, "Where to start: train the book's network, draw a digit, or open lesson 1"),
    "derivation": ("The &derivation", "Shift+F1", "Facts 1–6 of backpropagation, in the derivation's notation "
                   "and in the ∂ notation of the views"),
}


def build_actions(parent):
    """{name: QAction} for every entry of ACTIONS, parented to ``parent``."""
    actions = {}
    for name, (text, shortcut, tip) in ACTIONS.items():
        action = QAction(text, parent)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        actions[name] = action
    actions["pause"].setCheckable(True)
    actions["full_screen"].setCheckable(True)
    return actions


def shortcuts_table(actions):
    """[(what, keys)] for every action with a shortcut, in menu order, for Help → Keyboard shortcuts."""
    rows = []
    for action in actions.values():
        keys = action.shortcut().toString(QKeySequence.NativeText)
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…"), keys))
    return rows
