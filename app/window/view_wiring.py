"""Where the features meet: the session's, the network's and the data's signals wired to the views,
and the requests one feature makes of another (open this image in the inspector, run this lesson).

Everything here is a connection; the window builds the rooms and calls :func:`connect_views` once.
"""

from functools import partial

from ..training.run_history import RunSetup
from ..training.training_config import TrainingConfig
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
    w.current.changed.connect(w.update_title)
    w.loader.datasetChanged.connect(w.update_title)
    w.panel.configChanged.connect(w.remember_config)


def _requests_between_features(w):
    w.pixels.sendToPad.connect(w.pad_panel.show_input)
    w.pixels.inspectRequested.connect(partial(_inspect_example, w))
    w.diagram.inspectRequested.connect(partial(_inspect_example, w))
    w.mistakes.inspectRequested.connect(partial(_inspect_test_image, w))
    w.lessons.runRequested.connect(partial(_run_lesson, w))
    w.lessons.showTabRequested.connect(partial(_show_tab, w))
    w.inspector.networkEdited.connect(
        lambda net: w.current.set(net, f"{net.describe()}, after one inspector step", epochs=w.current.epochs))
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
    w.training_tab.add_finished_run(w.session.new_run_id(), setup, summary["lines"],
                                    f"sweep ({swept}): {reached}; {summary['outcome']}")


def _actions(w):
    a, tab = w.actions, w.training_tab
    a["export_csv"].triggered.connect(lambda: tab.export_csv())
    a["save_cost_figure"].triggered.connect(lambda: tab.save_figure("cost"))
    a["save_accuracy_figure"].triggered.connect(lambda: tab.save_figure("accuracy"))
    a["quit"].triggered.connect(w.close)
    a["about"].triggered.connect(lambda: show_about(w))
    a["shortcuts"].triggered.connect(lambda: show_shortcuts(w, w.actions))


def _run_lesson(w, settings):
    """A lesson's Run button: its settings in the panel, then Train (if no run is going)."""
    w.panel.apply_config(TrainingConfig.from_dict(settings))
    if w.training.train() is None:
        w.status.say("The lesson's run could not start now (a run is going, or the data is loading).")


def _inspect_example(w, x, label, description):
    w.tabs.setCurrentWidget(w.inspector)
    w.inspector.show_example(x, label, description)


def _inspect_test_image(w, index):
    w.tabs.setCurrentWidget(w.inspector)
    w.inspector.show_test_image(index)


def _show_tab(w, name):
    for i in range(w.tabs.count()):
        if w.tabs.tabText(i) == name:
            w.tabs.setCurrentIndex(i)
