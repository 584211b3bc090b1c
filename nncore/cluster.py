"""Sweeps on a Dask distributed cluster: ``nncore sweep ... --scheduler tcp://HOST:PORT``.

Needs the optional extra ``backprop-lab[cluster]`` (the ``distributed`` package) here and on every
worker, which must also have backprop-lab installed (the runs are :func:`nncore.sweep_worker.sweep_run`,
and each worker loads the bundled MNIST, or the ``--data`` folder at the same path, itself). Nothing
here is imported unless a scheduler is named, so ``nncore`` itself still needs only NumPy.

The runs go to the scheduler through ``Client.get_executor()`` (a ``concurrent.futures.Executor``).
Their events come back on a Dask ``Queue`` named for the sweep, as they happen; the sweep asks them to
stop through a Dask ``Variable`` ({"all": signal or 0, "runs": [numbers stopped one by one]}), which
each run reads between reports. A run whose worker leaves the cluster is reported lost and stopped
should the scheduler start it again elsewhere: the sweep never waits for it.
"""

import socket
import time
import uuid

from .errors import NNCoreError
from .executors import TERMINATE

CONNECT_SECONDS = 10
WORKERS_POLL_SECONDS = 2.0   # how often the sweep asks the scheduler which workers are still there


def _distributed():
    try:
        import distributed
    except ImportError:
        raise NNCoreError("--scheduler needs the optional package 'distributed': install "
                          "backprop-lab[cluster] (pip install 'backprop-lab[cluster]')") from None
    return distributed


def _check_reachable(address):
    """Refuse, in one line, a tcp:// scheduler address where nothing answers (before a Client, which would
    leave a thread behind); other protocols (tls://, inproc://) are left to the Client."""
    if not address.startswith("tcp://"):
        return
    host, _, port = address.removeprefix("tcp://").rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS):
            pass
    except (OSError, ValueError) as e:
        raise NNCoreError(f"--scheduler {address}: no Dask scheduler answered ({e}); give it as "
                          "tcp://HOST:PORT, the address `dask scheduler` prints") from None


class DaskChannel:
    """A run's channel on a Dask worker: the sweep's Queue and Variable, found by ``name`` (it travels
    with the call, so only the name is pickled)."""

    def __init__(self, name):
        self.name, self._queue, self._stop = name, None, None

    def __getstate__(self):
        return {"name": self.name}

    def __setstate__(self, state):
        self.__init__(state["name"])

    def _objects(self):
        if self._queue is None:
            distributed = _distributed()
            self._queue = distributed.Queue(f"{self.name}-events")
            self._stop = distributed.Variable(f"{self.name}-stop")
        return self._queue, self._stop

    def put(self, event):
        self._objects()[0].put(event)

    def stop_requested(self, number):
        wanted = self._objects()[1].get(timeout=CONNECT_SECONDS)
        return wanted["all"] or (TERMINATE if number in wanted["runs"] else 0)

    def worker(self):
        return _distributed().get_worker().address


class DaskCluster:
    """The runs on the cluster whose scheduler is at ``address`` (or through an existing ``client``)."""

    def __init__(self, address, client=None):
        distributed = _distributed()
        self.where = f"the Dask cluster at {address}"
        if client is None:
            _check_reachable(address)
        try:
            self.client = client or distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise NNCoreError(f"--scheduler {address}: no Dask scheduler answered ({e})") from None
        self._own_client = client is None
        name = f"nncore-sweep-{uuid.uuid4().hex}"
        self._events = distributed.Queue(f"{name}-events", client=self.client)
        self._stop = distributed.Variable(f"{name}-stop", client=self.client)
        self._wanted = {"all": 0, "runs": []}
        self._stop.set(self._wanted)
        self.channel = DaskChannel(name)
        self.executor = self.client.get_executor(pure=False)
        self._workers_seen = 0.0

    def next_event(self, timeout):
        try:
            return self._events.get(timeout=timeout)
        except TimeoutError:
            return None

    def request_stop(self, how):
        self._wanted = {**self._wanted, "all": int(how)}
        self._stop.set(self._wanted)

    def lost(self, started):
        """The started runs whose worker is no longer in the cluster (asked at most every few seconds)."""
        if not started or time.monotonic() - self._workers_seen < WORKERS_POLL_SECONDS:
            return {}
        self._workers_seen = time.monotonic()
        workers = self.client.scheduler_info().get("workers", {})
        gone = {n: f"its worker {w} left the cluster mid-run" for n, w in started.items() if w not in workers}
        if gone:   # should the scheduler start one again elsewhere, it stops at once
            self._wanted = {**self._wanted, "runs": sorted({*self._wanted["runs"], *gone})}
            self._stop.set(self._wanted)
        return gone

    def cancel_pending(self):
        self.executor.shutdown(wait=False)   # cancels every run on the cluster; a running one stops itself

    def kill(self, started):
        self.cancel_pending()

    def close(self):
        self.executor.shutdown(wait=False)
        if self._own_client:
            self.client.close()
