"""The main window: composes the rooms (settings, plots, pad) and routes signals between them."""

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
)

from .actions import build_actions
from .config import PRESETS, TrainingConfig
from .data_loader import DatasetLoader
from .handwriting import HandwritingStore
from .inspector import InspectorTab
from .mistakes_view import MistakesTab
from .pad_panel import PadPanel
from .progress import ProgressStrip
from .saturation_plot import SaturationPlot
from .session import TrainingSession
from .settings import AppSettings
from .settings_panel import SettingsPanel
from .training_tab import TrainingTab
from .weights_view import WeightsTab
from .window_files import FileActions
from .window_training import TrainingActions

TITLE = "Backprop Lab"


class MainWindow(TrainingActions, FileActions, QMainWindow):
    """Backprop Lab's window. ``settings`` is an AppSettings (tests give one on a temporary file)."""

    datasetChanged = Signal(object)

    def __init__(self, settings=None, *, dataset=None, data_dir=None):
        super().__init__()
        self.settings = settings or AppSettings()
        self.setWindowTitle(TITLE)
        self.data_dir = Path(data_dir or QStandardPaths.writableLocation(QStandardPaths.AppDataLocation))
        self.dataset, self.network, self.run_config = None, None, None
        self.network_description, self._asked_structure = "", False
        self.last_error = None
        self.network_epochs = 0   # epochs the current network has been trained for in this window
        self.session = TrainingSession(self)
        self.loader = DatasetLoader(self)
        self.actions = build_actions(self)
        self._build_rooms()
        self._build_menus()
        self._connect()
        self._restore()
        self._use_default_network()
        self._update_actions()
        self._load_timer = QTimer(self, singleShot=True, interval=100)
        self._load_timer.timeout.connect(lambda: self.loader.load(None))
        if dataset is None:   # in the background, once the window is on screen: usable meanwhile
            self._load_timer.start()
        else:
            self._dataset_loaded(dataset)

    # ---- building ------------------------------------------------------------------------
    def _build_rooms(self):
        config = TrainingConfig.from_dict(self.settings.get_json("config", {}))
        self.panel = SettingsPanel(config)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.panel.sizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width() + 4)
        self.settings_dock = self._dock("Network settings", scroll, Qt.LeftDockWidgetArea)
        self.training_tab = TrainingTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.training_tab, "Training")
        self.inspector = InspectorTab(self._pad_input)
        self.saturation = SaturationPlot(self.training_tab.history)
        self.inspector.add_panel(self.saturation)
        self.tabs.addTab(self.inspector, "Backprop inspector")
        self.weights_tab = WeightsTab()
        self.tabs.addTab(self.weights_tab, "Weights")
        self.mistakes = MistakesTab()
        self.tabs.addTab(self.mistakes, "Mistakes")
        self.setCentralWidget(self.tabs)
        self.store = HandwritingStore(self.data_dir / "my-handwriting")
        self.pad_panel = PadPanel(self.store)
        self.pad_panel.message.connect(self.say)
        self.pad_dock = self._dock("Draw a digit", self.pad_panel, Qt.RightDockWidgetArea)
        self.status = QLabel("Loading MNIST…")
        self.status.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)   # no relayout per text
        self.progress = ProgressStrip()
        self.statusBar().addWidget(self.status, 1)
        self.statusBar().addPermanentWidget(self.progress)

    def _dock(self, title, widget, area):
        dock = QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", "_"))
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self):
        a = self.actions
        menus = (("&File", ["open_network", "save_network", None, "open_dataset", "bundled_dataset",
                            None, "export_csv", "export_png", None, "quit"]),
                 ("&Training", ["train", "continue", "pause", "step", "stop", None, "reset"]))
        for title, names in menus:
            menu = self.menuBar().addMenu(title)
            for name in names:
                menu.addSeparator() if name is None else menu.addAction(a[name])
        presets = self.menuBar().addMenu("&Presets")
        for label, cfg in PRESETS.items():
            presets.addAction(label, lambda c=cfg: self.panel.apply_config(c))
        view = self.menuBar().addMenu("&View")
        view.addAction(self.settings_dock.toggleViewAction())
        view.addAction(self.pad_dock.toggleViewAction())
        self.menuBar().addMenu("&Help").addAction(a["about"])
        bar = self.addToolBar("Training")
        bar.setObjectName("training_toolbar")
        for name in ("train", "continue", "pause", "step", "stop", "reset"):
            bar.addAction(a[name])

    def _connect(self):
        a, s = self.actions, self.session
        a["train"].triggered.connect(self.train)
        a["continue"].triggered.connect(self.continue_training)
        a["pause"].triggered.connect(self.toggle_pause)
        a["stop"].triggered.connect(s.stop)
        a["step"].triggered.connect(self.step)
        a["reset"].triggered.connect(self.reset_weights)
        a["open_network"].triggered.connect(lambda: self.open_network())
        a["save_network"].triggered.connect(lambda: self.save_network())
        a["open_dataset"].triggered.connect(lambda: self.open_dataset())
        a["bundled_dataset"].triggered.connect(lambda: self.loader.load(None))
        a["export_csv"].triggered.connect(lambda: self.training_tab.export_csv())
        a["export_png"].triggered.connect(lambda: self.training_tab.export_png())
        a["quit"].triggered.connect(self.close)
        a["about"].triggered.connect(self._about)
        self.panel.configChanged.connect(self._config_changed)
        self.panel.learningRateChanged.connect(self._learning_rate_changed)
        s.stateChanged.connect(self._update_actions)
        s.runStarted.connect(self.training_tab.run_started)
        s.batchReported.connect(self._batch)
        s.epochReported.connect(self._epoch)
        s.networkUpdated.connect(self._network_from_worker)
        s.runEnded.connect(self._run_ended)
        self.loader.loaded.connect(self._dataset_loaded)
        self.loader.failed.connect(lambda m: self.show_error("The dataset could not be opened", m))
        self.loader.busyChanged.connect(lambda _b: self._update_actions())
        self.inspector.networkEdited.connect(
            lambda net: self._set_network(net, f"{net.describe()}, after one inspector step"))
        self.mistakes.inspectRequested.connect(self._inspect_example)
        self.datasetChanged.connect(lambda d: setattr(self.inspector, "dataset", d))
        self.training_tab.message.connect(
            lambda text, err: self.show_error("Export failed", text) if err else self.say(text))
        self._structure_check = QTimer(self, singleShot=True, interval=700)
        self._structure_check.timeout.connect(self._check_structure_change)

    # ---- state ---------------------------------------------------------------------------
    def say(self, text):
        """Put ``text`` in the status line."""
        self.status.setText(text)

    def show_error(self, title, text):
        """Tell the user what went wrong, in a message box that does not block and in the status line."""
        self.say(text.split("\n")[0])
        self.last_error = (title, text)
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, self)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()

    def confirm(self, title, text):
        """Ask a yes/no question (tests replace this)."""
        return QMessageBox.question(self, title, text) == QMessageBox.Yes

    def _update_actions(self, *_):
        state, cfg = self.session.state, self.panel.config()
        idle, a = state == "idle", self.actions
        ready = idle and cfg is not None and self.dataset is not None
        a["train"].setEnabled(ready)
        a["continue"].setEnabled(ready and self.network is not None
                                 and self.network.sizes == cfg.sizes)
        a["step"].setEnabled(ready or state == "paused")
        a["pause"].setEnabled(state in ("running", "paused"))
        a["pause"].setChecked(state == "paused")   # pressed while paused; same text, no relayout
        a["pause"].setToolTip("Resume the run (F6)" if state == "paused" else "Pause the run (F6)")
        a["stop"].setEnabled(state in ("running", "paused"))
        a["reset"].setEnabled(idle and cfg is not None)
        for name in ("open_network", "open_dataset", "bundled_dataset"):
            a[name].setEnabled(idle and not self.loader.busy)
        if cfg is None and idle:
            a["train"].setToolTip("Fix the settings marked in red first")
        else:
            a["train"].setToolTip("Start a new run with new weights from the seed (F5)")

    def _set_network(self, network, description):
        self.network, self.network_description = network, description
        self.pad_panel.set_network(network, description)
        self.inspector.set_network(network, editable=self.session.state == "idle")
        self.weights_tab.set_network(network)
        self.mistakes.set_sources(network, self.dataset)
        self._update_actions()

    def _pad_input(self):
        pad = self.pad_panel.pad
        return None if pad.is_empty() else pad.to_network_input()

    def _inspect_example(self, x, label, description):
        self.inspector.show_example(x, label, description)
        self.tabs.setCurrentWidget(self.inspector)

    # ---- settings and closing ------------------------------------------------------------
    def _restore(self):
        geometry, state = self.settings.get_bytes("geometry"), self.settings.get_bytes("window_state")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1380, 860)
        if state is not None:
            self.restoreState(state)

    def save_settings(self):
        """Write the window's size, layout and settings; True when the store was written."""
        self.settings.set_bytes("geometry", self.saveGeometry())
        self.settings.set_bytes("window_state", self.saveState())
        cfg = self.panel.config()
        if cfg is not None:
            self.settings.set_json("config", cfg.to_dict())
        written = self.settings.sync()
        if not written:
            self.say(f"The settings could not be saved to {self.settings.path}; "
                     "the previous settings file is unchanged.")
        return written

    def closeEvent(self, event):
        """Stop training, end every thread, keep the settings."""
        self.save_settings()
        self._load_timer.stop()
        self.session.shutdown()
        self.loader.shutdown()
        super().closeEvent(event)

    def _about(self):
        QMessageBox.about(self, "About Backprop Lab",
                          "<b>Backprop Lab</b><p>Build a small network of sigmoid neurons, watch it "
                          "learn handwritten digits, and look inside the backward pass.</p>"
                          "<p>The MNIST database by Yann LeCun, Corinna Cortes and Christopher J.C. "
                          "Burges, under the Creative Commons Attribution-Share Alike 3.0 license.</p>")
