"""The File menu's work: networks and datasets in, networks out, errors shown, nothing lost."""

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

import nncore
from nncore import NNCoreError, modelfile
from nncore.errors import ReadOnlyFileError
from nncore.limits import IMAGE_SIDE, N_CLASSES, N_INPUTS
from nncore.network import sizes_text

from ..training.training_session import RunState
from .bundled_files import load_default_network
from .network_shelf import DEFAULT_KEY

NETWORK_FILTER = "Backprop Lab networks (*.npz)"
MAX_RECENT = 8
FILE_ACTIONS = ("open_network", "save_network", "open_dataset", "bundled_dataset")


class FolderMemory:
    """The folder last used for each kind of file ('network', 'dataset', 'export'), kept in ``settings``
    (an AppSettings), so that a file dialog opens where the user was last time, not in the working folder."""

    def __init__(self, settings):
        self.settings = settings

    def folder(self, kind):
        """The folder last used for ``kind`` if it still exists, else the home folder."""
        folder = self.settings.get_json(f"last_dir_{kind}", None)
        return folder if isinstance(folder, str) and Path(folder).is_dir() else str(Path.home())

    def remember(self, kind, folder):
        """``folder`` is the one to start in for ``kind`` from now on (kept with the settings)."""
        self.settings.set_json(f"last_dir_{kind}", str(Path(folder).resolve()))


class FileController(QObject):
    """Opens and saves networks, opens datasets, and installs the startup network.

    It receives what it uses: ``current`` (the CurrentNetwork), ``data`` (the DatasetLoader), the
    ``session`` (files are not swapped under a run), the settings ``panel`` (shows an opened
    network's shape), the ``settings`` store (last folders: :attr:`folders`, which the Training tab's exports
    use too), the ``actions`` and the ``status`` line; ``window`` parents the file dialogs.
    """

    def __init__(self, current, data, session, panel, settings, actions, status, window):
        super().__init__(window)
        self.current, self.data, self.session, self.panel = current, data, session, panel
        self.settings, self.actions, self.status, self._window = settings, actions, status, window
        self.folders = FolderMemory(settings)
        actions["open_network"].triggered.connect(lambda: self.open_network())
        actions["save_network"].triggered.connect(lambda: self.save_network())
        actions["open_dataset"].triggered.connect(lambda: self.open_dataset())
        actions["bundled_dataset"].triggered.connect(lambda: self.data.load(None))
        data.datasetChanged.connect(self._dataset_loaded)
        data.failed.connect(lambda m: (status.show_error("The dataset could not be opened", m),
                                       setattr(self, "_asked_folder", None)))
        data.busyChanged.connect(self.update_actions)
        session.stateChanged.connect(self.update_actions)
        self._asked_folder = None
        self.recent_menu = QMenu("Open &recent", window)
        self._fill_recent()

    def update_actions(self, *_):
        """Files can be opened only while no run trains and no dataset is loading."""
        free = self.session.state is RunState.IDLE and not self.data.busy
        for name in FILE_ACTIONS:
            self.actions[name].setEnabled(free or name == "save_network")

    def _last_dir(self, kind):
        """The folder last used for this kind of file ('network' or 'dataset'), or the home folder."""
        return self.folders.folder(kind)

    def _remember(self, path, kind):
        """Remember ``path``'s folder for its kind, and put it first in File → Open recent."""
        path = Path(path).resolve()
        self.folders.remember(kind, path if kind == "dataset" else path.parent)
        entry = {"kind": kind, "path": str(path)}
        self.settings.set_json("recent", [entry] + [e for e in self._recent() if e != entry][:MAX_RECENT - 1])
        self._fill_recent()

    def _recent(self):
        """The remembered files, newest first: [{'kind': 'network' | 'dataset', 'path': str}]."""
        entries = self.settings.get_json("recent", [])
        return [e for e in entries if isinstance(e, dict) and e.get("kind") in ("network", "dataset")
                and isinstance(e.get("path"), str)] if isinstance(entries, list) else []

    def _fill_recent(self):
        self.recent_menu.clear()
        for entry in self._recent():
            path, kind = entry["path"], entry["kind"]
            opener = self.open_network if kind == "network" else self.open_dataset
            self.recent_menu.addAction(f"{Path(path).name} ({kind}) — {Path(path).parent}",
                                       lambda p=path, o=opener: o(p))
        self.recent_menu.setEnabled(bool(self._recent()))

    def open_network(self, path=None):
        """Load a network file; on any problem say what is wrong and keep the current network."""
        path = path or QFileDialog.getOpenFileName(self._window, "Open network", self._last_dir("network"),
                                                   NETWORK_FILTER)[0]
        if not path:
            return False
        try:
            net = nncore.load(path)
        except NNCoreError as e:
            self.status.show_error("The network could not be opened",
                                   f"{e}\n\nThe current network is unchanged.")
            return False
        if net.sizes[0] != N_INPUTS or net.sizes[-1] != N_CLASSES:
            self.status.show_error("The network does not fit the data",
                                   f"{path}: the network is {sizes_text(net.sizes)}; Backprop "
                                   f"Lab needs {N_INPUTS} inputs ({IMAGE_SIDE} × {IMAGE_SIDE} pixels) "
                                   f"and {N_CLASSES} outputs. The current network is unchanged.")
            return False
        self._remember(path, "network")
        self.current.set(net, f"{Path(path).name}, {net.describe()}", source=f"file:{Path(path).resolve()}")
        cfg = self.panel.config()
        if cfg is not None:
            self.panel.apply_config(replace(cfg, hidden=tuple(net.sizes[1:-1]), cost=net.cost.name,
                                            init=net.init))
        self.status.say(f"Opened {path}: {net.describe()}")
        return True

    def save_network(self, path=None):
        """Save the current network atomically; a failure leaves any old file intact and says so."""
        net = self.current.network
        if net is None:
            self.status.show_error("Nothing to save", "There is no network yet.")
            return False
        name = "-".join(map(str, net.sizes)) + (f"-run{self.current.source[4:]}"
                                                 if self.current.source.startswith("run:") else "") + ".npz"
        path = path or QFileDialog.getSaveFileName(self._window, "Save network",
                                                   str(Path(self._last_dir("network")) / name),
                                                   NETWORK_FILTER)[0]
        if not path:
            return False
        if not path.endswith(".npz"):
            path += ".npz"
        try:
            try:
                modelfile.save(net, path)
            except ReadOnlyFileError:
                if not self.status.confirm("Replace a read-only file",
                                           f"{path} is read-only. Replace it anyway? (It stays read-only.)"):
                    self.status.say(f"{path} was left as it was.")
                    return False
                modelfile.save(net, path, force=True)
        except OSError as e:
            self.status.show_error("The network could not be saved",
                                   f"{path}: {e.strerror or e}. Any earlier file there is unchanged.")
            return False
        self._remember(path, "network")
        self.status.say(f"Saved {net.describe()} to {path}")
        return True

    def save_before_losing(self, title, text):
        """The save prompt before work is lost: ``text`` asked with Save network as… (then the save dialog),
        Quit without saving and Cancel. True when the network in focus was saved or the user chose to lose
        it; False (nothing lost yet) for Cancel, or a save dialog cancelled or failed."""
        answer = self.ask_to_save(title, text)
        return self.save_network() if answer == "save" else answer == "discard"

    def ask_to_save(self, title, text):
        """'save', 'discard' or 'cancel': the user's answer to ``text`` (plain text). (Tests replace this.)"""
        box = QMessageBox(QMessageBox.Warning, title, "", QMessageBox.NoButton, self._window)
        box.setTextFormat(Qt.PlainText)
        box.setText(text)
        save = box.addButton("Save network as…", QMessageBox.AcceptRole)
        discard = box.addButton("Quit without saving", QMessageBox.DestructiveRole)
        box.setEscapeButton(box.addButton(QMessageBox.Cancel))
        box.setDefaultButton(save)
        try:
            box.exec()
            clicked = box.clickedButton()
            return "save" if clicked is save else "discard" if clicked is discard else "cancel"
        finally:
            box.deleteLater()

    def open_dataset(self, folder=None):
        """Load another IDX dataset folder in the background; the current data stays until it works."""
        folder = folder or QFileDialog.getExistingDirectory(
            self._window, "Open a folder with the four IDX files (train-images-idx3-ubyte, …)",
            self._last_dir("dataset"))
        if not folder:
            return False
        self.status.say(f"Loading the dataset in {folder}…")
        self._asked_folder = folder
        self.data.load(folder)
        return True

    def use_default_network(self, shelf, *, make_current):
        """Put the pre-trained network shipped in resources/ on the ``shelf`` (and make it the window's
        network when ``make_current``); say why if it cannot be used."""
        net, problem = load_default_network()
        if net is None:
            self.status.say(problem)
            return
        label = f"the pre-trained default network, {net.describe()}"
        shelf.put(DEFAULT_KEY, label, net)
        if make_current:
            self.current.set(net.copy(), label, source=DEFAULT_KEY)

    def _dataset_loaded(self, data):
        if self._asked_folder is not None:
            self._remember(self._asked_folder, "dataset")
            self._asked_folder = None
        self.status.say(f"{data.name}: {len(data.train):,} training, {len(data.validation):,} validation, "
                        f"{len(data.test):,} test images. Ready to train.")
