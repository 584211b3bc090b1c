"""Which network the window reads with, and what is kept across restarts.

The shelf holds the networks the pad can read with (the default, each kept run's latest, opened files);
the session store saves the run history, the runs' networks and the current network after every epoch
and run, and brings them back at start.
"""

from PySide6.QtCore import QObject

from .network_shelf import DEFAULT_KEY, NetworkShelf, run_key
from .session_store import SessionStore


class NetworksController(QObject):
    """Keeps the shelf, the pad's "Read with" list and the saved session in step.

    Receives: the ``session`` (runs and their networks), ``current`` (CurrentNetwork), ``runs`` (the
    TrainingTab with the history), ``pad`` (the PadPanel: its reader list), the session ``folder`` and
    the ``status`` line.
    """

    def __init__(self, session, current, runs, pad, folder, status, parent=None):
        super().__init__(parent)
        self.session, self.current, self.runs, self.pad, self.status = session, current, runs, pad, status
        self._shown = None                # (choices, current key) the pad's list shows
        self.shelf = NetworkShelf(self)
        self.store = SessionStore(folder, self)
        self.store.problem.connect(status.say)
        self.shelf.changed.connect(self._show_choices)
        current.changed.connect(self._current_changed)
        session.networkUpdated.connect(self._run_network)
        session.epochReported.connect(lambda *_: self.save_soon())
        session.runEnded.connect(lambda *_: self.save_soon())
        runs.runsRemoved.connect(self._runs_removed)
        pad.readerChosen.connect(self.read_with)

    def restore(self):
        """Bring back the last session's runs, their networks and the window's network; True if any."""
        records, networks, current, problems = self.store.restore()
        self.restore_problems = problems
        if records:
            self.runs.restore_runs(records)
            self.session.continue_numbering_after(max(r.run_id for r in records))
        for record in records:
            if record.run_id in networks:
                self.shelf.put(run_key(record.run_id), self._run_label(record), networks[record.run_id])
        if current is not None:
            network, description, epochs, source = current
            self.current.set(network, description, epochs=epochs, source=source)
        if problems:
            self.status.say("Some of the last session could not be restored: " + "; ".join(problems))
        return bool(records) or current is not None

    def read_with(self, key):
        """Make the shelf's network ``key`` the window's (not while a run trains)."""
        entry = self.shelf.get(key)
        if entry is None or key == self.current.source:
            return
        if self.session.active_run_id is not None:
            self.status.say("The pad reads with the run in progress; choose another network after it ends.")
            self._show_choices(force=True)
            return
        label, network = entry
        epochs = 0
        if key.startswith("run:"):
            record = self.runs.history.get(int(key.removeprefix("run:")))
            epochs = record.epoch_x[-1] if record is not None and record.epoch_x else 0
        self.current.set(network.copy(), label, epochs=int(epochs), source=key)
        self.status.say(f"Reading with {label}")

    def save_soon(self):
        """Save the session off the GUI thread (coalesced)."""
        c = self.current
        self.store.save_soon(lambda: (list(self.runs.history), self.shelf.run_networks(),
                                      (c.network, c.description, c.epochs, c.source)))

    def shutdown(self):
        """Write what is queued and end the store's thread (the window is closing)."""
        self.save_soon()
        self.store.flush()

    # ---- keeping in step -------------------------------------------------------------------
    def _run_label(self, record):
        reached = f", {record.validation_accuracy[-1]:.2f}% validation" if record.validation_accuracy else ""
        return f"run #{record.run_id} ({record.config.label().split()[0]}{reached})"

    def _run_network(self, run_id, network):
        record = self.runs.history.get(run_id)
        if record is not None:
            self.shelf.put(run_key(run_id), self._run_label(record), network)

    def _runs_removed(self, run_ids):
        for run_id in run_ids:
            self.shelf.remove(run_key(run_id))
        self.save_soon()

    def _current_changed(self, network, description):
        source = self.current.source
        if network is not None and source and (source == DEFAULT_KEY or source.startswith("file:")):
            self.shelf.put(source, description, network)
        self._show_choices()
        if network is not None and not source.startswith("run:"):
            self.save_soon()      # a run's own network is saved with its epochs

    def _show_choices(self, force=False):
        """The pad's "Read with" list; rebuilt only when it changed (the worker sends a network twice a
        second), or when ``force``d back to the window's network after a refused choice."""
        shown = (list(self.shelf.choices()), self.current.source)
        if force or shown != self._shown:
            self._shown = shown
            self.pad.set_reader_choices(*shown)
