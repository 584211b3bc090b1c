"""The command line trains, saves, evaluates, and refuses bad arguments with one line and status 2."""

import json
import subprocess
import sys

import pytest

import nncore


def cli(*args):
    """Run `python -m nncore ARGS` and return the completed process."""
    return subprocess.run([sys.executable, "-m", "nncore", *args], capture_output=True, text=True,
                          timeout=120)


def test_train_json_save_and_evaluate(tmp_path):
    """Two quick epochs print two JSON lines with accuracies in [0, 1]; evaluate reads the saved file."""
    out = cli("train", "--sizes", "784,20,10", "--eta", "3", "--epochs", "2", "--batch-size", "10",
              "--seed", "1", "--train-size", "3000", "--json", "--save", str(tmp_path / "n.npz"))
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["epoch"] for d in lines] == [1, 2]
    for d in lines:
        assert 0.5 < d["validation_accuracy"] <= 1 and 0.5 < d["test_accuracy"] <= 1
        assert d["seconds"] > 0 and d["train_cost"] > 0
    net = nncore.load(tmp_path / "n.npz")
    assert net.sizes == [784, 20, 10]
    ev = cli("evaluate", str(tmp_path / "n.npz"), "--json")
    result = json.loads(ev.stdout)
    assert result["test_accuracy"] == pytest.approx(lines[-1]["test_accuracy"], abs=1e-9)
    assert sum(map(sum, result["confusion_matrix"])) == 10_000


def test_text_output_has_a_line_per_epoch_and_a_summary():
    """Without --json: a header, one 'epoch' line per epoch and a 'done:' summary."""
    out = cli("train", "--epochs", "2", "--train-size", "1000")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert sum(line.startswith("epoch") for line in lines) == 2
    assert lines[-1].startswith("done: test accuracy")


@pytest.mark.parametrize("args, words", [
    (["train", "--sizes", "784,0,10"], "between 1 and"),
    (["train", "--eta", "abc"], "--eta"),
    (["train", "--eta", "0"], "--eta"),
    (["train", "--epochs", "0"], "--epochs"),
    (["train", "--sizes", "784,30,10000000"], "between 1 and"),
    (["train", "--sizes", "100,30,10"], "must start with 784"),
    (["train", "--train-size", "100", "--batch-size", "500"], "mini-batch size"),
    (["train", "--cost", "hinge"], "invalid choice"),
    (["evaluate", "/no/such/file.npz"], "no such file"),
])
def test_bad_arguments_give_one_line_and_status_2(args, words):
    """Each bad argument: exit status 2, one stderr line naming what is accepted, nothing on stdout."""
    out = cli(*args)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and words in out.stderr
    assert out.stdout == ""


def test_unreadable_model_file(tmp_path):
    """A text file given to evaluate is refused in one line."""
    (tmp_path / "x.npz").write_text("not a network")
    out = cli("evaluate", str(tmp_path / "x.npz"))
    assert out.returncode == 2 and "another kind of file" in out.stderr
