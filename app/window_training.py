"""The window's Training menu work: start, continue, pause, step, stop, reset, and the reports."""

import numpy as np

from nncore import Network


class TrainingActions:
    """Mixed into MainWindow: turns the training actions into session calls and routes its reports."""

    def train(self, *, paused=False):
        """Start a new run from new weights drawn from the seed (the CLI's exact sequence)."""
        cfg = self.panel.config()
        if cfg is None or self.dataset is None or self.session.state != "idle":
            return None
        rng = np.random.default_rng(cfg.seed)
        network = Network(cfg.sizes, cost=cfg.cost, init=cfg.init, rng=rng)
        self._set_network(network.copy(), f"run starting, {network.describe()}")
        self.network_epochs = 0
        return self._start(network, cfg, rng=rng, paused=paused)

    def continue_training(self):
        """Train the current network further with the current η, batch size and epochs."""
        cfg = self.panel.config()
        if cfg is None or self.network is None or self.network.sizes != cfg.sizes:
            return None
        if self.session.state != "idle" or self.dataset is None:
            return None
        return self._start(self.network.copy(), cfg, rng=None, paused=False,
                           start_epoch=self.network_epochs + 1)

    def _start(self, network, cfg, *, rng, paused, start_epoch=1):
        self.run_config = cfg
        self._asked_structure = False
        self.progress.start(cfg.epochs, start_epoch)
        extra = self.store.as_split() if self.pad_panel.handwriting.use_for_training.isChecked() else None
        run_id = self.session.start(network, self.dataset, cfg, rng=rng, paused=paused,
                                    start_epoch=start_epoch,
                                    extra_train=extra if extra is not None and len(extra) else None)
        self.say(f"Run #{run_id}: training {' → '.join(map(str, cfg.sizes))} on "
                 f"{cfg.train_size:,} {self.dataset.name} examples, η = {cfg.learning_rate:g}, "
                 f"mini-batch {cfg.batch_size}")
        return run_id

    def toggle_pause(self):
        """Pause a running run, or resume a paused one."""
        if self.session.state == "running":
            self.session.pause()
            self.say("Paused. Step (F10) trains one mini-batch; Resume (F6) goes on.")
        elif self.session.state == "paused":
            self.session.resume()

    def step(self):
        """One mini-batch: of the paused run, or of a new run that starts paused."""
        if self.session.state == "idle":
            if self.train(paused=True) is None:
                return
        self.session.step()

    def reset_weights(self):
        """Replace the current network with new weights from the seed."""
        cfg = self.panel.config()
        if cfg is None or self.session.state != "idle":
            return
        net = Network(cfg.sizes, cost=cfg.cost, init=cfg.init, rng=np.random.default_rng(cfg.seed))
        self._set_network(net, f"untrained {net.describe()} (seed {cfg.seed})")
        self.network_epochs = 0
        self.say(f"New weights from seed {cfg.seed}: {net.describe()}")

    def _learning_rate_changed(self, eta):
        if self.session.state in ("running", "paused"):
            self.session.set_learning_rate(eta)
            self.training_tab.learning_rate_changed(eta)
            self.say(f"η = {eta:g} from the next mini-batch")

    def _config_changed(self, cfg):
        self._update_actions()
        if cfg is not None:
            self.settings.set_json("config", cfg.to_dict())
            if self.session.state in ("running", "paused"):
                self._structure_check.start()

    def _check_structure_change(self):
        cfg = self.panel.config()
        if (cfg is None or self.run_config is None or self._asked_structure
                or self.session.state not in ("running", "paused")
                or not cfg.needs_new_weights(self.run_config)):
            return
        self._asked_structure = True
        if self.confirm("New weights needed",
                        "Layer sizes, cost or initialisation changed. These need new weights.\n\n"
                        "Stop this run now? (No: keep training; the change applies to the next run.)"):
            self.session.stop()

    def _batch(self, run_id, report):
        self.training_tab.batch(run_id, report)
        self.progress.batch(report)

    def _epoch(self, run_id, r):
        self.network_epochs = r.epoch   # the worker's network has now trained this many epochs
        self.training_tab.epoch(run_id, r)
        self.saturation.refresh(run_id)
        self.say(f"Run #{run_id}, epoch {r.epoch}/{r.epochs}: cost {r.train_cost:.4f}, validation "
                 f"{100 * r.validation_accuracy:.2f}%, test {100 * r.test_accuracy:.2f}% "
                 f"({r.seconds:.2f} s)")

    def _network_from_worker(self, run_id, network):
        self._set_network(network, f"run #{run_id}, {network.describe()}")

    def _run_ended(self, run_id, end):
        self.training_tab.run_ended(run_id, end)
        self.saturation.refresh()
        self.inspector.set_network(self.network, editable=True)
        self.progress.finish()
        record = self.training_tab.history.get(run_id)
        result = ""
        if record is not None and record.validation_accuracy:
            result = (f": validation {record.validation_accuracy[-1]:.2f}%, "
                      f"test {record.test_accuracy[-1]:.2f}%")
        self.say(f"Run #{run_id} {end.message}{result}")
        if end.reason in ("diverged", "failed"):
            self.show_error("Training stopped", end.message)
        self._update_actions()
