"""Is the window alive while it works? Event-loop gaps per case, window vs headless time, pad latency.

    uv run python benchmarks/gui_responsiveness.py            # offscreen
    DISPLAY=:99 uv run python benchmarks/gui_responsiveness.py --platform xcb   # a real X server

A 5 ms heartbeat timer measures the event loop in each case: the longest gap between two beats and
the 99th percentile of the gaps (targets: no gap over 50 ms, 99th percentile under 16 ms). The cases:
the book's network training with the rooms shown in turn (the plots, the inspector holding a test
image at layer 1, the weights; one second each); a wide network (784-1000-10) training the same way,
with the Weights tab shown throughout, and with the inspector at layer 1 shown throughout; the pad
drawn on while the book's network trains; MNIST loading in the background. Besides: launch time, the
book's run in the window against the same run headless (alternated; target within 10%), the pad's
latency from the pen's move to the updated prediction, and the process's peak memory.
"""

import argparse
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEN_MS = 25
BEAT_MS = 5
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def launch_seconds(platform, repeats=3):
    """Median seconds from starting `python -m app` to the shown, responsive window."""
    env = dict(os.environ, BACKPROP_LAB_STARTUP_PROBE="1", QT_QPA_PLATFORM=platform)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "app"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=60)
        if "responsive" not in out.stdout:
            raise RuntimeError(out.stderr[-800:])
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def percentile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q / 100 * len(s)))]


class Heartbeat:
    """A 5 ms timer whose intervals, while it runs, are the event loop's gaps (in ms)."""

    def __init__(self):
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.gaps, self.clock, self.timer = [], QElapsedTimer(), QTimer()
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.clock.start()
        self._last = 0

    def start(self):
        self._last = self.clock.nsecsElapsed()
        self.timer.start()

    def stop(self):
        self.timer.stop()

    def _beat(self):
        now = self.clock.nsecsElapsed()
        self.gaps.append((now - self._last) / 1e6)
        self._last = now


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--platform", default="offscreen")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=3, help="window and headless runs, alternated")
    ap.add_argument("--wide-train-size", type=int, default=20_000,
                    help="training examples of each wide-network run (one epoch)")
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = args.platform
    launch = launch_seconds(args.platform)

    from nncore.process import use_one_blas_thread

    use_one_blas_thread()   # as the app's main() does, before NumPy loads: measure what ships
    import gc
    import tempfile

    import numpy as np
    from machine import blas_description, cpu_name
    from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import nncore
    from app.__main__ import configure_process
    from app.training.training_config import TrainingConfig
    from app.window.app_settings import AppSettings
    from app.window.main_window import MainWindow

    configure_process()
    qt_app = QApplication(sys.argv)  # noqa: F841 (kept alive for the whole measurement)

    data = nncore.load_dataset()
    book = TrainingConfig(hidden=(30,), learning_rate=3.0, epochs=args.epochs, batch_size=10)
    wide = TrainingConfig(hidden=(1000,), learning_rate=0.5, epochs=1, batch_size=10, cost="cross-entropy",
                          train_size=args.wide_train_size)

    def headless_run(cfg):
        """The same run as the window's, headless, through the same nncore code path and BLAS threads."""
        t = time.perf_counter()
        rng = np.random.default_rng(cfg.seed)
        net = nncore.Network(cfg.sizes, cost=cfg.cost, init=cfg.init, rng=rng)
        for _ in nncore.SGD(net, data.with_train_size(cfg.train_size).train, learning_rate=cfg.learning_rate,
                            epochs=cfg.epochs, batch_size=cfg.batch_size, rng=rng, validation=data.validation,
                            test=data.test, threads=1).run():
            pass
        return time.perf_counter() - t

    w = MainWindow(AppSettings(Path(tempfile.mkdtemp()) / "s.ini"), dataset=data,
                   data_dir=tempfile.mkdtemp())
    w.resize(1500, 950)
    w.show()
    gc.freeze()   # as app/__main__.py does after building the window
    pad = w.pad_panel.pad
    QTest.qWait(300)
    loop, beat = QEventLoop(), Heartbeat()
    times = []
    w.session.runStarted.connect(lambda i, setup: times.append(time.perf_counter()))
    w.session.runEnded.connect(lambda i, e: (times.append(time.perf_counter()), loop.quit()))

    def hold_example_at_layer_1():
        """The inspector holds test image 1 and shows layer 1's facts: it re-traces while shown."""
        w.tabs.setCurrentWidget(w.inspector)
        w.inspector.source.setCurrentIndex(1)
        w.inspector.index.setValue(1)
        w.inspector.load_selected()
        while w.inspector.layer > 1:
            w.inspector.move_layer(-1)

    rooms = [w.training_tab, w.inspector, w.weights_tab]
    switcher = QTimer()
    switcher.setInterval(1000)   # the plots, the inspector holding an example at layer 1, the weights, in turn
    switcher.timeout.connect(lambda: w.tabs.setCurrentWidget(rooms[(rooms.index(w.tabs.currentWidget()) + 1)
                                                                     % len(rooms)]))

    def window_run(cfg, room=None):
        """Train ``cfg`` in the window, the rooms in turn (or ``room`` throughout); (seconds, gaps)."""
        w.panel.apply_config(cfg)
        hold_example_at_layer_1()
        w.tabs.setCurrentWidget(room or w.training_tab)
        QTest.qWait(200)
        times.clear()
        beat.gaps = []
        beat.start()               # the event loop is measured only while the window trains
        if room is None:
            switcher.start()
        w.training.train()
        loop.exec()
        beat.stop()
        switcher.stop()
        return times[1] - times[0], beat.gaps

    gaps = {}
    window_times, headless_times, book_gaps = [], [], []
    for _ in range(args.repeats):   # watched, not drawn on: gaps, and the time in the window vs headless
        headless_times.append(headless_run(book))
        seconds, g = window_run(book)
        window_times.append(seconds)
        book_gaps += g
    gaps[f"{book.label()}, the rooms in turn"] = book_gaps
    in_window, headless = statistics.median(window_times), statistics.median(headless_times)
    peak_book = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wide_text = f"{wide.label()}, {wide.train_size:,} examples"
    gaps[f"{wide_text}, the rooms in turn"] = window_run(wide)[1]
    gaps[f"{wide_text}, the Weights tab shown"] = window_run(wide, w.weights_tab)[1]
    gaps[f"{wide_text}, the inspector at layer 1 shown"] = window_run(wide, w.inspector)[1]

    # The pad: a pen move every 25 ms, idle and while the book's network trains.
    side = min(pad.width(), pad.height())
    latencies, pending, phase, k, pen_start = {"idle": [], "training": []}, [], ["idle"], [0], [0.0]

    def on_predicted(_a):
        if pending:
            latencies[phase[0]].append(time.perf_counter() - pending.pop())

    w.pad_panel.predicted.connect(on_predicted)

    def pen_move():
        """One mouse move on the pad, as a person drawing circles; its latency is recorded."""
        if k[0] % 60 == 0:
            pad.clear()
            QTest.mousePress(pad, Qt.LeftButton, Qt.NoModifier, QPoint(side // 2, side // 6))
        angle = 2 * np.pi * k[0] / 30
        p = QPoint(int(side / 2 + side / 4 * np.cos(angle)), int(side / 2 + side / 3 * np.sin(angle)))
        k[0] += 1
        # The latency clock starts when the pen moved: the tick this event was due at, so a stalled
        # event loop (a late timer) counts against the pad, as a person's hand would feel it.
        pending[:] = [due[0]]
        QTest.mouseMove(pad, p)
        # The hand keeps to its 25 ms grid: the next move is due at the grid's next tick. After a
        # stall longer than a tick, the ticks it swallowed are this one move (as a pointer's queued
        # moves are), timed from the oldest of them. (A repeating QTimer restarts its grid late after
        # such a stall, and every later move of the run was then counted late by the stall again.)
        now = time.perf_counter()
        due[0] = pen_start[0] + PEN_MS / 1000 * (math.floor((now - pen_start[0]) * 1000 / PEN_MS) + 1)
        pen.start(max(0, math.ceil((due[0] - now) * 1000)))

    pen = QTimer()
    pen.setSingleShot(True)             # each move schedules the next on the grid (see pen_move)
    pen.setTimerType(Qt.PreciseTimer)
    pen.timeout.connect(pen_move)
    due = [0.0]                         # when the next pen move is due (time.perf_counter())
    w.panel.apply_config(book)
    w.tabs.setCurrentWidget(w.training_tab)
    QTest.qWait(200)

    def draw(phase_name, start_run):
        phase[0], k[0], pen_start[0] = phase_name, 0, time.perf_counter() + PEN_MS / 1000
        due[0] = pen_start[0]
        beat.gaps = []
        beat.start()
        pen.start(PEN_MS)
        if start_run:
            w.training.train()
            loop.exec()
        else:
            QTimer.singleShot(3000, loop.quit)
            loop.exec()
        pen.stop()
        beat.stop()
        return beat.gaps

    draw("idle", False)
    gaps[f"the pad drawn on while {book.label()} trains"] = draw("training", True)

    # MNIST loading in the background (the window's start without a dataset).
    beat.gaps = []
    w.loader.datasetChanged.connect(lambda _d: loop.quit())
    beat.start()
    w.loader.load(None)
    loop.exec()
    beat.stop()
    gaps["MNIST loading in the background"] = beat.gaps

    idle_pad, busy_pad = latencies["idle"], latencies["training"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    w.close()
    ms = lambda v: f"{1000 * v:.1f} ms"  # noqa: E731
    print(f"platform {args.platform}; {cpu_name()}; Python {sys.version.split()[0]}\n{blas_description()}\n")
    print(f"{'event loop while…':<78}{'longest gap':>12}{'99th pct':>10}   (targets < 50 ms, < 16 ms)")
    for case, g in gaps.items():
        print(f"{case:<78}{max(g):>9.1f} ms{percentile(g, 99):>7.1f} ms")
    rows = [
        ("launch to a responsive window (median of 3)", f"{launch:.2f} s", "< 1 s"),
        (f"{book.epochs}-epoch run, {book.label()}: headless (median of {args.repeats})", f"{headless:.2f} s",
         f"({min(headless_times):.2f}–{max(headless_times):.2f})"),
        ("the same run in the window (median)", f"{in_window:.2f} s",
         f"({min(window_times):.2f}–{max(window_times):.2f}) within 10%: {in_window / headless - 1:+.1%}"),
        ("pad latency, idle: median", ms(statistics.median(idle_pad)), "< 16 ms"),
        ("pad latency, idle: 95th percentile", ms(percentile(idle_pad, 95)), "< 33 ms"),
        ("pad latency while training: median",
         ms(statistics.median(busy_pad)) if busy_pad else "–", "< 16 ms"),
        ("pad latency while training: 95th percentile", ms(percentile(busy_pad, 95)) if busy_pad else "–",
         "< 33 ms"),
        ("peak memory after the book network's runs on full MNIST", f"{peak_book:.0f} MB", "< 600 MB"),
        ("peak memory at the end (wide runs, MNIST loaded a second time)", f"{peak:.0f} MB", ""),
    ]
    print()
    for name, value, target in rows:
        print(f"{name:<78}{value:>12}   {target}")


if __name__ == "__main__":
    main()
