"""Issue 26's "done when", on this machine: two spirals as CSV tables, and digits written as PNG class folders
(the stand-in for Fashion-MNIST, which is not here), trained through ``nncore train --data FOLDER``."""

import json
import re

import numpy as np
from in_process_cli import cli
from PIL import Image

from nncore.data import load_dataset
from nncore.toy_data import class_names, make, split_points, write_points_csv

NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def test_two_spirals_from_csv_reach_97_percent(tmp_path, capsys):
    """2 turns, noise 0.02, 1,000 points in each of train.csv and test.csv: ≥ 0.97 test accuracy."""
    rng = np.random.default_rng(1)
    points, labels = make("spirals", 2000, rng, noise=0.02, turns=2.0)
    for name, (x, y) in zip(("train.csv", "test.csv"), split_points(points, labels, 0.5, rng)):
        assert len(y) == 1000
        write_points_csv(tmp_path / name, x, y, class_names("spirals"))
    status, out, err = cli(capsys, "train", "--data", str(tmp_path), "--sizes", "2,16,16,2", "--cost",
                           "cross-entropy", "--init", "scaled", "--eta", "1", "--epochs", "400", "--batch-size",
                           "10", "--seed", "1", "--json")
    assert status == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 401 and lines[-2]["test_accuracy"] >= 0.97
    assert lines[-1]["classes"] == ["A", "B"] and min(lines[-1]["test_accuracy_by_class"].values()) >= 0.95


def test_digits_as_png_class_folders_train_and_name_their_classes(tmp_path, capsys):
    """20,000 + 2,000 PNG files in train/<name>/ and test/<name>/: read in seconds, 784-100-10 for 5 epochs
    reaches over 0.90, and the class names are what the output shows."""
    mnist = load_dataset()
    for part, split, n in (("train", mnist.train, 20_000), ("test", mnist.test, 2_000)):
        for name in NAMES:
            (tmp_path / part / name).mkdir(parents=True)
        for i in range(n):
            Image.fromarray(split.pixels[i].reshape(28, 28)).save(tmp_path / part / NAMES[split.labels[i]] / f"{i}.png")
    status, out, err = cli(capsys, "train", "--data", str(tmp_path), "--sizes", "784,100,10", "--cost",
                           "cross-entropy", "--init", "scaled", "--eta", "0.5", "--epochs", "5", "--batch-size",
                           "10", "--seed", "1")
    assert status == 0, err
    read = re.search(r"read 22,000 images \(784 \(28×28 pixels\) inputs, 10 \(.*\) classes, own\) in ([0-9.]+) s", err)
    assert read and float(read.group(1)) < 30
    accuracy = float(re.search(r"done: test accuracy ([0-9.]+)%", out).group(1))
    assert accuracy > 90
    assert f"classes: {', '.join(sorted(NAMES))}" in out
    by_class = out.split("test accuracy by class:\n")[1].splitlines()
    assert [line.split()[0] for line in by_class] == sorted(NAMES)
