"""Fuzzing the window's readers: whatever a settings file or a drawing file holds, nothing raises and
nothing unusable gets through."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.pad.handwriting_store import MAGIC, SUFFIX, HandwritingStore
from app.training.training_config import TrainingConfig, problems

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)
field_names = st.sampled_from(list(TrainingConfig().to_dict()) + ["extra", "", "hidden "])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(field_names, json_values, max_size=10) | json_values)
def test_any_stored_settings_give_a_config_that_can_run(stored):
    """A damaged settings value of any type never raises, and the config it gives always passes the checks."""
    config, fallbacks = TrainingConfig.from_stored(stored)
    assert problems(config) == {}
    assert json.loads(json.dumps(config.to_dict())) == config.to_dict()
    assert all(isinstance(name, str) for name in fallbacks)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=900), st.integers(0, 255))
def test_any_drawing_file_is_read_or_skipped(tmp_path_factory, body, label):
    """A .digit file of any bytes is either a valid drawing (header, label 0–9, 784 pixels) or skipped
    with a warning; the store never raises."""
    folder = tmp_path_factory.mktemp("hw")
    (folder / f"a{SUFFIX}").write_bytes(MAGIC + bytes([label]) + body)
    (folder / f"b{SUFFIX}").write_bytes(body)
    store = HandwritingStore(folder)
    assert len(store.samples) + len(store.warnings) == 2
    for sample in store.samples:
        assert 0 <= sample.label <= 9 and sample.pixels.shape == (28, 28)
