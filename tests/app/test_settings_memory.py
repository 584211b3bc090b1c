"""The settings panel refuses what ``nncore train`` refuses for its memory, from the same estimate, and
explains its symbols (η, λ, mini-batch, the initialisations and the costs) in words on hover."""

from dataclasses import replace

import pytest
from in_process_cli import cli
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.training import training_config
from app.training.settings_panel import MEANINGS, SettingsPanel
from app.training.training_config import TrainingConfig, problems
from nncore.run_spec import EPOCHS_OR_OFF, OPTIONS, RunSpec

WIDE_DEEP = TrainingConfig(hidden=(1500,) * 6, batch_size=10_000)   # the CLI estimates 2.36 GB
ESTIMATE = ("this run would need about 2.36 GB of memory (mini-batches of 10,000 through 9,010 neurons, "
            "and the data, in float32); at most 1 GB is accepted")


@pytest.fixture
def panel(qtbot):
    p = SettingsPanel()
    qtbot.addWidget(p)
    return p


def test_a_run_too_big_for_memory_is_refused_beside_its_field(panel, capsys):
    """784-1500×6-10 at mini-batch 10,000: config() None, the mini-batch's message names 2.36 GB and
    what is accepted; nncore train refuses it with the very same figure."""
    emitted = []
    panel.configChanged.connect(emitted.append)
    panel.apply_config(WIDE_DEEP)
    assert panel.config() is None and emitted[-1] is None
    message = panel._messages["batch_size"]
    assert message.isVisibleTo(panel)
    assert message.text() == f"{ESTIMATE}: use a mini-batch size of 798 or less"
    status, out, err = cli(capsys, "train", "--sizes", ",".join(map(str, WIDE_DEEP.sizes)), "--batch-size", "10000")
    assert status == 2 and out == "" and ESTIMATE in err


def test_a_smaller_mini_batch_that_fits_is_proposed_beside_the_mini_batch(panel):
    """784-4096-10 at 10,000 needs 1.09 GB; the mini-batch field says up to 8,650 fits (train's advice),
    and the panel gives a config again once it is 8,650."""
    panel.apply_config(TrainingConfig(hidden=(4096,), batch_size=10_000))
    assert panel.config() is None
    assert panel._messages["batch_size"].text().endswith("at most 1 GB is accepted: use a mini-batch size of "
                                                         "8,650 or less")
    panel.batch.setValue(8_650)
    assert panel.config() == TrainingConfig(hidden=(4096,), batch_size=8_650)
    assert not panel._messages["batch_size"].isVisibleTo(panel)


def test_the_window_keeps_train_off_for_a_run_too_big_for_memory(window):
    """Through the real window: Train is disabled while the settings need 2.36 GB, enabled when they fit."""
    window.panel.apply_config(WIDE_DEEP)
    assert not window.actions["train"].isEnabled()
    window.panel.apply_config(replace(WIDE_DEEP, hidden=(30,), batch_size=10))
    assert window.actions["train"].isEnabled()


def test_the_memory_check_also_guards_restored_settings():
    """A stored 10,000 mini-batch that would not fit falls back to the default, as any bad field does."""
    stored = {**WIDE_DEEP.to_dict(), "hidden": [4096]}
    config, fallbacks = TrainingConfig.from_stored(stored)
    assert fallbacks == ["batch_size"] and config.batch_size == TrainingConfig().batch_size
    assert problems(config) == {}


def test_symbols_and_names_explain_themselves_on_hover(panel):
    """η, λ and mini-batch (labels and fields), each initialisation and each cost (items and the box for
    the current choice) show a sentence in words."""
    labels = {w.text(): w.toolTip() for w in panel.findChildren(QLabel)}
    assert labels["Learning rate η"] == MEANINGS["eta"] and panel.eta.toolTip().startswith(MEANINGS["eta"])
    assert labels["L2 regularisation λ"] == MEANINGS["l2"] and panel.l2.toolTip().startswith(MEANINGS["l2"])
    assert labels["Mini-batch size"] == MEANINGS["batch"] == panel.batch.toolTip()
    for combo, names in ((panel.init, ["normal", "scaled"]),
                         (panel.cost, ["quadratic", "cross-entropy", "log-likelihood"])):
        assert [combo.itemData(i, Qt.ToolTipRole) for i in range(combo.count())] == [MEANINGS[n] for n in names]
        combo.setCurrentIndex(combo.count() - 1)
        assert combo.toolTip() == MEANINGS[names[-1]]
    assert MEANINGS["normal"].startswith("N(0, 1): ") and MEANINGS["scaled"].startswith("N(0, 1/n_in): ")
    assert "standard deviation 1/√n_in" in MEANINGS["scaled"] and "sum to 1" in MEANINGS["log-likelihood"]


def test_momentum_is_a_setting_checked_as_the_command_line_checks_it(panel):
    """μ = 1 is refused beside the field with what is accepted (the spec's words); μ = 0.9 gives a config
    with it, whose label says μ."""
    panel.apply_config(replace(TrainingConfig(), momentum=1.0))
    assert panel.config() is None
    assert panel._messages["momentum"].text() == "momentum μ must be from 0 to below 1 (0: plain gradient descent)"
    panel.apply_config(replace(TrainingConfig(), momentum=0.9))
    assert panel.config().momentum == 0.9 and panel.config().label().endswith("μ=0.9")
    assert "v ← μv − η∇C" in MEANINGS["momentum"]


def test_the_windows_config_is_a_run_spec_with_its_own_smallest_training_set():
    """TrainingConfig is a RunSpec; it refuses 999 training examples, which a RunSpec takes."""
    assert isinstance(TrainingConfig(), RunSpec) and TrainingConfig().to_dict() == RunSpec().to_dict()
    assert problems(TrainingConfig(train_size=999, batch_size=10)) == {
        "train_size": "training set must be from 1,000 to 50,000 examples"}
    assert RunSpec(train_size=999).problems() == {}


def test_epochs_or_off_is_defined_once():
    """patience and η halving accept 0 (off) to the epochs' bound, from one Range everyone imports."""
    assert training_config.EPOCHS_OR_OFF is EPOCHS_OR_OFF
    assert [o.accepted for o in OPTIONS if o.field in ("patience", "halve_eta")] == [EPOCHS_OR_OFF] * 2
