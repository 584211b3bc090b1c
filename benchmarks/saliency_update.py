"""How long the "What it looks at" overlay takes to follow a drawing, on the GUI thread.

    uv run python benchmarks/saliency_update.py [--repeats N]

For each network (784-100-10 freshly made, and the shipped default network), the pad's drawing grows
one stroke point at a time through the forty authored drawings of ``tests/digit_strokes.py``; after
each change the saliency panel recomputes dC/dx for the top guess (``nncore.input_gradient``), colours
it and repaints (``SaliencyPanel.show_example``, what the tab does as you draw). Prints the median,
90th percentile and maximum of those updates in milliseconds. The pad's budget is 16 ms.
"""

import argparse
import os
import pathlib
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from nncore.process import use_one_blas_thread  # noqa: E402

use_one_blas_thread()                  # as the app ships: one BLAS thread, asked before NumPy loads

import numpy as np  # noqa: E402
from digit_strokes import variants  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import nncore  # noqa: E402
from app.pixels.saliency_panel import SaliencyPanel  # noqa: E402
from nncore.data import resources_dir  # noqa: E402
from nncore.preprocess import to_mnist  # noqa: E402
from nncore.strokes import render  # noqa: E402


def growing_drawings(step=4):
    """Inputs (784,) of every authored drawing as it grows, ``step`` stroke points at a time."""
    out = []
    for _, _, strokes in variants():
        points = [(i, j) for i, stroke in enumerate(strokes) for j in range(1, len(stroke) + 1)]
        for i, j in points[::step]:
            partial = strokes[:i] + [strokes[i][:j]]
            x = to_mnist(render(partial))
            if x is not None:
                out.append(x)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    panel = SaliencyPanel()
    panel.resize(500, 600)
    panel.show()
    app.processEvents()
    inputs = growing_drawings()
    networks = {"784-100-10 (new)": nncore.Network([784, 100, 10], cost="cross-entropy", init="scaled", rng=1),
                "default network": nncore.load(resources_dir() / "default-network.npz")}
    print(f"{len(inputs)} drawing states × {args.repeats} repeats, one BLAS thread\n")
    print("| network | update: median ms | 90th pct | max | with the repaint: median ms | 90th pct | max |")
    print("|---|---|---|---|---|---|---|")
    for name, net in networks.items():
        update, total = [], []
        for _ in range(args.repeats):
            for x in inputs:
                start = time.perf_counter()
                panel.show_example(net, x)
                app.processEvents()           # the repaint the update asks for
                total.append(1000 * (time.perf_counter() - start))
                update.append(panel.last_update_ms)
        cells = [f"{f(np.array(t)):.2f}" for t in (update, total)
                 for f in (np.median, lambda a: np.percentile(a, 90), np.max)]
        print(f"| {name}: {net.describe()} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
