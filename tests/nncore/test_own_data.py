"""Your own data through the core and the command line: splits, standardisation, sizes that follow the data,
class names in the output, the data's shape in the saved network, and one line for data that does not fit."""

import io
import json

import numpy as np
import pytest
from in_process_cli import cli

import nncore
from nncore.data_shape import DataShape
from nncore.data_sources import open_data
from nncore.errors import DataFileError, ModelFileError
from nncore.modelfile import loads


def write_tables(folder, train_rows, test_rows, header="x,y,label"):
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train.csv", train_rows), ("test.csv", test_rows)):
        (folder / name).write_text(header + "\n" + "".join(f"{x!r},{y!r},{c}\n" for x, y, c in rows))
    return folder


def blobs(n, rng, shift=0.0, scale=1.0):
    """Two separable classes 'left' and 'right' around x = ±1 (shifted and scaled)."""
    rows = []
    for i in range(n):
        c = ("left", "right")[i % 2]
        x = (-1 if c == "left" else 1) + 0.2 * rng.standard_normal()
        rows.append((shift + scale * x, shift + scale * rng.standard_normal(), c))
    return rows


def test_tables_are_standardised_with_the_training_splits_statistics(tmp_path):
    """μ and σ come from the rows that train (not those that validate or test) and are applied to every split."""
    rng = np.random.default_rng(1)
    test_rows = blobs(12, rng, 5.0, 3.0)
    data = open_data(write_tables(tmp_path / "d", blobs(60, rng, 5.0, 3.0), test_rows))
    shape = data.shape
    assert shape.classes == ("left", "right") and shape.columns == ("x", "y") and shape.preprocessing == "standardise"
    assert (len(data.train), len(data.validation), len(data.test)) == (50, 10, 12)
    assert np.allclose(data.train.x.mean(axis=0), 0, atol=1e-6) and np.allclose(data.train.x.std(axis=0), 1, atol=1e-6)
    raw_test = np.array([[x, y] for x, y, _ in test_rows])
    expected = ((raw_test - np.array(shape.mean)) / np.array(shape.std)).astype(np.float32)
    assert data.test.x.dtype == np.float32 and np.array_equal(data.test.x, expected)
    assert abs(shape.mean[0] - 5.0) < 1.0 and abs(shape.std[0] - 3.0 * 1.02) < 0.5   # x: ±1 spread, scaled by 3
    assert data.test.labels.tolist() == [0, 1] * 6


def test_a_single_csv_file_is_split_as_mnist_is(tmp_path):
    """70 rows: a seventh tests (10), a sixth of the rest validates (10), 50 train; each row once."""
    rows = blobs(70, np.random.default_rng(2))
    (tmp_path / "t.csv").write_text("".join(f"{x},{y},{c}\n" for x, y, c in rows))
    data = open_data(tmp_path / "t.csv")
    assert (len(data.train), len(data.validation), len(data.test)) == (50, 10, 10)
    assert data.name == "t" and data.shape.columns == ("x1", "x2")
    mean, std = np.array(data.shape.mean), np.array(data.shape.std)
    every = np.concatenate([data.train.x, data.validation.x, data.test.x]) * std + mean
    assert np.allclose(np.sort(every[:, 0]), np.sort([x for x, _, _ in rows]), atol=1e-5)


@pytest.mark.parametrize("train, test, words", [
    ([(1, 2, "a"), (3, 4, "a"), (5, 6, "a")], [(1, 1, "a")], "has only one class ('a')"),
    ([(1, 2, "a"), (3, 4, "b"), (5, 6, "a")], [(1, 1, "c")], "holds the class 'c', which train.csv has not"),
])
def test_tables_whose_classes_cannot_train_are_refused(tmp_path, train, test, words):
    """One class, a test class unknown to training, too few rows: one line saying so."""
    with pytest.raises(DataFileError, match=words.replace("(", r"\(").replace(")", r"\)")):
        open_data(write_tables(tmp_path / "d", train, test))


def test_a_table_too_small_to_split_is_refused(tmp_path):
    """Two rows: one would test, one train (and none validate): refused, saying what is needed."""
    (tmp_path / "t.csv").write_text("1,2,a\n3,4,b\n")
    with pytest.raises(DataFileError, match="has 1 training and 1 test examples; at least 2 training examples"):
        open_data(tmp_path / "t.csv")


def test_a_path_that_is_neither_a_table_nor_a_folder_is_refused(tmp_path):
    (tmp_path / "x.txt").write_text("1,2,3")
    with pytest.raises(DataFileError, match="x.txt: is not a CSV table"):
        open_data(tmp_path / "x.txt")
    with pytest.raises(DataFileError, match="no such file or folder"):
        open_data(tmp_path / "missing")


def test_train_prints_class_names_and_saves_the_datas_shape(tmp_path, capsys):
    """Sizes from the data when --sizes is not given; per-class lines; the network file records the shape."""
    folder = write_tables(tmp_path / "d", blobs(120, np.random.default_rng(3)), blobs(40, np.random.default_rng(4)))
    status, out, err = cli(capsys, "train", "--data", str(folder), "--epochs", "3", "--eta", "3",
                           "--save", str(tmp_path / "n.npz"))
    assert status == 0, err
    assert "training 2 → 30 → 2," in out and "classes: left, right" in out
    by_class = out.split("test accuracy by class:\n")[1].splitlines()[:2]
    assert by_class[0].startswith("  left ") and by_class[1].endswith("(20/20)")
    net = nncore.load(tmp_path / "n.npz")
    assert net.sizes == [2, 30, 2] and net.data_shape.classes == ("left", "right")
    assert net.data_shape == open_data(folder).shape   # the same μ and σ, to the last bit


def test_json_output_names_the_classes_in_a_last_line(tmp_path, capsys):
    """With --json: one line per epoch, then {"classes": [...], "test_accuracy_by_class": {...}}."""
    folder = write_tables(tmp_path / "d", blobs(60, np.random.default_rng(3)), blobs(20, np.random.default_rng(4)))
    status, out, err = cli(capsys, "train", "--data", str(folder), "--sizes", "2,4,2", "--epochs", "2", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and [d.get("epoch") for d in lines] == [1, 2, None]
    assert lines[-1]["classes"] == ["left", "right"] and set(lines[-1]["test_accuracy_by_class"]) == {"left", "right"}


def test_evaluate_applies_the_recorded_standardisation(tmp_path, capsys):
    """Evaluated on data whose training rows moved, the saved μ and σ are used, so the accuracy is the same."""
    rng = np.random.default_rng(5)
    train, test = blobs(200, rng), blobs(60, rng)
    folder = write_tables(tmp_path / "a", train, test)
    assert cli(capsys, "train", "--data", str(folder), "--sizes", "2,8,2", "--epochs", "5",
               "--save", str(tmp_path / "n.npz"))[0] == 0
    moved = write_tables(tmp_path / "b", [(x + 100, y * 50, c) for x, y, c in train], test)
    first = json.loads(cli(capsys, "evaluate", str(tmp_path / "n.npz"), "--data", str(folder), "--json")[1])
    second = json.loads(cli(capsys, "evaluate", str(tmp_path / "n.npz"), "--data", str(moved), "--json")[1])
    assert first["test_accuracy"] == second["test_accuracy"] > 0.9
    assert second["test_accuracy_by_class"].keys() == {"left", "right"}


@pytest.mark.parametrize("other, words", [
    (None, "does not fit MNIST: the network takes 2 (x, y) inputs; the data has 784 (28×28 pixels) inputs"),
    ("renamed", "the network's classes are left, right; the data's are left, middle"),
])
def test_evaluate_on_data_that_does_not_fit_says_what_differs(tmp_path, capsys, other, words):
    """Other inputs, or other class names: one line, status 2."""
    rng = np.random.default_rng(6)
    folder = write_tables(tmp_path / "a", blobs(40, rng), blobs(10, rng))
    assert cli(capsys, "train", "--data", str(folder), "--sizes", "2,4,2", "--epochs", "1",
               "--save", str(tmp_path / "n.npz"))[0] == 0
    args = ["evaluate", str(tmp_path / "n.npz")]
    if other:
        rows = [(x, y, c.replace("right", "middle")) for x, y, c in blobs(40, rng)]
        args += ["--data", str(write_tables(tmp_path / other, rows, rows[:5]))]
    status, out, err = cli(capsys, *args)
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and words in err


@pytest.mark.parametrize("sizes", ["784,30,10", "2,30,3"])
def test_sizes_whose_ends_disagree_with_the_data_say_what_it_needs(tmp_path, capsys, sizes):
    """One line naming the data's inputs and classes and an example."""
    folder = write_tables(tmp_path / "d", blobs(30, np.random.default_rng(7)), blobs(6, np.random.default_rng(8)))
    status, out, err = cli(capsys, "train", "--data", str(folder), "--sizes", sizes)
    assert status == 2 and out == ""
    assert err == (f"nncore: error: --sizes must start with the data's 2 (x, y) inputs and end with its 2 "
                   f"(left, right) classes, e.g. 2,30,2; got {sizes}\n")


@pytest.mark.parametrize("text, words", [
    ("x,y,label\n1,2,a\n3,oops,b\n", "line 3, column 'y': 'oops', not a number"),
    ("x,y,label\n1,2,a\n3,4,a\n5,6,a\n", "has only one class ('a')"),
    ("x,y,label\n1,2,a\n3,inf,b\n", "line 3, column 'y': inf is not a finite number"),
])
def test_bad_data_on_the_command_line_is_one_line_and_status_2(tmp_path, capsys, text, words):
    """Text in a numeric column, one class, infinity: one line on stderr, nothing on stdout, status 2."""
    (tmp_path / "t.csv").write_text(text)
    status, out, err = cli(capsys, "train", "--data", str(tmp_path / "t.csv"))
    assert status == 2 and out == "" and len(err.splitlines()) == 1 and words in err


def test_make_data_writes_two_tables_and_never_replaces_them_unasked(tmp_path, capsys):
    """make-data spirals: 1,000 + 1,000 x,y,label rows; a second time refused unless --force."""
    args = ["make-data", "spirals", str(tmp_path / "sp"), "--points", "2000", "--noise", "0.02", "--seed", "1"]
    status, out, err = cli(capsys, *args)
    assert status == 0 and "wrote 1,000 training and 1,000 test points of spirals (A, B)" in out
    lines = (tmp_path / "sp" / "train.csv").read_text().splitlines()
    assert lines[0] == "x,y,label" and len(lines) == 1001
    before = (tmp_path / "sp" / "test.csv").read_bytes()
    status, out, err = cli(capsys, *args[:-1], "2")
    assert status == 2 and "exists; it was not replaced (use --force" in err
    assert (tmp_path / "sp" / "test.csv").read_bytes() == before
    assert cli(capsys, *args[:-1], "2", "--force")[0] == 0 and (tmp_path / "sp" / "test.csv").read_bytes() != before
    status, out, err = cli(capsys, "make-data", "xor", str(tmp_path / "x"), "--noise", "2")
    assert status == 2 and "--noise must be a number from 0 to 1, got '2'" in err


def test_the_network_file_records_the_shape_and_refuses_a_damaged_record(tmp_path):
    """A DataShape round-trips exactly; a record that disagrees with the sizes, or is not one, is refused."""
    net = nncore.Network([2, 3, 2], rng=1)
    net.data_shape = DataShape(2, ("A", "B"), None, ("x", "y"), "standardise", (0.5, -1e-300), (2.0, 1e10))
    nncore.save(net, tmp_path / "n.npz")
    assert nncore.load(tmp_path / "n.npz").data_shape == net.data_shape
    old = nncore.Network([784, 3, 10], rng=1)
    nncore.save(old, tmp_path / "old.npz")
    with np.load(tmp_path / "old.npz") as f:
        assert int(f["format_version"]) == 1 and nncore.load(tmp_path / "old.npz").data_shape is None
    recorded = net.data_shape.to_dict()
    for record, words in ((dict(recorded, classes=["A", "B", "C"]), "records data of 2 inputs and 3 classes"),
                          ([1, 2], "record of the data's shape is unusable"),
                          (dict(recorded, std=[1.0, 0.0]), "positive std")):
        with np.load(tmp_path / "n.npz") as f:
            arrays = {k: f[k] for k in f.files}
        arrays["data"] = np.array(json.dumps(record))
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        with pytest.raises(ModelFileError, match=words):
            loads(buf.getvalue())


def test_a_folder_of_28_by_28_digit_images_fits_a_network_of_mnist(tmp_path, capsys):
    """Class folders 0–9 of MNIST's own pixels (kept at their size): read exactly as MNIST's, so evaluated alike."""
    from PIL import Image

    from nncore.data import load_dataset
    from nncore.data_shape import MNIST_SHAPE

    mnist = load_dataset()
    for part, split in (("train", mnist.train), ("test", mnist.test)):
        for i in range(40):
            folder = tmp_path / part / str(split.labels[i])
            folder.mkdir(parents=True, exist_ok=True)
            Image.fromarray(split.pixels[i].reshape(28, 28)).save(folder / f"{i}.png")
    net = nncore.Network([784, 10, 10], rng=1)
    net.data_shape = MNIST_SHAPE
    nncore.save(net, tmp_path / "n.npz")
    data = open_data(tmp_path, shape=MNIST_SHAPE)
    assert data.shape.preprocessing == "own" and MNIST_SHAPE.mismatch(data.shape) == ""
    status, out, err = cli(capsys, "evaluate", str(tmp_path / "n.npz"), "--data", str(tmp_path), "--json")
    expected = nncore.evaluate(net, mnist.test.pixels[:40], mnist.test.labels[:40]).accuracy
    assert status == 0 and json.loads(out)["test_accuracy"] == expected


@pytest.mark.parametrize("other, words", [
    (DataShape(784, tuple("ABCDEFGHIJ"), (28, 28), (), "centre"), "the network's classes are 0, 1, 2, 3, …, 9; "
                                                                  "the data's are A, B, C, D, …, J"),
    (DataShape(784, tuple("0123456789"), (49, 16), (), "own"), "the network reads 28×28 images; the data's are 49×16"),
    (DataShape(784, tuple("0123456789"), (28, 28), (), "centre"), "the network's inputs were prepared by 'pixels'; "
                                                                   "the data's by 'centre'"),
])
def test_a_shape_says_what_of_other_data_does_not_match(other, words):
    """Class names, image size, preprocessing: the first difference, in words."""
    assert DataShape().mismatch(other) == words
