"""Seconds per epoch from outside: wall-time differences of N-epoch and 1-epoch command-line runs.

    uv run python benchmarks/cli_epochs.py [--repeats 3] [--baseline <git ref>] [--only 784,1000,10]

Runs ``python -m nncore train`` and ``benchmarks/torch_loop.py`` (PyTorch, subnormals flushed) as
separate processes, each with N epochs and with 1, and takes (t_N − t_1) / (N − 1): one epoch with
its evaluation, without start-up and data loading. The runs alternate (nncore N, PyTorch N, nncore
1, PyTorch 1, in a rotating order); each cell is the median (range) over the repeats. PyTorch runs on
one thread where nncore does (784-30-10) and on its default threads for 784-1000-10, where nncore
chooses two BLAS threads. ``--baseline`` adds nncore as it was at a git ref (extracted with
``git archive``, the working tree untouched) as a third contender, interleaved with the others.

N is 10 for 784-30-10 at m = 10: a process's start-up varies by ±0.2 s on a shared machine, which
would swamp the three 0.2 s epochs of a 4-epoch run (it read 0.11–0.33 s an epoch that way).
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import ROOT, cpu_name

# (sizes, mini-batch, cost, η, PyTorch threads (None: its default), N epochs)
CASES = [("784,30,10", 10, "quadratic", 3.0, 1, 10), ("784,30,10", 1, "quadratic", 3.0, 1, 2),
         ("784,1000,10", 100, "cross-entropy", 0.5, None, 6)]


def command(tool, sizes, m, cost, eta, threads, epochs):
    common = ["--sizes", sizes, "--batch-size", str(m), "--cost", cost, "--eta", str(eta), "--epochs", str(epochs)]
    if tool in ("nncore", "before"):
        return [sys.executable, "-m", "nncore", "train", *common, "--json"]
    return [sys.executable, str(ROOT / "benchmarks" / "torch_loop.py"), *common] + (
        ["--threads", str(threads)] if threads else [])


def checkout(ref):
    """A folder holding nncore and its resources as they were at git ``ref``."""
    folder = Path(tempfile.mkdtemp(prefix="nncore-before-"))
    archive = subprocess.run(["git", "archive", ref, "nncore", "resources"], cwd=ROOT, check=True,
                             capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def wall(cmd, cwd=ROOT):
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--baseline", help="also time nncore as it was at this git ref")
    ap.add_argument("--only", help="only the cases of these layer sizes, e.g. 784,1000,10")
    args = ap.parse_args()
    tools = ("nncore", "torch") + (("before",) if args.baseline else ())
    folders = {"nncore": ROOT, "torch": ROOT, "before": checkout(args.baseline) if args.baseline else None}
    print(f"CPU: {cpu_name()}; {args.repeats} repeats; seconds per epoch, median (range)\n")
    before = f" nncore at {args.baseline} |" if args.baseline else ""
    print(f"| network, mini-batch, cost | PyTorch threads | nncore | PyTorch (subnormals flushed) | PyTorch / nncore |"
          f"{before}")
    print("|---|---|---|---|---|" + ("---|" if args.baseline else ""))
    for sizes, m, cost, eta, threads, n in CASES:
        if args.only and sizes != args.only:
            continue
        runs = [(tool, epochs) for tool in tools for epochs in (n, 1)]
        times = {run: [] for run in runs}
        for r in range(args.repeats):
            k = r % len(runs)
            for run in runs[k:] + runs[:k]:
                times[run].append(wall(command(run[0], sizes, m, cost, eta, threads, run[1]), folders[run[0]]))
        per_epoch = {tool: [(a - b) / (n - 1) for a, b in zip(times[(tool, n)], times[(tool, 1)])]
                     for tool in tools}
        cells = [f"{statistics.median(v):.3f} ({min(v):.2f}–{max(v):.2f})" for v in per_epoch.values()]
        ratio = statistics.median(per_epoch["torch"]) / statistics.median(per_epoch["nncore"])
        print(f"| {sizes.replace(',', '-')}, {m}, {cost} | {threads or 'default'} | {cells[0]} | {cells[1]} | "
              f"{ratio:.2f}× |" + (f" {cells[2]} |" if args.baseline else ""), flush=True)


if __name__ == "__main__":
    main()
