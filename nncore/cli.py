"""The command line: ``python -m nncore train ...``, ``... sweep ...``, ``... evaluate FILE`` and
``... make-data KIND FOLDER`` (:mod:`nncore.cli_data`).

``train`` and ``sweep`` take a run spec's options (:mod:`nncore.cli_options`, from the table of
:mod:`nncore.run_spec`): each value is refused as it is parsed if it is not accepted, and the spec as a
whole is checked once against the data, memory included, by :meth:`RunSpec.problems` (through
:func:`nncore.runs.prepare_run`) before anything is allocated. Bad arguments print one line on stderr
saying what is accepted and exit with status 2. ``train`` then runs :func:`~nncore.runs.prepare_run`'s
loop and prints its reports (:mod:`nncore.cli_output`); ``--save`` is checked before training. Every
``--json`` line is strict JSON (a number that is not finite is null). Ctrl-C never replaces the
``--save`` file (the partly trained network goes beside it, as ``NAME.interrupted.npz``) and exits with
status 130; a second Ctrl-C exits at once, quietly. A closed output pipe (``| head -1``) ends the
program quietly with status 141, as SIGPIPE would. ``sweep`` checks every combination as ``train``
would and runs them (:mod:`nncore.sweep`) in local processes, at most as many at once as the cores and
the available memory hold (a line on stderr says so), or on a Dask cluster (``--scheduler``).

:func:`main` runs in the calling process as it is (tests call it so). As a program, start it through
:mod:`nncore.__main__` (``python -m nncore``), which first sets the process-wide settings that must
come before NumPy loads.
"""

import argparse
import io
import math
import os
import sys

import numpy as np

from . import sweep
from .cli_data import add_make_data, class_json, class_lines, make_data, names_classes, open_for_cli
from .cli_options import FLAGS, add_run_options, plan_specs, spec_from_args
from .cli_output import Printer
from .data import load_dataset
from .errors import NNCoreError, ReadOnlyFileError
from .evaluation import evaluate
from .fileio import check_save_target
from .limits import Range
from .memory import bounded_jobs
from .metrics import confusion_matrix, format_confusion
from .modelfile import load, save
from .process import end_with_parent
from .reports import RunEnd, json_line
from .run_options import Option, value_problem
from .runs import guessing_hint, prepare_run, save_interrupted

EXIT_USAGE, EXIT_DIVERGED, EXIT_INTERRUPTED, EXIT_PIPE = 2, 3, 130, 141   # 141: 128 + SIGPIPE
JOBS = Option("jobs", "--jobs", "--jobs", "int", Range(1, math.inf))


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit status 2."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _save_path(text):
    if not text.strip():
        raise argparse.ArgumentTypeError("--save needs a file name, e.g. --save network.npz")
    return text


def _jobs(text):
    value = int(text) if text.strip().lstrip("-").isdigit() else None
    problem = value_problem(JOBS, value)
    if problem:
        raise argparse.ArgumentTypeError(f"--jobs must be a whole number of at least 1, got {text!r}")
    return value


def build_parser():
    """The argument parser of the three sub-commands."""
    parser = _Parser(prog="nncore", description="Train and evaluate sigmoid networks on MNIST or your own data.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _run_options(sub.add_parser("train", help="train a network by stochastic gradient descent"))
    s = sub.add_parser("sweep", help="train once for every combination of several values, in parallel",
                       description="Run `train` once for every combination of the values given to the "
                                   "options that take several (below), in local processes or on a Dask "
                                   "cluster.")
    _run_options(s, in_sweep=True)
    s.add_argument("--jobs", type=_jobs, default=None,
                   help="runs at once, each in its own process with one BLAS thread (default: the number "
                        "of cores); never more than the cores, nor than the available memory holds")
    s.add_argument("--run-ends", action="store_true",
                   help='with --json, also a line {"sweep": {...}, "run_end": {...}} as each run ends: its '
                        "outcome (finished, diverged, failed, stopped), exit status, epochs and messages")
    s.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="run on the Dask cluster of this scheduler instead of local processes (needs "
                        "backprop-lab[cluster] here and on every worker)")
    e = sub.add_parser("evaluate", help="test accuracy, cost and confusion matrix of a saved network")
    e.add_argument("file")
    e.add_argument("--data", default=None, help="the data to test on, as train's --data (default: MNIST)")
    e.add_argument("--images", choices=["auto", "centre", "resize", "own"], default="auto",
                   help="an image folder's fit, as train's (auto: the one the network was trained with)")
    e.add_argument("--json", action="store_true")
    add_make_data(sub)
    return parser


def _run_options(p, in_sweep=False):
    """A run spec's options, then where the result goes."""
    add_run_options(p, in_sweep)
    p.add_argument("--save", type=_save_path, default=None, metavar="FILE",
                   help="save the trained network (.npz); checked before training starts"
                        + ("; in a sweep each run's goes to FILE-<its values>.npz" if in_sweep else ""))
    p.add_argument("--force", action="store_true", help="let --save replace a read-only file")
    p.add_argument("--json", action="store_true", help="one JSON object per epoch on stdout")


def main(argv=None):
    """Entry point; returns the exit status."""
    parser = build_parser()
    parent_gone = end_with_parent()   # started by the window: end with it
    try:
        args = parser.parse_args(argv)
        if args.command == "train":
            return _train(args, parent_gone)
        if args.command == "sweep":
            return _sweep(args, parser, parent_gone)
        if args.command == "make-data":
            return make_data(args)
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


def _train(args, parent_gone=lambda: False):
    """``nncore train``; ``parent_gone`` tells (between reports) that the program that started it died."""
    if args.save is not None:
        check_save_target(args.save, force=args.force)   # refused now, not after the run
    data = _open(args.data, args.images)
    run = prepare_run(spec_from_args(args, len(data.train), data.shape), data, names=FLAGS)
    spec, net = run.spec, run.network
    out = Printer(args.json, sys.stdout is not None and sys.stdout.isatty() and not args.json)
    if not args.json:
        print(f"training {net.describe()} on {len(run.data.train):,} {data.name} examples: {spec.label()}, "
              f"{spec.epochs} epochs, seed {spec.seed}")
        if names_classes(data.shape):
            print(f"classes: {', '.join(data.shape.classes)}")
    try:
        end = _follow(run.sgd, out, parent_gone)
    except KeyboardInterrupt:
        out.clear()
        print(f"nncore: {save_interrupted(net, args.save, len(out.epochs))}", file=sys.stderr)
        return EXIT_INTERRUPTED
    if end is None:
        print("nncore: the program that started this run has ended; the run stops", file=sys.stderr)
        return sweep.EXIT_TERMINATED
    status = 0
    if isinstance(end, RunEnd) and end.reason == "finished" and end.epoch < spec.epochs and not args.json:
        print(end.message)                  # ended early by --patience or --halve-eta: say why
    if isinstance(end, RunEnd) and end.reason == "diverged":
        print(f"nncore: {end.message}", file=sys.stderr)
        status = EXIT_DIVERGED
    out.summary(run.sgd.restored_epoch)
    if names_classes(data.shape) and status == 0:
        _by_class(net, data, args.json)
    hint = guessing_hint(out.epochs, spec.learning_rate, n_classes=data.shape.n_classes)
    if hint:
        print(f"nncore: {hint}", file=sys.stderr)
    if args.save:
        save(net, args.save, force=args.force)
        if not args.json:
            print(f"saved {args.save}")
    return status


def _open(source, images, shape=None):
    """The data of ``--data`` ``source``: the bundled MNIST (:func:`load_dataset`), or what
    :func:`nncore.cli_data.open_for_cli` opens, with progress on stderr."""
    if source is None:
        return load_dataset()
    return open_for_cli(source, images or "auto", shape)


def _follow(sgd, out, parent_gone):
    """Pass each of ``sgd``'s reports to ``out``; return the last (its RunEnd), or None as soon as
    ``parent_gone()`` says that the program that started this run died."""
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


def _sweep(args, parser, parent_gone=lambda: False):
    """Every run planned and checked as train would check it, then run by :mod:`nncore.sweep`: locally,
    as many at once as asked and as the cores and the memory hold (:func:`nncore.memory.bounded_jobs`),
    or on the Dask cluster of ``--scheduler``."""
    if args.run_ends and not args.json:
        parser.error("--run-ends needs --json (its lines are JSON)")
    data = _open(args.data, args.images)
    planned = plan_specs(args, len(data.train), data.shape)
    per_run = 0
    for p in planned:
        p.spec.validate(data, FLAGS)
        per_run = max(per_run, p.spec.memory(data).total)
        if args.save is not None:
            check_save_target(sweep.save_path(args.save, p.values), force=args.force)
    if args.scheduler:
        from .cluster import DaskCluster  # the optional extra, only when asked for

        backend, jobs = DaskCluster(args.scheduler), None
    else:
        from .executors import LocalProcesses

        jobs, notice = bounded_jobs(args.jobs, per_run, len(planned))
        if notice:
            print(notice, file=sys.stderr)
        backend = LocalProcesses(jobs)
    return sweep.run(planned, backend, jobs=jobs, save=args.save, force=args.force, as_json=args.json,
                     run_ends=args.run_ends, parent_gone=parent_gone)


def _by_class(net, data, as_json):
    """The test accuracy of each class, by name: lines, or one JSON line ``{"test_accuracy_by_class": ...}``."""
    with np.errstate(over="ignore"):
        result = evaluate(net, data.test.stored, data.test.labels, predictions=True)
    matrix = confusion_matrix(data.test.labels, result.predictions, net.sizes[-1])
    if as_json:
        print(json_line({"classes": list(data.shape.classes),
                         "test_accuracy_by_class": class_json(matrix, data.shape.classes)}))
    else:
        print("test accuracy by class:", *class_lines(matrix, data.shape.classes), sep="\n")


def _evaluate(args):
    net = load(args.file)
    data = _open(args.data, args.images, net.data_shape)
    test, shape = data.test, data.shape
    if net.data_shape is not None:
        mismatch = net.data_shape.mismatch(shape)
    elif net.sizes[0] != shape.inputs:   # a network saved without its data's shape: its sizes are compared
        mismatch = f"the network takes {net.sizes[0]} inputs; the data has {shape.inputs_text()} inputs"
    elif net.sizes[-1] != shape.n_classes:
        names = "digits 0–9" if not names_classes(shape) else ", ".join(shape.classes)
        mismatch = (f"the network has {net.sizes[-1]} outputs; the data has {shape.n_classes} classes ({names}), "
                    f"so evaluate needs {shape.n_classes} outputs")
    else:
        mismatch = ""
    if mismatch:
        raise NNCoreError(f"{args.file}: does not fit {args.data or 'MNIST'}: {mismatch}")
    with np.errstate(over="ignore"):   # huge weights saturate σ, which is handled: no warnings
        result = evaluate(net, test.stored, test.labels, predictions=True)
    matrix = confusion_matrix(test.labels, result.predictions, net.sizes[-1])
    named = names_classes(shape)
    if args.json:
        extra = {"classes": list(shape.classes), "test_accuracy_by_class": class_json(matrix, shape.classes)} \
            if named else {}
        print(json_line({"test_accuracy": result.accuracy, "test_cost": result.cost, "sizes": net.sizes,
                         "cost": net.cost.name, "confusion_matrix": matrix.tolist(), **extra}))
    else:
        print(f"{args.file}: {net.describe()}")
        print(f"test accuracy {100 * result.accuracy:.2f}% ({int(np.trace(matrix)):,}/{len(test):,}), "
              f"mean cost {result.cost:.4f}")
        if named:
            print("test accuracy by class:", *class_lines(matrix, shape.classes), sep="\n")
        print(format_confusion(matrix, shape.classes if named else None))
    return 0
