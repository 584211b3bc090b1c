"""Where a sweep's runs execute: a ``concurrent.futures.Executor`` and the channel its runs speak on.

:class:`LocalProcesses`, the default, is a ``ProcessPoolExecutor`` of ``jobs`` spawned worker processes,
each with one BLAS thread, in a process group of its own and ending when the sweep dies
(:func:`start_local_worker`); its runs speak through a multiprocessing Queue and are
stopped through a shared flag. :class:`nncore.cluster.DaskCluster` sends the runs to a Dask scheduler
instead. Both offer the sweep the same few methods:

- ``executor``: where :func:`nncore.sweep_worker.sweep_run` is submitted; ``channel``: its last argument.
- ``next_event(timeout)``: the next event of any run (a dict), or None after ``timeout`` seconds.
- ``request_stop(how)``: every run stops at its next report (``how``: SIGINT's or SIGTERM's number).
- ``lost(started)``: {run number: why} of the runs whose worker is gone, of ``started`` ({number: worker}).
- ``cancel_pending()``: runs not started never start; ``kill(started)``: end the runs that did not
  stop in time; ``close()``: release everything.
"""

import multiprocessing
import os
import queue
import signal
from concurrent.futures import ProcessPoolExecutor

INTERRUPT, TERMINATE = int(signal.SIGINT), int(signal.SIGTERM)   # how the sweep asks its runs to stop
_channel = None   # in a local worker process: its ProcessChannel (start_local_worker)


class ProcessChannel:
    """A local worker's channel: ``events`` (a multiprocessing Queue to the sweep), ``stop`` (a shared
    int: 0, or the signal the sweep got) and ``parent_gone`` (True once the sweep has died)."""

    def __init__(self, events, stop, parent_gone):
        self.events, self.stop, self.parent_gone = events, stop, parent_gone

    def put(self, event):
        self.events.put(event)

    def stop_requested(self, number):
        """0 to go on, else :data:`INTERRUPT` or :data:`TERMINATE` (also when the sweep has died)."""
        return self.stop.value or (TERMINATE if self.parent_gone() else 0)

    def worker(self):
        return os.getpid()


def start_local_worker(events, stop, parent):
    """The initializer of a local worker process (standard library only until then, so that NumPy loads
    after the one BLAS thread is asked for): its own process group (a Ctrl-C at the terminal
    reaches the sweep alone, which passes it on through ``stop``), one BLAS thread, the end of the
    process when the sweep (pid ``parent``) dies, and the process's channel."""
    from .process import PARENT_VARIABLE, end_with_parent, use_one_blas_thread

    global _channel
    use_one_blas_thread()   # before NumPy loads in this process (a spawned one)
    try:
        os.setpgrp()
    except (AttributeError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # no process groups: ignore the terminal's Ctrl-C
    gone = end_with_parent({PARENT_VARIABLE: str(parent)})
    if gone():                # the sweep died before it could be told to take this process with it
        os._exit(128 + TERMINATE)
    _channel = ProcessChannel(events, stop, gone)


def process_channel():
    """This worker process's channel."""
    return _channel


class LocalProcesses:
    """``jobs`` worker processes on this machine; a run per process at a time."""

    where = "local processes"

    def __init__(self, jobs):
        context = multiprocessing.get_context("spawn")   # a fresh interpreter: one BLAS thread from the start
        self._events, self._stop = context.Queue(), context.Value("i", 0)
        self.executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=start_local_worker,
                                            initargs=(self._events, self._stop, os.getpid()))
        self.channel = None   # each worker process has its own (start_local_worker)

    def next_event(self, timeout):
        try:
            return self._events.get(timeout=timeout)
        except queue.Empty:
            return None

    def request_stop(self, how):
        self._stop.value = int(how)

    def lost(self, started):
        """A local worker that dies breaks the pool, whose futures then say so: nothing to look for here."""
        return {}

    def cancel_pending(self):
        self.executor.shutdown(wait=False, cancel_futures=True)   # the running ones go on until they stop

    def kill(self, started):
        for pid in started.values():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def close(self):
        self.executor.shutdown(wait=True, cancel_futures=True)
        self._events.close()
        self._events.join_thread()
