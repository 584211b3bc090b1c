"""The checks of :class:`nncore.SGD`'s settings, and early stopping and η halving: what it does after
an epoch, by the validation accuracy (:class:`Schedule`).

``patience``: stop after this many epochs without a better validation accuracy, and put back the
network of the best epoch. ``halve_eta``: halve η after this many epochs without a better validation
accuracy, and stop once η has fallen to 1/:data:`ETA_FLOOR` of its start (the book's schedule). Either
ends the run with a RunEnd 'finished' whose message says why.
"""

from .errors import ConfigError
from .limits import BATCH_SIZE, EPOCHS, L2, LEARNING_RATE
from .reports import RunEnd

ETA_FLOOR = 128   # halve_eta stops the run once η has fallen to 1/128 of its start (the book's)


def validate_run(learning_rate, epochs, batch_size, n_train):
    """Raise ConfigError with what is accepted unless the settings can run.

    The bounds are :mod:`nncore.limits`' LEARNING_RATE, EPOCHS and BATCH_SIZE; a mini-batch also
    holds at most the ``n_train`` training examples.
    """
    if not (is_number(learning_rate) and learning_rate in LEARNING_RATE):
        raise ConfigError(f"learning rate η must be a number from {LEARNING_RATE.text()}, "
                          f"got {learning_rate!r}")
    if not (is_whole(epochs) and epochs in EPOCHS):
        raise ConfigError(f"epochs must be a whole number from {EPOCHS.text()}, got {epochs!r}")
    if n_train < 1:
        raise ConfigError("the training set is empty")
    if not (is_whole(batch_size) and batch_size in BATCH_SIZE and batch_size <= n_train):
        raise ConfigError(f"mini-batch size must be a whole number from {BATCH_SIZE.text()} and at most "
                          f"the training-set size ({n_train:,}), got {batch_size!r}")


def validate_schedule(l2, patience, halve_eta, has_validation):
    """Raise ConfigError with what is accepted unless λ, ``patience`` and ``halve_eta`` can run.

    λ is :mod:`nncore.limits`' L2; patience and halve_eta are None (off) or whole numbers of at least
    1, and need a validation split to watch.
    """
    if not (is_number(l2) and l2 in L2):
        raise ConfigError(f"L2 regularisation λ must be a number from {L2.text()}, got {l2!r}")
    for name, value in (("patience", patience), ("halve_eta", halve_eta)):
        if value is None:
            continue
        if not (is_whole(value) and value in EPOCHS):
            raise ConfigError(f"{name} must be a whole number of epochs from {EPOCHS.text()}, got {value!r}")
        if not has_validation:
            raise ConfigError(f"{name} watches the validation accuracy, but no validation split was given")


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


class Schedule:
    """The best validation accuracy so far, its epoch and network, the epochs since it improved, and
    what to do about it (``patience``, ``halve_eta``: epochs, or None for off)."""

    def __init__(self, network, start_eta, patience, halve_eta):
        self.patience, self.halve_eta = patience, halve_eta
        self.start_eta, self.best_accuracy, self.best_epoch = start_eta, -1.0, None
        self.since_best = self.since_change = 0
        self.best = network.copy()
        self.restored_epoch = None   # the epoch whose network was put back, once it was

    def after_epoch(self, epoch, accuracy, network, eta, examples):
        """After ``epoch`` with validation ``accuracy``: ``(RunEnd or None, η for the next epoch)``.

        Keeps ``network``'s parameters when the accuracy is a new best, puts the best back when patience
        runs out; ``examples`` is the epoch's size, for the RunEnd.
        """
        if self._see(accuracy, epoch):
            self.best.set_parameters(network.weights, network.biases)
            return None, eta
        if self.patience and self.since_best >= self.patience:
            network.set_parameters(self.best.weights, self.best.biases)
            self.restored_epoch = self.best_epoch
            return RunEnd("finished", epoch, examples,
                          f"stopped early after epoch {epoch}: no better validation accuracy for "
                          f"{self.patience} epochs; kept the network of epoch {self.best_epoch} "
                          f"(validation {100 * self.best_accuracy:.2f}%)"), eta
        if self.halve_eta and self.since_change >= self.halve_eta:
            self.since_change = 0
            if eta / 2 <= self.start_eta / ETA_FLOOR * (1 + 1e-9):
                return RunEnd("finished", epoch, examples,
                              f"stopped after epoch {epoch}: η was halved down to 1/{ETA_FLOOR} of its "
                              f"start ({self.start_eta:g} → {eta / 2:g}) without a better validation "
                              "accuracy"), eta
            return None, eta / 2
        return None, eta

    def _see(self, accuracy, epoch):
        """Record an epoch's validation accuracy; True when it is a new best."""
        if accuracy is not None and accuracy > self.best_accuracy:
            self.best_accuracy, self.best_epoch = accuracy, epoch
            self.since_best = self.since_change = 0
            return True
        self.since_best += 1
        self.since_change += 1
        return False
