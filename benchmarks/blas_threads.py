"""One BLAS thread or two? nncore's training time by layer width and mini-batch, idle and contended.

    uv run python benchmarks/blas_threads.py [--repeats 3] [--train-size 10000]

For each network and mini-batch, trains ``--train-size`` examples with ``SGD(threads=1)`` and
``SGD(threads=2)``, interleaved, first on an idle machine and then while another process spins on one
core (standing in for a window's event loop or a second run). Prints the medians (ranges) in seconds
per 50,000 examples and the speed-up of two threads, with the thread count ``SGD(threads=None)``
chooses (:func:`nncore.process.blas_threads_for`), so the rule can be checked against the numbers.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nncore.process import use_one_blas_thread  # noqa: E402

use_one_blas_thread()

from machine import blas_description, cpu_name  # noqa: E402

import nncore  # noqa: E402
from nncore.process import blas_threads_for  # noqa: E402

CASES = [([784, 100, 10], (1, 10, 100)), ([784, 300, 10], (1, 10, 32, 100)),
         ([784, 500, 10], (1, 10, 32, 100)), ([784, 1000, 10], (1, 10, 32, 100)),
         ([784, 30, 10], (10, 100))]
SPIN = "import time\nwhile True:\n    pass\n"


def seconds(data, sizes, m, threads):
    """Training seconds per 50,000 examples with ``threads`` BLAS threads."""
    net = nncore.Network(sizes, cost="cross-entropy", rng=1)
    sgd = nncore.SGD(net, data.train, learning_rate=0.5, epochs=1, batch_size=m, rng=1, threads=threads)
    report = [r for r in sgd.run() if type(r).__name__ == "EpochReport"][-1]
    return report.seconds * 50_000 / len(data.train)


def measure(data, sizes, m, repeats):
    """{threads: [seconds, ...]}, one and two threads alternating (starting with each in turn)."""
    times = {1: [], 2: []}
    for r in range(repeats):
        for threads in ((1, 2) if r % 2 == 0 else (2, 1)):
            times[threads].append(seconds(data, sizes, m, threads))
    return times


def cell(xs):
    return f"{statistics.median(xs):.3f} ({min(xs):.2f}–{max(xs):.2f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--train-size", type=int, default=10_000)
    args = ap.parse_args()
    data = nncore.load_dataset().to_floats().with_train_size(args.train_size)
    print(f"CPU: {cpu_name()}\n{blas_description()}")
    print(f"seconds per 50,000 examples (trained on {args.train_size:,}, cross-entropy), median (range) of "
          f"{args.repeats}\n")
    print("| network, mini-batch | rule | idle: 1 thread | idle: 2 threads | 2 vs 1 | contended: 1 thread "
          "| contended: 2 threads | 2 vs 1 |")
    print("|---|---|---|---|---|---|---|---|")
    for sizes, batches in CASES:
        for m in batches:
            idle = measure(data, sizes, m, args.repeats)
            spinner = subprocess.Popen([sys.executable, "-c", SPIN])
            try:
                time.sleep(0.5)
                busy = measure(data, sizes, m, args.repeats)
            finally:
                spinner.kill()
                spinner.wait()
            gain = [statistics.median(t[1]) / statistics.median(t[2]) for t in (idle, busy)]
            print(f"| {'-'.join(map(str, sizes))}, {m} | {blas_threads_for(sizes, m)} | {cell(idle[1])} | "
                  f"{cell(idle[2])} | {gain[0]:.2f}× | {cell(busy[1])} | {cell(busy[2])} | {gain[1]:.2f}× |",
                  flush=True)


if __name__ == "__main__":
    main()
