"""Peak memory from outside: the command-line epoch, a sweep, the window ready to train, and the floor.

    uv run python benchmarks/memory.py [--before 32e77e6] [--repeats 1]

Each case runs as a process of its own, and its peak resident set (``ru_maxrss`` of ``wait4``: the
process and every child it waited for) is read by this process when it ends. The cases, each against
its goal (issue 24: half the memory):

- ``nncore train --sizes 784,30,10 --epochs 1``: the book's command-line epoch (goal ≤ 150 MB);
- ``nncore sweep`` of two runs on two jobs: its largest process, parent or run (goal: as the epoch);
- the window ready to train: the tree's own ``main()`` offscreen on a fresh profile, until MNIST has
  loaded and one second more; then the process ends at once (``os._exit``), so the figure is what the
  window took to get there, not its closing (goal ≤ 250 MB);
- a bare PySide6 window holding one pyqtgraph plot, shown the same way: the floor of the stack.

"before" is the code at ``--before`` (a temporary ``git worktree``, removed after), "after" the working
tree; both run on this checkout's interpreter and packages, with one BLAS thread and a temporary HOME
and XDG folders (the user's settings are never read). The command-line epoch's results (its ``--json``
record, timings left out, the fields both print) are compared between the two: they must be the same
to the bit. MB is 10⁶ bytes.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
BEFORE = "32e77e6"
MB = 1e6
SETTLE_MS = 1000   # the window is measured this long after MNIST has loaded
TRAIN = ["-m", "nncore", "train", "--sizes", "784,30,10", "--epochs", "1", "--json"]
SWEEP = ["-m", "nncore", "sweep", "--sizes", "784,30,10", "--eta", "1,3", "--epochs", "1", "--jobs", "2"]
EPOCH = "nncore train --sizes 784,30,10 --epochs 1"
# (label, goal in MB or None, the interpreter's arguments in a tree)
CASES = [
    (EPOCH, 150, lambda tree: TRAIN),
    ("nncore sweep, 2 runs on 2 jobs: largest process", 150, lambda tree: SWEEP),
    ("window ready to train (offscreen, MNIST loaded)", 250, lambda tree: [str(HERE), "--window", str(tree)]),
    ("bare PySide6 window + one pyqtgraph plot (floor)", None, lambda tree: [str(HERE), "--floor"]),
]


def peak(args, cwd, home):
    """(peak RSS in bytes, stdout) of ``python args`` run in ``cwd``; raises if it fails."""
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
               XDG_CACHE_HOME=f"{home}/cache", QT_QPA_PLATFORM="offscreen", OPENBLAS_NUM_THREADS="1")
    env.pop("BACKPROP_LAB_STARTUP_PROBE", None)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, *args], cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)   # the rusage of this child and its waited-for children
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} in {cwd} exited with {proc.returncode}:\n{err.read()[-1500:]}")
        return usage.ru_maxrss * 1024, out.read()


def epoch_record(stdout):
    """The command-line epoch's ``--json`` record without its timings."""
    record = json.loads(stdout.strip().splitlines()[-1])
    return {k: v for k, v in record.items() if k not in ("seconds", "eval_seconds")}


def measure(tree, repeats):
    """{label: median peak bytes} of every case in ``tree``, and the epoch's record."""
    results, record = {}, None
    with tempfile.TemporaryDirectory(prefix="memory-home-") as home:
        for label, _goal, args in CASES:
            peaks = []
            for _ in range(repeats):
                rss, stdout = peak(args(tree), tree, home)
                peaks.append(rss)
                if label == EPOCH:
                    record = epoch_record(stdout)
            results[label] = statistics.median(peaks)
    return results, record


def worktree(ref):
    """A temporary ``git worktree`` of ``ref`` (detached); the caller removes it."""
    folder = Path(tempfile.mkdtemp(prefix="memory-before-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(folder), ref], cwd=ROOT, check=True)
    return folder


def remove_worktree(folder):
    subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False)
    subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=False)
    folder.parent.rmdir()


def table(before, after, ref):
    """The Markdown table of the cases against their goals."""
    def cell(value, goal):
        mark = "" if goal is None else (" ✓" if value <= goal * MB else " ✗")
        return f"{value / MB:.0f} MB{mark}"

    lines = [f"| case | goal | before ({ref}) | after |", "|---|---|---|---|"]
    for label, goal, _ in CASES:
        lines.append(f"| {label} | {'–' if goal is None else f'≤ {goal} MB'} | {cell(before[label], goal)} | "
                     f"{cell(after[label], goal)} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default=BEFORE, help=f"the git ref measured as 'before' (default {BEFORE})")
    ap.add_argument("--repeats", type=int, default=1, help="runs of each case; the median is shown")
    args = ap.parse_args()
    folder = worktree(args.before)
    try:
        before, before_record = measure(folder, args.repeats)
    finally:
        remove_worktree(folder)
    after, after_record = measure(ROOT, args.repeats)
    print(table(before, after, args.before))
    shared = sorted(before_record.keys() & after_record.keys())   # an older ref may print fewer fields
    differ = [k for k in shared if before_record[k] != after_record[k]]
    same = f"DIFFERENT in {', '.join(differ)}" if differ else "the same to the bit"
    print(f"\nThe command-line epoch's results before and after: {same} "
          f"({', '.join(f'{k} {after_record[k]}' for k in shared)}).")
    print(f"MNIST's pixels as bytes: {70_000 * 784 / MB:.0f} MB; one BLAS thread; peak RSS from wait4, MB = 10^6 B.")


# ---- the window cases, run as this file's children ----------------------------------------------

def _settle_then_exit():
    """After SETTLE_MS, flush and end the process where it stands (its peak is what got it here)."""
    from PySide6.QtCore import QTimer

    QTimer.singleShot(SETTLE_MS, lambda: (sys.stdout.flush(), os._exit(0)))


def window(tree):
    """Run ``tree``'s own ``app.__main__.main()``; end once its window's dataset has loaded (+ SETTLE_MS).

    The same hook for every ref: ``MainWindow.show`` is wrapped to wait for ``loader.datasetChanged``
    (the start-up probe of older refs closes before MNIST loads).
    """
    sys.path.insert(0, str(tree))
    # NumPy loads here, after OPENBLAS_NUM_THREADS=1 (as main() would have set it)
    import app.window.main_window as main_window
    from app.__main__ import main

    show = main_window.MainWindow.show

    def show_then_wait(self):
        show(self)
        self.loader.datasetChanged.connect(lambda _data: _settle_then_exit())
        self.loader.failed.connect(lambda message: (print(message, file=sys.stderr), os._exit(1)))

    main_window.MainWindow.show = show_then_wait
    return main([])


def floor():
    """A bare PySide6 main window holding one pyqtgraph plot with one curve, shown offscreen."""
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv)
    win = QMainWindow()
    plot = pg.PlotWidget()
    plot.plot(np.arange(100.0), np.sin(np.arange(100.0) / 10))
    win.setCentralWidget(plot)
    win.show()
    _settle_then_exit()
    return app.exec()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--window"]:
        sys.exit(window(Path(sys.argv[2])))
    if sys.argv[1:2] == ["--floor"]:
        sys.exit(floor())
    main()
