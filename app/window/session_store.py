"""What survives a restart: the run history with each run's network, and the network the window
reads with. Written off the GUI thread at every epoch's and run's end; read at start.

In ``folder`` (the user's data folder / "session"): ``runs.json`` (the records, newest last, each naming
its network file ``run-<id>-<n>.npz``), ``current.json`` (the window's network file ``current-<n>.npz``,
its description, epochs and source) and ``session.lock``. A write saves the changed networks under new
names, then the two JSON files atomically, then deletes the network files it wrote or read that nothing
names now: at any moment, a kill included, the JSON files name networks as they were with their records.
Files named by nothing the store read (a damaged runs.json's networks) are never deleted. Reading
survives any content (a damaged file is named in a message and kept aside, values are bounded as they
are read); older versions' ``run-<id>.npz`` and ``current.npz`` are read too.
"""

import json
import os
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from nncore import NNCoreError, load, save
from nncore.fileio import atomic_write
from nncore.limits import EPOCHS, Range

from ..threads import TaskRunner
from ..training import run_history as rh
from .app_settings import keep_aside, read_json_file
from .locks import SessionLock
from .session_files import NETWORK_NAME, State, network_name

MAX_FILE_BYTES = 50_000_000     # runs.json and current.json are small; refuse anything this large
CURRENT_EPOCHS = Range(0, rh.FIRST_EPOCH.high + EPOCHS.high)
MAX_SOURCE = 4_200              # "file:" and a path


class SessionStore(QObject):
    """Saves and restores the session in ``folder`` (its newest ``max_runs`` runs); ``problem(message)``
    when something could not be. ``owns_session`` is False when another window holds the folder's lock (or
    it cannot be taken): then :meth:`restore` reads without setting anything aside, saves are dropped,
    ``lock_message`` says why in a sentence and ``not_kept`` in a few words. ``lock`` (a SessionLock)
    says when the session is taken later."""

    problem = Signal(str)

    def __init__(self, folder, parent=None, max_runs=rh.DEFAULT_MAX_RUNS):
        super().__init__(parent)
        self.folder, self.max_runs = Path(folder), max_runs
        self.lock = SessionLock(self.folder, self)
        self.runner = TaskRunner("session-store", self)
        self.runner.finished.connect(self._write_ended)
        self.runner.failed.connect(self._write_ended)      # a bug in a write: said like any failure
        self._snapshot, self._pending, self._writing = None, None, False
        self._written = {}      # run id (or "current") → the network object last handed to a write
        self._names, self._current_name = {}, None    # run id → the file its network is in; the current's
        self._dicts = {}        # run id → (what its dict was made from, the dict)
        self._owned = set()     # network files the store wrote or read as named: the only ones it deletes
        self._serial, self._texts = None, {}   # the last n of a file name; id(record dict) → (dict, its JSON)
        self._closing = False   # the last write, at close: a run still going ended with the window
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(lambda: (self._queue_state(), self._start_write()))

    @property
    def owns_session(self):
        """True while this store holds the session's lock (and so saves)."""
        return self.lock.held

    @property
    def not_kept(self):
        """Why this window's session is not kept, in a few words ("" while it is)."""
        return self.lock.not_kept

    @property
    def lock_message(self):
        """The same in a sentence."""
        return self.lock.message

    # ---- saving ----------------------------------------------------------------------------
    def save_soon(self, snapshot):
        """Queue a save. ``snapshot()`` is called once the event that asked for it has reached every view
        (this turn of the event loop) and returns (records, {run id: Network}, current) with ``current``
        = (network, description, epochs, source) or None. The state it gives is written as soon as the
        write before it ends; states taken meanwhile make one write, of the newest."""
        if self.owns_session:
            self._snapshot = snapshot
            self._timer.start()

    def _queue_state(self):
        """Take the snapshot; the networks of a state not yet written go with it when it still names them."""
        state = self._take()
        if self._pending is not None:
            merged = {**self._pending.networks, **state.networks}
            state.networks = {name: net for name, net in merged.items() if name in state.named}
        self._pending = state

    def _start_write(self):
        if self._pending is not None and not self._writing:
            state, self._pending, self._writing = self._pending, None, True
            self.runner.start("save", lambda _task: self._write(state))

    def _write_ended(self, _token, failure):
        self._writing = False
        if failure:
            self.problem.emit(f"The session could not be saved in {self.folder} ({failure}); training goes on.")
            self._written.clear()
            self._pending = None
            self._queue_state()      # everything, written with the next save or at close
        else:
            self._start_write()

    def _take(self):
        """The snapshot as a State of plain values and copies (safe to write on another thread).

        Networks already handed to a write (the same objects: a run's network is replaced, never changed
        in place, when the worker sends a newer copy) are not written again, and a record whose points,
        visibility, ending and file are as before gives the same dict (the writer dumps it once).
        """
        records, networks, current = self._snapshot()
        written, self._written, files = self._written, {}, {}
        for record in records:
            net = networks.get(record.run_id)
            if net is not None:
                self._written[record.run_id] = net
                if written.get(record.run_id) is not net:
                    self._names[record.run_id] = name = self._new_name(f"run-{record.run_id}")
                    files[name] = net.copy()
        ids = {r.run_id for r in records}
        self._names = {i: name for i, name in self._names.items() if i in ids}
        self._dicts = {i: made for i, made in self._dicts.items() if i in ids}
        runs = [self._record_dict(record) for record in records]
        info = None
        if current is not None and current[0] is not None:
            net, description, epochs, source = current
            self._written["current"] = net
            if written.get("current") is not net:
                self._current_name = self._new_name("current")
                files[self._current_name] = net.copy()
            info = {"description": description, "epochs": epochs, "source": source, "network": self._current_name}
        return State(runs, info, files, {*self._names.values(), self._current_name} - {None})

    def _record_dict(self, record):
        name = self._names.get(record.run_id)
        made = (len(record.batch_x), len(record.epoch_x), len(record.eta_changes), record.visible,
                record.end_text, name, self._closing)
        if self._dicts.get(record.run_id, (None,))[0] != made:
            self._dicts[record.run_id] = (made, {**record.to_dict(self._closing), "network": name})
        return self._dicts[record.run_id][1]

    def _new_name(self, prefix):
        """``<prefix>-<n>.npz``, n above that of every such name in the folder: never an existing file."""
        if self._serial is None:
            try:
                names = os.listdir(self.folder)
            except OSError:
                names = []
            self._serial = max((int(m[2]) for m in map(NETWORK_NAME.fullmatch, names) if m), default=0)
        self._serial += 1
        return f"{prefix}-{self._serial}.npz"

    def _write(self, state):
        """Write ``state`` as one (see the module's docstring). Returns None, or a sentence saying what
        could not be written (the files before it are then as they were, or named by nothing)."""
        texts = {id(d): self._texts[id(d)] if id(d) in self._texts else (d, json.dumps(d)) for d in state.runs}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, network in state.networks.items():
                self._owned.add(name)
                save(network, self.folder / name)
            runs = ("[" + ",".join(texts[id(d)][1] for d in state.runs) + "]").encode("utf-8")
            atomic_write(self.folder / "runs.json", lambda f: f.write(runs))
            if state.current is not None:
                current = json.dumps(state.current).encode("utf-8")
                atomic_write(self.folder / "current.json", lambda f: f.write(current))
        except (OSError, NNCoreError) as e:     # in words, without the name of its class
            return str(e) if isinstance(e, NNCoreError) or not e.strerror else f"{e.filename}: {e.strerror}"
        self._texts = texts
        for name in self._owned - state.named:
            try:
                (self.folder / name).unlink(missing_ok=True)
                self._owned.discard(name)
            except OSError:
                pass                 # tried again after the next write
        return None

    def flush(self, timeout_ms=10_000):
        """Write what is not written yet, on this thread, and give the session up (the window is closing)."""
        waiting = self._timer.isActive() or self._pending is not None or self._writing
        self._timer.stop()
        self.runner.shutdown(timeout_ms)
        if self.owns_session and self._snapshot is not None and waiting:
            if self._writing:              # its result never came back: everything again
                self._written.clear()
                self._pending = None
            self._closing = True
            self._queue_state()
            failure = self._write(self._pending)
            if failure:
                self.problem.emit(f"The session could not be saved in {self.folder} ({failure}).")
        self.lock.release()
        self._pending, self._writing = None, False

    # ---- restoring -------------------------------------------------------------------------
    def restore(self):
        """(records, {run id: Network}, current or None, problems): what the last session left.

        ``records`` are the newest ``max_runs`` usable ones, oldest first; ``current`` is (network,
        description, epochs, source); ``problems`` says in a sentence each what was skipped and where
        a damaged file was kept. Never raises, whatever the files hold.
        """
        problems, records, networks, current = [], [], {}, None
        runs, data = self._read("runs.json", problems)
        if data is not None and not isinstance(runs, list):
            self._refuse("runs.json", "it does not hold a list of runs", data, problems)
        elif runs:
            records, networks, skipped = self._restore_runs(runs, problems)
            if skipped:
                problems += skipped
                self._refuse("runs.json", f"{len(skipped)} skipped", data, problems, "held damaged runs")
        info, data = self._read("current.json", problems)
        if data is not None:
            try:
                current = self._restore_current(info, problems)
            except ValueError as e:
                self._refuse("current.json", e, data, problems)
        return records, networks, current, problems

    def _restore_runs(self, runs, problems):
        """(records oldest first, {run id: Network}, sentences naming the records skipped) of the newest
        ``max_runs`` usable entries of ``runs``. Older entries' networks are the store's to delete."""
        pairs, skipped, older = rh.newest_records(runs, self.max_runs)
        for d in older:              # not restored: dropped as the history drops its oldest runs
            try:
                self._own(d, rh.whole_number(d.get("run_id"), rh.RUN_ID, "its run id"))
            except (AttributeError, ValueError):
                pass
        networks, lost = {}, []
        for record, d in pairs:
            name = self._names[record.run_id] = self._own(d, record.run_id)
            if name is None or not os.path.lexists(self.folder / name):     # "network": None: it had none
                lost += [f"#{record.run_id}"] if d.get("network") is not None and not self._aside(name) else []
                self._names[record.run_id] = None          # saved as having none: said once
            elif (network := self._load(name, "the network of a saved run", problems)) is not None:
                networks[record.run_id] = network
        if lost:         # said once: the next save names no network for them
            problems.append(f"run{'s' * (len(lost) > 1)} {', '.join(lost)} came back without "
                            f"{'their networks' if len(lost) > 1 else 'its network'} (runs.json names a file that "
                            "is missing or that Backprop Lab does not write)")
        return [record for record, _d in pairs], networks, skipped

    def _restore_current(self, info, problems):
        """(network, description, epochs, source) from current.json's ``info``, or None when its network
        is missing or unusable (named in ``problems``). Raises ValueError for a damaged field."""
        if not isinstance(info, dict):
            raise ValueError("it does not hold an object")
        fields = (rh.capped_text(info.get("description", ""), rh.MAX_TEXT, "its description"),
                  rh.whole_number(info.get("epochs", 0), CURRENT_EPOCHS, "its epochs"),
                  rh.capped_text(info.get("source", ""), MAX_SOURCE, "its source"))
        self._current_name = self._own(info, None)
        network = self._load(self._current_name, "the window's last network", problems)
        return None if network is None else (network, *fields)

    def _own(self, d, run_id):
        """The network file (or None) that the stored dict ``d`` of run ``run_id`` (None: current.json)
        names; the store may delete it once nothing names it."""
        name = network_name(d, "current" if run_id is None else f"run-{run_id}")
        self._owned.update({name} - {None})
        return name

    def _aside(self, name):
        """True when the network file ``name`` was kept aside as damaged (and so named already)."""
        try:
            return name is not None and any(n.startswith(f"{name}.damaged-") for n in os.listdir(self.folder))
        except OSError:
            return False

    def _load(self, name, what, problems):
        """The network in the file ``name``; None if missing or unusable (then named in ``problems``, kept aside)."""
        if name is None or not os.path.lexists(self.folder / name):
            return None
        try:
            return load(self.folder / name)
        except NNCoreError as e:
            self._owned.discard(name)      # unreadable: never deleted
            aside = keep_aside(self.folder / name) if self.owns_session else "another window owns it"
            problems.append(f"{what} could not be restored ({e}); {aside}")
            return None

    def _read(self, name, problems):
        """(JSON value, bytes) of the session file ``name``: (None, None) when it is missing or unusable
        (then named in ``problems`` and kept aside). Never blocks on a FIFO (see read_json_file)."""
        value, data, reason = read_json_file(self.folder / name, MAX_FILE_BYTES)
        if reason is not None:
            self._refuse(name, reason, data, problems)
        return (value, data) if reason is None else (None, None)

    def _refuse(self, name, reason, data, problems, what="could not be read"):
        """Name the damaged session file ``name`` in ``problems`` and keep it aside (a copy of ``data``)."""
        aside = keep_aside(self.folder / name, data) if self.owns_session else "another window owns it"
        problems.append(f"{name} {what} ({reason}); {aside}")
