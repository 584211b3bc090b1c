"""The progress bar and its text are one measure, the share of the whole run done: full when a run finishes,
where it got to when it stops, and '1 epoch' in the singular."""

import pytest

from app.training.progress_strip import ProgressStrip
from app.training.run_history import RunSetup
from app.training.training_config import TrainingConfig
from nncore.reports import BatchReport, RunEnd, epochs_text

SIZE = 50_000


def report(epoch, examples, seconds):
    return BatchReport(epoch, 1, 5000, examples, SIZE, 0.1, 3.0, seconds)


@pytest.fixture
def strip(qtbot):
    s = ProgressStrip()
    qtbot.addWidget(s)
    return s


def percent(strip):
    """The percentage the text says."""
    return int(strip.bar.format().split("· ")[1].split("%")[0])


def test_the_text_says_the_share_of_the_run_the_bar_shows(strip):
    """Epoch 27 of 30, a third into it: the bar and the text both say 87% of the run (not the epoch's 33%)."""
    strip.run_started(1, RunSetup(TrainingConfig(epochs=30)))
    strip.batch(1, report(27, SIZE // 3, 1.0))
    assert strip.bar.value() == round(1000 * (26 + 1 / 3) / 30)
    assert strip.bar.format() == "epoch 27 of 30 · 87% of the run" and percent(strip) == strip.bar.value() // 10


def test_a_continued_run_counts_its_own_epochs(strip):
    """A 3-epoch run from epoch 5, 40% into epoch 6: 1.4 of 3 epochs done."""
    strip.run_started(1, RunSetup(TrainingConfig(epochs=3), first_epoch=5))
    assert strip.bar.format() == "epoch 5 of 7 · 0% of the run" and strip.bar.value() == 0
    strip.batch(1, report(6, 20_000, 1.0))
    assert strip.bar.value() == round(1000 * 1.4 / 3) and strip.bar.format() == "epoch 6 of 7 · 46% of the run"


def test_a_finished_run_fills_the_bar_even_when_its_last_reports_were_not_shown(strip):
    """Reports come faster than the bar is redrawn: the last ones of a run are not shown, and the end fills
    the bar all the same (it stayed at about 75% before), saying '1 epoch'."""
    strip.run_started(1, RunSetup(TrainingConfig(epochs=1)))
    strip.batch(1, report(1, 37_500, 1.0))
    strip.batch(1, report(1, 50_000, 1.1))            # within the redraw interval: not shown
    assert strip.bar.value() == 750
    strip.run_ended(1, RunEnd("finished", 1, SIZE, "finished 1 epoch"))
    assert strip.bar.value() == 1000 and strip.bar.format() == "finished 1 epoch"


def test_a_run_stopped_early_fills_the_bar_and_says_so(strip):
    """Early stopping ends the run: the bar is full, the text counts the epochs trained."""
    strip.run_started(1, RunSetup(TrainingConfig(epochs=30)))
    strip.run_ended(1, RunEnd("finished", 12, SIZE, "stopped early after epoch 12"))
    assert strip.bar.value() == 1000 and strip.bar.format() == "finished 12 epochs (stopped early)"


def test_a_stopped_run_leaves_the_bar_where_the_run_got_to(strip):
    """Stop in epoch 2 of 4 at its half, after a report the bar had not shown yet: 37% of the run, said."""
    strip.run_started(1, RunSetup(TrainingConfig(epochs=4)))
    strip.batch(1, report(2, 20_000, 1.0))
    strip.batch(1, report(2, 25_000, 1.1))
    strip.run_ended(1, RunEnd("stopped", 2, 25_000, "stopped in epoch 2"))
    assert strip.bar.value() == 375 and strip.bar.format() == "stopped in epoch 2 · 37% of the run"


@pytest.mark.parametrize("n, text", [(1, "1 epoch"), (2, "2 epochs"), (0, "0 epochs"), (1000, "1,000 epochs")])
def test_epochs_are_counted_in_words(n, text):
    """One epoch, many epochs."""
    assert epochs_text(n) == text
