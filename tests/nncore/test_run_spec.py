"""The run spec is the one shape of a run: checked in one place (with what is accepted, memory included),
read back from damaged input without raising, and the same through its dict form and the command line."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import ConfigError
from nncore.cli import build_parser
from nncore.cli_options import FLAGS, spec_from_args, to_argv
from nncore.run_spec import OPTIONS, RunSpec


def test_the_books_run_is_the_default_and_has_no_problems():
    """RunSpec() is chapter 1's run: 784-30-10, η 3, mini-batch 10, 30 epochs, quadratic, plain SGD."""
    spec = RunSpec()
    assert spec.sizes == [784, 30, 10] and spec.problems() == {}
    assert spec.label() == "784-30-10 η=3 m=10 quadratic normal" and spec.momentum == 0.0


@pytest.mark.parametrize("change, field, words", [
    ({"learning_rate": 0.0}, "learning_rate", "η must be from 1e-06 to 10,000"),
    ({"epochs": 0}, "epochs", "epochs must be from 1 to 10,000"),
    ({"epochs": 2.5}, "epochs", "epochs must be from 1 to 10,000"),
    ({"hidden": (0,)}, "hidden", "each layer size must be a whole number from 1 to 4,096, got 0"),
    ({"train_size": 60_000}, "train_size", "training set must be from 1 to 50,000 examples"),
    ({"train_size": 100, "batch_size": 500}, "batch_size", "mini-batch size must be from 1 to 100 (at most"),
    ({"cost": "hinge"}, "cost", "cost must be one of quadratic, cross-entropy, log-likelihood"),
    ({"patience": -1}, "patience", "patience must be from 0 to 10,000 epochs (0: off)"),
    ({"momentum": 1.0}, "momentum", "momentum μ must be from 0 to below 1 (0: plain gradient descent)"),
    ({"momentum": math.nan}, "momentum", "momentum μ must be from 0 to below 1"),
    ({"dtype": "float16"}, "dtype", "dtype must be one of float32, float64"),
    ({"hidden": (1500,) * 6, "batch_size": 10_000}, "batch_size", "this run would need about 2.36 GB of memory"),
    ({"hidden": (4096,), "batch_size": 10_000}, "batch_size", "use a mini-batch size of 8,650 or less"),
])
def test_each_problem_is_named_by_its_field_and_says_what_is_accepted(change, field, words):
    """One bad setting: exactly that field is refused, with what is accepted; validate() raises it."""
    spec = RunSpec(**change)
    assert list(spec.problems()) == [field] and words in spec.problems()[field]
    with pytest.raises(ConfigError, match="must be|would need"):
        spec.validate()


def test_the_command_line_names_fields_by_their_options():
    """problems(names=FLAGS) words a field as its option, '--eta must be from …'."""
    assert RunSpec(learning_rate=-1.0).problems(names=FLAGS) == {"learning_rate": "--eta must be from 1e-06 to 10,000"}


def test_the_dict_form_goes_round_and_fills_what_is_missing():
    """to_dict → from_stored gives the same spec and no fallbacks; a dict from before momentum (no
    'momentum', 'dtype' or 'data') reads with their defaults."""
    spec = RunSpec(hidden=(64, 20), learning_rate=0.5, momentum=0.9, l2=5.0, patience=3, distort=True,
                   dtype="float64", data="/data/mnist")
    assert RunSpec.from_stored(spec.to_dict()) == (spec, [])
    old = {k: v for k, v in spec.to_dict().items() if k not in ("momentum", "dtype", "data")}
    assert RunSpec.from_dict(old) == RunSpec(hidden=(64, 20), learning_rate=0.5, l2=5.0, patience=3, distort=True)


@pytest.mark.parametrize("stored, fallbacks", [
    ({"hidden": list(range(10**6))}, ["hidden"]),                 # a million widths: refused unread
    ({"learning_rate": 1e400, "momentum": "0.9"}, ["learning_rate", "momentum"]),
    ({"epochs": 3.0, "seed": True, "data": 7}, ["seed", "data"]),  # a whole float is whole; True is not a seed
    ({"train_size": 1000, "batch_size": 5000}, ["batch_size"]),
    ("not a dict", ["all of them"]),
])
def test_damaged_values_fall_back_to_their_defaults(stored, fallbacks):
    """Each unusable value keeps its default and is named; the rest is used; nothing raises."""
    spec, unusable = RunSpec.from_stored(stored)
    assert unusable == fallbacks and spec.problems() == {}


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from([o.field for o in OPTIONS] + ["extra"]),
                       st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
                       | st.lists(st.integers(-5, 5000), max_size=8)))
def test_anything_stored_reads_as_a_spec_that_can_run(stored):
    """Whatever a damaged settings file holds, from_stored gives a spec without problems."""
    assert RunSpec.from_stored(stored)[0].problems() == {}


def test_a_spec_goes_through_the_command_line_and_back():
    """to_argv(spec), parsed by train's parser and made a spec again, is the same spec to the last bit."""
    spec = RunSpec(hidden=(100, 7), learning_rate=0.1 + 0.2, epochs=3, batch_size=1, train_size=1234,
                   cost="log-likelihood", init="scaled", seed=9, distort=True, l2=0.5, patience=2, halve_eta=1,
                   momentum=0.75, dtype="float64")
    assert spec_from_args(build_parser().parse_args(["train", *to_argv(spec)]), 50_000) == spec
    assert spec_from_args(build_parser().parse_args(["train"]), 50_000) == RunSpec()
