"""nncore sweep on a Dask cluster (distributed.LocalCluster): each run's numbers are train_run's, Stop
cancels the runs not started and stops the running ones, and a run whose worker is lost is reported."""

import json
import time

import pytest
from in_process_cli import cli

from nncore import sweep
from nncore.cli_options import PlannedRun
from nncore.reports import EpochReport
from nncore.run_spec import RunSpec
from nncore.runs import train_run

distributed = pytest.importorskip("distributed")

TIMINGS = {"seconds", "eval_seconds"}
TINY = ["--sizes", "784,8,10", "--train-size", "1000", "--epochs", "1"]


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded workers in this process for the module's tests. distributed keeps threads of
    its own (an IO loop, a worker's thread pool) for the life of the process: they are all started here,
    by a first task on each worker and a first Queue, so that no test is blamed for them."""
    with distributed.LocalCluster(processes=False, n_workers=2, threads_per_worker=1,
                                  dashboard_address=None, worker_dashboard_address=None) as c, \
            distributed.Client(c, set_as_default=False) as warm:
        for address in warm.scheduler_info()["workers"]:
            warm.submit(abs, -1, workers=[address], pure=False).result()
        queue = distributed.Queue("warm-up", client=warm)
        queue.put(1)
        queue.get()
        yield c


def records(lines):
    """The epoch records but for their timings and learning speeds (compared by :func:`speeds`)."""
    return [{k: v for k, v in line.items() if k not in TIMINGS and k != "learning_speed"} for line in lines]


def speeds(lines):
    """The learning speeds, each layer's to a relative 1e-6: they are BLAS sums whose last bits follow the
    thread count a worker's BLAS happens to use."""
    return [pytest.approx(line["learning_speed"], rel=1e-6) for line in lines]


def test_a_sweep_on_a_local_cluster_gives_train_runs_numbers(cluster, capsys):
    """A 2-run sweep of 784-8-10 on 1,000 examples, 1 epoch, over η: each run's epoch record, but for the
    timings, equals train_run's for the same spec, saturation included, and learning speed to 1e-6."""
    status, out, err = cli(capsys, "sweep", *TINY, "--eta", "0.5,3", "--json", "--run-ends",
                           "--scheduler", cluster.scheduler_address)
    assert status == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    ends = {line["sweep"]["eta"]: line["run_end"] for line in lines if "run_end" in line}
    assert ends == {eta: {"outcome": "finished", "status": 0, "epochs": 1, "messages": []} for eta in (0.5, 3.0)}
    for eta in (0.5, 3.0):
        swept = [{k: v for k, v in line.items() if k != "sweep"} for line in lines
                 if "epoch" in line and line["sweep"] == {"eta": eta}]
        alone = [r.to_json() for r in train_run(RunSpec(hidden=(8,), learning_rate=eta, epochs=1, train_size=1000))
                 if isinstance(r, EpochReport)]
        assert len(swept) == 1 and records(swept) == records(alone)
        assert [line["learning_speed"] for line in swept] == speeds(alone)
        assert len(swept[0]["saturation"]) == len(swept[0]["learning_speed"]) == 2


def long_runs(n):
    """n runs that would train for minutes (1,000 epochs each)."""
    return [PlannedRun(i + 1, {"seed": i + 1}, RunSpec(hidden=(8,), epochs=1000, train_size=1000, seed=i + 1))
            for i in range(n)]


def test_stopping_a_cluster_sweep_cancels_the_waiting_runs_and_stops_the_running_ones(cluster, capsys):
    """3 runs on 2 workers, stopped 4 s in (as when the program that started the sweep dies): the 2
    running end 'stopped' within seconds, the third never starts, status 143 (SIGTERM's)."""
    t0, gone_at = time.monotonic(), time.monotonic() + 4.0
    status = sweep.run(long_runs(3), sweep_backend(cluster), as_json=True, run_ends=True,
                       parent_gone=lambda: time.monotonic() > gone_at)
    out, err = capsys.readouterr()
    ends = [json.loads(line)["run_end"]["outcome"] for line in out.splitlines() if "run_end" in line]
    assert status == 143 and ends == ["stopped", "stopped"], err
    assert "the 2 running were stopped and 1 never started" in err
    assert time.monotonic() - t0 < 4.0 + sweep.STOP_SECONDS


def sweep_backend(cluster):
    from nncore.cluster import DaskCluster

    return DaskCluster(cluster.scheduler_address)


def test_a_run_whose_worker_left_is_reported_and_not_waited_for(cluster):
    """A started run said to be on a worker that is no longer in the cluster is lost, with its address."""
    backend = sweep_backend(cluster)
    try:
        backend._workers_seen = 0.0
        here = next(iter(cluster.scheduler_info["workers"]))
        assert backend.lost({1: "tcp://127.0.0.1:1", 2: here}) == {
            1: "its worker tcp://127.0.0.1:1 left the cluster mid-run"}
    finally:
        backend.close()


def test_no_scheduler_is_one_line(capsys):
    """--scheduler naming no scheduler: status 2 and one line saying so (after a short wait)."""
    status, out, err = cli(capsys, "sweep", *TINY, "--scheduler", "tcp://127.0.0.1:1")
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "--scheduler tcp://127.0.0.1:1: no Dask scheduler answered" in err
