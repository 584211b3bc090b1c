"""Do runs slow down or memory grow over a long session? Fifty short runs in one window.

    uv run python benchmarks/long_session.py [--runs 50]

Prints one table: the median duration of runs 6–15 and of the last ten, their ratio (target: below
1.5), the number of runs the history keeps, and the process's peak memory after run 20 and at the end.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_mb():
    """The process's peak resident memory so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from nncore.process import use_one_blas_thread

    use_one_blas_thread()   # as the app's main() does, before NumPy loads
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    import nncore
    from app.__main__ import configure_process
    from app.training.training_config import TrainingConfig
    from app.window.app_settings import AppSettings
    from app.window.main_window import MainWindow

    configure_process()
    qt_app = QApplication(sys.argv)  # noqa: F841 (kept alive for the whole measurement)
    data = nncore.load_dataset()
    w = MainWindow(AppSettings(Path(tempfile.mkdtemp()) / "s.ini"), dataset=data,
                   data_dir=tempfile.mkdtemp())
    w.show()
    quick = TrainingConfig(epochs=1, train_size=1_000, batch_size=10)
    loop = QEventLoop()
    w.session.runEnded.connect(lambda *_: loop.quit())
    durations, peaks = [], []
    for k in range(args.runs):
        w.panel.apply_config(replace(quick, learning_rate=0.5 + k / 10))
        t = time.perf_counter()
        QTimer.singleShot(0, w.training.train)
        loop.exec()
        durations.append(time.perf_counter() - t)
        peaks.append(peak_mb())
    early, late = statistics.median(durations[5:15]), statistics.median(durations[-10:])
    kept = len(w.training_tab.history)
    w.close()
    rows = [
        (f"{args.runs} runs of {quick.label()}, 1,000 examples", "", ""),
        ("median run, runs 6–15", f"{early:.3f} s", ""),
        ("median run, the last ten", f"{late:.3f} s", ""),
        ("last ten / runs 6–15", f"{late / early:.2f}×", "< 1.5×"),
        ("runs kept in the history", f"{kept}", "12"),
        ("peak memory after run 20", f"{peaks[min(19, len(peaks) - 1)]:.0f} MB", ""),
        ("peak memory at the end", f"{peaks[-1]:.0f} MB", "+ < 30 MB after run 20"),
    ]
    for name, value, target in rows:
        print(f"{name:<52}{value:>12}   {target}")


if __name__ == "__main__":
    main()
