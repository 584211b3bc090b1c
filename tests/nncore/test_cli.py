"""The command line trains, saves, evaluates, and refuses bad arguments with one line and status 2.

The commands run in this process (``nncore.cli.main``), their output captured; only what needs a
process of its own (the BLAS thread count) is in test_process.py.
"""

import json

import pytest
from in_process_cli import cli

import nncore


def test_train_json_save_and_evaluate(tmp_path, capsys):
    """Two quick epochs print two JSON lines with accuracies in [0, 1]; evaluate reads the saved file."""
    status, out, err = cli(capsys, "train", "--sizes", "784,20,10", "--eta", "3", "--epochs", "2",
                           "--batch-size", "10", "--seed", "1", "--train-size", "3000", "--json",
                           "--save", str(tmp_path / "n.npz"))
    assert status == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["epoch"] for d in lines] == [1, 2]
    for d in lines:
        assert 0.5 < d["validation_accuracy"] <= 1 and 0.5 < d["test_accuracy"] <= 1
        assert d["seconds"] > 0 and d["train_cost"] > 0
    net = nncore.load(tmp_path / "n.npz")
    assert net.sizes == [784, 20, 10]
    status, out, err = cli(capsys, "evaluate", str(tmp_path / "n.npz"), "--json")
    result = json.loads(out)
    assert status == 0 and result["test_accuracy"] == lines[-1]["test_accuracy"]   # one evaluation path
    assert sum(map(sum, result["confusion_matrix"])) == 10_000


def test_evaluate_prints_accuracy_cost_and_the_confusion_matrix(tmp_path, capsys):
    """evaluate without --json: the network's description, accuracy and cost, then 11 matrix lines."""
    nncore.save(nncore.Network([784, 5, 10], rng=1), tmp_path / "n.npz")
    status, out, _ = cli(capsys, "evaluate", str(tmp_path / "n.npz"))
    lines = out.splitlines()
    assert status == 0 and lines[0].endswith("784 → 5 → 10, quadratic cost, normal init")
    assert lines[1].startswith("test accuracy ") and "mean cost" in lines[1]
    assert lines[2].startswith("true\\net") and len(lines) == 2 + 11


def test_text_output_has_a_line_per_epoch_and_a_summary(capsys):
    """Without --json: a header, one 'epoch' line per epoch and a 'done:' summary."""
    status, out, err = cli(capsys, "train", "--epochs", "2", "--train-size", "1000")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("training 784 → 30 → 10")
    assert sum(line.startswith("epoch") for line in lines) == 2
    assert lines[-1].startswith("done: test accuracy")


def test_each_halving_of_eta_is_shown_on_the_first_epoch_it_applies_to(capsys):
    """--halve-eta 1 with a huge η on 200 examples: validation stalls, η halves, and the epoch lines say
    so exactly where the --json reports' learning_rate changes."""
    args = ("train", "--epochs", "6", "--train-size", "200", "--eta", "300", "--halve-eta", "1", "--seed", "2")
    status, out, err = cli(capsys, *args)
    assert status == 0, err
    shown = [line.split("(η now ")[1].rstrip(")") if "(η now" in line else None
             for line in out.splitlines() if line.startswith("epoch")]
    status, out, err = cli(capsys, *args, "--json")
    etas = [json.loads(line)["learning_rate"] for line in out.splitlines() if line.startswith('{"epoch"')]
    expected = [f"{b:g}" if b != a else None for a, b in zip([etas[0]] + etas, etas)]
    assert shown == expected and any(expected)


@pytest.mark.parametrize("args, words", [
    (["train", "--sizes", "784,0,10"], "each layer size must be a whole number from 1 to 4,096, got 0"),
    (["train", "--sizes", "784,30,10000000"], "from 1 to 4,096, got 10000000"),
    (["train", "--sizes", "784,2,2,2,2,2,2,2,10"], "0 to 6 hidden layers and an output layer"),
    (["train", "--sizes", "784,4096,4096,10"], "a network may have 1 to 20,000,000 of them"),
    (["train", "--eta", "abc"], "--eta must be from 1e-06 to 10,000, got 'abc'"),
    (["train", "--eta", "0"], "--eta must be from 1e-06 to 10,000, got '0'"),
    (["train", "--eta", "nan"], "--eta must be from"),
    (["train", "--epochs", "0"], "--epochs must be from 1 to 10,000, got '0'"),
    (["train", "--epochs", "10001"], "--epochs must be from 1 to 10,000"),
    (["train", "--batch-size", "10001"], "--batch-size must be from 1 to 10,000"),
    (["train", "--seed", "-1"], "--seed must be from 0 to 2,147,483,647"),
    (["train", "--train-size", "0"], "--train-size must be from 1 to 50,000 examples"),
    (["train", "--train-size", "60000"], "--train-size must be from 1 to 50,000 examples"),
    (["train", "--sizes", "100,30,10"], "--sizes must start with the data's 784 (28×28 pixels) inputs"),
    (["train", "--sizes", "784,30,9"], "end with its 10 (0, 1, 2, 3, …, 9) classes, e.g. 784,30,10; got 784,30,9"),
    (["train", "--train-size", "100", "--batch-size", "500"],
     "--batch-size must be from 1 to 100 (at most the training set)"),
    (["train", "--cost", "hinge"], "invalid choice"),
    (["train", "--l2", "-1"], "--l2 must be from 0 to 1,000, got '-1'"),
    (["train", "--patience", "-1"], "--patience must be from 0 to 10,000 epochs (0: off)"),
    (["train", "--momentum", "1"], "--momentum must be from 0 to below 1 (0: plain gradient descent)"),
    (["train", "--dtype", "float16"], "invalid choice"),
    (["train", "--halve-eta", "x"], "--halve-eta must be from 0 to 10,000 epochs (0: off), got 'x'"),
    (["evaluate", "/no/such/file.npz"], "no such file"),
])
def test_bad_arguments_give_one_line_and_status_2(args, words, capsys):
    """Each bad argument: exit status 2, one stderr line naming what is accepted, nothing on stdout."""
    status, out, err = cli(capsys, *args)
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and words in err
    assert out == ""


def test_unreadable_model_file(tmp_path, capsys):
    """A text file given to evaluate is refused in one line."""
    (tmp_path / "x.npz").write_text("not a network")
    status, _, err = cli(capsys, "evaluate", str(tmp_path / "x.npz"))
    assert status == 2 and "another kind of file" in err


def test_log_likelihood_with_l2_and_patience_trains_saves_and_loads_back(tmp_path, capsys):
    """--cost log-likelihood --l2 5 --patience 1: the saved network loads back as a log-likelihood (softmax)
    network whose test accuracy is the last printed epoch's or the kept one's, and the run learnt."""
    status, out, err = cli(capsys, "train", "--sizes", "784,20,10", "--eta", "0.5", "--epochs", "3",
                           "--cost", "log-likelihood", "--l2", "5", "--patience", "1", "--train-size",
                           "2000", "--json", "--save", str(tmp_path / "n.npz"))
    assert status == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    net = nncore.load(tmp_path / "n.npz")
    assert net.cost.name == "log-likelihood" and net.cost.output == "softmax"
    assert max(d["validation_accuracy"] for d in lines) > 0.8
    status, out, _ = cli(capsys, "evaluate", str(tmp_path / "n.npz"), "--json")
    assert json.loads(out)["test_accuracy"] in {d["test_accuracy"] for d in lines}


def test_l2_shrinks_the_weights(capsys, tmp_path):
    """The same 2 epochs with --l2 50 end with a smaller Σ w² than with --l2 0 (decay 1 − ηλ/n per step)."""
    norms = []
    for lam in ("0", "50"):
        status, _, err = cli(capsys, "train", "--sizes", "784,10,10", "--epochs", "2", "--train-size", "1000",
                             "--l2", lam, "--json", "--save", str(tmp_path / f"l2-{lam}.npz"))
        assert status == 0, err
        net = nncore.load(tmp_path / f"l2-{lam}.npz")
        norms.append(sum(float((w.astype(float) ** 2).sum()) for w in net.weights))
    assert norms[1] < 0.8 * norms[0]
