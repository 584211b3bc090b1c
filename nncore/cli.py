"""The command line: ``python -m nncore train ...`` and ``python -m nncore evaluate FILE``.

A thin consumer of :class:`nncore.SGD`'s reports: one line per epoch (or one JSON object with
``--json``), a progress bar inside the epoch when stdout is a terminal, and a summary. Bad arguments
print one line on stderr saying what is accepted and exit with status 2; the accepted ranges are
:mod:`nncore.limits`'.

:func:`main` runs in the calling process as it is (tests call it so). As a program, start it through
:mod:`nncore.__main__` (``python -m nncore``), which first sets the process-wide settings that must
come before NumPy loads.
"""

import argparse
import json
import math
import sys
import time

import numpy as np

from . import augment
from .costs import COSTS
from .data import load_dataset
from .errors import NNCoreError
from .evaluation import evaluate
from .limits import BATCH_SIZE, EPOCHS, LEARNING_RATE, N_CLASSES, N_INPUTS, SEED, Range
from .metrics import confusion_matrix, format_confusion
from .modelfile import load, save
from .network import INITS, Network, validate_sizes
from .reports import BatchReport, EpochReport, RunEnd
from .training import SGD, validate_run

EXIT_USAGE, EXIT_DIVERGED, EXIT_INTERRUPTED = 2, 3, 130


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit status 2."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _sizes(text):
    try:
        return validate_sizes(text.replace("-", ",").split(","))
    except NNCoreError as e:
        raise argparse.ArgumentTypeError(f"{e} (e.g. --sizes {N_INPUTS},30,{N_CLASSES})") from None


def _number(kind, accepted, what):
    """A parser of one ``kind`` (int or float) value inside the Range ``accepted``."""
    noun = "a whole number" if kind is int else "a number"

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or value != value or value not in accepted:
            bounds = f"from {accepted.text()}" if accepted.high < math.inf else f"of at least {accepted.low}"
            raise argparse.ArgumentTypeError(f"{what} must be {noun} {bounds}, got {text!r}")
        return value
    return parse


def build_parser():
    """The argument parser of both sub-commands."""
    parser = _Parser(prog="nncore", description="Train and evaluate sigmoid networks on MNIST.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    t = sub.add_parser("train", help="train a network by stochastic gradient descent")
    t.add_argument("--sizes", type=_sizes, default=[N_INPUTS, 30, N_CLASSES],
                   help=f"layer sizes, e.g. {N_INPUTS},30,{N_CLASSES}")
    t.add_argument("--eta", type=_number(float, LEARNING_RATE, "--eta"), default=3.0,
                   help=f"learning rate η ({LEARNING_RATE.text()})")
    t.add_argument("--epochs", type=_number(int, EPOCHS, "--epochs"), default=30,
                   help=f"passes over the training set ({EPOCHS.text()})")
    t.add_argument("--batch-size", type=_number(int, BATCH_SIZE, "--batch-size"), default=10,
                   help=f"mini-batch size ({BATCH_SIZE.text()}); 1 is the derivation's per-example update")
    t.add_argument("--seed", type=_number(int, SEED, "--seed"), default=1,
                   help=f"seed of the random generator ({SEED.text()})")
    t.add_argument("--cost", choices=list(COSTS), default="quadratic")
    t.add_argument("--init", choices=list(INITS), default="normal")
    t.add_argument("--train-size", type=_number(int, Range(1, math.inf), "--train-size"), default=None,
                   help="train on only the first N training examples (at most the training set)")
    t.add_argument("--distort", action="store_true",
                   help="add small random shifts, rotations, scaling and stroke changes to each "
                        "training image (helps read hand-drawn digits)")
    t.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    t.add_argument("--data", default=None, help="folder of an IDX dataset named as MNIST's files")
    t.add_argument("--save", default=None, metavar="FILE", help="save the trained network (.npz)")
    t.add_argument("--json", action="store_true", help="one JSON object per epoch on stdout")
    e = sub.add_parser("evaluate", help="test accuracy, cost and confusion matrix of a saved network")
    e.add_argument("file")
    e.add_argument("--data", default=None, help="folder of an IDX dataset named as MNIST's files")
    e.add_argument("--json", action="store_true")
    return parser


def main(argv=None):
    """Entry point; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "train":
            return _train(args, parser)
        return _evaluate(args)
    except NNCoreError as e:
        parser.exit(EXIT_USAGE, f"nncore: error: {e}\n")
    except OSError as e:
        parser.exit(EXIT_USAGE, f"nncore: error: {e}\n")


def _train(args, parser):
    data = load_dataset(args.data)
    if args.train_size is not None:
        if args.train_size > len(data.train):
            parser.error(f"--train-size must be a whole number from 1 to {len(data.train):,} for this "
                         f"dataset, got {args.train_size}")
        data = data.with_train_size(args.train_size)
    validate_run(args.eta, args.epochs, args.batch_size, len(data.train))
    if args.sizes[0] != data.train.x.shape[1] or args.sizes[-1] != N_CLASSES:
        parser.error(f"--sizes must start with {data.train.x.shape[1]} (pixels) and end with {N_CLASSES} "
                     f"(digits), got {','.join(map(str, args.sizes))}")
    rng = np.random.default_rng(args.seed)
    net = Network(args.sizes, cost=args.cost, init=args.init, rng=rng, dtype=np.dtype(args.dtype))
    sgd = SGD(net, data.train, learning_rate=args.eta, epochs=args.epochs, batch_size=args.batch_size,
              rng=rng, validation=data.validation, test=data.test,
              distort=augment.distort_batch if args.distort else None)
    out = _Printer(args.json, sys.stdout.isatty() and not args.json)
    if not args.json:
        print(f"training {net.describe()} on {len(data.train):,} {data.name} examples: η = {args.eta:g}, "
              f"mini-batch {args.batch_size}, {args.epochs} epochs, seed {args.seed}")
    end, status = None, 0
    try:
        for report in sgd.run():
            out.report(report)
            end = report
    except KeyboardInterrupt:
        out.clear()
        print("interrupted", file=sys.stderr)
        status = EXIT_INTERRUPTED
    if isinstance(end, RunEnd) and end.reason == "diverged":
        print(f"nncore: {end.message}", file=sys.stderr)
        status = EXIT_DIVERGED
    out.summary()
    if args.save:
        save(net, args.save)
        if not args.json:
            print(f"saved {args.save}")
    return status


class _Printer:
    """Turns reports into lines (or JSON lines) and an in-place progress bar on terminals."""

    def __init__(self, as_json, progress):
        self.as_json, self.progress = as_json, progress
        self.epochs, self.t0 = [], time.perf_counter()

    def report(self, r):
        if isinstance(r, BatchReport) and self.progress:
            done = int(30 * r.examples / r.epoch_size)
            rate = r.examples / max(r.seconds, 1e-9)
            sys.stdout.write(f"\repoch {r.epoch:>3} [{'#' * done}{'.' * (30 - done)}] "
                             f"{r.examples:>6,}/{r.epoch_size:,}  {rate:,.0f} ex/s  cost {r.cost:.4f}")
            sys.stdout.flush()
        elif isinstance(r, EpochReport):
            self.clear()
            self.epochs.append(r)
            if self.as_json:
                print(json.dumps({"epoch": r.epoch, "train_cost": r.train_cost,
                                  "validation_cost": r.validation_cost,
                                  "validation_accuracy": r.validation_accuracy,
                                  "test_accuracy": r.test_accuracy, "seconds": r.seconds,
                                  "eval_seconds": r.eval_seconds, "learning_rate": r.learning_rate}),
                      flush=True)
            else:
                print(f"epoch {r.epoch:>3}/{r.epochs}  cost {r.train_cost:.4f}  "
                      f"validation {100 * r.validation_accuracy:6.2f}%  "
                      f"test {100 * r.test_accuracy:6.2f}%  {r.seconds:.2f} s", flush=True)

    def clear(self):
        if self.progress:
            sys.stdout.write("\r" + " " * 79 + "\r")

    def summary(self):
        if self.as_json or not self.epochs:
            return
        best = max(self.epochs, key=lambda r: r.validation_accuracy)
        last = self.epochs[-1]
        print(f"done: test accuracy {100 * last.test_accuracy:.2f}% after {last.epoch} epochs "
              f"(best validation {100 * best.validation_accuracy:.2f}% at epoch {best.epoch}); "
              f"{sum(r.seconds for r in self.epochs):.1f} s training, "
              f"{time.perf_counter() - self.t0:.1f} s in all")


def _evaluate(args):
    net = load(args.file)
    data = load_dataset(args.data)
    test = data.test
    if net.sizes[0] != test.x.shape[1]:
        raise NNCoreError(f"{args.file}: the network takes {net.sizes[0]} inputs; the data has "
                          f"{test.x.shape[1]}")
    result = evaluate(net, test.x, test.labels, predictions=True)
    matrix = confusion_matrix(test.labels, result.predictions, net.sizes[-1])
    if args.json:
        print(json.dumps({"test_accuracy": result.accuracy, "test_cost": result.cost, "sizes": net.sizes,
                          "cost": net.cost.name, "confusion_matrix": matrix.tolist()}))
    else:
        print(f"{args.file}: {net.describe()}")
        print(f"test accuracy {100 * result.accuracy:.2f}% ({int(np.trace(matrix)):,}/{len(test):,}), "
              f"mean cost {result.cost:.4f}")
        print(format_confusion(matrix))
    return 0
