"""How well networks read drawings made on a pad, beside their MNIST test accuracy.

    uv run python benchmarks/reading_drawings.py [NETWORK.npz ...]

With no files, the shipped default network. The drawings are the development forms and hands of
``tests/varied_strokes.py`` (25 forms × 12 hands) and the 40 drawings of ``tests/digit_strokes.py``,
painted with the pad's pen by ``nncore.strokes.render`` and prepared by ``nncore.preprocess.to_mnist``
exactly as the pad prepares them. Prints a Markdown table per network and the drawings it misreads.
"""

import argparse
import pathlib
import sys
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from nncore.process import use_one_blas_thread  # noqa: E402  (standard library only)

use_one_blas_thread()   # the BLAS setting the app and the CLI ship with: before NumPy loads

import numpy as np  # noqa: E402
from digit_strokes import variants  # noqa: E402
from varied_strokes import HANDS, prepared  # noqa: E402

import nncore  # noqa: E402
from nncore.data import load_dataset, resources_dir  # noqa: E402
from nncore.preprocess import to_mnist  # noqa: E402
from nncore.strokes import render  # noqa: E402


def all_drawings():
    """(x (n, 784), labels (n,), descriptions [(set, digit, form, hand)]): the varied drawings, then
    the 40 authored ones."""
    x, labels, about = prepared()
    authored = variants()
    x = np.concatenate([x, [to_mnist(render(strokes)) for _, _, strokes in authored]])
    labels = np.concatenate([labels, [d for d, _, _ in authored]])
    return x, labels, [("varied", *a) for a in about] + [("authored", d, "", name) for d, name, _ in authored]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("networks", nargs="*", default=[str(resources_dir() / "default-network.npz")])
    args = parser.parse_args(argv)
    x, labels, about = all_drawings()
    test = load_dataset().test
    varied = np.array([a[0] == "varied" for a in about])
    hands = list(HANDS)
    print("| network | MNIST test | varied drawings | authored 40 | " + " | ".join(hands) + " |")
    print("|---" * (4 + len(hands)) + "|")
    misread = {}
    for path in args.networks:
        net = nncore.load(path)
        read = net.predict(x)
        right = read == labels
        by_hand = defaultdict(list)
        for ok, a in zip(right, about):
            if a[0] == "varied":
                by_hand[a[3]].append(ok)
        mnist = net.accuracy(test.x, test.labels)
        cells = [f"{100 * np.mean(by_hand[h]):.0f}%" for h in hands]
        print(f"| {pathlib.Path(path).name} ({net.describe()}) | {100 * mnist:.2f}% | "
              f"{right[varied].sum()}/{varied.sum()} = {100 * right[varied].mean():.1f}% | "
              f"{right[~varied].sum()}/{(~varied).sum()} | " + " | ".join(cells) + " |")
        misread[path] = [(a, int(r)) for a, r, ok in zip(about, read, right) if not ok]
    for path, wrong in misread.items():
        print(f"\n{pathlib.Path(path).name} misreads {len(wrong)}:")
        for (kind, digit, form, hand), r in wrong:
            print(f"  {digit} {form or kind}, {hand}: read as {r}")


if __name__ == "__main__":
    main()
