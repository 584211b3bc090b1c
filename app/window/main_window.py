"""The main window: composes the rooms (a rail of pages, the settings, the pad) and the controllers, and
lays them out."""

from functools import partial
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QVBoxLayout, QWidget

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
from .focus_bar import FocusBar
from .menus import build_menus
from .networks_controller import NetworksController
from .pages import Page, Pages
from .side_rooms import SideRooms
from .status_line import StatusLine
from .training_controller import TrainingController
from .view_options import ViewOptions
from .view_wiring import connect_views, welcome_path
from .welcome import WelcomeDialog

TITLE = "Backprop Lab"
FIRST_SHARE = 0.92          # a fresh profile's window: this share of the screen's width and height ...
MAXIMISED_BELOW = (1600, 900)   # ... or maximised on a screen smaller than this (a laptop)
FRAME_ALLOWANCE = (8, 40)   # a window manager's borders and title bar, before the frame is known
PAD_MAX_WIDTH = 470         # the pad's room stops growing here: more width goes to the page in use
STATE_VERSION = 2           # of the dock and toolbar layout; a layout from an older version is not restored


def first_geometry(area):
    """A fresh profile's window on a screen whose free area is ``area`` (QRect): (QRect, maximised)."""
    if area.width() < MAXIMISED_BELOW[0] or area.height() < MAXIMISED_BELOW[1]:
        return QRect(area), True
    width, height = round(area.width() * FIRST_SHARE), round(area.height() * FIRST_SHARE)
    return QRect(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2,
                 width, height), False


class MainWindow(QMainWindow):
    """Backprop Lab's window. ``settings`` is an AppSettings (tests give one on a temporary file);
    ``dataset`` skips the background load of MNIST; ``data_dir`` holds "my handwriting"."""

    def __init__(self, settings=None, *, dataset=None, data_dir=None):
        super().__init__()
        self.settings = settings or AppSettings()
        self.setWindowTitle(TITLE)
        self.data_dir = Path(data_dir) if data_dir is not None else user_data_dir()
        self._fitted = False
        self.welcome = None
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
        self.view = ViewOptions(self, self.settings, self.actions)   # every plot in the window follows the theme
        options = self.settings.get_json("options", {})
        self._options = options if isinstance(options, dict) else {}
        self.rooms = SideRooms(self.pages, {"settings": self.settings_dock, "pad": self.pad_dock},
                               self._options.get("rooms"), self)
        self.pages.add_room_toggles(self.rooms.toggle_actions())
        toolbar = build_menus(self, self.actions, PRESETS, self.panel.apply_config, self.rooms.toggle_actions(),
                              self.view.theme_actions, self.files.recent_menu)
        toolbar.addSeparator()
        toolbar.addWidget(self.focus_bar)
        self.networks = NetworksController(self.session, self.current, self.training_tab, self.focus_bar,
                                           self.data_dir / "session", self.status, self,
                                           follow=self._options.get("follow_training", True) is not False)
        connect_views(self)
        self._restore()
        restored = self.networks.restore()
        self.files.use_default_network(self.networks.shelf, make_current=self.current.network is None)
        if restored:
            self.status.say("The last session's runs and network are back.")
        if self._fallbacks:
            self.status.warn("Some saved settings could not be used and are back to their defaults: "
                             + ", ".join(self._fallbacks))
        for key, reason in self.settings.skipped.items():
            self.status.warn(f"The saved setting \"{key}\" was skipped: {reason}")
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
        self.pages = Pages()
        #   widget, title on the rail, what it is for, uses the settings, uses the pad
        for widget, title, tip, settings, pad in (
                (self.training_tab, "Training", "Cost and accuracy as the network learns, and every run", True, True),
                (self.inspector, "Backprop inspector", "One example's backward pass, fact by fact", False, True),
                (self.diagram, "Network diagram", "One example forward and backward through every neuron",
                 False, False),
                (self.weights_tab, "Weights", "Every first-layer neuron's weights as an image", False, False),
                (self.mistakes, "Mistakes", "The test images the network gets wrong", False, False),
                (self.pixels, "What it looks at", "Which pixels argue for the network's answer", False, True),
                (self.lessons, "Lessons", "Guided experiments from the book", False, False)):
            self.pages.add_page(Page(widget, title, tip, settings=settings, pad=pad))
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.status.warning)     # warnings that stay until read, above the page
        column.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.addToolBar(Qt.LeftToolBarArea, self.pages.rail)
        pad_scroll = QScrollArea()      # on a small screen the pad's room scrolls rather than overflows
        pad_scroll.setWidget(self.pad_panel)
        pad_scroll.setWidgetResizable(True)
        pad_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        pad_scroll.setFrameShape(QScrollArea.NoFrame)
        self.pad_dock = self._dock("Draw a digit", pad_scroll, Qt.RightDockWidgetArea)
        self.pad_dock.setMaximumWidth(max(PAD_MAX_WIDTH, pad_scroll.minimumSizeHint().width() + 40))
        self.focus_bar = FocusBar()
        self.progress = ProgressStrip()
        self.status.install(self.statusBar())
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
        self._maximise_at_show = False
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is not None:
                rect, self._maximise_at_show = first_geometry(screen.availableGeometry())
                self.setGeometry(rect)
        if state is not None:
            self.restoreState(state, STATE_VERSION)
        self.fit_to_screen()
        options = self._options
        page = options.get("tab", 0)
        self.pages.setCurrentIndex(page if isinstance(page, int) and 0 <= page < self.pages.count() else 0)
        self.rooms.apply()
        for box, key in self._remembered_boxes():
            box.setChecked(options.get(key) is True)
        self.inspector.restore_state(options.get("inspector"))   # inspected again once the data and a network come
        self.lessons.use_history(self.training_tab.history)      # the lessons' runs, found in the restored runs
        self.training_tab.folders = self.files.folders           # exports open in the folder last exported to

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
        self.settings.set_bytes("window_state", self.saveState(STATE_VERSION))
        self.remember_config(self.panel.config())
        options = {key: box.isChecked() for box, key in self._remembered_boxes()}
        self.settings.set_json("options", {**options, "tab": self.pages.currentIndex(),
                                           "rooms": self.rooms.choices(), "follow_training": self.networks.follow,
                                           "inspector": self.inspector.state(),
                                           "welcome": self._options.get("welcome", True) is not False})
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
            if self._maximise_at_show:
                QTimer.singleShot(0, self.showMaximized)
            else:
                QTimer.singleShot(0, self.fit_to_screen)
            if self._options.get("welcome", True) is not False:
                QTimer.singleShot(0, self.show_welcome)

    def closeEvent(self, event):
        """Ask before losing work (a run in training; a second window's runs, offering to save the network
        in focus); then stop training, end every thread, keep settings and session."""
        if not self.networks.may_close(self.files.save_before_losing):
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
        self.mistakes.shutdown()
        self.networks.shutdown()
        super().closeEvent(event)

    def show_welcome(self):
        """The welcome with its three ways in (at a fresh profile's first launch, at every start when asked
        for, and from Help → Welcome)."""
        if self.welcome is None:
            self.welcome = WelcomeDialog(self._options.get("welcome") is True, self)
            self.welcome.pathChosen.connect(partial(welcome_path, self))
            self.welcome.show_at_start.toggled.connect(lambda on: self._options.__setitem__("welcome", on))
            self._options.setdefault("welcome", False)       # greeted once: not again unless asked
        self.welcome.show()
        self.welcome.raise_()
        return self.welcome

    def keyPressEvent(self, event):
        """A digit key that no field took labels the pad's drawing, wherever the focus is."""
        text = event.text()
        if len(text) == 1 and text.isdigit() and not event.modifiers() & ~Qt.KeypadModifier:
            self.pad_panel.label_drawing(int(text))
        else:
            super().keyPressEvent(event)

    def update_title(self, *_):
        """The title: the network read with, the dataset, and "not saved: why" when the runs are not kept."""
        data, networks = self.loader.dataset, getattr(self, "networks", None)    # None while being built
        parts = [TITLE, self.current.description.split(",")[0] or "no network",
                 data.name if data is not None else "loading the data…",
                 f"not saved: {networks.not_kept}" if networks is not None and networks.not_kept else ""]
        self.setWindowTitle(" — ".join(filter(None, parts)))
