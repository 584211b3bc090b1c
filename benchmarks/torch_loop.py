"""An idiomatic PyTorch CPU loop with the same network, cost, init and SGD, only for comparison.

nn.Sequential of Linear and Sigmoid, the quadratic cost ½‖y − aᴸ‖² averaged over the mini-batch,
N(0, 1) weights and biases, optim.SGD with step η, autograd for the gradients.
"""

import torch
from torch import nn


def build(sizes, seed):
    torch.manual_seed(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        linear = nn.Linear(n_in, n_out)
        with torch.no_grad():
            linear.weight.normal_()
            linear.bias.normal_()
        layers += [linear, nn.Sigmoid()]
    return nn.Sequential(*layers)


def train_epoch(model, x, labels, batch_size, eta, optimizer=None):
    """One epoch over tensors ``x (n, 784)`` float32 and ``labels (n,)`` int64; returns the optimizer."""
    optimizer = optimizer or torch.optim.SGD(model.parameters(), lr=eta)
    order = torch.randperm(len(x))
    for k in range(0, len(x), batch_size):
        idx = order[k:k + batch_size]
        xb, yb = x[idx], nn.functional.one_hot(labels[idx], 10).float()
        optimizer.zero_grad()
        out = model(xb)
        loss = 0.5 * ((out - yb) ** 2).sum(dim=1).mean()
        loss.backward()
        optimizer.step()
    return optimizer


def evaluate(model, x, labels):
    with torch.no_grad():
        out = model(x)
        return float((out.argmax(dim=1) == labels).float().mean())
