"""A long session keeps what its 12 kept runs need and nothing more: 100 finished runs through the real
window leave the networks, the caches, the session folder, Python's objects and traced memory where 20
runs left them (issue 22 saw ~40 objects and 0.1 MB more after every run)."""

import gc
import tracemalloc
from dataclasses import replace

import nncore
from app.training.training_config import TrainingConfig

QUICK = TrainingConfig(hidden=(8,), learning_rate=3.0, epochs=1, batch_size=100, train_size=1000)


def run(qtbot, window, k):
    """One short run to its end, its session written."""
    window.panel.apply_config(replace(QUICK, learning_rate=0.5 + (k % 40) / 10))
    with qtbot.waitSignal(window.session.runEnded, timeout=20_000):
        assert window.training.train() is not None
    store = window.networks.store
    qtbot.waitUntil(lambda: not store.runner.busy and not store._timer.isActive(), timeout=10_000)


def kept(window):
    """What the window holds per run: {name: count}."""
    networks, store = window.networks, window.networks.store
    shelf = [networks.shelf.get(key)[1] for key, _label in networks.shelf.choices()]
    reachable = {id(n) for n in [*shelf, *store._written.values(), window.current.network] if n is not None}
    gc.collect()
    return {"runs in the history": len(window.training_tab.history),
            "rows in the runs list": window.training_tab.runs.list.count(),
            "networks on the shelf": len(shelf),
            "choices in the focus bar": window.focus_bar.combo.count(),
            "networks reachable from the shelf and the store": len(reachable),
            "networks alive": sum(isinstance(o, nncore.Network) for o in gc.get_objects()),
            "store's cached file names": len(store._names),
            "store's cached run dicts": len(store._dicts),
            "store's cached JSON texts": len(store._texts),
            "store's owned files": len(store._owned),
            "files in the session folder": len(list(store.folder.iterdir()))}


def test_a_hundred_runs_keep_what_twenty_kept(window, qtbot):
    """After 20 runs and after 100: every count of what is kept is the same (12 runs, their networks, the
    caches and files that name them); from run 40 to run 100 Python's objects grow by less than one a run
    and traced memory by less than 2 KB a run. (Traced from run 20, so that by run 40 everything the 12
    kept runs hold was allocated while tracing, and later runs only replace it.)"""
    for k in range(20):
        run(qtbot, window, k)
    after_20 = kept(window)
    assert after_20["runs in the history"] == 12 and after_20["networks on the shelf"] == 13   # and the default
    tracemalloc.start()
    try:
        for k in range(20, 40):
            run(qtbot, window, k)
        gc.collect()
        objects, traced = len(gc.get_objects()), tracemalloc.get_traced_memory()[0]
        for k in range(40, 100):
            run(qtbot, window, k)
        after_100 = kept(window)
        grown = tracemalloc.get_traced_memory()[0] - traced
    finally:
        tracemalloc.stop()
    assert after_100 == after_20
    assert len(gc.get_objects()) - objects < 160     # under 3 a run over 60; a network a run: thousands
    assert grown < 60 * 2048, f"{grown / 60:.0f} bytes a run"
