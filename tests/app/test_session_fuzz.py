"""Fuzzing every JSON the app reads (settings values, runs.json, current.json) with deep nesting, extreme
numbers, long strings and wrong types: each reader returns a bounded value or a named skip, never raises."""

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_session_lock import hand_edit, record, restored

import nncore
from app.training.run_history import FIRST_EPOCH, MAX_COST, MAX_NAME, MAX_TEXT, RUN_ID, RunRecord
from app.training.training_config import TrainingConfig, problems
from app.window.app_settings import MAX_DEPTH, MAX_SETTING_STRING, AppSettings
from app.window.session_store import CURRENT_EPOCHS, MAX_SOURCE

EXTREME = [1e308, -1e308, math.inf, -math.inf, math.nan, 10 ** 400, -(10 ** 400), 2 ** 63, 10 ** 300, -1, 0, 5e-324]
leaves = (st.none() | st.booleans() | st.sampled_from(EXTREME) | st.integers() | st.floats() | st.text(max_size=12)
          | st.builds(lambda n, c: c * n, st.integers(0, 20_000), st.sampled_from("a<é")))
json_values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=16)
GOOD_RECORD = record(1, epochs=2).to_dict()
GOOD_CURRENT = {"description": "run #1", "epochs": 2, "source": "run:1"}    # its network: current.npz


def nested(text, depth, kind):
    """``text`` (JSON) wrapped ``depth`` times in a list or in an object."""
    start, end = ("[", "]") if kind == "list" else ('{"a":', "}")
    return start * depth + text + end * depth


def json_texts(values):
    """JSON texts of ``values``, sometimes nested up to 1,500 deep."""
    return st.builds(lambda v, depth, kind: nested(json.dumps(v), depth, kind), values,
                     st.one_of(st.just(0), st.integers(0, 8), st.integers(900, 1500)),
                     st.sampled_from(["list", "object"]))


def damaged(good):
    """Dicts like ``good`` with some fields replaced by any value and some removed."""
    fields = st.sampled_from(sorted(good))
    return st.builds(lambda changes, removed: {k: v for k, v in {**good, **changes}.items() if k not in removed},
                     st.dictionaries(fields, json_values, max_size=3), st.sets(fields, max_size=1))


def depth_and_longest(value):
    """(how many lists or objects deep ``value`` nests, its longest text), found without recursion."""
    level, depth, longest = [value], 0, 0
    while level:
        inner = []
        for item in level:
            if isinstance(item, list):
                inner += item
            elif isinstance(item, dict):
                inner += [*item, *item.values()]
            elif isinstance(item, str):
                longest = max(longest, len(item))
        depth += any(isinstance(item, (list, dict)) for item in level)
        level = inner
    return depth, longest


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["config", "options", "recent", "zoom", "theme", "last_dir_network"]),
       json_texts(json_values | damaged(TrainingConfig().to_dict())))
def test_any_settings_value_is_read_bounded_or_skipped(tmp_path_factory, key, text):
    """get_json gives the stored value itself when it is shallow and short, else the default with the key
    named in ``skipped``; never RecursionError. A config from it always passes the checks."""
    store = AppSettings(tmp_path_factory.mktemp("settings") / "settings.ini")
    hand_edit(store, key, text)
    default = object()
    value = store.get_json(key, default)
    if value is default:
        assert key in store.skipped and isinstance(store.skipped[key], str)
    else:
        depth, longest = depth_and_longest(value)
        assert depth <= MAX_DEPTH and longest <= MAX_SETTING_STRING and key not in store.skipped
        assert json.dumps(value) == json.dumps(json.loads(text))
    config, _fallbacks = TrainingConfig.from_stored(None if value is default else value)
    assert problems(config) == {}


def assert_bounded(r):
    """A restored record holds only values every view can draw."""
    assert r.run_id in RUN_ID and r.first_epoch in FIRST_EPOCH and problems(r.config) == {}
    assert len(r.setup.dataset) <= MAX_NAME and len(r.end_text) <= MAX_TEXT and isinstance(r.visible, bool)
    assert len(r.batch_x) == len(r.batch_cost) == len(r.batch_eta)
    assert len(r.epoch_x) == len(r.epoch_cost) == len(r.validation_accuracy) == len(r.saturation)
    for name in ("batch_x", "epoch_x", "batch_eta", "epoch_eta", "validation_accuracy", "test_accuracy"):
        assert all(type(v) is float and math.isfinite(v) and v >= 0 for v in getattr(r, name)), name
    assert all(0 <= v <= 100 for v in r.validation_accuracy + r.test_accuracy)
    assert all(math.isnan(c) or 0 <= c <= MAX_COST for c in r.batch_cost + r.epoch_cost)
    assert all(0 <= s <= 1 for shares in r.saturation for s in shares)
    assert len({len(shares) for shares in r.saturation}) <= 1


@settings(max_examples=400, deadline=None)
@given(damaged(GOOD_RECORD) | json_values)
def test_any_stored_record_is_read_bounded_or_refused_with_a_reason(d):
    """RunRecord.from_dict of anything: a bounded record, or ValueError with a reason (nothing else)."""
    try:
        r = RunRecord.from_dict(d)
    except ValueError as e:
        assert str(e)
    else:
        assert_bounded(r)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_texts(st.lists(damaged(GOOD_RECORD) | json_values, max_size=4) | json_values),
       json_texts(damaged(GOOD_CURRENT) | json_values))
def test_any_session_files_restore_bounded_values_or_named_skips(qapp, tmp_path_factory, runs_text, current_text):
    """runs.json and current.json of anything: restore never raises; each entry of runs.json is restored
    or named, a file that cannot be used is named and kept aside; the current network's fields are bounded."""
    folder = tmp_path_factory.mktemp("session")
    (folder / "runs.json").write_text(runs_text)
    (folder / "current.json").write_text(current_text)
    nncore.save(nncore.Network([784, 3, 10], rng=1), folder / "current.npz")
    records, networks, current, found = restored(folder)
    assert all(isinstance(p, str) for p in found) and set(networks) <= {r.run_id for r in records}
    for r in records:
        assert_bounded(r)
    assert len({r.run_id for r in records}) == len(records)
    if any(p.startswith("runs.json could not be read") for p in found):
        assert list(folder.glob("runs.json.damaged-*"))
    else:
        entries = json.loads(runs_text)
        assert len(records) + sum(p.startswith("a saved run was damaged") for p in found) == len(entries)
    if current is not None:
        _network, description, epochs, source = current
        assert len(description) <= MAX_TEXT and epochs in CURRENT_EPOCHS and len(source) <= MAX_SOURCE
    elif not any(p.startswith("current.json could not be read") for p in found):
        assert "network" in json.loads(current_text)     # it names no network file, or one not the store's
