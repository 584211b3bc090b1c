"""Files shipped in ``resources/``: the pre-trained default network and the icon."""

from nncore import NNCoreError, load
from nncore.data import resources_dir

DEFAULT_NETWORK = "default-network.npz"
ICON = "icons/backprop-lab.svg"


def default_network_path():
    """Where the pre-trained default network lives."""
    return resources_dir() / DEFAULT_NETWORK


def load_default_network():
    """(network, None) for the shipped network, or (None, message) if it cannot be used."""
    try:
        return load(default_network_path()), None
    except NNCoreError as e:
        return None, f"The pre-trained network could not be loaded ({e})"


def icon_path():
    """The application icon."""
    return resources_dir() / ICON
