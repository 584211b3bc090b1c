"""The main window: composes the rooms (settings, tabs, pad) and the controllers, and lays them out."""

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QTabWidget

from ..diagram.diagram_tab import DiagramTab
from ..inside.inspector_tab import InspectorTab
from ..inside.mistakes_tab import MistakesTab
from ..inside.weights_tab import WeightsTab
from ..lessons.lessons_tab import LessonsTab
from ..pad.handwriting_store import HandwritingStore
from ..pad.pad_panel import PadPanel
from ..pixels.pixels_tab import PixelsTab
from ..sweeps.sweep_dialog import SweepDialog
from ..training.progress_strip import ProgressStrip
from ..training.saturation_plot import SaturationPlot
from ..training.settings_panel import SettingsPanel
from ..training.training_config import PRESETS, TrainingConfig
from ..training.training_session import TrainingSession
from ..training.training_tab import TrainingTab
from .actions import build_actions
from .app_settings import AppSettings, user_data_dir
from .current_network import CurrentNetwork
from .dataset_loader import DatasetLoader
from .file_controller import FileController
from .menus import build_menus
from .networks_controller import NetworksController
from .status_line import StatusLine
from .training_controller import TrainingController
from .view_options import ViewOptions
from .view_wiring import connect_views

TITLE = "Backprop Lab"
DEFAULT_SIZE = (1380, 860)
FRAME_ALLOWANCE = (8, 40)   # a window manager's borders and title bar, before the frame is known
PAD_SHARE = (0.2, 0.45)   # the pad's room keeps between a fifth and nearly half the window's width


def _scrolling(widget):
    """``widget`` in a scroll area, so a tab's room never forces the window wider than the screen."""
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.NoFrame)
    return scroll


class MainWindow(QMainWindow):
    """Backprop Lab's window. ``settings`` is an AppSettings (tests give one on a temporary file);
    ``dataset`` skips the background load of MNIST; ``data_dir`` holds "my handwriting"."""

    def __init__(self, settings=None, *, dataset=None, data_dir=None):
        super().__init__()
        self.settings = settings or AppSettings()
        self.setWindowTitle(TITLE)
        self.data_dir = Path(data_dir) if data_dir is not None else user_data_dir()
        self._fitted = False
        self.status = StatusLine(self)
        self.current = CurrentNetwork(self)
        self.session = TrainingSession(self)
        self.loader = DatasetLoader(self)
        self.actions = build_actions(self)
        self._build_rooms()
        self.training = TrainingController(self.session, self.panel, self.current, self.loader,
                                           self.pad_panel.extra_training_data, self.training_tab,
                                           self.actions, self.status, self)
        self.files = FileController(self.current, self.loader, self.session, self.panel, self.settings,
                                    self.actions, self.status, self)
        self.view = ViewOptions(self, self.settings, self.actions,
                                [self.training_tab.plots.cost_plot, self.training_tab.plots.acc_plot,
                                 self.saturation, *self.lessons.plots])
        build_menus(self, self.actions, PRESETS, self.panel.apply_config, (self.settings_dock, self.pad_dock),
                    self.view.theme_actions, self.files.recent_menu)
        self.networks = NetworksController(self.session, self.current, self.training_tab, self.pad_panel,
                                           self.data_dir / "session", self.status, self)
        connect_views(self)
        self._restore()
        restored = self.networks.restore()
        self.files.use_default_network(self.networks.shelf, make_current=self.current.network is None)
        if restored:
            self.status.say("The last session's runs and network are back.")
        if self._fallbacks:
            self.status.say("Some saved settings could not be used and are back to their defaults: "
                            + ", ".join(self._fallbacks))
        self.training.update_actions()
        self.files.update_actions()
        self._load_timer = QTimer(self, singleShot=True, interval=100)
        self._load_timer.timeout.connect(lambda: self.loader.load(None))
        if dataset is None:   # in the background, once the window is on screen: usable meanwhile
            self._load_timer.start()
        else:
            self.loader.use(dataset)

    # ---- building ------------------------------------------------------------------------
    def _build_rooms(self):
        config, self._fallbacks = TrainingConfig.from_stored(self.settings.get_json("config", {}))
        self.panel = SettingsPanel(config)
        scroll = QScrollArea()
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.panel.sizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width() + 4)
        self.settings_dock = self._dock("Network settings", scroll, Qt.LeftDockWidgetArea)
        self.training_tab = TrainingTab()
        self.pad_panel = PadPanel(HandwritingStore(self.data_dir / "my-handwriting", load=False))
        self.inspector = InspectorTab(self.pad_panel.network_input)
        self.saturation = SaturationPlot(self.training_tab.history)
        self.inspector.add_panel(self.saturation)
        self.weights_tab = WeightsTab()
        self.mistakes = MistakesTab()
        self.pixels = PixelsTab(self.pad_panel.network_input)
        self.diagram = DiagramTab(self.pad_panel.network_input)
        self.lessons = LessonsTab(known_settings=TrainingConfig().to_dict().keys())
        self.sweeps = SweepDialog((self.panel.config() or TrainingConfig()).to_dict(), self)
        self.tabs = QTabWidget()
        for widget, title in ((self.training_tab, "Training"), (self.inspector, "Backprop inspector"),
                              (self.diagram, "Network diagram"),
                              (self.weights_tab, "Weights"), (self.mistakes, "Mistakes"),
                              (self.pixels, "What it looks at"), (self.lessons, "Lessons")):
            wide = widget in (self.diagram, self.pixels, self.lessons)     # rooms that want more than a laptop
            self.tabs.addTab(_scrolling(widget) if wide else widget, title)
        self.tabs.setUsesScrollButtons(True)
        self.setCentralWidget(self.tabs)
        pad_scroll = QScrollArea()      # on a small screen the pad's room scrolls rather than overflows
        pad_scroll.setWidget(self.pad_panel)
        pad_scroll.setWidgetResizable(True)
        pad_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        pad_scroll.setFrameShape(QScrollArea.NoFrame)
        self.pad_dock = self._dock("Draw a digit", pad_scroll, Qt.RightDockWidgetArea)
        self.progress = ProgressStrip()
        self.statusBar().addWidget(self.status.label, 1)
        self.statusBar().addPermanentWidget(self.progress)

    def _dock(self, title, widget, area):
        dock = QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", "_"))
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # ---- settings and closing ------------------------------------------------------------
    def remember_config(self, cfg):
        """Keep a checked config in the settings as soon as it is typed."""
        if cfg is not None:
            self.settings.set_json("config", cfg.to_dict())

    def _restore(self):
        geometry, state = self.settings.get_bytes("geometry"), self.settings.get_bytes("window_state")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        if state is not None:
            self.restoreState(state)
        self.fit_to_screen()
        options = self.settings.get_json("options", {})
        options = options if isinstance(options, dict) else {}
        tab = options.get("tab", 0)
        self.tabs.setCurrentIndex(tab if isinstance(tab, int) and 0 <= tab < self.tabs.count() else 0)
        for box, key in self._remembered_boxes():
            box.setChecked(options.get(key) is True)

    def _remembered_boxes(self):
        """The tick boxes kept between launches, with their settings keys."""
        return ((self.pad_panel.handwriting.use_for_training, "use_my_drawings"),
                (self.training_tab.plots.log_cost, "log_cost"))

    def fit_to_screen(self):
        """Keep the whole window on the screen it opens on: a size saved on a larger screen, or the
        default size on a small one, shrinks to the available area and moves inside it."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()   # title bar and borders
        if frame.isNull() or frame.height() <= 0:     # not shown yet: allow for a typical frame
            frame = QSize(*FRAME_ALLOWANCE)
        width = min(self.width(), area.width() - frame.width())
        height = min(self.height(), area.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), area.left()), area.right() + 1 - width - frame.width())
        y = min(max(self.y(), area.top()), area.bottom() + 1 - height - frame.height())
        self.move(x, y)

    def save_settings(self):
        """Write the window's size, layout and settings; True when the store was written."""
        self.settings.set_bytes("geometry", self.saveGeometry())
        self.settings.set_bytes("window_state", self.saveState())
        self.remember_config(self.panel.config())
        options = {key: box.isChecked() for box, key in self._remembered_boxes()}
        self.settings.set_json("options", {**options, "tab": self.tabs.currentIndex()})
        written = self.settings.sync()
        if not written:
            self.status.say(f"The settings could not be saved to {self.settings.path}; "
                            "the previous settings file is unchanged.")
        return written

    def showEvent(self, event):
        """Once the window manager has framed the window, make sure the frame fits too."""
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            QTimer.singleShot(0, self.fit_to_screen)

    def resizeEvent(self, event):
        """Let the pad's room grow and shrink with the window, keeping the share of width it had."""
        super().resizeEvent(event)
        old, new = event.oldSize().width(), event.size().width()
        if old > 0 and new != old and self.pad_dock.isVisible() and not self.pad_dock.isFloating():
            share = min(max(self.pad_dock.width() / old, PAD_SHARE[0]), PAD_SHARE[1])
            self.resizeDocks([self.pad_dock], [round(share * new)], Qt.Horizontal)

    def closeEvent(self, event):
        """Ask before stopping a run; then stop training, end every thread, keep settings and session."""
        if self.session.state.active and not self.status.confirm(
                "Quit Backprop Lab", "A run is training. Stop it and quit? (Its curves and its network "
                "as of the last finished epoch are kept for the next launch.)"):
            event.ignore()
            return
        self.save_settings()
        self._load_timer.stop()
        self.session.shutdown()
        self.loader.shutdown()
        self.inspector.shutdown()
        self.pad_panel.shutdown()
        self.pixels.shutdown()
        self.sweeps.shutdown()
        self.diagram.shutdown()
        self.weights_tab.shutdown()
        self.networks.shutdown()
        super().closeEvent(event)

    def keyPressEvent(self, event):
        """A digit key that no field took labels the pad's drawing, wherever the focus is."""
        text = event.text()
        if len(text) == 1 and text.isdigit() and not event.modifiers() & ~Qt.KeypadModifier:
            self.pad_panel.label_drawing(int(text))
        else:
            super().keyPressEvent(event)

    def update_title(self, *_):
        """The title bar names the network the window reads with and the dataset."""
        data = self.loader.dataset
        parts = [TITLE, self.current.description.split(",")[0] or "no network",
                 data.name if data is not None else "loading the data…"]
        self.setWindowTitle(" — ".join(parts))
