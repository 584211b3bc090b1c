"""Is the window alive while it trains? Event-loop gaps, window vs headless time, pad latency, memory.

    uv run python benchmarks/gui_responsiveness.py            # offscreen
    DISPLAY=:99 uv run python benchmarks/gui_responsiveness.py --platform xcb   # a real X server

Prints one table: launch time, the longest event-loop gap and its 99th percentile during a
training run with the plots and the weights view on screen, the same run's time in the window and
headless, the pad's latency from a mouse move to the updated prediction (idle and while training),
and the process's peak memory.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEN_MS = 25
sys.path.insert(0, str(ROOT))


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--platform", default="offscreen")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=3, help="window and headless runs, alternated")
    args = ap.parse_args()
    os.environ["QT_QPA_PLATFORM"] = args.platform
    launch = launch_seconds(args.platform)

    from nncore.process import use_one_blas_thread

    use_one_blas_thread()   # as the app's main() does, before NumPy loads: measure what ships
    import tempfile

    import numpy as np
    from PySide6.QtCore import QElapsedTimer, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import nncore
    from app.__main__ import configure_process
    from app.training.training_config import TrainingConfig
    from app.window.app_settings import AppSettings
    from app.window.main_window import MainWindow

    configure_process()
    qt_app = QApplication(sys.argv)  # noqa: F841 (kept alive for the whole measurement)

    data = nncore.load_dataset().to_floats()
    cfg = TrainingConfig(hidden=(30,), learning_rate=3.0, epochs=args.epochs, batch_size=10)

    def headless_run():
        """The same run as the window's, headless, through the same nncore code path."""
        t = time.perf_counter()
        rng = np.random.default_rng(cfg.seed)
        net = nncore.Network(cfg.sizes, rng=rng)
        for _ in nncore.SGD(net, data.train, learning_rate=3.0, epochs=cfg.epochs, batch_size=10,
                            rng=rng, validation=data.validation, test=data.test).run():
            pass
        return time.perf_counter() - t

    w = MainWindow(AppSettings(Path(tempfile.mkdtemp()) / "s.ini"), dataset=data,
                   data_dir=tempfile.mkdtemp())
    w.resize(1500, 950)
    w.show()
    import gc

    gc.freeze()   # as app/__main__.py does after building the window
    w.panel.apply_config(cfg)
    pad = w.pad_panel.pad
    QTest.qWait(300)

    from PySide6.QtCore import QEventLoop

    side = min(pad.width(), pad.height())
    latencies, pending = {"idle": [], "training": []}, []
    phase = ["idle"]

    def on_predicted(_a):
        if pending:
            latencies[phase[0]].append(time.perf_counter() - pending.pop())

    w.pad_panel.predicted.connect(on_predicted)
    k = [0]

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
        pending[:] = [pen_start[0] + (k[0] - 1) * PEN_MS / 1000]
        QTest.mouseMove(pad, p)

    pen = QTimer()
    pen.setInterval(PEN_MS)       # a pen event every 25 ms, like a steady hand
    pen.setTimerType(Qt.PreciseTimer)   # due times stay on the 25 ms grid: no drift to count as latency
    pen.timeout.connect(pen_move)
    pen_start = [time.perf_counter() + PEN_MS / 1000]
    pen.start()
    loop = QEventLoop()
    QTimer.singleShot(3000, loop.quit)
    loop.exec()
    phase[0] = "training"
    gaps, clock = [], QElapsedTimer()
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    clock.start()
    last = [clock.nsecsElapsed()]

    def beat():
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    heartbeat.timeout.connect(beat)
    switcher = QTimer()
    switcher.setInterval(1000)   # the plots, the inspector holding an example at layer 1, the weights, in turn
    w.tabs.setCurrentWidget(w.inspector)
    w.inspector.source.setCurrentIndex(1)
    w.inspector.load_selected()
    while w.inspector.layer > 1:
        w.inspector.move_layer(-1)
    rooms = [w.training_tab, w.inspector, w.weights_tab]
    switcher.timeout.connect(lambda: w.tabs.setCurrentWidget(rooms[(rooms.index(w.tabs.currentWidget()) + 1)
                                                                     % len(rooms)]))
    w.tabs.setCurrentWidget(w.training_tab)
    times = []
    w.session.runStarted.connect(lambda i, setup: times.append(time.perf_counter()))
    w.session.runEnded.connect(lambda i, e: (times.append(time.perf_counter()), loop.quit()))
    pen.stop()
    window_times, headless_times = [], []
    for _ in range(args.repeats):  # watched, not drawn on: gaps, and the time in the window vs headless
        headless_times.append(headless_run())
        times.clear()
        last[0] = clock.nsecsElapsed()
        heartbeat.start()          # the event loop is measured only while the window trains
        switcher.start()
        w.training.train()
        loop.exec()
        heartbeat.stop()
        switcher.stop()
        window_times.append(times[1] - times[0])
    in_window, headless = statistics.median(window_times), statistics.median(headless_times)
    k[0], pen_start[0] = 0, time.perf_counter() + PEN_MS / 1000
    pen.start()
    w.training.train()            # run 2: drawing on the pad while it trains: pad latency
    loop.exec()
    pen.stop()
    idle_pad, busy_pad = latencies["idle"], latencies["training"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    w.close()
    lateness = [g - 5.0 for g in gaps]
    ms = lambda v: f"{1000 * v:.1f} ms"  # noqa: E731
    rows = [
        ("launch to a responsive window (median of 3)", f"{launch:.2f} s", "< 1.5 s"),
        ("event loop: longest gap while training", f"{max(gaps):.1f} ms", "< 50 ms"),
        ("event loop: 99th percentile gap", f"{percentile(gaps, 99):.1f} ms", "< 20 ms"),
        ("event loop: median lateness of a 5 ms timer", f"{statistics.median(lateness):.2f} ms", ""),
        (f"{cfg.epochs}-epoch run, {cfg.label()}: headless (median)", f"{headless:.2f} s", ""),
        ("the same run in the window (median)", f"{in_window:.2f} s",
         f"within 15% ({in_window / headless - 1:+.0%})"),
        ("pad latency, idle: median", ms(statistics.median(idle_pad)), "< 16 ms"),
        ("pad latency, idle: 95th percentile", ms(percentile(idle_pad, 95)), "< 33 ms"),
        ("pad latency while training: median",
         ms(statistics.median(busy_pad)) if busy_pad else "–", "< 16 ms"),
        ("pad latency while training: 95th percentile", ms(percentile(busy_pad, 95)) if busy_pad else "–",
         "< 33 ms"),
        ("peak memory of the process (training on full MNIST)", f"{peak:.0f} MB", "< 600 MB"),
    ]
    print(f"platform {args.platform}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    for name, value, target in rows:
        print(f"{name:<58}{value:>12}   {target}")


if __name__ == "__main__":
    main()
