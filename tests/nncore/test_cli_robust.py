"""The command line loses nothing and says what happened: --save checked first, Ctrl-C, broken pipes,
memory, mismatched networks, chance-level runs.

In process (``nncore.cli.main``) except where a real pipe or interpreter exit is the point.
"""

import gzip
import json
import os
import subprocess
import sys
import warnings
import zipfile

import numpy as np
import pytest

import nncore
from nncore import cli, memory, runs
from nncore.cli_output import Printer
from nncore.evaluation import Evaluation
from nncore.reports import EpochReport

QUICK = ["train", "--sizes", "784,10,10", "--epochs", "1", "--train-size", "1000"]


def run(capsys, *args):
    """``nncore ARGS`` in process → (status, stdout, stderr)."""
    try:
        status = cli.main(list(args))
    except SystemExit as e:
        status = e.code
    out = capsys.readouterr()
    return status, out.out, out.err


def one_line_error(status, out, err, *words):
    assert status == 2 and out == "", (status, out, err)
    assert len(err.strip().splitlines()) == 1, err
    for w in words:
        assert w in err, err


# ---- --save is checked before the run ----------------------------------------------------------

def test_an_empty_save_name_is_an_error(capsys):
    """--save "" used to be ignored silently (and the run lost)."""
    one_line_error(*run(capsys, *QUICK, "--save", ""), "--save needs a file name")


def test_a_missing_folder_is_refused_before_training(tmp_path, capsys):
    """No training line is printed: the folder is named before any work, and no temporary file is."""
    status, out, err = run(capsys, *QUICK, "--save", str(tmp_path / "nope" / "n.npz"))
    one_line_error(status, out, err, f"the folder {tmp_path / 'nope'} does not exist")
    assert "backprop-lab-tmp" not in err and ".tmp" not in err


def test_a_folder_or_fifo_as_save_target_is_refused_before_training(tmp_path, capsys):
    """--save naming a folder or a FIFO: refused first, and left as it was."""
    os.mkfifo(tmp_path / "fifo")
    one_line_error(*run(capsys, *QUICK, "--save", str(tmp_path)), "is a folder, not a regular file")
    one_line_error(*run(capsys, *QUICK, "--save", str(tmp_path / "fifo")), "is a named pipe (FIFO)")
    assert (tmp_path / "fifo").exists() and not (tmp_path / "fifo").is_file()


def test_a_read_only_save_target_needs_force(tmp_path, capsys):
    """Without --force: refused before training, 'use --force'; with it: replaced, still read-only."""
    path = tmp_path / "n.npz"
    nncore.save(nncore.Network([784, 3, 10], rng=1), path)
    path.chmod(0o444)
    one_line_error(*run(capsys, *QUICK, "--save", str(path)), "is read-only; it was not replaced; use --force")
    assert nncore.load(path).sizes == [784, 3, 10]
    status, _, err = run(capsys, *QUICK, "--save", str(path), "--force")
    assert status == 0, err
    assert nncore.load(path).sizes == [784, 10, 10] and path.stat().st_mode & 0o777 == 0o444


# ---- Ctrl-C ------------------------------------------------------------------------------------

def interrupt_after_first_epoch(monkeypatch):
    """Make SGD.run raise KeyboardInterrupt right after its first epoch report (as Ctrl-C would)."""
    real = nncore.SGD.run

    def run_then_interrupt(self):
        for report in real(self):
            yield report
            if isinstance(report, EpochReport):
                raise KeyboardInterrupt

    monkeypatch.setattr(nncore.SGD, "run", run_then_interrupt)


def test_ctrl_c_never_replaces_the_save_file(tmp_path, capsys, monkeypatch):
    """The existing --save file is untouched; the partial network goes to NAME.interrupted.npz; 130."""
    path = tmp_path / "n.npz"
    nncore.save(nncore.Network([784, 3, 10], rng=1), path)
    before = path.read_bytes()
    interrupt_after_first_epoch(monkeypatch)
    status, _, err = run(capsys, "train", "--sizes", "784,10,10", "--epochs", "3", "--train-size", "1000",
                         "--save", str(path))
    assert status == 130 and path.read_bytes() == before
    partial = tmp_path / "n.interrupted.npz"
    assert nncore.load(partial).sizes == [784, 10, 10]
    assert f"interrupted after 1 full epoch; the partly trained network was saved to {partial}" in err
    assert f"{path} was not touched" in err


def test_ctrl_c_without_save_says_nothing_was_saved(capsys, monkeypatch):
    """One line, status 130, no traceback."""
    interrupt_after_first_epoch(monkeypatch)
    status, _, err = run(capsys, "train", "--sizes", "784,10,10", "--epochs", "3", "--train-size", "1000")
    assert status == 130 and err == "nncore: interrupted after 1 full epoch; nothing was saved\n"


def test_a_second_ctrl_c_exits_quietly(tmp_path, capsys, monkeypatch):
    """A second Ctrl-C while the partial network is being saved: status 130, one line, no temporaries."""
    interrupt_after_first_epoch(monkeypatch)

    def second_ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runs, "save_network", second_ctrl_c)
    status, _, err = run(capsys, "train", "--sizes", "784,10,10", "--epochs", "3", "--train-size", "1000",
                         "--save", str(tmp_path / "n.npz"))
    assert status == 130 and err == "nncore: interrupted\n"
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_loading_exits_quietly(capsys, monkeypatch):
    """Ctrl-C before training starts (loading the data): 130 and one line."""
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "load_dataset", interrupted)
    assert run(capsys, *QUICK) == (130, "", "nncore: interrupted\n")


# ---- stdout closed or broken -------------------------------------------------------------------

class BrokenStdout:
    """A stdout whose reader went away."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        pass

    def isatty(self):
        return False


def test_a_broken_pipe_ends_quietly_with_status_141(monkeypatch, capsys):
    """`train --json | head -1`: status 141 (as SIGPIPE), nothing on stderr; it used to be status 2."""
    monkeypatch.setattr(sys, "stdout", BrokenStdout())
    status = cli.main([*QUICK, "--json"])
    assert status == 141 and capsys.readouterr().err == ""


def test_a_closed_stdout_is_not_an_error(monkeypatch, capsys, tmp_path):
    """stdout closed (sys.stdout is None): the run trains and saves, status 0 (it was an AttributeError)."""
    monkeypatch.setattr(sys, "stdout", None)
    status = cli.main([*QUICK, "--save", str(tmp_path / "n.npz")])
    assert status == 0 and capsys.readouterr().err == ""
    assert nncore.load(tmp_path / "n.npz").sizes == [784, 10, 10]


def test_a_real_broken_pipe_prints_no_traceback(tmp_path):
    """A real process whose reader closes the pipe after one line: status 141 and an empty stderr.

    1,000 epochs would take a minute: the program must notice the closed pipe at the next line.
    """
    args = ["train", "--sizes", "784,10,10", "--train-size", "400", "--epochs", "1000", "--json"]
    proc = subprocess.Popen([sys.executable, "-m", "nncore", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=tmp_path, text=True)
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141 and err == "" and first.startswith('{"epoch": 1')


# ---- memory, mismatched networks, messages -----------------------------------------------------

def test_a_run_too_big_for_memory_is_refused_before_allocating(capsys):
    """784,4096,10 in mini-batches of 10,000 needs ~1.1 GB: refused, with the batch size that fits."""
    status, out, err = run(capsys, "train", "--sizes", "784,4096,10", "--batch-size", "10000")
    one_line_error(status, out, err, "this run would need about 1.09 GB of memory",
                   "at most 1 GB is accepted: use a mini-batch size of 8,650 or less")


def test_the_memory_estimate_grows_with_the_batch_and_the_dtype():
    """Per example of a mini-batch: the input, the targets, and z, a, δ, σ′ of every neuron."""
    small = memory.estimate([784, 30, 10], 10, np.float32, 70_000, 50_000, 10_000)
    assert small.per_example == (784 + 10 + 4 * 40) * 4
    assert 80e6 < small.total < 150e6       # the interpreter and NumPy, and the data held once as bytes
    wide = memory.estimate([784, 30, 10], 10, np.float64, 70_000, 50_000, 10_000)
    assert 0 < wide.total - small.total < 50_000 * 784         # no float copy of the training inputs
    assert memory.estimate_mnist([784, 30, 10], 10, 50_000) == small   # the window's figure is the same


def test_the_cli_refuses_the_wide_deep_run_with_the_windows_figure(capsys):
    """784-1500×6-10 at mini-batch 10,000: 2.36 GB, the figure the window's settings show."""
    status, out, err = run(capsys, "train", "--sizes", ",".join(["784", *["1500"] * 6, "10"]),
                           "--batch-size", "10000")
    one_line_error(status, out, err, "this run would need about 2.36 GB of memory",
                   "use a mini-batch size of 798 or less")


def test_evaluate_a_network_with_five_outputs(tmp_path, capsys):
    """One line naming the 10 classes of the data, status 2 (it was a ValueError traceback)."""
    nncore.save(nncore.Network([784, 8, 5], rng=1), tmp_path / "five.npz")
    one_line_error(*run(capsys, "evaluate", str(tmp_path / "five.npz")),
                   "the network has 5 outputs; the data has 10 classes (digits 0–9)")


def test_the_seed_bound_prints_as_a_whole_number(capsys):
    """2,147,483,647, not 2.14748e+09 (nor 4.29497e+09)."""
    status, out, err = run(capsys, "train", "--seed", "4294967296")
    one_line_error(status, out, err, "--seed must be from 0 to 2,147,483,647, got '4294967296'")
    assert "e+" not in err


def test_evaluating_saturated_layers_prints_no_numpy_warning(tmp_path, capsys):
    """Weights of 1e30 saturate every hidden neuron (z far past σ's clip), which σ handles: no
    RuntimeWarning reaches the user."""
    net = nncore.Network([784, 10, 10], rng=1)
    net.weights[0][:] = 1e30
    nncore.save(net, tmp_path / "huge.npz")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, out, err = run(capsys, "evaluate", str(tmp_path / "huge.npz"))
    assert status == 0 and "test accuracy" in out and err == ""


def test_weights_whose_forward_pass_overflows_are_refused_on_opening(tmp_path, capsys):
    """Weights of 3e38 (finite) make z = Σ w·a + b overflow float32: evaluate refuses the file in one
    line that says what is accepted (it evaluated it, and --json printed NaN)."""
    net = nncore.Network([784, 10, 10], rng=1)
    net.weights[0][:] = 3e38
    nncore.save(net, tmp_path / "huge.npz")
    one_line_error(*run(capsys, "evaluate", str(tmp_path / "huge.npz"), "--json"),
                   "layer 1's weights and biases are too large to compute with",
                   "could reach 2.35e+41", "accepted are networks whose Σ|w| + |b| is at most 1.7e+38")


def test_json_never_holds_nan_or_infinity(monkeypatch, tmp_path, capsys):
    """An evaluation whose cost is NaN (or an infinite epoch cost) is printed as null: strict JSON."""
    nncore.save(nncore.Network([784, 10, 10], rng=1), tmp_path / "net.npz")
    monkeypatch.setattr(cli, "evaluate", lambda net, x, labels, predictions: Evaluation(
        float("nan"), 0.5, np.zeros(len(labels), dtype=np.int64)))
    status, out, err = run(capsys, "evaluate", str(tmp_path / "net.npz"), "--json")
    assert status == 0, err
    assert "NaN" not in out and json.loads(out)["test_cost"] is None
    assert json.loads(out, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))["test_accuracy"] == 0.5
    printer = Printer(True, False)
    printer.report(EpochReport(epoch=1, epochs=1, train_cost=float("inf"), validation_cost=float("-inf"),
                               validation_accuracy=0.5, test_accuracy=0.5, learning_rate=3.0, seconds=1.0,
                               eval_seconds=0.1, learning_speed=(float("nan"), 1.0)))
    line = json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    assert (line["train_cost"], line["validation_cost"], line["learning_speed"]) == (None, None, [None, 1.0])


def test_a_run_at_chance_with_a_large_eta_says_so(capsys):
    """η = 10⁴ saturates every neuron: the run ends at ~10% and the user is told to lower η."""
    status, _, err = run(capsys, *QUICK, "--eta", "10000", "--epochs", "2")
    assert status == 0
    assert "the network is guessing (best validation accuracy" in err and "Try a smaller learning rate η" in err
    _, _, err = run(capsys, *QUICK, "--eta", "3")
    assert err == ""


def test_hostile_files_on_the_command_line(tmp_path, capsys):
    """A zip-bomb network and a gzip-bomb dataset: one line each, status 2."""
    net_path = tmp_path / "bomb.npz"
    nncore.save(nncore.Network([784, 5, 10], rng=1), net_path)
    with zipfile.ZipFile(net_path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("extra.npy", bytes(8 << 20))
    one_line_error(*run(capsys, "evaluate", str(net_path)), "holds 'extra.npy'")
    data = tmp_path / "data"
    data.mkdir()
    for stem, n in (("train", 60_000), ("t10k", 10)):
        (data / f"{stem}-labels-idx1-ubyte").write_bytes(bytes([0, 0, 8, 1]) + n.to_bytes(4, "big") + bytes(n))
        header = bytes([0, 0, 8, 3]) + n.to_bytes(4, "big") + (28).to_bytes(4, "big") * 2
        body = bytes(n * 784 + (8 << 20 if stem == "train" else 0))   # the training images: 8 MB too long
        (data / f"{stem}-images-idx3-ubyte.gz").write_bytes(gzip.compress(header + body, compresslevel=1))
    one_line_error(*run(capsys, "train", "--data", str(data)), "holds more data than its header says")
