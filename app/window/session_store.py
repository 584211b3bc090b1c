"""What survives a restart: the run history with each run's network, and the network the window
reads with. Written atomically off the GUI thread after every epoch and run (at most once a second,
and only the networks that changed); read at start.

Layout of ``folder`` (the user's data folder / "session"): ``runs.json`` (the records, newest last),
``run-<id>.npz`` (each kept run's network, as it was at its last epoch), ``current.npz`` and
``current.json`` (the window's network, its description, epochs and where it came from). Anything
damaged is skipped with a message; nothing here can stop the app from starting.
"""

import json
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from nncore import NNCoreError, load, save
from nncore.fileio import atomic_write

from ..threads import TaskRunner
from ..training.run_history import RunRecord

MAX_FILE_BYTES = 50_000_000   # runs.json and current.json are small; refuse anything this large
MIN_INTERVAL_S = 1.0          # between the starts of two writes: epochs can end several times a second


class SessionStore(QObject):
    """Saves and restores the session in ``folder``; ``problem(message)`` when something could not be."""

    problem = Signal(str)

    def __init__(self, folder, parent=None):
        super().__init__(parent)
        self.folder = Path(folder)
        self.runner = TaskRunner("session-store", self)
        self.runner.failed.connect(lambda _token, message: self.problem.emit(
            f"The session could not be saved in {self.folder} ({message}); training goes on."))
        self.runner.failed.connect(lambda *_: self._written.clear())   # write them all next time
        self._pending = None
        self._written = {}            # run id (or "current") → the network object last handed to a write
        self._last_write = None       # time.monotonic() when the last write was started
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._write_pending)

    # ---- saving ----------------------------------------------------------------------------
    def save_soon(self, snapshot):
        """Queue a save. ``snapshot()`` is called when the save is taken, once the event that asked for
        it has reached every view, and returns (records, {run id: Network}, current) with ``current``
        = (network, description, epochs, source) or None; several calls before then make one save."""
        self._pending = snapshot
        if not self._timer.isActive():
            self._timer.start()

    def _take(self):
        """What the queued snapshot holds, as plain values and copies (safe to write on another thread).

        Networks already handed to an earlier write (the same objects: a run's network is replaced,
        never changed in place, when the worker sends a newer copy) are left out: their files are
        current, and rewriting every kept run's network after every epoch would cost the worker time.
        """
        snapshot, self._pending = self._pending, None
        records, networks, current = snapshot()
        written, self._written = self._written, {run_id: net for run_id, net in networks.items() if net is not None}
        nets = {run_id: net.copy() for run_id, net in self._written.items() if written.get(run_id) is not net}
        cur = None
        if current is not None and current[0] is not None:
            cur = (None if written.get("current") is current[0] else current[0].copy(), *current[1:])
            self._written["current"] = current[0]
        return [r.to_dict() for r in records], nets, cur

    def _write_pending(self):
        if self._pending is None:
            return
        wait = 0 if self._last_write is None else self._last_write + MIN_INTERVAL_S - time.monotonic()
        if self.runner.busy or wait > 0:   # one write at a time, and a few at most while a run trains
            self._timer.start(max(int(1000 * wait) + 1, 50))
            return
        self._last_write = time.monotonic()
        pending = self._take()
        self.runner.start("save", lambda _task: _write(self.folder, *pending))

    def flush(self, timeout_ms=10_000):
        """Write what is queued now, on this thread (the window is closing)."""
        self._timer.stop()
        self.runner.shutdown(timeout_ms)
        if self._pending is not None:
            self._written.clear()          # a last write whose failure was not yet reported: all again
            try:
                _write(self.folder, *self._take())
            except OSError as e:
                self.problem.emit(f"The session could not be saved in {self.folder} ({e.strerror or e}).")

    # ---- restoring -------------------------------------------------------------------------
    def restore(self):
        """(records, {run id: Network}, current or None, problems): what the last session left."""
        problems, records, networks, current = [], [], {}, None
        runs = _read_json(self.folder / "runs.json", problems, default=[])
        for d in runs if isinstance(runs, list) else []:
            try:
                record = RunRecord.from_dict(d)
            except (KeyError, TypeError, ValueError, OverflowError) as e:
                problems.append(f"a saved run was damaged and is skipped ({e})")
                continue
            records.append(record)
            path = self.folder / f"run-{record.run_id}.npz"
            if path.is_file():
                try:
                    networks[record.run_id] = load(path)
                except NNCoreError as e:
                    problems.append(str(e))
        info = _read_json(self.folder / "current.json", problems, default=None)
        if isinstance(info, dict) and (self.folder / "current.npz").is_file():
            try:
                current = (load(self.folder / "current.npz"), str(info.get("description", "")),
                           max(int(info.get("epochs", 0)), 0), str(info.get("source", "")))
            except (NNCoreError, TypeError, ValueError, OverflowError) as e:
                problems.append(f"the window's last network could not be restored ({e})")
        return records, networks, current, problems


def _write(folder, runs, networks, current):
    """Write the session files atomically; remove networks of runs no longer kept.

    ``networks`` holds the runs' networks that changed since the last write; ``current`` is
    (network or None when unchanged, description, epochs, source), or None.
    """
    folder.mkdir(parents=True, exist_ok=True)
    kept = {d["run_id"] for d in runs}
    for run_id, net in networks.items():
        if run_id in kept:
            save(net, folder / f"run-{run_id}.npz")
    text = json.dumps(runs)
    atomic_write(folder / "runs.json", lambda f: f.write(text.encode("utf-8")))
    for old in folder.glob("run-*.npz"):
        run_id = old.stem.removeprefix("run-")
        if not run_id.isdigit() or int(run_id) not in kept:
            old.unlink(missing_ok=True)
    if current is not None:
        network, description, epochs, source = current
        if network is not None:     # None: the network written last time is still the current one
            save(network, folder / "current.npz")
        info = json.dumps({"description": description, "epochs": epochs, "source": source})
        atomic_write(folder / "current.json", lambda f: f.write(info.encode("utf-8")))


def _read_json(path, problems, default):
    """The JSON in ``path``, or ``default`` (with a note in ``problems``) if it is missing or damaged."""
    try:
        if not path.is_file():
            return default
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"{path.name} is larger than {MAX_FILE_BYTES:,} bytes")
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        problems.append(f"{path.name} could not be read ({e}); it is skipped")
        return default
