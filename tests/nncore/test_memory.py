"""nncore.memory: the machine's free memory read from /proc/meminfo and a cgroup v2 limit, and the bound
on runs at once that the sweep takes from it and from the cores."""

from nncore import memory


def write(folder, **files):
    """``folder`` (made if missing) with each file of ``files`` ('memory_max' → memory.max) holding its text."""
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text)
    return folder


def test_available_memory_is_memavailable_lowered_by_a_cgroup_limit(tmp_path):
    """MemAvailable in kB → bytes; a cgroup v2 memory.max 4 GB with 3.5 GB used leaves 0.5 GB."""
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16000000 kB\nMemFree:     100 kB\nMemAvailable:    8000000 kB\n")
    no_cgroup = tmp_path / "none"
    assert memory.available_memory(meminfo, no_cgroup) == 8_000_000 * 1024
    cgroup = write(tmp_path / "cg", memory_max="4000000000\n", memory_current="3500000000\n")
    assert memory.available_memory(meminfo, cgroup) == 500_000_000
    write(cgroup, memory_max="max\n")
    assert memory.available_memory(meminfo, cgroup) == 8_000_000 * 1024


def test_without_meminfo_the_free_pages_are_asked(tmp_path):
    """No /proc/meminfo (macOS): the free physical pages from sysconf, a positive number of bytes."""
    found = memory.available_memory(tmp_path / "missing", tmp_path / "none")
    assert found is None or found > 0


def test_the_job_limit_is_the_cores_or_what_the_memory_holds():
    """4 cores and memory for 10 runs: 4, by the cores; memory for 2.5 runs: 2, by the memory."""
    assert memory.job_limit(10**8, cores=4, available=10**9) == memory.JobLimit(4, "there are 4 cores to run on")
    limit = memory.job_limit(4 * 10**8, cores=4, available=10**9)
    assert limit == memory.JobLimit(2, "each run needs about 0.40 GB of memory and 1.00 GB is available")
    assert memory.bounded_jobs(3, 4 * 10**8, 2, limit) == (2, "")    # two runs: 2 at once, nothing to say
    assert memory.bounded_jobs(1, 4 * 10**8, 9, limit) == (1, "")
