"""What the diagram learns with and from: the settings' η and m, the training images, where the next
mini-batch starts, and one epoch at a time on a worker thread.

The learner never holds the tab's network: each call is given the network to learn on and returns a
new one (the tab keeps it as its copy). Nothing here reads validation or test images except to
measure an epoch's test accuracy.
"""

from PySide6.QtCore import QObject, Signal

from nncore.control import TrainingControl

from .learning import LearningSettings, batch_rows, batch_step, rows_text, train_epoch, training_images
from .off_thread import OffThread

TRAINING_IMAGES = 50_000    # MNIST's training split, said on the bar until the dataset arrives


class Learner(QObject):
    """``set_config(cfg)``, ``set_dataset(dataset)``, ``restart()``; ``batch(network)`` learns the next
    mini-batch at once, ``start_epoch(network, seed)`` an epoch off the GUI thread.

    ``epochDone(trained, report)`` when the epoch finished; ``epochFailed(text)`` when it did not.
    """

    epochDone = Signal(object, object)
    epochFailed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.settings, self.dataset, self.start, self.last_rows = LearningSettings(), None, 0, None
        self.control, self.epoch_images = None, 0
        self.jobs = OffThread("diagram-epoch", self)
        self.jobs.result.connect(self._epoch_result)

    def set_config(self, cfg):
        """Use the η, m and training-set size of ``cfg`` (None keeps the last); True when they changed."""
        settings = LearningSettings.from_config(cfg, self.settings)
        changed, self.settings = settings != self.settings, settings
        return changed

    def set_dataset(self, dataset):
        self.dataset, self.start = dataset, 0

    def restart(self):
        """The next mini-batch is the first training images again (a new network was copied)."""
        self.start = 0

    @property
    def busy(self):
        """True while an epoch trains."""
        return self.jobs.busy

    # ---- which images ------------------------------------------------------------------------
    def train(self):
        """The training images learned from: the first ``train_size`` of the training split."""
        return training_images(self.dataset, self.settings.train_size)

    def n_images(self):
        """How many training images an epoch goes over."""
        return len(self.train()) if self.dataset is not None else self.settings.train_size or TRAINING_IMAGES

    def next_rows(self):
        """The rows ``(m,)`` of the training images the next mini-batch learns from."""
        n = self.n_images()
        return batch_rows(self.start % n, self.settings.batch_size, n)

    def next_text(self):
        """'training images 10 to 19': the next mini-batch's."""
        return rows_text(self.next_rows())

    # ---- learning ----------------------------------------------------------------------------
    def batch(self, network):
        """One step on the next mini-batch: ``(stepped, rows, cost_before, cost_after)``; moves on by m."""
        train, rows = self.train(), self.next_rows()
        stepped, before, after = batch_step(network, train.inputs(rows), train.labels[rows], self.settings.eta)
        self.last_rows, self.start = rows, int((rows[-1] + 1) % len(train))
        return stepped, rows, before, after

    def start_epoch(self, network, seed):
        """Train one epoch of SGD on a copy of ``network`` on a worker thread (False when one is running)."""
        if self.busy:
            return False
        self.control = TrainingControl()
        train, test, s, control = self.train(), self.dataset.test, self.settings, self.control
        self.epoch_images = len(train)
        self.jobs.submit(lambda: train_epoch(network, train, test, s.eta, s.batch_size, seed, control))
        return True

    def _epoch_result(self, _request, value):
        if isinstance(value, Exception) or value[1] is None:
            self.epochFailed.emit(str(value) if isinstance(value, Exception) else "stopped")
        else:
            self.epochDone.emit(*value)

    def shutdown(self):
        """Stop an epoch between mini-batches and wait for its thread."""
        if self.control is not None:
            self.control.stop()
        self.jobs.shutdown()
