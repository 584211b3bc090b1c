"""A per-example reference loop written like the book's network.py, only for comparison.

Column vectors, one backprop per example, gradients summed over the mini-batch with Python lists,
float64, exactly as the book's chapter-1 program does it. Not used by the app.

A module, not a script: ``epoch_speed.py`` imports it after setting the BLAS threads the way the app
ships (one, before NumPy loads), so it is measured under the same setting as nncore.
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


class BookNetwork:
    """Nielsen's network.py, with an explicit Generator instead of the global random state."""

    def __init__(self, sizes, rng):
        self.num_layers = len(sizes)
        self.biases = [rng.standard_normal((y, 1)) for y in sizes[1:]]
        self.weights = [rng.standard_normal((y, x)) for x, y in zip(sizes[:-1], sizes[1:])]

    def feedforward(self, a):
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(np.dot(w, a) + b)
        return a

    def update_mini_batch(self, xs, ys, eta):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in zip(xs, ys):
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [w - (eta / len(xs)) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / len(xs)) * nb for b, nb in zip(self.biases, nabla_b)]

    def backprop(self, x, y):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation, activations, zs = x, [x], []
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for l in range(2, self.num_layers):
            delta = np.dot(self.weights[-l + 1].transpose(), delta) * sigmoid_prime(zs[-l])
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return nabla_b, nabla_w

    def accuracy(self, x, labels):
        return float(np.mean([np.argmax(self.feedforward(xi.reshape(-1, 1))) == t
                              for xi, t in zip(x, labels)]))


def train_epoch(net, x, labels, batch_size, eta, rng):
    """One epoch: shuffle, then update per mini-batch of column vectors."""
    order = rng.permutation(len(x))
    eye = np.eye(10)
    for k in range(0, len(x), batch_size):
        idx = order[k:k + batch_size]
        xs = [x[i].reshape(-1, 1).astype(np.float64) for i in idx]
        ys = [eye[labels[i]].reshape(-1, 1) for i in idx]
        net.update_mini_batch(xs, ys, eta)
