"""nncore sweep runs `nncore train` once per combination of values, in child processes: the runs'
numbers are exactly train's, bad values get train's errors, and stopping a sweep stops every child.

Plans and errors are checked in process; the runs themselves are real child processes.
"""

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from in_process_cli import cli

import nncore
from nncore import memory, sweep
from nncore.cli import build_parser
from nncore.cli_options import plan_specs, spec_from_args, to_argv
from nncore.process import PARENT_VARIABLE, children_of
from nncore.reports import EpochReport
from nncore.run_spec import RunSpec
from nncore.sweep_display import Display

QUICK = ["--train-size", "1000", "--epochs", "2"]
TIMINGS = {"seconds", "eval_seconds"}


def train_lines(*commands):
    """The JSON epoch lines of ``python -m nncore train ARGS --json`` for each ARGS, run side by side."""
    procs = [subprocess.Popen([sys.executable, "-m", "nncore", "train", *args, "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for args in commands]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(procs), [err for _, err in outs]
    return [[json.loads(line) for line in out.splitlines()] for out, _ in outs]


def without_timings(lines):
    return [{k: v for k, v in line.items() if k not in TIMINGS} for line in lines]


def test_each_run_is_exactly_the_same_train_command(capsys):
    """A 2-run sweep over η prints train's epoch lines plus "sweep": {"eta": η}; every field but the
    timings equals that of `nncore train` with the same options."""
    status, out, err = cli(capsys, "sweep", *QUICK, "--eta", "0.5,3", "--json")
    assert status == 0, err
    by_eta = {}
    for line in map(json.loads, out.splitlines()):
        named = line.pop("sweep")
        assert list(named) == ["eta"]
        by_eta.setdefault(named["eta"], []).append(line)
    assert sorted(by_eta) == [0.5, 3.0]
    trained = train_lines([*QUICK, "--eta", "0.5"], [*QUICK, "--eta", "3"])
    for swept, alone in zip((by_eta[0.5], by_eta[3.0]), trained):
        assert [line["epoch"] for line in swept] == [1, 2]
        assert [list(line) for line in swept] == [list(line) for line in alone]   # the same fields
        assert without_timings(swept) == without_timings(alone)


def test_run_ends_adds_one_line_as_each_run_ends(capsys):
    """--json --run-ends: one run_end line after each run's epoch lines; without --json, refused in one line."""
    status, out, err = cli(capsys, "sweep", *QUICK, "--eta", "0.5,3", "--jobs", "1", "--json", "--run-ends")
    assert status == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [sorted(line) for line in lines if "run_end" in line] == [["run_end", "sweep"]] * 2
    assert [(line["sweep"], "run_end" in line) for line in lines] == [
        ({"eta": 0.5}, False), ({"eta": 0.5}, False), ({"eta": 0.5}, True),
        ({"eta": 3.0}, False), ({"eta": 3.0}, False), ({"eta": 3.0}, True)]
    assert lines[2]["run_end"] == {"outcome": "finished", "status": 0, "epochs": 2, "messages": []}
    status, out, err = cli(capsys, "sweep", "--run-ends")
    assert status == 2 and out == "" and err == "nncore: error: --run-ends needs --json (its lines are JSON)\n"


def test_without_json_a_table_of_runs_and_each_run_saved(tmp_path, capsys, mnist):
    """Text output ends in a table, one row per run (swept values, best validation and its epoch, final
    test accuracy and cost); --save puts each run in NAME-<values>.npz."""
    status, out, err = cli(capsys, "sweep", "--train-size", "1000", "--epochs", "1", "--sizes", "784,5,10",
                           "--sizes", "784,8,10", "--save", str(tmp_path / "net.npz"), "--jobs", "2")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "sweep: 2 runs of `nncore train`, 2 at once"
    assert sum(line.startswith("run ") and " ended: sizes 784," in line for line in lines) == 2
    head, *rows = lines[-3:]
    assert head.split() == ["sizes", "best", "validation", "at", "epoch", "final", "test", "final", "cost"]
    assert [row.split()[0] for row in rows] == ["784,5,10", "784,8,10"]
    for row, hidden in zip(rows, (5, 8)):
        _, best, epoch, test, cost = row.split()
        assert epoch == "1" and best.endswith("%") and test.endswith("%") and 0 < float(cost) < 1
        net = nncore.load(tmp_path / f"net-sizes784-{hidden}-10.npz")
        assert net.sizes == [784, hidden, 10]
        assert f"{100 * net.accuracy(mnist.test.x, mnist.test.labels):.2f}%" == test   # the run's network


def test_the_plan_is_every_combination_and_each_spec_gives_train_the_run():
    """--sizes repeated, comma lists of η and seeds: 2 × 2 × 2 runs, the last option fastest; each run's
    spec, as train's options (to_argv) parsed by train's parser, gives back exactly that spec (floats to
    the last bit)."""
    parser = build_parser()
    args = parser.parse_args(["sweep", "--sizes", "784,30,10", "--sizes", "784-100-10", "--eta",
                              "1e-06,0.30000000000000004", "--seed", "1,2", "--cost", "cross-entropy",
                              "--distort", "--train-size", "1000"])
    runs = plan_specs(args, 50_000)
    assert len(runs) == 8
    assert [r.values for r in runs[:3]] == [{"sizes": [784, 30, 10], "eta": 1e-06, "seed": 1},
                                            {"sizes": [784, 30, 10], "eta": 1e-06, "seed": 2},
                                            {"sizes": [784, 30, 10], "eta": 0.1 + 0.2, "seed": 1}]
    assert runs[-1].label() == "sizes 784,100,10, eta 0.30000000000000004, seed 2"
    assert runs[-1].spec == RunSpec(hidden=(100,), learning_rate=0.1 + 0.2, seed=2, cost="cross-entropy",
                                    distort=True, train_size=1000)
    for r in runs:
        assert spec_from_args(parser.parse_args(["train", *to_argv(r.spec)]), 50_000) == r.spec


def test_values_not_listed_are_trains_defaults_and_not_named():
    """A sweep with no list is one run with train's defaults; its "sweep" names nothing."""
    (only,) = plan_specs(build_parser().parse_args(["sweep", "--epochs", "3"]), 50_000)
    assert only.values == {} and only.label() == "the run"
    assert only.spec == spec_from_args(build_parser().parse_args(["train", "--epochs", "3"]), 50_000) == \
        RunSpec(epochs=3)


@pytest.mark.parametrize("option, good, bad", [
    ("--eta", "0.5", "abc"), ("--eta", "3", "0"), ("--eta", "3", ""), ("--epochs", "2", "0"),
    ("--batch-size", "10", "10001"), ("--seed", "1", "2147483648"), ("--sizes", "784,30,10", "784,0,10"),
    ("--sizes", "784,30,10", "784,30,9"),
])
def test_a_bad_value_in_a_list_gets_trains_one_line_error(option, good, bad, capsys):
    """The bad value alone given to train and inside a sweep's list: the same line, status 2, no output."""
    listed = [option, good, option, bad] if option == "--sizes" else [option, f"{good},{bad}"]
    t_status, t_out, t_err = cli(capsys, "train", option, bad)
    s_status, s_out, s_err = cli(capsys, "sweep", *listed)
    assert t_status == s_status == 2 and t_out == s_out == ""
    assert len(s_err.strip().splitlines()) == 1
    assert s_err.replace("nncore sweep:", "nncore train:") == t_err


def test_a_value_that_cannot_run_on_the_data_is_refused_before_any_run(capsys):
    """A mini-batch larger than the training set, in the list: train's message, and no run started."""
    t_status, _, t_err = cli(capsys, "train", "--train-size", "1000", "--batch-size", "2000")
    s_status, s_out, s_err = cli(capsys, "sweep", "--train-size", "1000", "--batch-size", "10,2000")
    assert t_status == s_status == 2 and s_out == "" and s_err == t_err
    assert "--batch-size must be from 1 to 1,000 (at most the training set)" in s_err


@pytest.mark.parametrize("args, words", [
    (["--eta", "3,3.0"], "--eta lists 3 more than once; give each value once"),
    (["--sizes", "784,30,10", "--sizes", "784-30-10"], "--sizes lists 784,30,10 more than once"),
    (["--jobs", "0"], "--jobs must be a whole number of at least 1, got '0'"),
    (["--momentum", "0.5,0.5"], "--momentum lists 0.5 more than once"),
    (["--eta", "0.5,3", "--save", "/no/such/folder/n.npz"], "n-eta0.5.npz: the folder /no/such/folder does not exist"),
])
def test_sweep_only_errors(args, words, capsys):
    """Values given twice, a bad --jobs, a --save folder that is missing: one line, status 2."""
    status, out, err = cli(capsys, "sweep", *args)
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1 and words in err, err


def test_save_path_names_the_swept_values():
    """NAME.npz → NAME-<key><value>….npz; no suffix: the values appended; no values: NAME itself."""
    assert sweep.save_path("d/net.npz", {"eta": 0.5, "batch_size": 10}) == "d/net-eta0.5-batch-size10.npz"
    assert sweep.save_path("net", {"sizes": [784, 30, 10]}) == "net-sizes784-30-10"
    assert sweep.save_path("net.npz", {}) == "net.npz"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to find the children")
@pytest.mark.parametrize("sig, status, word", [
    (signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated"),
    (signal.SIGHUP, 129, "terminated (SIGHUP: its terminal or session ended)")])
def test_a_stopped_sweep_leaves_no_child_process(sig, status, word, tmp_path):
    """Ctrl-C, SIGTERM or SIGHUP (which ended the sweep silently) to the sweep (alone) while its two runs
    train: every child ends and is waited for, the sweep says so; on Ctrl-C each training run does what
    train does (its partly trained network is saved)."""
    command = [sys.executable, "-m", "nncore", "sweep", "--train-size", "1000", "--epochs", "1000",
               "--eta", "0.5,3", "--jobs", "2", "--json", "--run-ends", "--save", str(tmp_path / "n.npz")]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children = []
    try:
        first = json.loads(proc.stdout.readline())      # a run has trained an epoch: both are started
        children = workers_of(proc.pid)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
        for pid in children:                            # never leave one behind, even when failing
            if Path(f"/proc/{pid}").exists():
                os.kill(pid, signal.SIGKILL)
    assert len(children) == 2
    assert proc.returncode == status, err
    assert f"nncore: sweep {word} after 0 of 2 runs; the 2 running were stopped\n" in err, err
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
    ends = [json.loads(line)["run_end"] for line in out.splitlines() if "run_end" in line]
    assert [end["outcome"] for end in ends] == ["stopped", "stopped"], out
    saved = tmp_path / f"n-eta{sweep.value_text(first['sweep']['eta'])}.interrupted.npz"
    assert saved.exists() == (sig == signal.SIGINT), sorted(os.listdir(tmp_path))
    assert not (tmp_path / "n-eta0.5.npz").exists() and not (tmp_path / "n-eta3.npz").exists()


def test_l2_is_a_swept_option_passed_on_to_train():
    """--l2 0,0.1 plans two runs named by λ, each a spec with its λ and the patience given."""
    runs = plan_specs(build_parser().parse_args(["sweep", "--l2", "0,0.1", "--patience", "3"]), 50_000)
    assert [r.values for r in runs] == [{"l2": 0.0}, {"l2": 0.1}]
    assert [(r.spec.l2, r.spec.patience, r.spec.halve_eta) for r in runs] == [(0.0, 3, 0), (0.1, 3, 0)]


# Two runs whose first epoch lasts well over a minute (50,000 single-example steps through 2,000 neurons).
LONG_SWEEP = [sys.executable, "-m", "nncore", "sweep", "--sizes", "784,1000,1000,10", "--batch-size", "1",
              "--eta", "0.1,0.2", "--jobs", "2", "--json"]


def wait_for_children(pid, count, seconds=60):
    """The children of process ``pid`` once ``count`` exist: looked for every 50 ms for at most ``seconds``,
    the wait between looks on a pidfd of ``pid``, which ends it at once should ``pid`` end."""
    fd = os.pidfd_open(pid)
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        deadline = time.monotonic() + seconds
        while len(workers_of(pid)) < count and time.monotonic() < deadline:
            if poller.poll(50):
                break
    finally:
        os.close(fd)
    return workers_of(pid)


def still_running(pids, seconds):
    """The ``pids`` that have not ended within ``seconds`` (each watched through a pidfd, which wakes
    the wait when its process exits)."""
    deadline, alive = time.monotonic() + seconds, []
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            if not poller.poll(max(0.0, deadline - time.monotonic()) * 1000):
                alive.append(pid)
        finally:
            os.close(fd)
    return alive


@pytest.mark.skipif(not hasattr(os, "pidfd_open") or not Path("/proc/self/stat").exists(),
                    reason="needs Linux /proc and pidfds")
def test_the_runs_of_a_sweep_killed_outright_end_with_it():
    """kill -9 of the sweep while its two runs are in an epoch that lasts well over a minute: both end
    within 15 s (they trained on until their next epoch line)."""
    proc = subprocess.Popen(LONG_SWEEP, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children = []
    try:
        children = wait_for_children(proc.pid, 2)
        proc.kill()
        proc.wait()
        alive = still_running(children, 15)
    finally:
        proc.kill()
        for pid in children:                            # never leave one behind, even when failing
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    assert len(children) == 2 and alive == []


@pytest.mark.skipif(not hasattr(os, "pidfd_open") or not Path("/proc/self/stat").exists(),
                    reason="needs Linux /proc and pidfds")
def test_a_sweep_told_to_end_with_its_parent_stops_its_runs_when_that_dies():
    """A program (as the window does) starts a sweep naming itself in NNCORE_END_WITH_PARENT and is killed
    with -9: the sweep and both its runs end within 15 s."""
    starter = (f"import os, subprocess; env = {{**os.environ, {PARENT_VARIABLE!r}: str(os.getpid())}}; "
               f"p = subprocess.Popen({LONG_SWEEP!r}, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
               "print(p.pid, flush=True); p.wait()")
    app = subprocess.Popen([sys.executable, "-c", starter], stdout=subprocess.PIPE, text=True)
    pids = []
    try:
        sweep_pid = int(app.stdout.readline())
        pids = [sweep_pid]
        children = wait_for_children(sweep_pid, 2)
        pids += children
        app.kill()
        app.wait()
        alive = still_running(pids, 15)
    finally:
        app.kill()
        app.wait()
        app.stdout.close()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    assert len(children) == 2 and alive == []


def test_a_run_told_of_a_parent_that_is_not_its_own_knows_it_is_orphaned():
    """end_with_parent: naming the real parent, the run goes on; naming another pid (its parent has
    died and it was handed on), it must stop; the variable is taken out of the environment either way."""
    probe = ("from nncore.process import PARENT_VARIABLE, end_with_parent; import os; "
             "gone = end_with_parent(); print(gone(), PARENT_VARIABLE in os.environ)")
    answers = []
    for parent in (os.getpid(), 1):
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                              env={**os.environ, PARENT_VARIABLE: str(parent)})
        answers.append(done.stdout.split())
    assert answers == [["False", "False"], ["True", "False"]]


@pytest.fixture
def machine(monkeypatch):
    """Set the cores and the available memory the sweep sees; records the jobs sweep.run is given."""
    ran = {}

    def set_machine(cores, available):
        monkeypatch.setattr(memory, "usable_cores", lambda: cores)
        monkeypatch.setattr(memory, "available_memory", lambda: available)
        monkeypatch.setattr(sweep, "run",
                            lambda runs, backend, **kw: backend.close() or ran.update(kw, runs=len(runs)) or 0)
        return ran
    return set_machine


def test_jobs_are_bounded_by_the_cores_with_one_line(machine, capsys):
    """--jobs 64 on 2 cores (16 children held 3.5 GB): 2 at once, and a line saying what was asked,
    what is used and why; --jobs 2 is used as it is, without a word."""
    ran = machine(2, 10**12)
    status, out, err = cli(capsys, "sweep", "--eta", "0.5,1,2,3", "--jobs", "64", "--train-size", "1000")
    assert (status, ran["jobs"], out) == (0, 2, "")
    assert err == ("nncore: sweep: --jobs 64 asks for more runs at once than fit; using 2, as there are 2 cores "
                   "to run on\n")
    status, out, err = cli(capsys, "sweep", "--eta", "0.5,1,2,3", "--jobs", "2", "--train-size", "1000")
    assert (status, ran["jobs"], err) == (0, 2, "")


def test_jobs_are_bounded_by_the_memory_of_the_largest_run(machine, capsys):
    """8 cores, memory for three of the largest run (by train's own estimate): 3 at once, by default too."""
    per_run = memory.estimate_mnist([784, 100, 10], 10, 1000).total   # the larger of the two sizes
    ran = machine(8, 3 * per_run + 1)
    args = ["sweep", "--sizes", "784,30,10", "--sizes", "784,100,10", "--seed", "1,2,3,4", "--train-size", "1000"]
    why = f"each run needs about {per_run / 1e9:.2f} GB of memory and {(3 * per_run + 1) / 1e9:.2f} GB is available"
    for jobs, asked in ((["--jobs", "6"], "--jobs 6"), ([], "the default (one run per core, 8)")):
        status, out, err = cli(capsys, *args, *jobs)
        assert (status, ran["jobs"]) == (0, 3)
        assert err == f"nncore: sweep: {asked} asks for more runs at once than fit; using 3, as {why}\n"


def test_a_run_that_alone_exceeds_the_memory_still_runs_alone():
    """Less memory than one run takes: one at a time (train checks each run against its own budget)."""
    assert memory.bounded_jobs(4, 500_000_000, 4, memory.job_limit(500_000_000, cores=4, available=100)) == (
        1, "nncore: sweep: --jobs 4 asks for more runs at once than fit; using 1, as each run needs about 0.50 GB "
           "of memory and 0.00 GB is available")


def test_json_lines_of_a_sweep_are_strict_json(capsys):
    """A run's epoch record with NaN or infinities in it is printed with null there (NaN is not JSON)."""
    (only,) = plan_specs(build_parser().parse_args(["sweep", "--epochs", "1"]), 50_000)
    display = Display([sweep.Run(only)], 1, "here", as_json=True)
    report = EpochReport(1, 1, float("nan"), float("inf"), 0.5, 0.5, 3.0, 1.0, 0.1, (0.5,), (float("-inf"),))
    display.epoch(sweep.Run(only), report)
    line = json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"not JSON: {c}"))
    assert (line["train_cost"], line["validation_cost"], line["learning_speed"]) == (None, None, [None])


def workers_of(pid):
    """The sweep's worker processes: its children but the resource tracker multiprocessing starts."""
    found = []
    for child in children_of(pid):
        try:
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found
