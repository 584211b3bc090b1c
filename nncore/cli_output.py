"""What ``nncore train`` prints: a line per epoch (or :meth:`EpochReport.to_json`'s line with ``--json``),
an in-place progress bar inside the epoch when stdout is a terminal, and a summary."""

import sys
import time

from .reports import BatchReport, EpochReport, json_line


class Printer:
    """Turns reports into lines (or JSON lines) and an in-place progress bar on terminals."""

    def __init__(self, as_json, progress):
        self.as_json, self.progress = as_json, progress
        self.epochs, self.t0 = [], time.perf_counter()

    def report(self, r):
        if isinstance(r, BatchReport) and self.progress:
            done = int(30 * r.examples / r.epoch_size)
            rate = r.examples / max(r.seconds, 1e-9)
            sys.stdout.write(f"\repoch {r.epoch:>3} [{'#' * done}{'.' * (30 - done)}] "
                             f"{r.examples:>6,}/{r.epoch_size:,}  {rate:,.0f} ex/s  cost {r.cost:.4f}")
            sys.stdout.flush()
        elif isinstance(r, EpochReport):
            self.clear()
            self.epochs.append(r)
            if self.as_json:
                print(json_line(r.to_json()), flush=True)
            else:
                changed = len(self.epochs) > 1 and r.learning_rate != self.epochs[-2].learning_rate
                print(f"epoch {r.epoch:>3}/{r.epochs}  cost {r.train_cost:.4f}  "
                      f"validation {100 * r.validation_accuracy:6.2f}%  "
                      f"test {100 * r.test_accuracy:6.2f}%  {r.seconds:.2f} s"
                      + (f"  (η now {r.learning_rate:g})" if changed else ""), flush=True)

    def clear(self):
        if self.progress:
            sys.stdout.write("\r" + " " * 79 + "\r")

    def summary(self, kept_epoch=None):
        """The last line; ``kept_epoch``: the epoch whose network early stopping put back, if any."""
        if self.as_json or not self.epochs:
            return
        best = max(self.epochs, key=lambda r: r.validation_accuracy)
        last = self.epochs[-1]
        kept = next((r for r in self.epochs if r.epoch == kept_epoch), last)
        print(f"done: test accuracy {100 * kept.test_accuracy:.2f}% after {last.epoch} epochs "
              + (f"(the network of epoch {kept.epoch}) " if kept is not last else "") +
              f"(best validation {100 * best.validation_accuracy:.2f}% at epoch {best.epoch}); "
              f"{sum(r.seconds for r in self.epochs):.1f} s training, "
              f"{time.perf_counter() - self.t0:.1f} s in all")
