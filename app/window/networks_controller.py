"""Which network the window is looking at, and what is kept across restarts.

The shelf holds the networks the views can read (the default, each kept run's latest, opened files,
new weights from Reset); the focus (CurrentNetwork) is the one every view reads. The focus changes only
when the user picks a network, opens one, takes an inspector step, or turned on "follow training"; then
it follows the run that trains once that run's network has learned at least one epoch. The session store
saves the run history, the runs' networks and the focus after every epoch and run, and brings them back.
"""

from dataclasses import fields

from PySide6.QtCore import QObject

from nncore import NNCoreError, load

from ..training.run_history import RunRecord
from .network_shelf import DEFAULT_KEY, NEW_WEIGHTS_KEY, NetworkShelf, run_key
from .run_numbers import RunNumbers
from .session_store import SessionStore

INSPECTOR_STEP = "after one inspector step"


class NetworksController(QObject):
    """Keeps the shelf, the focus, the focus bar's list and the saved session in step.

    Receives: the ``session`` (runs and their networks), ``current`` (CurrentNetwork: the focus), ``runs``
    (the TrainingTab with the history), ``bar`` (the FocusBar), the session ``folder``, the ``status``
    line and whether to ``follow`` the training run.
    """

    def __init__(self, session, current, runs, bar, folder, status, parent=None, *, follow=True):
        super().__init__(parent)
        self.session, self.current, self.runs, self.bar, self.status = session, current, runs, bar, status
        self.follow = follow
        self._shown = None                # what the bar shows: (choices, focus key, focus label)
        self._before_edit = None          # the focus before an inspector step: (network, description, epochs, source)
        self.shelf = NetworkShelf(self)
        self.store = SessionStore(folder, self)
        self.store.problem.connect(status.warn)
        session.number_runs_with(RunNumbers(folder).after)     # one numbering for the profile's windows
        self._lock_warning = ""
        if not self.store.owns_session:
            self._lock_warning = self.store.lock_message + (
                " Its runs are numbered after every run of this profile, so no number is given twice; closing "
                "it offers to save the network in focus to a file." if self.store.lock.other_window else "")
            status.warn(self._lock_warning, ("Take over", self.take_over) if self.store.lock.holder else None)
        self.store.lock.taken.connect(self._session_taken)
        self._restored = set()            # ids of the runs restored from the saved session
        self._epoch_ended = set()         # runs whose epoch-end network is still to come
        self.shelf.changed.connect(self._show_choices)
        current.changed.connect(self._current_changed)
        session.networkUpdated.connect(self._run_network)
        # The worker sends an epoch's network right after its report: the record and its network are
        # saved together, as one state.
        session.epochReported.connect(lambda run_id, _report: self._epoch_ended.add(run_id))
        session.runEnded.connect(lambda *_: self.save_soon())
        runs.runsRemoved.connect(self._runs_removed)
        bar.chosen.connect(self.read_with)
        bar.followChanged.connect(self.set_follow)
        bar.set_follow(follow)

    def restore(self):
        """Bring back the last session's runs, their networks and the network in focus; True if any."""
        records, networks, current, problems = self.store.restore()
        self.restore_problems = problems
        self._restored = {r.run_id for r in records}
        for r in records if self.store.lock.other_window else ():     # the owner may be training it now
            if r.saved_running and r.epoch_x:
                r.end_text = f"as of epoch {int(r.epoch_x[-1])}: training in the window that has this profile"
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
            self.status.warn("Some of the last session could not be restored: " + "; ".join(problems))
        return bool(records) or current is not None

    # ---- the user's choices ----------------------------------------------------------------
    def read_with(self, key):
        """Put the shelf's network ``key`` in focus (the user chose it). Choosing another network than the
        run in training stops following it."""
        entry = self.shelf.get(key)
        if entry is None:
            return
        active = self.session.active_run_id
        if self.follow and active is not None and key != run_key(active):
            self.set_follow(False)
            self.status.say("Stopped following the training run: the views read the network you chose.")
        if key == self.current.source and not self.current.description.endswith(INSPECTOR_STEP):
            return
        label, network = entry
        epochs = 0
        if key.startswith("run:"):
            record = self.runs.history.get(int(key.removeprefix("run:")))
            epochs = record.epoch_x[-1] if record is not None and record.epoch_x else 0
        self._before_edit = None
        self.current.set(network.copy(), label, epochs=int(epochs), source=key)
        self.status.say(f"Looking at {label}")

    def set_follow(self, on):
        """Follow the training run (``on``) or stay on the network in focus."""
        self.follow = bool(on)
        self.bar.set_follow(self.follow)
        active = self.session.active_run_id
        if self.follow and active is not None and self.session.epoch >= 1:
            entry = self.shelf.get(run_key(active))
            if entry is not None:
                self._focus_run(active, entry[1])

    def add_new_weights(self, network, label):
        """Reset's untrained network joins the list; it never takes the focus by itself."""
        self.shelf.put(NEW_WEIGHTS_KEY, label, network)
        self.status.say(f"{label} is on the \"Looking at\" list: choose it to look inside an untrained network, "
                        "or to Continue training from it. The views still read "
                        f"{self.current.description or 'the network they read'}.")

    def edit_focus(self, network):
        """An inspector step changed the focus network to ``network``; or, when ``network`` is the one from
        before that step, Undo put it back: then the focus is exactly what it was."""
        before = self._before_edit
        if before is not None and network is before[0]:
            self._before_edit = None
            self.current.set(before[0], before[1], epochs=before[2], source=before[3])
            return
        c = self.current
        self._before_edit = (c.network, c.description, c.epochs, c.source)
        description = c.description if c.description.endswith(INSPECTOR_STEP) else f"{c.description}, {INSPECTOR_STEP}"
        self.current.set(network, description, epochs=c.epochs, source=c.source)

    def save_soon(self):
        """Save the session off the GUI thread (coalesced)."""
        c = self.current
        self.store.save_soon(lambda: (list(self.runs.history), self.shelf.run_networks(),
                                      (c.network, c.description, c.epochs, c.source)))

    def keep_finished_run(self, record, network_file):
        """A run trained elsewhere (a sweep's) joined the history as ``record``: its network, saved by
        the sweep in ``network_file`` (None when it saved none), joins the list and is kept with it."""
        if record is not None and network_file:
            try:
                network = load(network_file)
            except NNCoreError as e:
                self.status.warn(f"The network of run #{record.run_id} could not be read ({e}); its curves are kept.")
            else:
                self.shelf.put(run_key(record.run_id), self._run_label(record), network)
        self.save_soon()

    # ---- the session's lock ----------------------------------------------------------------
    def take_over(self):
        """The user asked to take the session over from a window on another computer."""
        taken, why = self.store.lock.take_over()
        if not taken:
            self.status.warn(f"The session could not be taken over: {why}.")

    def _session_taken(self):
        """This window now holds the session (the window that had it closed, or the user took it over):
        what is saved is read again and kept with this window's own runs, whose numbers no window gave
        twice. A saved run this window restored comes back as saved (it may have trained on meanwhile);
        one restored and then cleared here stays cleared."""
        self.status.withdraw(self._lock_warning)
        records, networks, _current, problems = self.store.restore()
        history = self.runs.history
        mine = {r.run_id for r in history} - self._restored
        new = []
        for saved in records:
            here = history.get(saved.run_id)
            if here is not None and saved.run_id in self._restored:
                for f in fields(RunRecord):      # the record as saved, in its colour and visibility here
                    if f.name not in ("run_id", "color", "visible"):
                        setattr(here, f.name, getattr(saved, f.name))
                self.runs.plots.mark_dirty(saved.run_id)
                self.runs.runs.set_run_text(saved.run_id, f"{here.label}: {here.end_text}")
            elif here is None and saved.run_id not in self._restored | mine:
                new.append(saved)
        self.runs.restore_runs(new)
        for saved in records:
            if saved.run_id in networks and history.get(saved.run_id) is not None:
                self.shelf.put(run_key(saved.run_id), self._run_label(saved), networks[saved.run_id])
        self._restored |= {r.run_id for r in records}
        if records:
            self.session.continue_numbering_after(max(r.run_id for r in records))
        if problems:
            self.status.warn("Some of the saved session could not be read: " + "; ".join(problems))
        self.status.say("This window now keeps the profile's session: its runs and the runs saved before are "
                        "kept together.")
        self.save_soon()
        update_title = getattr(self.parent(), "update_title", None)    # the window's title says "not saved"
        if update_title is not None:
            update_title()

    # ---- closing ---------------------------------------------------------------------------
    @property
    def not_kept(self):
        """Why this window's runs and network are not kept, in a few words ("" while they are)."""
        return self.store.not_kept

    def unkept_runs(self):
        """Ids of the runs in the history that closing the window loses, oldest first: none while it owns
        the session (every run is saved); else the runs trained here (the restored ones stay saved)."""
        if not self.not_kept:         # this window owns the session (or did, until it closed)
            return []
        return [record.run_id for record in self.runs.history if record.run_id not in self._restored]

    def may_close(self, save_prompt):
        """True when the window may close: it loses nothing, or the user said so. A window that keeps its
        session asks only before stopping a run (kept as of its last epoch). One that does not asks before
        losing its runs with ``save_prompt(title, text)`` (True: the network in focus was saved, or the
        user chose to lose it)."""
        unkept, active = self.unkept_runs(), self.session.active_run_id
        if unkept:             # a run in training is one of them
            runs = ", ".join(f"#{run_id}" for run_id in unkept)
            return save_prompt("Quit without keeping this window's runs", (
                f"Run{'s' if len(unkept) > 1 else ''} {runs} of this window {'are' if len(unkept) > 1 else 'is'} "
                f"not kept when it closes ({self.not_kept})."
                + (f" Run #{active} is still training." if active is not None else "")
                + f"\n\nSave the network in focus ({self.current.description or 'none'}) to a file first?"))
        return not self.session.state.active or self.status.confirm(
            "Quit Backprop Lab", "A run is training. Stop it and quit? (Its curves and its network as of the "
            "last finished epoch are kept for the next launch.)")

    def shutdown(self):
        """Write what is queued and end the store's thread (the window is closing)."""
        self.save_soon()
        self.store.flush()

    # ---- keeping in step -------------------------------------------------------------------
    def _run_label(self, record):
        reached = f", {record.validation_accuracy[-1]:.2f}% validation" if record.validation_accuracy else ""
        return f"run #{record.run_id} ({record.config.label().split()[0]}{reached})"

    def _run_network(self, run_id, network):
        """The worker sent the training run's network: kept on the shelf; in focus when following (and it
        has learned an epoch) or when the user chose this run."""
        record = self.runs.history.get(run_id)
        if record is not None:
            self.shelf.put(run_key(run_id), self._run_label(record), network)
        chosen = self.current.source == run_key(run_id) and self._before_edit is None
        if chosen or (self.follow and self.session.epoch >= 1):
            self._focus_run(run_id, network)
        if run_id in self._epoch_ended:
            self._epoch_ended.discard(run_id)
            self.save_soon()

    def _focus_run(self, run_id, network):
        self._before_edit = None
        self.current.set(network, f"run #{run_id}, {network.describe()}", epochs=self.session.epoch,
                         source=run_key(run_id))

    def _runs_removed(self, run_ids):
        for run_id in run_ids:
            self.shelf.remove(run_key(run_id))
        self.save_soon()

    def _current_changed(self, network, description):
        source = self.current.source
        if (network is not None and source and (source == DEFAULT_KEY or source.startswith("file:"))
                and not description.endswith(INSPECTOR_STEP)):
            self.shelf.put(source, description, network)
        self._show_choices()
        if network is not None and not source.startswith("run:"):
            self.save_soon()      # a run's own network is saved with its epochs

    def _show_choices(self):
        """The bar's list; rebuilt only when it changed (the worker sends a network twice a second)."""
        c = self.current
        entry = self.shelf.get(c.source)
        label = entry[0] if entry is not None and not c.description.endswith(INSPECTOR_STEP) else c.description
        shown = (list(self.shelf.choices()), c.source, label)
        if shown != self._shown:
            self._shown = shown
            self.bar.set_choices(*shown)
