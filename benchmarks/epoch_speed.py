"""Seconds per epoch of 50,000 MNIST examples: nncore against a book-style loop and PyTorch.

    uv run python benchmarks/epoch_speed.py --quick              # the headline rows, a few minutes
    uv run python benchmarks/epoch_speed.py                      # widths 30–1,000 and a deep net, m = 1, 10, 100
    uv run python benchmarks/epoch_speed.py --quick --baseline HEAD   # add nncore as committed at a git ref

PyTorch joins when it is installed (``uv pip install torch==2.13.0``; it is not a dependency).

What it measures is what ships: like the ``nncore`` command it asks for one BLAS thread before NumPy
loads (:func:`nncore.process.use_one_blas_thread`), prints the count OpenBLAS itself reports, and
lets ``nncore.SGD`` choose its threads as it does everywhere: by the work, and one while another
process keeps a core busy (the table says which counts it used). Every contender runs in this one
process, interleaved: each repeat runs every contender once, in a rotating order, with a pause
between them for spinning threads to park; cells are medians with the range of the repeats. The
machine may be shared, so the ranges matter, and the load average is printed at the start and end.

An epoch is what a user waits for: training on 50,000 examples plus evaluating the 10,000 validation
and 10,000 test examples. Slow contenders train on the first 10,000 examples and their training time
is scaled by 5 (stated in the header): the book-style loop, PyTorch with subnormals kept, and nncore
at mini-batch 1; PyTorch at mini-batch 1 (3.4 ms an example at 784-1000-10) on the first 2,000.
PyTorch flushes subnormal floats to zero (a saturated ``torch.sigmoid`` returns them and every
product that touches them runs several times slower); its time with them kept is beside it. PyTorch
runs on one thread where nncore's rule (:func:`nncore.process.blas_threads_for`) gives one (narrow
nets, small mini-batches), and on its default threads where it gives two.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nncore.process import blas_threads, use_one_blas_thread  # noqa: E402  (standard library only)

use_one_blas_thread()   # as the CLI's entry point does: before NumPy loads, or it has no effect

import numpy as np  # noqa: E402
from machine import baseline_package, blas_description, cpu_name  # noqa: E402

import nncore  # noqa: E402

FULL_TRAIN, SUBSET, SMALL_SUBSET = 50_000, 10_000, 2_000
NETS = [[784, 30, 10], [784, 100, 10], [784, 300, 10], [784, 1000, 10], [784, 30, 30, 30, 30, 10]]
BATCHES = [1, 10, 100]
QUICK = [([784, 30, 10], 1, "quadratic"), ([784, 30, 10], 10, "quadratic"),
         ([784, 1000, 10], 100, "cross-entropy")]
ETA = {"quadratic": 3.0, "cross-entropy": 0.5}
PAUSE = 0.3   # seconds between contenders: PyTorch's OpenMP threads spin for a while after work


def rows(quick):
    """(sizes, m, cost) of each row of the table."""
    if quick:
        return QUICK
    full = [(sizes, m, "quadratic") for sizes in NETS for m in BATCHES]
    return full + [([784, 1000, 10], 100, "cross-entropy")]


def train_size(name, m):
    """How many examples a contender trains on in a row (its time is scaled to 50,000)."""
    if m == 1 and name.startswith("PyTorch"):
        return SMALL_SUBSET
    if m == 1 or name in ("book loop", "PyTorch, subnormals kept"):
        return SUBSET
    return FULL_TRAIN


class NncoreContender:
    """``nncore.SGD`` for one epoch with validation and test, as the CLI and the window run it."""

    def __init__(self, package, data, name):
        self.package, self.data, self.name = package, data, name
        self.threads = {}   # {(sizes, m): the BLAS thread counts seen at its reports}

    def __call__(self, sizes, m, cost, n_train):
        pkg, data = self.package, self.data
        train = data.train if n_train == len(data.train) else data.with_train_size(n_train).train
        net = pkg.Network(sizes, cost=cost, rng=1)
        t = time.perf_counter()
        sgd = pkg.SGD(net, train, learning_rate=ETA[cost], epochs=1, batch_size=m, rng=1,
                      validation=data.validation, test=data.test)
        report = None
        for r in sgd.run():
            if type(r).__name__ == "BatchReport":   # SGD may change threads at any report
                self.threads.setdefault((tuple(sizes), m), set()).add(blas_threads())
            if type(r).__name__ == "EpochReport":
                report = r
        wall = time.perf_counter() - t
        return (wall - report.eval_seconds) * FULL_TRAIN / n_train, report.eval_seconds


def book_contender(data):
    """Nielsen's network.py (float64, per-example backprop summed with Python lists)."""
    import book_network

    def run(sizes, m, cost, n_train):
        rng = np.random.default_rng(1)
        net = book_network.BookNetwork(sizes, rng)
        t = time.perf_counter()
        book_network.train_epoch(net, data.train.x[:n_train], data.train.labels[:n_train], m, 3.0, rng)
        t_train = time.perf_counter() - t
        t = time.perf_counter()
        net.accuracy(data.validation.x, data.validation.labels)
        net.accuracy(data.test.x, data.test.labels)
        return t_train * FULL_TRAIN / n_train, time.perf_counter() - t

    return run


def torch_contenders(data, threads_for, used):
    """PyTorch with subnormals flushed and kept, on the threads ``threads_for(sizes, m)`` says.

    ``used[(sizes, m)]`` records the thread count PyTorch ran with.
    """
    import torch
    import torch_loop

    default_threads = torch.get_num_threads()
    tensors = {name: (torch.from_numpy(s.x), torch.from_numpy(s.labels.astype(np.int64)))
               for name, s in (("train", data.train), ("validation", data.validation), ("test", data.test))}

    def contender(flush):
        def run(sizes, m, cost, n_train):
            torch_loop.configure(default_threads if threads_for(sizes, m) > 1 else 1, flush)
            used[(tuple(sizes), m)] = torch.get_num_threads()
            model = torch_loop.build(sizes, 1, cost)
            x, labels = tensors["train"]
            t = time.perf_counter()
            torch_loop.train_epoch(model, x[:n_train], labels[:n_train], m, ETA[cost], cost)
            t_train = time.perf_counter() - t
            t = time.perf_counter()
            torch_loop.evaluate(model, *tensors["validation"])
            torch_loop.evaluate(model, *tensors["test"])
            return t_train * FULL_TRAIN / n_train, time.perf_counter() - t
        return run

    note = f"PyTorch {torch.__version__}, default {default_threads} threads"
    return [("PyTorch", contender(True)), ("PyTorch, subnormals kept", contender(False))], note


def warm_up(contenders):
    """One short untimed run of each contender: first calls load libraries and start thread pools."""
    for name, run in contenders:
        for sizes, m in (([784, 30, 10], 10), ([784, 1000, 10], 100)):
            if applies(name, sizes, m):
                run(sizes, m, "quadratic", 2000)


def measure(contenders, sizes, m, cost, repeats):
    """{name: [(train seconds per 50,000, eval seconds), ...]} over interleaved, rotating repeats."""
    results = {name: [] for name, _ in contenders}
    for r in range(repeats):
        order = contenders[r % len(contenders):] + contenders[:r % len(contenders)]
        for name, run in order:
            if not applies(name, sizes, m):
                continue
            time.sleep(PAUSE)
            results[name].append(run(sizes, m, cost, train_size(name, m)))
    return results


def applies(name, sizes, m):
    """The book-style loop runs only the book's network (it takes minutes on the others)."""
    return name != "book loop" or sizes == [784, 30, 10]


def cell(values, part):
    """'0.712 (0.70–0.75)' of the training (part 0), evaluation (1) or whole epoch (None) seconds."""
    if not values:
        return "–"
    xs = [v[0] + v[1] if part is None else v[part] for v in values]
    return f"{statistics.median(xs):.3f} ({min(xs):.2f}–{max(xs):.2f})"


def ratio(values, reference, part):
    if not values or not reference:
        return "–"
    xs = [v[0] + v[1] if part is None else v[part] for v in values]
    ref = [v[0] + v[1] if part is None else v[part] for v in reference]
    return f"{statistics.median(xs) / statistics.median(ref):.2f}×"


def print_table(title, table, names, threads, part):
    """One markdown table: a cell per contender, then each contender's median over nncore's.

    ``threads``: {(sizes, m): (nncore's BLAS threads, PyTorch's threads)}.
    """
    others = [n for n in names if n != "nncore"]
    print(f"\n{title}\n")
    print("| network, mini-batch, cost | threads (nncore / PyTorch) | " + " | ".join(names) + " | "
          + " | ".join(f"{n} / nncore" for n in others) + " |")
    print("|" + "---|" * (2 + len(names) + len(others)))
    for (sizes, m, cost), results in table:
        nncore_threads, torch_threads = threads.get((tuple(sizes), m), ("?", "–"))
        print(f"| {'-'.join(map(str, sizes))}, {m}, {cost} | {nncore_threads} / {torch_threads} | "
              + " | ".join(cell(results.get(n, []), part) for n in names) + " | "
              + " | ".join(ratio(results.get(n, []), results["nncore"], part) for n in others) + " |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="only 784-30-10 at m = 1 and 10, and 784-1000-10 at m = 100 with cross-entropy")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", metavar="NET[:M]", action="append",
                    help="only the rows of this network (e.g. 784-1000-10), or of it at mini-batch M")
    ap.add_argument("--baseline", metavar="REF", help="also time nncore as committed at this git ref")
    ap.add_argument("--no-book", action="store_true")
    ap.add_argument("--no-torch", action="store_true")
    args = ap.parse_args()

    data = nncore.load_dataset().to_floats()
    print(f"CPU: {cpu_name()}; load average {os.getloadavg()[0]:.2f} at the start")
    print(blas_description())
    current = NncoreContender(nncore, data, "nncore")
    contenders = [("nncore", current)]
    if args.baseline:
        contenders.append((f"nncore {args.baseline}", NncoreContender(baseline_package(args.baseline), data,
                                                                      args.baseline)))
    if not args.no_book:
        contenders.append(("book loop", book_contender(data)))
    torch_threads = {}
    if not args.no_torch:
        try:
            from nncore.process import blas_threads_for

            torch_list, note = torch_contenders(data, blas_threads_for, torch_threads)
            contenders += torch_list
            print(note + "; per row as many threads as nncore chose (1, or the default)")
        except ImportError:
            print("PyTorch not installed")
    print(f"epochs of 50,000 examples; trained on the first {SUBSET:,} and scaled ×5: nncore at mini-batch 1, "
          f"the book loop (float64, 784-30-10 only) and PyTorch with subnormals kept; on the first "
          f"{SMALL_SUBSET:,}, scaled ×25: PyTorch at mini-batch 1; {args.repeats} interleaved repeats; "
          f"cells: median (range) in seconds", flush=True)
    warm_up(contenders)
    table = []
    for sizes, m, cost in rows(args.quick):
        name = "-".join(map(str, sizes))
        if args.only and not any(o in (name, f"{name}:{m}") for o in args.only):
            continue
        results = measure(contenders, sizes, m, cost, args.repeats)
        table.append(((sizes, m, cost), results))
        print(f"  {'-'.join(map(str, sizes))}, m={m}, {cost}: "
              + "; ".join(f"{n} {cell(v, None)}" for n, v in results.items() if v), flush=True)
    names = [n for n, _ in contenders]
    threads = {key: ("–".join(map(str, sorted(t, key=str))), torch_threads.get(key, "–"))
               for key, t in current.threads.items()}
    print_table("Seconds of training per epoch (50,000 examples):", table, names, threads, 0)
    print_table("Seconds per epoch, training and evaluating 20,000 held-out examples:", table, names,
                threads, None)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end (others share this machine)")


if __name__ == "__main__":
    main()
