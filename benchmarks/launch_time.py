"""From the command to a visible window, on a real X server, measured from outside, against the floor.

    Xvfb :99 -screen 0 1366x768x24 & DISPLAY=:99 openbox &
    DISPLAY=:99 .venv/bin/python benchmarks/launch_time.py [--repeats 7]

Each launch starts a process and polls the X server (``xdotool search --onlyvisible``, every 5 ms)
until a window of that process is mapped and viewable: what a user sees, not what the process says.
The floor is the stack itself: a bare PySide6 window holding one pyqtgraph plot, started the same way
(``benchmarks/bare_window.py``). The app and the floor alternate, on fresh private profiles, so that a
busy moment of a shared machine falls on both; the table gives the medians and their ratio against the
goal (the window within 1.3 × the floor). ``uv run`` adds its own start to both: the venv's python is
called directly.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.3
POLL_S = 0.005


def visible_after(command, profile, timeout_s=60.0):
    """Seconds from starting ``command`` to one of its windows being viewable on ``$DISPLAY``; the
    process is then closed. ``profile``: a fresh folder for its XDG settings and data."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(profile / "config"), XDG_DATA_HOME=str(profile / "data"))
    env.pop("QT_QPA_PLATFORM", None)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while time.perf_counter() - start < timeout_s:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                                   capture_output=True, text=True)
            if found.stdout.strip():
                return time.perf_counter() - start
            if process.poll() is not None:
                raise RuntimeError(f"{command} ended without a window: {process.stderr.read()[-800:]}")
            time.sleep(POLL_S)
        raise RuntimeError(f"{command}: no visible window in {timeout_s:.0f} s")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    if not os.environ.get("DISPLAY") or shutil.which("xdotool") is None:
        sys.exit("launch_time: needs an X server in $DISPLAY (Xvfb and openbox will do) and xdotool")
    commands = {"app": [sys.executable, "-m", "app"],
                "floor": [sys.executable, str(ROOT / "benchmarks" / "bare_window.py")]}
    times = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="launch-") as tmp:
        for name, command in commands.items():       # once each first: the files in the page cache
            visible_after(command, Path(tmp) / f"warm-{name}")
        for i in range(args.repeats):
            for name, command in commands.items():
                times[name].append(visible_after(command, Path(tmp) / f"{name}-{i}"))
    app, floor = (statistics.median(times[n]) for n in ("app", "floor"))
    print(f"{'from the command to a visible window (median of ' + str(args.repeats) + ')':<62}{'seconds':>9}")
    print(f"{'  bare PySide6 window with one pyqtgraph plot (the floor)':<62}{floor:>9.2f}")
    print(f"{'  Backprop Lab, fresh profile':<62}{app:>9.2f}")
    print(f"{'ratio to the floor (goal ≤ ' + format(GOAL, 'g') + ')':<62}{app / floor:>9.2f}  "
          f"{'met' if app / floor <= GOAL else 'not met'}")
    print(f"  each: app {', '.join(f'{t:.2f}' for t in times['app'])}; floor "
          f"{', '.join(f'{t:.2f}' for t in times['floor'])}")


if __name__ == "__main__":
    main()
