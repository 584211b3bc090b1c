"""The diagram tab's three grains of learning, each changing the tab's copy of the network (never the
window's): 'Next example' keeps the update just shown, a mini-batch learns m training images at once, an
epoch trains on a worker thread. Each says what it learned, for people, in the tab and through ``learned``.

:class:`LearningSteps` is a part of :class:`~app.diagram.diagram_tab.DiagramTab` (mixed into it): it
uses the tab's copy (``network``, ``stepped``, ``_use``, ``_sync``), its player, bar, picker and
:class:`~app.diagram.learner.Learner`, and its ``_trace``, ``_release`` and ``_say``.
"""

from .learning import rows_text

COPY = "in the diagram's copy (the window's network is unchanged)"


class LearningSteps:
    """``step_example()``, ``step_batch()``, ``step_epoch()``: the bar's learning buttons."""

    def _describe_learning(self):
        """Say on the bar which η, m and images the learning buttons use."""
        self.bar.set_learning(self.learner.settings, self.learner.next_text(), self.learner.n_images())

    def step_example(self):
        """Finish this example; when it is finished, keep its update in the tab's copy (a training
        image's or a drawing's; a test image's is not kept) and play the next one."""
        if self.trace is None:
            return
        self._release()
        if self.player.finished:
            if self.learnable:
                self._use(self.stepped)
                self.examples_learned += 1
            if not self.picker.next_example():
                return
        self._act(self.player.play)

    def step_batch(self):
        """Learn from the next m training images at once (one step, −η × their mean gradient); the
        example on show stays, traced with the new weights."""
        self._release()
        self._sync()
        if self.dataset is None or self.network is None:
            self._say("A mini-batch needs a network and the MNIST training images")
            return
        stepped, rows, before, after = self.learner.batch(self.network)
        self._use(stepped)
        self.examples_learned += len(rows)
        self._describe_learning()
        if self.x is not None:
            self._trace(keep_position=False)
        text = (f"Learned from one mini-batch, {rows_text(rows)}, with η = {self.eta:g} {COPY}: their mean "
                f"cost {before:.5f} → {after:.5f}")
        self._say(text)
        self.learned.emit(text)

    def step_epoch(self):
        """Train one epoch of SGD over the training images on a copy, on a worker thread; then follow
        this example again."""
        self._release()
        self._sync()
        if self.dataset is None or self.network is None or not self.learner.start_epoch(self.network,
                                                                                        self.examples_learned):
            return
        self.bar.epoch.setEnabled(False)
        s = self.learner.settings
        self._say(f"Training one epoch over training images 0 to {self.learner.epoch_images - 1:,}, mini-batches "
                  f"of {s.batch_size}, η = {s.eta:g}, {COPY}…")

    def _epoch_done(self, trained, report):
        self.bar.epoch.setEnabled(True)
        self._use(trained)                 # newer than a network the window sent meanwhile
        self._behind = False
        self.examples_learned += self.learner.epoch_images
        if self.x is not None:
            self._trace(keep_position=False)
        text = f"After one more epoch {COPY}: test accuracy {100 * report.test_accuracy:.2f}%"
        self._say(text)
        self.learned.emit(text)

    def _epoch_failed(self, reason):
        self.bar.epoch.setEnabled(True)
        self._say(f"The epoch did not finish: {reason}")
