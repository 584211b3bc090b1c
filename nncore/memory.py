"""Memory: what a training run will take, estimated before its arrays are allocated, and what the machine has.

The one home of the estimate (:func:`estimate`): a run above :data:`nncore.limits.MEMORY_BUDGET` by
it is refused by :meth:`nncore.run_spec.RunSpec.problems`, so by ``nncore train`` and the window's
settings alike (on the bundled MNIST: :func:`estimate_mnist`), and ``nncore sweep`` and the window's
Sweeps dialog bound how many runs go at once by it against the memory the machine has free
(:func:`available_memory`) and the cores this process may use (:func:`usable_cores`): :func:`job_limit`,
:func:`bounded_jobs`.
"""

import os
from dataclasses import dataclass

import numpy as np

from .evaluation import CHUNK
from .limits import MEMORY_BUDGET

RUNTIME_BYTES = 30_000_000   # the interpreter and NumPy, before any array
MNIST_ROWS = 70_000          # the bundled MNIST: 60,000 training images (50,000 train, 10,000 validate) ...
MNIST_TRAIN = 50_000
MNIST_HELD_OUT = 10_000      # ... and 10,000 test images; the larger held-out split has 10,000
_MEMINFO = "/proc/meminfo"
_CGROUP = "/sys/fs/cgroup"   # cgroup v2: a container's own limit, which /proc/meminfo does not show


@dataclass(frozen=True)
class RunMemory:
    """The bytes a run will take: ``total``, of which each example of a mini-batch adds ``per_example``.

    ``batch_size``, ``neurons`` (those past the input) and ``dtype`` are the run's, for the message.
    """

    total: int
    per_example: int
    batch_size: int
    neurons: int
    dtype: np.dtype

    def fits(self, budget=MEMORY_BUDGET):
        """True when the run takes at most ``budget`` bytes."""
        return self.total <= budget

    def largest_batch(self, budget=MEMORY_BUDGET):
        """The largest mini-batch with which the run fits ``budget`` (0 when none does)."""
        rest = self.total - self.batch_size * self.per_example
        return max(0, (budget - rest) // self.per_example)

    def refusal(self, smaller_batch, otherwise, budget=MEMORY_BUDGET):
        """One line: what the run would need, what is accepted, and what to change.

        ``smaller_batch`` words the advice when a smaller mini-batch fits, with ``{}`` for its largest
        size ('use --batch-size {} or less'); ``otherwise`` is the advice when none does.
        """
        fits = self.largest_batch(budget)
        advice = smaller_batch.format(f"{fits:,}") if fits >= 1 else otherwise
        return (f"this run would need about {self.total / 1e9:.2f} GB of memory (mini-batches of "
                f"{self.batch_size:,} through {self.neurons:,} neurons, and the data, in {self.dtype}); "
                f"at most {budget / 1e9:g} GB is accepted: {advice}")


def estimate(sizes, batch_size, dtype, n_rows, n_train, n_held_out):
    """The :class:`RunMemory` of training layer ``sizes`` in mini-batches of ``batch_size``.

    ``n_rows`` are the examples of the whole dataset (kept once, as bytes; mini-batches and evaluation
    pieces are converted as they are read), ``n_train`` those trained on, ``n_held_out`` the larger
    held-out split. Counts the interpreter and NumPy, the data, the network (drawn in
    float64), its last finite copy and its gradients, :class:`~nncore.fast.StepBuffers` (the
    gathered mini-batch, and z, a, δ and σ′ of every layer for each of its examples) and one
    evaluation chunk's forward pass with its temporaries.
    """
    dtype = np.dtype(dtype)
    s = dtype.itemsize
    params = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    neurons = sum(sizes[1:])
    per_example = (sizes[0] + sizes[-1] + 4 * neurons) * s
    data = n_rows * sizes[0] + min(CHUNK, n_held_out) * sizes[0] * s    # the bytes, one piece as floats
    network = params * (8 + 3 * s)
    evaluation = 6 * min(CHUNK, n_held_out) * neurons * s
    total = RUNTIME_BYTES + data + network + evaluation + batch_size * per_example
    return RunMemory(total, per_example, batch_size, neurons, dtype)


def estimate_mnist(sizes, batch_size, train_size, dtype=np.float32):
    """:func:`estimate` for a run on the bundled MNIST trained on its first ``train_size`` examples
    (the window's data, and ``nncore train``'s by default)."""
    return estimate(sizes, batch_size, dtype, MNIST_ROWS, train_size, MNIST_HELD_OUT)


@dataclass(frozen=True)
class JobLimit:
    """The most runs a sweep may train at once (``most``), and ``why`` in words ('there are 2 cores to run on')."""

    most: int
    why: str


def job_limit(per_run, cores=None, available=None):
    """The :class:`JobLimit` of runs of ``per_run`` bytes each (:func:`nncore.memory.estimate`).

    One run per core this process may use (``cores``, by default :func:`usable_cores`), and no more runs
    than fit in the memory ``available`` (bytes; by default :func:`available_memory`; where the system
    does not say, the cores alone bound it).
    At least one run, even when it alone does not fit (``train`` checks a run against its own budget).
    """
    cores = usable_cores() if cores is None else cores
    available = available_memory() if available is None else available
    by_cores = JobLimit(cores, f"there {'are' if cores != 1 else 'is'} {cores} core{'s' * (cores != 1)} to run on")
    if available is None or available // max(per_run, 1) >= cores:
        return by_cores
    return JobLimit(max(1, available // max(per_run, 1)),
                    f"each run needs about {per_run / 1e9:.2f} GB of memory and {available / 1e9:.2f} GB "
                    "is available")


def bounded_jobs(asked, per_run, n_runs, limit=None):
    """``(jobs, notice)``: the runs to train at once when ``asked`` were asked (None: one per core), and
    a one-line notice saying what was asked, what is used and why ('' when the bound changes nothing
    for these ``n_runs`` runs).

    ``per_run`` is the memory of the largest run in bytes; ``limit`` a :class:`JobLimit` (by default
    :func:`job_limit`'s).
    """
    limit = job_limit(per_run) if limit is None else limit
    wanted = usable_cores() if asked is None else asked
    if min(wanted, n_runs) <= limit.most:
        return min(wanted, limit.most), ""
    what = f"--jobs {asked}" if asked is not None else f"the default (one run per core, {wanted})"
    return limit.most, (f"nncore: sweep: {what} asks for more runs at once than fit; using {limit.most}, as "
                        f"{limit.why}")


def usable_cores():
    """The cores this process may run on: its CPU affinity where the system has one, else
    ``os.cpu_count()``; at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def available_memory(meminfo=_MEMINFO, cgroup=_CGROUP):
    """Bytes that new processes can take without swapping, or None when the system does not say.

    Linux's ``MemAvailable`` (from ``meminfo``), lowered to what a cgroup v2 memory limit (``cgroup``'s
    ``memory.max`` minus ``memory.current``) leaves; elsewhere the free physical pages.
    """
    found = _meminfo_available(meminfo)
    if found is None:
        try:
            found = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, ValueError, OSError):
            found = None
    left = _cgroup_left(cgroup)
    if left is not None:
        found = left if found is None else min(found, left)
    return found


def _meminfo_available(path):
    """MemAvailable of a /proc/meminfo file, in bytes, or None."""
    try:
        with open(path, encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError, UnicodeDecodeError):
        return None
    return None


def _cgroup_left(folder):
    """Bytes a cgroup v2 memory limit still leaves (memory.max − memory.current), or None (no limit)."""
    try:
        with open(os.path.join(folder, "memory.max"), encoding="ascii") as f:
            limit = f.read().strip()
        with open(os.path.join(folder, "memory.current"), encoding="ascii") as f:
            current = int(f.read().strip())
        return None if limit == "max" else max(0, int(limit) - current)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
