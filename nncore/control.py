"""A thread-safe handle on a running training loop: stop, pause, step, and change η.

The loop checks it between mini-batches, so every request takes effect at the next one. Any
thread may call the request methods (stop, pause, resume, step, and setting ``learning_rate``); the
training thread reads the requests and, through :meth:`TrainingControl.wait_turn` while paused,
consumes the granted steps.
"""

import threading


class TrainingControl:
    """Requests for a training loop running on another thread (or the same one)."""

    def __init__(self, learning_rate=None):
        self._stop = threading.Event()
        self._running = threading.Event()   # set = not paused; checked once per mini-batch
        self._running.set()
        self._changed = threading.Condition()
        self._steps = 0
        self.learning_rate = learning_rate  # a float assignment is atomic; None = keep the run's

    def stop(self):
        """Stop before the next mini-batch (also wakes a paused loop)."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()

    @property
    def stop_requested(self):
        """True once :meth:`stop` was called."""
        return self._stop.is_set()

    def pause(self):
        """Hold the loop before its next mini-batch until resume(), step() or stop()."""
        with self._changed:
            self._running.clear()

    def resume(self):
        """Let a paused loop run on."""
        with self._changed:
            self._steps = 0
            self._running.set()
            self._changed.notify_all()

    @property
    def paused(self):
        """True while paused."""
        return not self._running.is_set()

    def step(self, n=1):
        """While paused, let exactly ``n`` more mini-batches run; the loop stays paused after them."""
        with self._changed:
            self._steps += n
            self._changed.notify_all()

    def wait_turn(self):
        """Called by a paused loop before a mini-batch: block until it may go on.

        Returns True when one step was granted (the loop reports right after that mini-batch),
        False when resumed or stopped.
        """
        with self._changed:
            while True:
                if self._stop.is_set() or self._running.is_set():
                    return False
                if self._steps > 0:
                    self._steps -= 1
                    return True
                self._changed.wait()
