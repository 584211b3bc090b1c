"""The window's File menu work: networks and datasets in, networks out, errors shown, nothing lost."""

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

import nncore
from nncore import NNCoreError

from .config import INPUT_SIZE, OUTPUT_SIZE
from .resources import load_default_network

NETWORK_FILTER = "Backprop Lab networks (*.npz)"


class FileActions:
    """Mixed into MainWindow: open/save networks, open datasets, and the startup network."""

    def _last_dir(self):
        return self.settings.get_json("last_dir", str(Path.home()))

    def _remember_dir(self, path):
        self.settings.set_json("last_dir", str(Path(path).parent))

    def open_network(self, path=None):
        """Load a network file; on any problem say what is wrong and keep the current network."""
        path = path or QFileDialog.getOpenFileName(self, "Open network", self._last_dir(),
                                                   NETWORK_FILTER)[0]
        if not path:
            return False
        try:
            net = nncore.load(path)
        except NNCoreError as e:
            self.show_error("The network could not be opened", f"{e}\n\nThe current network is unchanged.")
            return False
        if net.sizes[0] != INPUT_SIZE or net.sizes[-1] != OUTPUT_SIZE:
            self.show_error("The network does not fit the data",
                            f"{path}: the network is {' → '.join(map(str, net.sizes))}; Backprop Lab "
                            f"needs {INPUT_SIZE} inputs and {OUTPUT_SIZE} outputs. The current network "
                            "is unchanged.")
            return False
        self._remember_dir(path)
        self._set_network(net, f"{Path(path).name}, {net.describe()}")
        self.network_epochs = 0
        cfg = self.panel.config()
        if cfg is not None:
            self.panel.apply_config(replace(cfg, hidden=tuple(net.sizes[1:-1]), cost=net.cost.name,
                                            init=net.init))
        self.say(f"Opened {path}: {net.describe()}")
        return True

    def save_network(self, path=None):
        """Save the current network atomically; a failure leaves any old file intact and says so."""
        if self.network is None:
            self.show_error("Nothing to save", "There is no network yet.")
            return False
        path = path or QFileDialog.getSaveFileName(self, "Save network", str(Path(self._last_dir()) /
                                                   "network.npz"), NETWORK_FILTER)[0]
        if not path:
            return False
        if not path.endswith(".npz"):
            path += ".npz"
        try:
            self.network.save(path)
        except OSError as e:
            self.show_error("The network could not be saved",
                            f"{path}: {e.strerror or e}. Any earlier file there is unchanged.")
            return False
        self._remember_dir(path)
        self.say(f"Saved {self.network.describe()} to {path}")
        return True

    def open_dataset(self, folder=None):
        """Load another IDX dataset folder in the background; the current data stays until it works."""
        folder = folder or QFileDialog.getExistingDirectory(
            self, "Open a folder with the four IDX files (train-images-idx3-ubyte, …)", self._last_dir())
        if not folder:
            return False
        self.say(f"Loading the dataset in {folder}…")
        self.loader.load(folder)
        return True

    def _dataset_loaded(self, data):
        self.dataset = data
        self.say(f"{data.name}: {len(data.train):,} training, {len(data.validation):,} validation, "
                 f"{len(data.test):,} test images. Ready to train.")
        self._update_actions()
        self.mistakes.set_sources(self.network, data)
        self.datasetChanged.emit(data)

    def _use_default_network(self):
        net, problem = load_default_network()
        if net is None:
            self.say(problem)
            return
        self._set_network(net, f"the pre-trained default network, {net.describe()}")
