"""The learner's runs of the lessons: which run id belongs to which lesson's button, and its curve (no Qt).

A lesson's button asks the window for a run; the run that starts next, if its settings are the ones
asked for, is that button's run. Every other run (Train pressed in the window, Continue) is ignored.
A new run of the same button replaces the old one's curve. After a restart, :func:`kept_curve` finds a
button's run in the run history the window kept (a run records the lesson button that started it).
"""

from dataclasses import dataclass, field


@dataclass
class LearnerCurve:
    """One learner run of one lesson button: epochs and accuracies (%) as reported, and how it ended."""

    run_id: int
    epochs: list = field(default_factory=list)
    test: list = field(default_factory=list)           # %, or None where the split was not given
    validation: list = field(default_factory=list)
    end_text: str = ""

    def accuracy(self, which):
        """(epochs, accuracies %) of ``which`` ('test' or 'validation'), epochs without a value left out."""
        values = self.test if which == "test" else self.validation
        pairs = [(e, a) for e, a in zip(self.epochs, values) if a is not None]
        return [e for e, _ in pairs], [a for _, a in pairs]


class LearnerRuns:
    """Run ids by lesson button ``(lesson key, run index)``, and each button's latest curve."""

    def __init__(self):
        self._pending = None            # (slot, config) asked for and not yet started
        self._slot_of = {}              # run id -> slot
        self._curves = {}               # slot -> LearnerCurve

    def requested(self, slot, config):
        """A lesson button asked for a run with ``config`` (a dict); the next matching start is it."""
        self._pending = (slot, dict(config))

    def started(self, run_id, settings):
        """A run began with ``settings`` (a dict, or None when unknown): the slot it belongs to, or None."""
        if self._pending is None:
            return None
        slot, asked = self._pending
        self._pending = None
        if settings is not None and not _has(settings, asked):
            return None                 # not what the lesson asked for: the learner started another run
        for old in [r for r, s in self._slot_of.items() if s == slot]:
            del self._slot_of[old]
        self._slot_of[run_id] = slot
        self._curves[slot] = LearnerCurve(run_id)
        return slot

    def epoch(self, run_id, epoch, validation, test):
        """An epoch of run ``run_id`` ended (accuracies as fractions or None): its slot, or None if not ours."""
        slot = self._slot_of.get(run_id)
        if slot is not None:
            curve = self._curves[slot]
            curve.epochs.append(int(epoch))
            curve.validation.append(None if validation is None else 100.0 * validation)
            curve.test.append(None if test is None else 100.0 * test)
        return slot

    def ended(self, run_id, text):
        """Run ``run_id`` is over; ``text`` says how. Its slot, or None if not ours."""
        slot = self._slot_of.get(run_id)
        if slot is not None:
            self._curves[slot].end_text = text
        return slot

    def curve(self, slot):
        """The latest :class:`LearnerCurve` of ``slot``, or None."""
        return self._curves.get(slot)


def kept_curve(records, slot, asked):
    """The curve of lesson button ``slot`` found in the run history ``records`` (RunRecords, oldest first;
    kept across launches): the newest run that button started, else, for runs kept before runs knew their
    lesson, the newest fresh run (from epoch 1, of no lesson) with the settings ``asked`` (a dict). None if
    there is neither."""
    newest_first = list(records)[::-1]
    record = next((r for r in newest_first if r.lesson == slot), None) or next(
        (r for r in newest_first if r.lesson is None and r.first_epoch == 1 and _has(r.config.to_dict(), asked)),
        None)
    if record is None:
        return None
    return LearnerCurve(record.run_id, [int(e) for e in record.epoch_x], list(record.test_accuracy),
                        list(record.validation_accuracy), record.end_text.rsplit("; ", 1)[-1])


def _has(settings, asked):
    """True when every setting ``asked`` for that ``settings`` knows has the value asked (as started())."""
    return not any(k in settings and settings[k] != v for k, v in asked.items())
