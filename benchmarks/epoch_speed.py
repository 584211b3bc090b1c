"""Seconds per epoch of 50,000 MNIST examples: nncore against a book-style loop and PyTorch.

Run from the repository root with any Python that has NumPy (and PyTorch, optionally):

    uv run python benchmarks/epoch_speed.py            # nncore and the book-style loop
    python3 -m pip install numpy torch==2.13.0 && python3 benchmarks/epoch_speed.py   # with PyTorch

An epoch here is what a user waits for: training on 50,000 examples plus evaluating the 10,000
validation and 10,000 test examples. Every cell is the median of ``--repeats`` runs, measured
side by side in one process, and the ratios are against nncore in the same run. Like the ``nncore``
command, the benchmark asks for one BLAS thread before NumPy loads, and prints the count OpenBLAS
reports (set OPENBLAS_NUM_THREADS to measure another).
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

import nncore  # noqa: E402

NETS = [[784, 30, 10], [784, 100, 10], [784, 128, 64, 10]]
BATCHES = [1, 10, 32, 100]


def time_nncore(data, sizes, m, eta=3.0):
    net = nncore.Network(sizes, rng=1)
    t = time.perf_counter()
    for _ in nncore.SGD(net, data.train, learning_rate=eta, epochs=1, batch_size=m, rng=1,
                        validation=data.validation, test=data.test).run():
        pass
    return time.perf_counter() - t


def time_book(data, sizes, m, eta=3.0):
    import book_network

    rng = np.random.default_rng(1)
    net = book_network.BookNetwork(sizes, rng)
    t = time.perf_counter()
    book_network.train_epoch(net, data.train.x, data.train.labels, m, eta, rng)
    net.accuracy(data.validation.x, data.validation.labels)
    net.accuracy(data.test.x, data.test.labels)
    return time.perf_counter() - t


def make_torch_timer(data):
    import torch
    import torch_loop

    tensors = {name: (torch.from_numpy(s.x), torch.from_numpy(s.labels.astype(np.int64)))
               for name, s in (("train", data.train), ("validation", data.validation), ("test", data.test))}

    def time_torch(_data, sizes, m, eta=3.0):
        model = torch_loop.build(sizes, 1)
        t = time.perf_counter()
        torch_loop.train_epoch(model, *tensors["train"], m, eta)
        torch_loop.evaluate(model, *tensors["validation"])
        torch_loop.evaluate(model, *tensors["test"])
        return time.perf_counter() - t

    return time_torch, f"torch {torch.__version__}, {torch.get_num_threads()} threads"


def blas_info():
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        name = f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception:
        name = "unknown"
    variable = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    return (f"NumPy {np.__version__}, BLAS {name}, {blas_threads() or 'unknown'} BLAS thread(s) in use "
            f"(OPENBLAS_NUM_THREADS={variable}), {os.cpu_count()} CPUs")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--book-repeats", type=int, default=1, help="the book loop is slow; fewer runs")
    ap.add_argument("--quick", action="store_true", help="only 784-30-10 at batch sizes 1 and 10")
    ap.add_argument("--no-book", action="store_true")
    args = ap.parse_args()
    data = nncore.load_dataset().to_floats()
    contenders = [("nncore", time_nncore, args.repeats)]
    if not args.no_book:
        contenders.append(("book loop", time_book, args.book_repeats))
    torch_note = "PyTorch not installed"
    try:
        timer, torch_note = make_torch_timer(data)
        contenders.append(("PyTorch", timer, args.repeats))
    except ImportError:
        pass
    print(blas_info())
    print(torch_note)
    nets = NETS[:1] if args.quick else NETS
    batches = [1, 10] if args.quick else BATCHES
    header = f"{'network':<16}{'batch':>6}" + "".join(f"{name:>14}" for name, _, _ in contenders)
    header += "".join(f"{name + ' / nncore':>22}" for name, _, _ in contenders[1:])
    print(header)
    for sizes in nets:
        for m in batches:
            cells = []
            for name, fn, repeats in contenders:
                if name == "book loop" and (m == 1 or sizes != NETS[0]) and not args.quick:
                    cells.append(None)        # minutes per cell; the 784-30-10 rows make the point
                    continue
                cells.append(statistics.median(fn(data, sizes, m) for _ in range(repeats)))
            row = f"{'-'.join(map(str, sizes)):<16}{m:>6}"
            row += "".join(f"{c:>13.3f}s" if c is not None else f"{'–':>14}" for c in cells)
            row += "".join(f"{c / cells[0]:>21.1f}×" if c is not None else f"{'–':>22}" for c in cells[1:])
            print(row, flush=True)


if __name__ == "__main__":
    main()
