"""Where the features meet: the session's, the network's and the data's signals wired to the views,
and the requests one feature makes of another (open this image in the inspector, run this lesson).

Everything here is a connection; the window builds the rooms and calls :func:`connect_views` once.
"""

from functools import partial

from PySide6.QtCore import Qt

from nncore.limits import N_CLASSES
from nncore.runs import CHANCE_ACCURACY

from ..help.derivation import show_derivation
from ..training.run_history import RunSetup
from ..training.training_config import PRESETS, TrainingConfig
from ..training.training_session import RunState
from .menus import show_about, show_shortcuts


def connect_views(w):
    """Connect the rooms of window ``w`` (a MainWindow) to each other."""
    _training_views(w)
    _network_and_data_views(w)
    _requests_between_features(w)
    _sweeps(w)
    _actions(w)


def _training_views(w):
    s, tab = w.session, w.training_tab
    for signal, slot in ((s.runStarted, tab.run_started), (s.batchReported, tab.batch),
                         (s.epochReported, tab.epoch), (s.runEnded, tab.run_ended),
                         (s.learningRateChanged, tab.learning_rate_changed),
                         (s.runStarted, w.progress.run_started), (s.batchReported, w.progress.batch),
                         (s.runEnded, w.progress.run_ended), (s.stateChanged, w.progress.state_changed),
                         (s.runStarted, w.lessons.run_started), (s.epochReported, w.lessons.epoch),
                         (s.runEnded, w.lessons.run_ended)):
        signal.connect(slot)
    s.epochReported.connect(lambda run_id, _report: w.saturation.refresh(run_id))
    s.runEnded.connect(lambda _run_id, _end: w.saturation.refresh())
    s.stateChanged.connect(lambda state: w.inspector.set_editable(state is RunState.IDLE))


def _network_and_data_views(w):
    for view in (w.pad_panel, w.inspector, w.weights_tab, w.mistakes, w.pixels, w.diagram):
        w.current.changed.connect(view.set_network)
    for view in (w.inspector, w.mistakes, w.pixels, w.diagram):
        w.loader.datasetChanged.connect(view.set_dataset)
    w.pad_panel.pad.drawingChanged.connect(w.pixels.drawing_changed)
    w.pad_panel.pad.drawingChanged.connect(w.inspector.drawing_changed)
    w.current.changed.connect(w.update_title)
    w.current.changed.connect(partial(_pad_at_chance, w))
    w.loader.datasetChanged.connect(w.update_title)
    w.panel.configChanged.connect(w.remember_config)
    for view in (w.inspector, w.diagram):      # their one-step controls learn with the settings' η and m
        w.panel.configChanged.connect(view.set_training_config)
        view.set_training_config(w.panel.config())


def _pad_at_chance(w, *_):
    """The pad says so when the network in focus is a run that never did better than chance (nncore's
    rule for "guessing"): its one answer, at full output, would otherwise read as "confident"."""
    kind, _, number = w.current.source.partition(":")
    record = w.training_tab.history.get(int(number)) if kind == "run" and number.isdigit() else None
    best = max(record.validation_accuracy, default=None) if record is not None else None
    why = ""
    if best is not None and best <= 100 * CHANCE_ACCURACY:
        why = (f"Run #{record.run_id} never did better than {best:.1f}% on the validation images (chance is "
               f"{100 / N_CLASSES:.0f}%): it gives the same answer whatever is drawn. A far too large η "
               "saturates sigmoid neurons (σ′ ≈ 0), which then stop learning.")
    w.pad_panel.view.set_at_chance(why)


def _requests_between_features(w):
    w.pixels.sendToPad.connect(w.pad_panel.show_input)
    w.pixels.inspectRequested.connect(partial(_inspect_example, w))
    w.diagram.inspectRequested.connect(partial(_inspect_example, w))
    w.mistakes.inspectRequested.connect(partial(_inspect_test_image, w))
    w.lessons.runRequested.connect(partial(_run_lesson, w))
    w.lessons.showTabRequested.connect(w.pages.show_page)
    w.inspector.networkEdited.connect(w.networks.edit_focus)
    w.training.newWeights.connect(w.networks.add_new_weights)
    w.pad_panel.message.connect(w.status.say)
    w.training_tab.message.connect(lambda text, err: w.status.show_error("Export failed", text) if err
                                   else w.status.say(text))


def _sweeps(w):
    """Training → Sweep…: the dialog follows the settings; each run it finishes joins the run history."""
    w.actions["sweep"].triggered.connect(lambda: (w.sweeps.show(), w.sweeps.raise_()))
    w.panel.configChanged.connect(lambda cfg: cfg is not None and w.sweeps.set_config(cfg.to_dict()))
    w.sweeps.runFinished.connect(partial(_sweep_run_finished, w))
    w.sweeps.sweepEnded.connect(w.status.say)


def _sweep_run_finished(w, values, summary):
    setup = RunSetup(TrainingConfig.from_dict(summary["config"]), 1, "MNIST", 0)
    swept = ", ".join(f"{name} {value}" for name, value in values.items())
    reached = (f"best validation {100 * summary['best_validation_accuracy']:.2f}% (epoch {summary['best_epoch']})"
               if summary.get("best_validation_accuracy") is not None else "no epoch finished")
    record = w.training_tab.add_finished_run(w.session.new_run_id(), setup, summary["lines"],
                                             f"sweep ({swept}): {reached}; {summary['outcome']}")
    w.networks.keep_finished_run(record, summary.get("network_file"))    # the network the sweep saved


def _actions(w):
    a, tab = w.actions, w.training_tab
    a["export_csv"].triggered.connect(lambda: tab.export_csv())
    a["save_cost_figure"].triggered.connect(lambda: tab.save_figure("cost"))
    a["save_accuracy_figure"].triggered.connect(lambda: tab.save_figure("accuracy"))
    a["quit"].triggered.connect(w.close)
    a["about"].triggered.connect(lambda: show_about(w))
    a["shortcuts"].triggered.connect(lambda: show_shortcuts(w, w.actions))
    a["welcome"].triggered.connect(w.show_welcome)
    a["derivation"].triggered.connect(lambda: show_derivation(w))


def _run_lesson(w, settings):
    """A lesson's Run button: its settings in the panel, then Train (if no run is going)."""
    w.panel.apply_config(TrainingConfig.from_dict(settings))
    if w.training.train() is None:
        w.status.say("The lesson's run could not start now (a run is going, or the data is loading).")


def _inspect_example(w, x, label, description):
    w.pages.show_page(w.inspector)
    w.inspector.show_example(x, label, description)


def _inspect_test_image(w, index):
    w.pages.show_page(w.inspector)
    w.inspector.show_test_image(index)


def welcome_path(w, path):
    """The welcome's three ways in: 'train' the book's network, 'draw' a digit, open 'lesson' 1."""
    if path == "train":
        w.panel.apply_config(next(iter(PRESETS.values())))
        w.pages.show_page(w.training_tab)
        if w.loader.dataset is None or w.loader.busy:
            w.status.say("The book's settings are in place; training starts when MNIST has loaded.")
            w.loader.datasetChanged.connect(partial(_train_once_loaded, w), Qt.SingleShotConnection)
        elif w.training.train() is None:
            w.status.say("The book's settings are in place; press Train (F5) when the current run ends.")
    elif path == "draw":
        w.pad_dock.show()
        w.pad_dock.raise_()
        w.pad_panel.pad.setFocus()
        w.status.say("Draw a digit on the pad with the mouse: the network reads it as you draw.")
    else:
        w.pages.show_page(w.lessons)
        w.lessons.open_lesson(0)


def _train_once_loaded(w, *_):
    w.training.train()
