"""An idiomatic PyTorch CPU loop with the same network, cost, init and SGD, only for comparison.

nn.Sequential of Linear and Sigmoid, N(0, 1) weights and biases, optim.SGD with step η, autograd for
the gradients; the cost is the quadratic ½‖y − aᴸ‖² or the cross-entropy (``BCEWithLogitsLoss`` on the
last layer's z, summed over the outputs), averaged over the mini-batch, as nncore's.

Two settings decide what a comparison means, so the benchmarks set them explicitly:
:func:`configure` fixes the number of intra-op threads, and whether subnormal floats are flushed
to zero. A saturated ``torch.sigmoid`` returns subnormals (below 1.2e-38) and every product that
touches them runs several times slower; a careful user flushes them (``set_flush_denormal(True)``).

Run as a program it trains like ``python -m nncore train`` and prints one line per epoch, so the two
can be timed from outside (see ``benchmarks/cli_epochs.py``).
"""

import argparse
import sys
import time

import torch
from torch import nn


def configure(threads=None, flush_denormal=True):
    """Set the intra-op thread count (None keeps PyTorch's default) and subnormal flushing.

    Returns a short description, e.g. '2 threads, subnormals flushed'.
    """
    if threads is not None:
        torch.set_num_threads(threads)
    flushed = torch.set_flush_denormal(flush_denormal) and flush_denormal
    return f"{torch.get_num_threads()} thread(s), subnormals {'flushed' if flushed else 'kept'}"


def build(sizes, seed, cost="quadratic"):
    """Linear + Sigmoid layers with N(0, 1) parameters; for cross-entropy the last Sigmoid is left to
    the loss (``BCEWithLogitsLoss``), which is how PyTorch users write it."""
    torch.manual_seed(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        linear = nn.Linear(n_in, n_out)
        with torch.no_grad():
            linear.weight.normal_()
            linear.bias.normal_()
        layers += [linear, nn.Sigmoid()]
    if cost == "cross-entropy":
        layers.pop()
    return nn.Sequential(*layers)


def loss_function(cost):
    """The mini-batch's mean cost as a function of (network output, one-hot targets)."""
    if cost == "cross-entropy":
        bce = nn.BCEWithLogitsLoss(reduction="sum")
        return lambda out, y: bce(out, y) / len(y)
    return lambda out, y: 0.5 * ((out - y) ** 2).sum(dim=1).mean()


def train_epoch(model, x, labels, batch_size, eta, cost="quadratic", optimizer=None):
    """One epoch over tensors ``x (n, 784)`` float32 and ``labels (n,)`` int64; returns the optimizer."""
    optimizer = optimizer or torch.optim.SGD(model.parameters(), lr=eta)
    loss_of = loss_function(cost)
    order = torch.randperm(len(x))
    for k in range(0, len(x), batch_size):
        idx = order[k:k + batch_size]
        xb, yb = x[idx], nn.functional.one_hot(labels[idx], 10).float()
        optimizer.zero_grad()
        loss = loss_of(model(xb), yb)
        loss.backward()
        optimizer.step()
    return optimizer


def evaluate(model, x, labels):
    """Accuracy (0–1) of ``model`` on ``x (n, 784)`` with ``labels (n,)``."""
    with torch.no_grad():
        out = model(x)
        return float((out.argmax(dim=1) == labels).float().mean())


def main(argv=None):
    """Train like ``nncore train`` (the bundled MNIST, read by nncore) and print one line per epoch."""
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import nncore

    ap = argparse.ArgumentParser(description="PyTorch's version of `nncore train`, for timing from outside")
    ap.add_argument("--sizes", default="784,30,10")
    ap.add_argument("--eta", type=float, default=3.0)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=10)
    ap.add_argument("--cost", default="quadratic", choices=["quadratic", "cross-entropy"])
    ap.add_argument("--threads", type=int, default=None, help="intra-op threads (default: PyTorch's)")
    ap.add_argument("--keep-subnormals", action="store_true", help="do not flush subnormals to zero")
    args = ap.parse_args(argv)
    print(configure(args.threads, not args.keep_subnormals), flush=True)
    data = nncore.load_dataset()
    tensors = [(torch.from_numpy(s.x), torch.from_numpy(s.labels.astype("int64")))
               for s in (data.train, data.validation, data.test)]
    model = build([int(s) for s in args.sizes.split(",")], 1, args.cost)
    optimizer = None
    for epoch in range(1, args.epochs + 1):
        t = time.perf_counter()
        optimizer = train_epoch(model, *tensors[0], args.batch_size, args.eta, args.cost, optimizer)
        validation, test = evaluate(model, *tensors[1]), evaluate(model, *tensors[2])
        print(f"epoch {epoch}  validation {100 * validation:.2f}%  test {100 * test:.2f}%  "
              f"{time.perf_counter() - t:.2f} s", flush=True)


if __name__ == "__main__":
    main()
