"""Every limit is read from nncore.limits: the edge of each Range is accepted, one step past it is
refused with a message naming the range."""

import math

import pytest

from nncore import ConfigError
from nncore.cli import build_parser
from nncore.limits import BATCH_SIZE, EPOCHS, HIDDEN_LAYERS, LAYER_SIZE, LEARNING_RATE, PARAMETERS, SEED, Range
from nncore.network import validate_sizes
from nncore.training import validate_run


def outside(r):
    """The values one step below and above Range ``r`` (the next float for a float range)."""
    if isinstance(r.low, int) and isinstance(r.high, int):
        return r.low - 1, r.high + 1
    return math.nextafter(r.low, -math.inf), math.nextafter(r.high, math.inf)


def n_parameters(sizes):
    return sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def test_range_contains_its_ends_and_says_them():
    """A Range holds both its ends, not one step past them, and prints them for people."""
    r = Range(1, 4_096)
    assert 1 in r and 4_096 in r and 0 not in r and 4_097 not in r
    assert r.text() == "1 to 4,096" and Range(1e-6, 1e4).text() == "1e-06 to 10,000"


@pytest.mark.parametrize("bad", outside(LAYER_SIZE))
def test_layer_size(bad):
    """Layers of LAYER_SIZE.low and .high neurons are accepted; one fewer or more is refused."""
    assert validate_sizes([LAYER_SIZE.low, LAYER_SIZE.high, 10]) == [LAYER_SIZE.low, LAYER_SIZE.high, 10]
    with pytest.raises(ConfigError, match=LAYER_SIZE.text()):
        validate_sizes([784, bad, 10])


@pytest.mark.parametrize("bad", outside(HIDDEN_LAYERS))
def test_hidden_layers(bad):
    """HIDDEN_LAYERS.low and .high hidden layers are accepted; one fewer or more is refused."""
    for hidden in (HIDDEN_LAYERS.low, HIDDEN_LAYERS.high):
        assert len(validate_sizes([784, *[8] * hidden, 10])) == hidden + 2
    with pytest.raises(ConfigError, match=HIDDEN_LAYERS.text()):
        validate_sizes([784, *[8] * bad, 10][:bad + 2])


def test_parameters():
    """A network of exactly PARAMETERS.high weights and biases is accepted; one more is refused."""
    at, past = [1553, 4096, 3328], [1552, 4096, 3329]
    assert (n_parameters(at), n_parameters(past)) == (PARAMETERS.high, PARAMETERS.high + 1)
    assert validate_sizes(at) == at
    with pytest.raises(ConfigError, match=PARAMETERS.text()):
        validate_sizes(past)


@pytest.mark.parametrize("setting, r", [("learning_rate", LEARNING_RATE), ("epochs", EPOCHS),
                                        ("batch_size", BATCH_SIZE)])
def test_training_settings(setting, r):
    """validate_run accepts both ends of LEARNING_RATE, EPOCHS and BATCH_SIZE and refuses one step past."""
    n_train = BATCH_SIZE.high + 1
    good = {"learning_rate": 3.0, "epochs": 1, "batch_size": 10}
    for value in (r.low, r.high):
        validate_run(n_train=n_train, **(good | {setting: value}))
    for value in outside(r):
        with pytest.raises(ConfigError, match=r.text()):
            validate_run(n_train=n_train, **(good | {setting: value}))


@pytest.mark.parametrize("option, r", [("--eta", LEARNING_RATE), ("--epochs", EPOCHS),
                                       ("--batch-size", BATCH_SIZE), ("--seed", SEED)])
def test_command_line_options(option, r, capsys):
    """The CLI's parsers take both ends of each Range and refuse one step past in one line, status 2."""
    parser = build_parser()
    for value in (r.low, r.high):
        parser.parse_args(["train", option, repr(value)])
    for value in outside(r):
        with pytest.raises(SystemExit) as exit_:
            parser.parse_args(["train", option, repr(value)])
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and len(err.splitlines()) == 1 and r.text() in err
