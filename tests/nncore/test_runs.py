"""train_run(spec) is nncore train: the same spec and seed give the same epoch records, which read back
through EpochReport.from_json unchanged."""

import json

import pytest
from in_process_cli import cli

from nncore import ConfigError
from nncore.reports import EpochReport, RunEnd
from nncore.run_spec import RunSpec
from nncore.runs import train_run

TIMINGS = ("seconds", "eval_seconds")


def without_timings(record):
    return {k: v for k, v in record.items() if k not in TIMINGS}


@pytest.mark.parametrize("argv, spec", [
    (["--sizes", "784,12,10", "--epochs", "2", "--train-size", "1500"],
     RunSpec(hidden=(12,), epochs=2, train_size=1500)),
    (["--sizes", "784,8,10", "--epochs", "1", "--train-size", "700", "--batch-size", "1", "--eta", "0.5",
      "--cost", "cross-entropy", "--momentum", "0.5", "--seed", "3"],
     RunSpec(hidden=(8,), epochs=1, train_size=700, batch_size=1, learning_rate=0.5, cost="cross-entropy",
             momentum=0.5, seed=3)),
])
def test_train_run_yields_the_records_nncore_train_prints(capsys, mnist, argv, spec):
    """Every epoch record of train_run(spec), but for the timings, equals `nncore train --json`'s line for
    the same options; the run ends with a RunEnd 'finished'."""
    status, out, err = cli(capsys, "train", *argv, "--json")
    assert status == 0, err
    printed = [json.loads(line) for line in out.splitlines()]
    reports = list(train_run(spec, mnist))
    assert isinstance(reports[-1], RunEnd) and reports[-1].reason == "finished"
    ours = [r.to_json() for r in reports[:-1]]
    assert [without_timings(r) for r in ours] == [without_timings(p) for p in printed]
    assert len(ours) == spec.epochs and all(len(r["saturation"]) == len(spec.hidden) + 1 for r in ours)
    assert [EpochReport.from_json(p) for p in printed][-1].validation_accuracy == reports[-2].validation_accuracy


def test_train_run_checks_the_spec_against_the_data(mnist):
    """A mini-batch larger than the training set is refused before anything trains."""
    with pytest.raises(ConfigError, match="mini-batch size must be from 1 to 100"):
        next(train_run(RunSpec(train_size=100, batch_size=500), mnist))


@pytest.mark.parametrize("record, words", [
    ({"epoch": 0, "train_cost": 1.0}, "epoch is a whole number from 1"),
    ({"epoch": 1, "train_cost": "x", "learning_rate": 3.0}, "train_cost is a number"),
    ({"epoch": 1, "train_cost": 1.0, "learning_rate": 3.0, "test_accuracy": 2}, "fraction from 0 to 1"),
    ({"epoch": 1, "train_cost": 1.0, "learning_rate": 3.0, "saturation": [0.1] * 100}, "at most 8 numbers"),
    ([], "a JSON object"),
])
def test_a_damaged_epoch_record_is_refused_saying_why(record, words):
    """from_json is the one reader of an epoch record: a bad one is a ValueError naming the field."""
    with pytest.raises(ValueError, match=words):
        EpochReport.from_json(record)


def test_an_older_line_without_saturation_reads_with_nan_for_null_costs():
    """A line from before saturation and epochs were written reads; a null cost (not finite) is NaN."""
    report = EpochReport.from_json({"epoch": 2, "train_cost": None, "validation_cost": 0.5, "learning_rate": 3.0,
                                    "validation_accuracy": 0.9, "test_accuracy": None, "learning_speed": [None, 1]})
    assert report.train_cost != report.train_cost and report.epochs == 2 and report.saturation == ()
    assert report.test_accuracy is None and report.learning_speed[1] == 1.0
