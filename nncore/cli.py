"""The command line: ``python -m nncore train ...``, ``... sweep ...`` and ``... evaluate FILE``.

A thin consumer of :class:`nncore.SGD`'s reports: one line per epoch (or one JSON object with
``--json``), a progress bar inside the epoch when stdout is a terminal, and a summary. Bad arguments
print one line on stderr saying what is accepted and exit with status 2; the accepted ranges are
:mod:`nncore.limits`'. ``--save`` is checked before training, and a run whose arrays would exceed
:data:`nncore.limits.MEMORY_BUDGET` (by :func:`nncore.memory.estimate`) is refused before they are
allocated. Every ``--json`` line is strict JSON (a number that is not finite is null). Ctrl-C never
replaces the ``--save`` file (the partly trained network goes beside it, as ``NAME.interrupted.npz``)
and exits with status 130; a second Ctrl-C exits at once, quietly. A closed output pipe (``| head -1``) ends
the program quietly with status 141, as SIGPIPE would. ``sweep`` takes train's options, some as lists
of values, checks every combination as ``train`` would, and runs each as ``train`` (:mod:`nncore.sweep`),
at most as many at once as the cores and the available memory hold (a line on stderr says so).

:func:`main` runs in the calling process as it is (tests call it so). As a program, start it through
:mod:`nncore.__main__` (``python -m nncore``), which first sets the process-wide settings that must
come before NumPy loads.
"""

import argparse
import io
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from . import augment, sweep
from .costs import COSTS
from .data import load_dataset
from .errors import ConfigError, NNCoreError, ReadOnlyFileError
from .evaluation import evaluate
from .fileio import check_save_target
from .limits import BATCH_SIZE, EPOCHS, L2, LEARNING_RATE, N_CLASSES, N_INPUTS, SEED, Range
from .memory import bounded_jobs, estimate
from .metrics import confusion_matrix, format_confusion
from .modelfile import load, save
from .network import INITS, Network, validate_sizes
from .process import end_with_parent
from .reports import BatchReport, EpochReport, RunEnd
from .sweep import EXIT_TERMINATED, json_line
from .training import SGD, validate_run, validate_schedule

EXIT_USAGE, EXIT_DIVERGED, EXIT_INTERRUPTED, EXIT_PIPE = 2, 3, 130, 141   # 141: 128 + SIGPIPE
CHANCE_ACCURACY = 0.12       # at or below this, ten classes are being guessed
LARGE_ETA = 10.0             # from here on sigmoid neurons may saturate at once (σ′ ≈ 0) and never learn
EPOCHS_OR_OFF = Range(0, EPOCHS.high)   # --patience and --halve-eta: 0 is off, as in the window


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


def _save_path(text):
    if not text.strip():
        raise argparse.ArgumentTypeError("--save needs a file name, e.g. --save network.npz")
    return text


def build_parser():
    """The argument parser of the three sub-commands."""
    parser = _Parser(prog="nncore", description="Train and evaluate sigmoid networks on MNIST.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _train_options(sub.add_parser("train", help="train a network by stochastic gradient descent"))
    s = sub.add_parser("sweep", help="train once for every combination of several values, in parallel",
                       description="Run `train` once for every combination of the values given to the "
                                   "options that take several (below). Each run is `nncore train` in a "
                                   "process of its own.")
    _train_options(s, in_sweep=True)
    s.add_argument("--jobs", type=_number(int, Range(1, math.inf), "--jobs"), default=None,
                   help="runs at once, each in its own process with one BLAS thread (default: the number "
                        "of cores); never more than the cores, nor than the available memory holds")
    s.add_argument("--run-ends", action="store_true",
                   help='with --json, also a line {"sweep": {...}, "run_end": {...}} as each run ends: its '
                        "outcome (finished, diverged, failed, stopped), exit status, epochs and messages")
    e = sub.add_parser("evaluate", help="test accuracy, cost and confusion matrix of a saved network")
    e.add_argument("file")
    e.add_argument("--data", default=None, help="folder of an IDX dataset named as MNIST's files")
    e.add_argument("--json", action="store_true")
    return parser


def _train_options(p, in_sweep=False):
    """Add train's options to ``p``: train's own parser, or sweep's (``in_sweep=True``).

    In a sweep, an option declared with ``each`` takes several values, one run each: ``each=","`` a
    comma list, ``each="use"`` one value per use of the option (--sizes, whose values hold commas);
    both may be repeated. Sweeping an option is therefore its one ``option(...)`` line with ``each``.
    sweep's parser also records, as defaults, ``train_options`` (flag, dest, is_switch) of every
    option, to pass each run's values on to ``train``, and ``swept``, the dests of ``each`` options.
    """
    options, swept = [], []

    def option(flag, each=None, **kw):
        if in_sweep and each:
            one = kw["type"]
            kw.update(type=_comma_list(one) if each == "," else lambda text: [one(text)],
                      default=[kw["default"]], action=_Values,
                      help=f"{kw.get('help', '')}; {'a comma list' if each == ',' else 'repeat it'} to sweep it")
        action = p.add_argument(flag, **kw)
        options.append((flag, action.dest, action.nargs == 0))
        if in_sweep and each:
            swept.append(action.dest)

    option("--sizes", each="use", type=_sizes, default=[N_INPUTS, 30, N_CLASSES],
           help=f"layer sizes, e.g. {N_INPUTS},30,{N_CLASSES}")
    option("--eta", each=",", type=_number(float, LEARNING_RATE, "--eta"), default=3.0,
           help=f"learning rate η ({LEARNING_RATE.text()})")
    option("--epochs", each=",", type=_number(int, EPOCHS, "--epochs"), default=30,
           help=f"passes over the training set ({EPOCHS.text()})")
    option("--batch-size", each=",", type=_number(int, BATCH_SIZE, "--batch-size"), default=10,
           help=f"mini-batch size ({BATCH_SIZE.text()}); 1 is the derivation's per-example update")
    option("--seed", each=",", type=_number(int, SEED, "--seed"), default=1,
           help=f"seed of the random generator ({SEED.text()})")
    option("--l2", each=",", type=_number(float, L2, "--l2"), default=0.0,
           help=f"L2 regularisation λ ({L2.text()}): C = C₀ + λ/(2n) Σ w², n the training-set size")
    option("--patience", type=_number(int, EPOCHS_OR_OFF, "--patience"), default=None, metavar="N",
           help="stop after N epochs without a better validation accuracy and keep the best network "
                "(0: off)")
    option("--halve-eta", type=_number(int, EPOCHS_OR_OFF, "--halve-eta"), default=None, metavar="N",
           help="halve η after N epochs without a better validation accuracy; stop at 1/128 of its start "
                "(0: off)")
    option("--cost", choices=list(COSTS), default="quadratic",
           help="log-likelihood has a softmax output layer")
    option("--init", choices=list(INITS), default="normal")
    option("--train-size", type=_number(int, Range(1, math.inf), "--train-size"), default=None,
           help="train on only the first N training examples (at most the training set)")
    option("--distort", action="store_true",
           help="change each training image every time it is used: other forms of 7, 1, 4 and 9 "
                "(crossbar, flag and base, closed, hooked tail), shifts, rotations, scaling, width, "
                "slant, elastic distortion and stroke weight (helps read hand-drawn digits)")
    option("--dtype", choices=["float32", "float64"], default="float32")
    option("--data", default=None, help="folder of an IDX dataset named as MNIST's files")
    option("--save", type=_save_path, default=None, metavar="FILE",
           help="save the trained network (.npz); checked before training starts"
                + ("; in a sweep each run's goes to FILE-<its values>.npz" if in_sweep else ""))
    option("--force", action="store_true", help="let --save replace a read-only file")
    option("--json", action="store_true", help="one JSON object per epoch on stdout")
    if in_sweep:
        p.set_defaults(train_options=tuple(options), swept=tuple(swept))


def _comma_list(one):
    """A parser of a comma list of values, each parsed (and refused, with its message) by ``one``."""
    return lambda text: [one(item.strip()) for item in text.split(",")]


class _Values(argparse.Action):
    """A swept option's values: every use adds to the list, which starts from nothing, not the default."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = getattr(namespace, self.dest)
        setattr(namespace, self.dest, (given if given is not self.default else []) + values)


def main(argv=None):
    """Entry point; returns the exit status."""
    parser = build_parser()
    parent_gone = end_with_parent()   # started by a sweep or the window: end with it
    try:
        args = parser.parse_args(argv)
        if args.command == "train":
            return _train(args, parser, parent_gone)
        if args.command == "sweep":
            return _sweep(args, parser, parent_gone)
        return _evaluate(args)
    except ReadOnlyFileError as e:
        parser.exit(EXIT_USAGE, f"nncore: error: {e}; use --force to replace it\n")
    except NNCoreError as e:
        parser.exit(EXIT_USAGE, f"nncore: error: {e}\n")
    except BrokenPipeError:     # the reader of stdout went away (e.g. | head -1): stop, quietly
        _silence_stdout()
        return EXIT_PIPE
    except OSError as e:
        parser.exit(EXIT_USAGE, f"nncore: error: {e}\n")
    except MemoryError:
        parser.exit(EXIT_USAGE, "nncore: error: not enough memory for this; try a smaller network, "
                                "mini-batch or dataset\n")
    except KeyboardInterrupt:   # Ctrl-C outside training, or a second one: stop at once, quietly
        print("nncore: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _silence_stdout():
    """Point stdout at the null device, so that flushing it at exit cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass   # no real stdout (tests capture it): nothing will be flushed to a pipe


def _train(args, parser, parent_gone=lambda: False):
    """``nncore train``; ``parent_gone`` tells (between reports) that the sweep that started it died."""
    if args.save is not None:
        check_save_target(args.save, force=args.force)   # refused now, not after the run
    data = _training_data(args, parser)
    rng = np.random.default_rng(args.seed)
    net = Network(args.sizes, cost=args.cost, init=args.init, rng=rng, dtype=np.dtype(args.dtype))
    sgd = SGD(net, data.train, learning_rate=args.eta, epochs=args.epochs, batch_size=args.batch_size,
              rng=rng, validation=data.validation, test=data.test,
              distort=augment.distort_batch if args.distort else None,
              l2=args.l2, patience=args.patience or None, halve_eta=args.halve_eta or None)
    out = _Printer(args.json, sys.stdout is not None and sys.stdout.isatty() and not args.json)
    if not args.json:
        print(f"training {net.describe()} on {len(data.train):,} {data.name} examples: η = {args.eta:g}, "
              f"mini-batch {args.batch_size}, {args.epochs} epochs, seed {args.seed}"
              + (f", λ = {args.l2:g}" if args.l2 else ""))
    try:
        end = _follow(sgd, out, parent_gone)
    except KeyboardInterrupt:
        out.clear()
        return _interrupted(net, args, out)
    if end is None:
        print("nncore: the sweep that started this run has ended; the run stops", file=sys.stderr)
        return EXIT_TERMINATED
    status = 0
    if isinstance(end, RunEnd) and end.reason == "finished" and end.epoch < args.epochs and not args.json:
        print(end.message)                  # ended early by --patience or --halve-eta: say why
    if isinstance(end, RunEnd) and end.reason == "diverged":
        print(f"nncore: {end.message}", file=sys.stderr)
        status = EXIT_DIVERGED
    out.summary(sgd.restored_epoch)
    _hint_at_chance(out.epochs, args.eta)
    if args.save:
        save(net, args.save, force=args.force)
        if not args.json:
            print(f"saved {args.save}")
    return status


def _follow(sgd, out, parent_gone):
    """Pass each of ``sgd``'s reports to ``out``; return the last (its RunEnd), or None as soon as
    ``parent_gone()`` says that the sweep that started this run died."""
    end = None
    # A far too large η overflows; the loop detects it (RunEnd 'diverged'), so NumPy's own
    # overflow warnings, in training or in the evaluation of saturated layers, are not printed.
    with np.errstate(over="ignore"):
        for report in sgd.run():
            if parent_gone():
                out.clear()
                return None
            out.report(report)
            end = report
    return end


def _training_data(args, parser):
    """The dataset cut to --train-size, every setting checked against it (:func:`_check_run`)."""
    data = load_dataset(args.data)
    _check_run(args, data, parser)
    return data if args.train_size is None else data.with_train_size(args.train_size)


def _check_run(args, data, parser):
    """Refuse, in train's words, settings that cannot run on ``data``, or whose memory is too large.

    Returns the run's :class:`nncore.memory.RunMemory`.
    """
    n_rows = len(data.train) + len(data.validation) + len(data.test)
    n_train = len(data.train)
    if args.train_size is not None:
        if args.train_size > n_train:
            parser.error(f"--train-size must be a whole number from 1 to {n_train:,} for this "
                         f"dataset, got {args.train_size}")
        n_train = args.train_size
    validate_run(args.eta, args.epochs, args.batch_size, n_train)
    validate_schedule(args.l2, args.patience or None, args.halve_eta or None, len(data.validation) > 0)
    n_inputs = data.train.pixels.shape[1]
    if args.sizes[0] != n_inputs or args.sizes[-1] != N_CLASSES:
        parser.error(f"--sizes must start with {n_inputs} (pixels) and end with {N_CLASSES} "
                     f"(digits), got {','.join(map(str, args.sizes))}")
    need = estimate(args.sizes, args.batch_size, args.dtype, n_rows, n_train,
                    max(len(data.validation), len(data.test)))
    if not need.fits():
        raise ConfigError(need.refusal("use --batch-size {} or less",
                                       "use --dtype float32, fewer or narrower layers, or --train-size"))
    return need


def _sweep(args, parser, parent_gone=lambda: False):
    """Every run planned and checked as train would check it, then run by :mod:`nncore.sweep`, as many
    at once as asked and as the cores and the memory hold (:func:`nncore.memory.bounded_jobs`)."""
    if args.run_ends and not args.json:
        parser.error("--run-ends needs --json (its lines are JSON)")
    runs = sweep.plan(args)
    data = load_dataset(args.data)
    per_run = 0
    for run in runs:
        per_run = max(per_run, _check_run(run.args, data, parser).total)
        if run.args.save is not None:
            check_save_target(run.args.save, force=args.force)
    jobs, notice = bounded_jobs(args.jobs, per_run, len(runs))
    if notice:
        print(notice, file=sys.stderr)
    return sweep.run(runs, jobs=jobs, as_json=args.json, run_ends=args.run_ends, parent_gone=parent_gone)


def interrupted_path(path):
    """Where the partly trained network of an interrupted run goes: ``NAME.interrupted.npz`` beside ``path``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.interrupted{path.suffix}" if path.suffix else f"{path.name}.interrupted")


def _interrupted(net, args, out):
    """Ctrl-C during training: the --save file is never replaced; the partial network goes beside it."""
    done = len(out.epochs)
    epochs = f"after {done} full epoch{'s' * (done != 1)}" if done else "before the first epoch ended"
    if not args.save:
        print(f"nncore: interrupted {epochs}; nothing was saved", file=sys.stderr)
        return EXIT_INTERRUPTED
    partial = interrupted_path(args.save)
    try:
        save(net, partial)
    except (NNCoreError, OSError) as e:
        print(f"nncore: interrupted {epochs}; the partly trained network could not be saved ({e}); "
              f"{args.save} was not touched", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"nncore: interrupted {epochs}; the partly trained network was saved to {partial}; "
          f"{args.save} was not touched", file=sys.stderr)
    return EXIT_INTERRUPTED


def _hint_at_chance(epochs, eta):
    """Sigmoid networks saturated by a large η never diverge, they guess: say so, and what to try."""
    if not epochs or epochs[-1].validation_accuracy is None or eta < LARGE_ETA:
        return
    best = max(r.validation_accuracy for r in epochs)
    if best <= CHANCE_ACCURACY:
        print(f"nncore: the network is guessing (best validation accuracy {100 * best:.2f}%, chance is "
              f"{100 / N_CLASSES:.0f}%): η = {eta:g} is large enough to saturate sigmoid neurons (σ′ ≈ 0), "
              "which then stop learning. Try a smaller learning rate η, e.g. --eta 3", file=sys.stderr)


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
                print(json_line({"epoch": r.epoch, "train_cost": r.train_cost,
                                 "validation_cost": r.validation_cost,
                                 "validation_accuracy": r.validation_accuracy,
                                 "test_accuracy": r.test_accuracy, "seconds": r.seconds,
                                 "eval_seconds": r.eval_seconds, "learning_rate": r.learning_rate,
                                 "learning_speed": list(r.learning_speed)}),
                      flush=True)
            else:
                changed = len(self.epochs) > 1 and r.learning_rate != self.epochs[-2].learning_rate
                print(f"epoch {r.epoch:>3}/{r.epochs}  cost {r.train_cost:.4f}  "
                      f"validation {100 * r.validation_accuracy:6.2f}%  "
                      f"test {100 * r.test_accuracy:6.2f}%  {r.seconds:.2f} s"
                      + (f"  (η now {r.learning_rate:g})" if changed else ""), flush=True)

    def clear(self):
        if self.progress:
            sys.stdout.write("\r" + " " * 79 + "\r")

    def summary(self, kept_epoch=None):
        """The last line; ``kept_epoch``: the epoch whose network early stopping put back, if any."""
        if self.as_json or not self.epochs:
            return
        best = max(self.epochs, key=lambda r: r.validation_accuracy)
        last = self.epochs[-1]
        kept = next((r for r in self.epochs if r.epoch == kept_epoch), last)
        print(f"done: test accuracy {100 * kept.test_accuracy:.2f}% after {last.epoch} epochs "
              + (f"(the network of epoch {kept.epoch}) " if kept is not last else "") +
              f"(best validation {100 * best.validation_accuracy:.2f}% at epoch {best.epoch}); "
              f"{sum(r.seconds for r in self.epochs):.1f} s training, "
              f"{time.perf_counter() - self.t0:.1f} s in all")


def _evaluate(args):
    net = load(args.file)
    data = load_dataset(args.data)
    test = data.test
    if net.sizes[0] != test.pixels.shape[1]:
        raise NNCoreError(f"{args.file}: the network takes {net.sizes[0]} inputs; the data has "
                          f"{test.pixels.shape[1]} pixels per image")
    if net.sizes[-1] != N_CLASSES:
        raise NNCoreError(f"{args.file}: the network has {net.sizes[-1]} outputs; the data has {N_CLASSES} "
                          f"classes (digits 0–{N_CLASSES - 1}), so evaluate needs {N_CLASSES} outputs")
    with np.errstate(over="ignore"):   # huge weights saturate σ, which is handled: no warnings
        result = evaluate(net, test.x, test.labels, predictions=True)
    matrix = confusion_matrix(test.labels, result.predictions, net.sizes[-1])
    if args.json:
        print(json_line({"test_accuracy": result.accuracy, "test_cost": result.cost, "sizes": net.sizes,
                         "cost": net.cost.name, "confusion_matrix": matrix.tolist()}))
    else:
        print(f"{args.file}: {net.describe()}")
        print(f"test accuracy {100 * result.accuracy:.2f}% ({int(np.trace(matrix)):,}/{len(test):,}), "
              f"mean cost {result.cost:.4f}")
        print(format_confusion(matrix))
    return 0
