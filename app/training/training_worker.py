"""The training worker: one QObject without a parent, living on its own QThread.

It runs nncore's SGD loop and turns its reports into signals. It never touches a widget; it is
stopped, paused and stepped through the run's :class:`nncore.TrainingControl` (a thread-safe event
checked between mini-batches), and it sends copies of the network, never the live one.
"""

import time
import traceback
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from nncore import SGD, BatchReport, EpochReport, Network, NNCoreError, RunEnd, Split, TrainingControl
from nncore.reports import EndReason

NETWORK_COPY_INTERVAL = 0.5   # seconds between copies of the network sent to the window


@dataclass(frozen=True)
class TrainingJob:
    """What one run needs: the network to train (owned by the worker from now on), data, settings.

    ``network`` None: the worker draws new weights from ``rng`` first (the config's sizes, cost and
    init, as the CLI does): 784-1000-10's 795,000 draws would stall the window for tens of milliseconds.
    """

    run_id: int
    network: object
    dataset: object
    config: object
    control: TrainingControl
    rng: object = None           # the numpy Generator for shuffling (None: seeded from the config)
    start_epoch: int = 1
    extra_train: object = None   # an optional Split appended to the training set (my handwriting)


class TrainingWorker(QObject):
    """Runs one :class:`TrainingJob` at a time on the thread it was moved to."""

    batchReported = Signal(int, object)    # run id, BatchReport
    epochReported = Signal(int, object)    # run id, EpochReport
    networkUpdated = Signal(int, object)   # run id, a copy of the network
    runEnded = Signal(int, object)         # run id, RunEnd

    @Slot(object)
    def train(self, job):
        """Train ``job.network`` (or new weights) and report; always ends with exactly one runEnded."""
        end = RunEnd(EndReason.STOPPED, job.start_epoch, 0, "stopped before it began")
        network, rng = job.network, job.rng
        try:
            if network is None:    # the CLI's sequence: the seed's generator draws the weights, then shuffles
                cfg = job.config
                rng = rng if rng is not None else np.random.default_rng(cfg.seed)
                network = Network(cfg.sizes, cost=cfg.cost, init=cfg.init, rng=rng)
                self.networkUpdated.emit(job.run_id, network.copy())    # the window reads with it at once
            end = self._run(job, network, rng)
        except NNCoreError as e:
            end = RunEnd(EndReason.FAILED, job.start_epoch, 0, str(e))
        except Exception as e:  # a bug: report it rather than killing the thread silently
            traceback.print_exc()
            end = RunEnd(EndReason.FAILED, job.start_epoch, 0, f"internal error: {type(e).__name__}: {e}")
        finally:
            if network is not None:
                self.networkUpdated.emit(job.run_id, network.copy())
            self.runEnded.emit(job.run_id, end)

    def _run(self, job, network, rng):
        """Run the job's SGD loop on ``network`` with the generator ``rng`` (None: one seeded from the
        config and the start epoch), emitting its reports; returns the RunEnd it yields last."""
        cfg, data = job.config, job.dataset.with_train_size(job.config.train_size)
        train = data.train if job.extra_train is None else _concat(data.train, job.extra_train)
        rng = rng if rng is not None else np.random.default_rng([cfg.seed, job.start_epoch])
        sgd = SGD(network, train, **cfg.sgd_options(), rng=rng, validation=data.validation, test=data.test,
                  control=job.control, report_interval=0.1, start_epoch=job.start_epoch, threads=1)
        last_copy, end = time.perf_counter(), None
        for report in sgd.run():
            if isinstance(report, BatchReport):
                self.batchReported.emit(job.run_id, report)
                now = time.perf_counter()
                if now - last_copy >= NETWORK_COPY_INTERVAL or job.control.paused:
                    self.networkUpdated.emit(job.run_id, network.copy())
                    last_copy = now
            elif isinstance(report, EpochReport):
                self.epochReported.emit(job.run_id, report)
                self.networkUpdated.emit(job.run_id, network.copy())   # as it is at the epoch's end
                last_copy = time.perf_counter()
            else:
                end = report
        return end


def _concat(split, extra):
    """A Split with ``extra``'s examples after ``split``'s."""
    return Split(np.concatenate([split.pixels, extra.pixels]),
                 np.concatenate([split.labels, extra.labels]))
