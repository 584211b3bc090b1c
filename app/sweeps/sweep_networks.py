"""Where a sweep started from the window saves its runs' networks (``nncore sweep --save``), so that each
run joins the run history with its network as a run trained in the window does (no Qt here).

The files go to a temporary folder of this sweep's own, ``run-<swept values>.npz`` as ``nncore sweep``
names them (:func:`nncore.sweep.save_path`); each is read once its run has ended, then removed, and the
folder goes when the sweep has ended. Nothing else is ever written or removed there.
"""

import shutil
import tempfile
from pathlib import Path

from nncore.sweep import save_path


class SweepNetworks:
    """The networks of one sweep at a time: :meth:`start` gives the ``--save`` file, :meth:`file_of` the
    network a run saved, :meth:`done` removes a file read, :meth:`end` the folder."""

    def __init__(self):
        self.folder = None

    def start(self):
        """A new folder for the sweep about to start; the ``--save`` FILE to give it, or None when no
        folder could be made (the sweep then saves no network, as before)."""
        self.end()
        try:
            self.folder = Path(tempfile.mkdtemp(prefix="backprop-lab-sweep-"))
        except OSError:
            return None
        return str(self.folder / "run.npz")

    def file_of(self, named):
        """The network file of the run whose swept values are ``named`` (the ``"sweep"`` of its lines), or
        None when it saved none (it was stopped or failed, or no folder was made)."""
        if self.folder is None or not isinstance(named, dict):
            return None
        path = Path(save_path(self.folder / "run.npz", named))
        return str(path) if path.parent == self.folder and path.is_file() and not path.is_symlink() else None

    def done(self, path):
        """The network in ``path`` has been read (or was not wanted): remove it."""
        if path is not None:
            Path(path).unlink(missing_ok=True)

    def end(self):
        """The sweep has ended: remove its folder (only files the sweep wrote are in it)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None
