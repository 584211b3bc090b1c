"""The Sweeps dialog: the exact `nncore sweep` command it builds, the run signals it makes of the sweep's
JSON lines, real sweeps that report every run and stop without leaving a process, and the η finder."""

import json
import os
import signal
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal

import nncore
from app.sweeps.lr_finder import FINDER_ETAS, START_ETA, find_threshold, finding_from_runs
from app.sweeps.parameters import parameter
from app.sweeps.sweep_dialog import SweepDialog
from app.sweeps.sweep_process import SweepProcess
from app.training.training_config import TrainingConfig
from nncore import memory
from nncore.process import PARENT_VARIABLE, children_of

TINY = TrainingConfig(hidden=(5,), learning_rate=3.0, epochs=1, batch_size=10, train_size=1000).to_dict()
OTHERS = ["--epochs", "1", "--batch-size", "10", "--train-size", "1000", "--cost", "quadratic", "--init",
          "normal", "--seed", "1"]


class FakeProcess(QObject):
    """Stands in for SweepProcess: records the argv; the test plays the sweep's lines and its end."""

    lineRead = Signal(str)
    ended = Signal(int, str, bool)

    def __init__(self):
        super().__init__()
        self.argv = None

    def start(self, argv):
        self.argv = argv

    def stop(self):
        self.ended.emit(143, "", True)

    def shutdown(self, timeout_ms=0):
        pass


@pytest.fixture
def make_dialog(qtbot):
    """A SweepDialog on the given settings (real process unless a fake is given), shut down after."""
    made = []

    def make(config=TINY, process=None):
        d = SweepDialog(config, process=process)
        qtbot.addWidget(d)
        made.append(d)
        return d
    yield make
    for d in made:
        d.shutdown()


def epoch_line(values, epoch, cost, validation, test=0.5, validation_cost=0.3):
    """A sweep's JSON epoch line, as train prints it plus "sweep"."""
    return json.dumps({"epoch": epoch, "train_cost": cost, "validation_cost": validation_cost,
                       "validation_accuracy": validation, "test_accuracy": test, "seconds": 0.1,
                       "eval_seconds": 0.05, "learning_rate": values.get("eta", 3.0), "sweep": values})


def end_line(values, outcome, status, epochs, messages=()):
    return json.dumps({"sweep": values, "run_end": {"outcome": outcome, "status": status, "epochs": epochs,
                                                   "messages": list(messages)}})


def test_an_eta_range_is_a_log_spaced_sweep_command(make_dialog):
    """η 0.01 to 1 in 5 log-spaced values with every other setting and --jobs = cores; even when log is off."""
    d = make_dialog({**TINY, "cost": "cross-entropy", "init": "scaled", "seed": 7, "distort": True})
    d.form.set_range("0.01", "1", 5, True)
    assert d.command() == [sys.executable, "-m", "nncore", "sweep", "--eta", "0.01,0.0316,0.1,0.316,1",
                           "--sizes=784,5,10", "--epochs=1", "--train-size=1000", "--batch-size=10",
                           "--cost=cross-entropy", "--init=scaled", "--seed=7", "--distort", "--l2=0", "--patience=0",
                           "--halve-eta=0", "--momentum=0", "--dtype=float32", "--images=auto",
                           "--jobs", str(os.cpu_count()), "--json", "--run-ends"]
    d.form.log.setChecked(False)
    assert d.command()[5] == "0.01,0.258,0.505,0.752,1"
    assert d.plan().command_text().startswith("python -m nncore sweep --eta 0.01,0.258,0.505,0.752,1 --sizes=784,5,10")
    d.form.scheduler.setText("tcp://10.0.0.5:8786")   # on a lab's cluster: --scheduler instead of --jobs
    assert d.command()[-4:] == ["--scheduler", "tcp://10.0.0.5:8786", "--json", "--run-ends"]


def test_hidden_sizes_repeat_sizes_and_a_width_range_keeps_the_depth(make_dialog):
    """A list of networks is one --sizes per value; a range of widths gives every hidden layer the width."""
    d = make_dialog({**TINY, "hidden": [20, 20]})
    d.form.set_parameter("sizes")
    d.form.set_list("30; 128-64")
    assert d.command()[4:9] == ["--sizes", "784,30,10", "--sizes", "784,128,64,10", "--eta=3"]
    d.form.set_range("10", "30", 3, False)
    assert d.command()[4:10] == ["--sizes", "784,10,10,10", "--sizes", "784,20,20,10", "--sizes", "784,30,30,10"]
    d.form.set_parameter("batch_size")
    d.form.set_list("1, 10 100")
    assert d.command()[4:8] == ["--batch-size", "1,10,100", "--sizes=784,20,20,10", "--eta=3"]


def test_values_that_cannot_run_are_explained_and_start_is_off(make_dialog):
    """An η of 'abc' and a mini-batch larger than the training set: a message saying what is accepted."""
    d = make_dialog()
    d.form.set_list("0.5, abc")
    assert d.form.message.text() == "η must be a number from 1e-06 to 10,000, got 'abc'"
    assert not d.start_button.isEnabled()
    d.form.set_parameter("batch_size")
    d.form.set_list("10, 2000")
    assert "mini-batch size 2000: mini-batch size must be from 1 to 1,000 (at most the training set)" == \
        d.form.message.text()
    assert not d.start_button.isEnabled() and not d.stop_button.isEnabled()
    with pytest.raises(ValueError, match="a log-spaced range needs seed above 0"):
        parameter("seed").values_in_range("0", "5", 3, True)


def test_runs_at_once_are_bounded_by_the_cores_and_the_memory(make_dialog, monkeypatch):
    """On 2 cores the jobs field stops at 2 (it took 64); with memory for one run of these settings it
    stops at 1 and says why; with memory again, the 2 chosen come back. The command follows."""
    monkeypatch.setattr(memory, "usable_cores", lambda: 2)
    monkeypatch.setattr(memory, "available_memory", lambda: 10**12)
    d = make_dialog()
    d.form.set_list("0.5, 3")
    d.form.jobs.setValue(64)
    assert (d.form.jobs.value(), d.form.jobs.maximum()) == (2, 2)
    assert d.form.jobs_note.text() == "at most 2, as there are 2 cores to run on"
    per_run = memory.estimate_mnist([784, 5, 10], 10, 1000).total
    monkeypatch.setattr(memory, "available_memory", lambda: per_run + 1)
    d.set_config(TINY)
    assert (d.form.jobs.value(), d.form.jobs.maximum()) == (1, 1)
    assert d.form.jobs_note.text() == (f"at most 1, as each run needs about {per_run / 1e9:.2f} GB of memory and "
                                       f"{(per_run + 1) / 1e9:.2f} GB is available")
    assert d.command()[-4:-2] == ["--jobs", "1"]
    monkeypatch.setattr(memory, "available_memory", lambda: 10**12)
    d.set_config(TINY)
    assert d.form.jobs.value() == 2 and d.command()[-4:-2] == ["--jobs", "2"]


def test_a_run_too_big_for_memory_is_refused_as_train_refuses_it(make_dialog):
    """784-4096-10 at a mini-batch of 10,000: train's estimate and advice beside the values, Start off."""
    d = make_dialog({**TINY, "hidden": [4096], "train_size": 50_000})
    d.form.set_parameter("batch_size")
    d.form.set_list("10, 10000")
    assert d.form.message.text() == (
        "mini-batch size 10000: this run would need about 1.09 GB of memory (mini-batches of 10,000 through "
        "4,106 neurons, and the data, in float32); at most 1 GB is accepted: use a mini-batch size of 8,650 "
        "or less")
    assert not d.start_button.isEnabled()


def test_json_lines_become_run_signals_with_plain_dicts(make_dialog, qtbot):
    """Fed lines (no process) become runProgress/runFinished with exact payloads; junk is ignored."""
    fake = FakeProcess()
    d = make_dialog(process=fake)
    d.form.set_list("0.5, 3")
    progress, finished, ended = [], [], []
    d.runProgress.connect(lambda v, line: progress.append((v, line)))
    d.runFinished.connect(lambda v, s: finished.append((v, s)))
    d.sweepEnded.connect(ended.append)
    d.start()
    assert fake.argv[4:6] == ["--eta", "0.5,3"] and d.running
    for line in (epoch_line({"eta": 0.5}, 1, 0.4, 0.81, validation_cost=0.35), "not json",
                 epoch_line({"eta": 3.0}, 1, 0.2, 0.9, test=0.88), epoch_line({"eta": 7.0}, 1, 0.1, 0.9),
                 end_line({"eta": 3.0}, "diverged", 3, 1, ["training diverged in epoch 2"])):
        fake.lineRead.emit(line)
    assert [v for v, _ in progress] == [{"eta": 0.5}, {"eta": 3.0}]
    assert progress[0][1] == {"epoch": 1, "train_cost": 0.4, "validation_cost": 0.35, "validation_accuracy": 0.81,
                              "test_accuracy": 0.5, "seconds": 0.1, "eval_seconds": 0.05, "learning_rate": 0.5,
                              "learning_speed": [], "saturation": [], "epochs": 1}
    (values, summary), = finished
    assert values == {"eta": 3.0}
    assert summary["config"] == {**TINY, "learning_rate": 3.0}
    assert (summary["outcome"], summary["status"], summary["messages"], summary["epochs"]) == \
           ("diverged", 3, ["training diverged in epoch 2"], 1)
    assert (summary["best_validation_accuracy"], summary["best_epoch"], summary["final_test_accuracy"],
            summary["final_train_cost"]) == (0.9, 1, 0.88, 0.2)
    assert summary["lines"] == [progress[1][1]]
    fake.ended.emit(143, "", True)   # stopped: the run of η 0.5 ends as 'stopped'
    assert [(v, s["outcome"], s["status"]) for v, s in finished[1:]] == [({"eta": 0.5}, "stopped", None)]
    assert ended == ["Sweep stopped after 1 of 2 runs."] and not d.running
    (xs, accuracies), (_, costs) = d.plot.data()
    assert (xs, accuracies, costs) == ([0.5, 3.0], [81.0, 90.0], [0.4, 0.2])


def test_a_real_two_run_sweep_reports_both_runs(make_dialog, qtbot):
    """A tiny real sweep over η 0.5 and 3 emits runFinished twice with the numbers of its JSON lines."""
    d = make_dialog()
    d.form.set_list("0.5, 3")
    d.form.jobs.setValue(2)
    lines, finished = {}, {}
    d.runProgress.connect(lambda v, line: lines.setdefault(v["eta"], []).append(line))
    d.runFinished.connect(lambda v, s: finished.setdefault(v["eta"], s))
    saved = {}       # each run's network, read from the file the sweep saved while the signal is handled
    d.runFinished.connect(lambda v, s: saved.setdefault(v["eta"], nncore.load(s["network_file"]).sizes))
    with qtbot.waitSignal(d.sweepEnded, timeout=90_000) as ended:
        d.start()
    assert ended.args[0].startswith("Sweep done: 2 runs in"), d.message.text()
    assert sorted(finished) == [0.5, 3.0] and saved == {0.5: [784, 5, 10], 3.0: [784, 5, 10]}
    assert d.networks.folder is None       # the sweep's files went once read
    for eta, summary in finished.items():
        (line,) = lines[eta]
        assert line["learning_rate"] == eta and summary["lines"] == [line]
        assert (summary["outcome"], summary["status"], summary["epochs"]) == ("finished", 0, 1)
        assert summary["final_test_accuracy"] == line["test_accuracy"] and 0.1 < line["test_accuracy"] < 1
        assert summary["config"]["learning_rate"] == eta and summary["config"]["hidden"] == [5]
    assert d.plot.data()[0][0] == [0.5, 3.0]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to find the children")
def test_stop_during_a_sweep_leaves_no_process(make_dialog, qtbot):
    """Stop while two long runs train: the sweep and both its children are gone; both runs end 'stopped'."""
    d = make_dialog({**TINY, "epochs": 1000})
    d.form.set_list("0.5, 3")
    d.form.jobs.setValue(2)
    finished = []
    d.runFinished.connect(lambda v, s: finished.append(s["outcome"]))
    pids = []
    try:
        with qtbot.waitSignal(d.runProgress, timeout=60_000):
            d.start()
        pids = [d.process.pid(), *(pid for pid in children_of(d.process.pid())   # its two workers
                                   if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes())]
        assert len(pids) == 3
        with qtbot.waitSignal(d.sweepEnded, timeout=30_000) as ended:
            d.stop()
        assert ended.args[0] == "Sweep stopped after 0 of 2 runs."
        for pid in pids:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        assert finished == ["stopped", "stopped"]
    finally:
        for pid in pids:   # never leave one behind, even when failing
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def test_the_sweep_process_is_told_to_end_with_the_app(qtbot):
    """SweepProcess names the app's pid to the sweep (which then ends, stopping its runs, when the app
    dies however it dies): the child reads it in its environment."""
    process = SweepProcess()
    lines = []
    process.lineRead.connect(lines.append)
    with qtbot.waitSignal(process.ended, timeout=30_000) as ended:
        process.start([sys.executable, "-c", f"import os; print(os.environ.get({PARENT_VARIABLE!r}))"])
    assert ended.args[0] == 0 and lines == [str(os.getpid())]


def test_the_finder_proposes_half_the_largest_eta_at_which_the_cost_falls():
    """Fake costs falling up to η 10, then leaping or stuck: threshold 10, proposed 5, inside the range."""
    costs = {0.01: [1.9, 1.8], 0.1: [1.2, 0.9], 1.0: [0.5, 0.4], 10.0: [0.3, 0.25], 30.0: [4.0, 1.5],
             100.0: [0.5, 0.5], 300.0: [0.2, 0.1]}
    finding = find_threshold(2.0, costs)
    assert finding.threshold == 10.0 and finding.eta == 5.0 and min(costs) < finding.eta < max(costs)
    assert finding.verdicts[30.0] == "does not fall" and finding.verdicts[300.0] == "falls"
    assert finding.proposed_range() == (1.0, 10.0, 5)
    slower = find_threshold(2.0, {0.1: [1.0, 0.5], 1.0: [0.4, 0.3], 3.0: [0.5, 0.45]})
    assert slower.threshold == 1.0 and slower.verdicts[3.0] == "falls more slowly"
    assert "at 3 it fell more slowly" in slower.text()
    assert find_threshold(2.0, {0.1: [2.5, 2.4]}).eta is None


def test_the_finder_runs_a_short_eta_sweep_and_fills_the_range(make_dialog):
    """Find η runs a short η sweep, proposes 0.5 from played-back costs and fills the range 0.1 to 1."""
    fake = FakeProcess()
    d = make_dialog({**TINY, "train_size": 50_000, "epochs": 30}, process=fake)
    d.form.set_parameter("seed")
    proposed, finished = [], []
    d.learningRateProposed.connect(proposed.append)
    d.runFinished.connect(lambda v, s: finished.append(v))
    d.find_learning_rate()
    etas = ",".join(f"{e:g}" for e in (START_ETA, *FINDER_ETAS))
    assert fake.argv[4:8] == ["--eta", etas, "--sizes=784,5,10", "--epochs=2"]
    assert "--train-size=2000" in fake.argv
    cost_after = {START_ETA: 3.0, 0.01: 2.9, 0.03: 2.5, 0.1: 1.5, 0.3: 1.0, 1.0: 0.7, 3.0: 5.0, 10.0: 40.0,
                  30.0: 160.0, 100.0: 1000.0}
    for eta, cost in cost_after.items():
        fake.lineRead.emit(epoch_line({"eta": eta}, 1, cost, 0.5, validation_cost=cost * 1.1))
        fake.lineRead.emit(epoch_line({"eta": eta}, 2, cost, 0.6, validation_cost=cost))
        fake.lineRead.emit(end_line({"eta": eta}, "finished", 0, 2))
    fake.ended.emit(0, "", False)
    assert proposed == [0.5] and finished == []
    assert d.form.parameter() is parameter("eta") and d.form.as_range.isChecked()
    assert d.form.values() == [0.1, 0.178, 0.316, 0.562, 1.0]
    assert "up to η = 1; at 3 it did not fall" in d.result.text()
    assert d.plot.data()[0][0] == list(FINDER_ETAS)   # the start run is not a point


def test_finding_needs_the_untrained_networks_cost():
    """Without a line from the 1e-06 run the finder says nothing rather than guess."""
    assert finding_from_runs({0.1: [{"validation_cost": 1.0}]}) is None


def test_a_sweep_run_shows_saturation_and_learning_speed(qtbot):
    """A run a sweep finished joins the history with every epoch's saturation and learning speed (the CLI's
    records, read by EpochReport.from_json as a run trained here); a damaged record is left out."""
    from app.training.run_history import RunSetup
    from app.training.training_tab import TrainingTab

    tab = TrainingTab()
    qtbot.addWidget(tab)
    line = {"epoch": 1, "train_cost": 0.4, "validation_cost": 0.3, "validation_accuracy": 0.8, "test_accuracy": 0.75,
            "learning_rate": 3.0, "saturation": [0.5, 0.25], "learning_speed": [0.01, 0.02], "epochs": 2}
    record = tab.add_finished_run(7, RunSetup(TrainingConfig(epochs=2)), [line, {"epoch": "x"}, {**line, "epoch": 2}],
                                  "sweep (eta 3): done")
    assert record.epoch_x == [1, 2] and record.validation_accuracy == [80.0] * 2 and record.test_accuracy == [75.0] * 2
    assert record.saturation == [(0.5, 0.25)] * 2 and record.learning_speed == [(0.01, 0.02)] * 2


class SavingFakeProcess(FakeProcess):
    """A FakeProcess made as the dialog makes its SweepProcess (with a parent); the test writes each run's
    network where ``nncore sweep --save`` would."""

    def __init__(self, parent=None):
        super().__init__()

    def save(self, values, network):
        """Save ``network`` as the sweep saves the run of ``values`` (its "sweep" dict)."""
        from nncore import save
        from nncore.sweep import save_path

        save(network, save_path(self.argv[self.argv.index("--save") + 1], values))


def test_a_sweeps_runs_keep_their_networks_across_a_restart(qtbot, settings, mnist, tmp_path, monkeypatch):
    """A sweep started from the window saves each run's network; each finished run joins the history with
    its network (chosen in "Looking at" as any run), a stopped one without; the sweep's files are gone
    once read, and the next launch brings the runs back with their networks."""
    import numpy as np

    import nncore
    from app.window.main_window import MainWindow

    monkeypatch.setattr("app.sweeps.sweep_dialog.SweepProcess", SavingFakeProcess)
    settings.set_json("options", {"welcome": False})
    w = MainWindow(settings, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(w)
    w.sweeps.set_config(TINY)
    w.sweeps.form.set_list("0.5, 3, 7")
    w.sweeps.start()
    fake = w.sweeps.process
    folder = Path(fake.argv[fake.argv.index("--save") + 1]).parent
    nets = {eta: nncore.Network([784, 5, 10], rng=k) for k, eta in enumerate((0.5, 3.0))}
    for eta, net in nets.items():
        fake.lineRead.emit(epoch_line({"eta": eta}, 1, 0.3, 0.8))
        fake.save({"eta": eta}, net)
        fake.lineRead.emit(end_line({"eta": eta}, "finished", 0, 1))
    fake.lineRead.emit(epoch_line({"eta": 7.0}, 1, 0.3, 0.1))
    fake.ended.emit(143, "", True)                  # stopped: run of η 7 ends without a network
    assert [r.run_id for r in w.training_tab.history] == [1, 2, 3] and not folder.exists()
    shelf = w.networks.shelf.run_networks()
    assert sorted(shelf) == [1, 2]
    for run_id, net in zip((1, 2), nets.values()):
        np.testing.assert_array_equal(shelf[run_id].weights[0], net.weights[0])
    w.networks.read_with("run:2")
    np.testing.assert_array_equal(w.current.network.weights[0], nets[3.0].weights[0])
    w.close()
    again = MainWindow(settings, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(again)
    assert [r.run_id for r in again.training_tab.history] == [1, 2, 3]
    back = again.networks.shelf.run_networks()
    assert sorted(back) == [1, 2]
    for run_id, net in zip((1, 2), nets.values()):
        np.testing.assert_array_equal(back[run_id].weights[1], net.weights[1])
    assert {"run:1", "run:2"} <= {key for key, _label in again.networks.shelf.choices()}
    again.close()
