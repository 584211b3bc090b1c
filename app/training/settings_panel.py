"""The network settings panel: layer sizes, η, the usual knobs, validated as the user types.

Every check is :meth:`nncore.run_spec.RunSpec.problems`' (a ``TrainingConfig`` is a RunSpec), the memory a
run would take included, so a field the command line would refuse shows why beside it. Hovering over a
symbol or a name (η, λ, μ, mini-batch, N(0, 1), N(0, 1/n_in), the costs) shows what it means in plain
words (:data:`MEANINGS`).
"""

import math
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from nncore.costs import COSTS
from nncore.limits import EPOCHS, IMAGE_SIDE, L2, LAYER_SIZE, LEARNING_RATE, N_CLASSES, N_INPUTS, Range
from nncore.network import INITS, sizes_text
from nncore.run_spec import MOMENTUM

from ..widgets.fields import FloatField, IntField, MessageLabel
from ..widgets.theme import bold
from .hidden_layers_editor import HiddenLayersEditor
from .training_config import EPOCHS_OR_OFF, TRAIN_SIZE, TrainingConfig, problems

SLIDER_STEPS = 600
SLIDER_ETA = Range(1e-4, 100.0)   # the slider's span; the typed field accepts all of LEARNING_RATE
_LOG_LO, _LOG_HI = math.log10(SLIDER_ETA.low), math.log10(SLIDER_ETA.high)
INIT_LABELS = {"normal": "normal: N(0, 1)", "scaled": "scaled: N(0, 1/n_in)"}
# What each symbol and name of the panel means, in words (shown on hovering over it).
MEANINGS = {
    "eta": "η (eta), the learning rate, is the size of each step of gradient descent: after every "
           "mini-batch each weight and bias moves against its slope of the cost, by η times that slope. "
           "Too small and learning crawls; too large and the cost jumps about, or the sigmoid neurons "
           "saturate and stop learning.",
    "normal": "N(0, 1): every weight and bias starts as a random number drawn from the normal (bell-curve) "
              "distribution with mean 0 and standard deviation 1, as in the book's chapter 1. A neuron with "
              "many inputs then starts with a large weighted input, so it is often saturated and learns slowly.",
    "scaled": "N(0, 1/n_in): every weight starts as a random number drawn from the normal distribution with "
              "mean 0 and variance 1/n_in (standard deviation 1/√n_in), where n_in is the number of inputs of "
              "its neuron; biases still start from N(0, 1). Weighted inputs then start small, so sigmoid "
              "neurons start out of saturation and learn faster.",
    "quadratic": "Quadratic cost: half the squared distance between the output the network gives and the one "
                 "it should give, the derivation's cost. When an output neuron is saturated (near 0 or 1) it "
                 "learns slowly, even when it is badly wrong.",
    "cross-entropy": "Cross-entropy cost: summed over the output neurons, minus the log of how close each "
                     "is to the right answer (the log of its output for the right digit, of one minus its "
                     "output for the others). The slope of the sigmoid cancels out of the error, so a wrong, "
                     "saturated output still learns fast.",
    "log-likelihood": "Log-likelihood cost: the output layer is a softmax, whose outputs are positive and sum "
                      "to 1, like probabilities; the cost is minus the log of the output for the right digit. "
                      "Like cross-entropy, a wrong output learns fast.",
    "l2": "λ (lambda) is the strength of L2 regularisation: the cost gets a penalty that grows with the "
          "squares of the weights, so every step also shrinks each weight a little towards 0. Small weights "
          "make the network less prone to learn the training images by heart (overfitting). 0 turns it off.",
    "momentum": "μ (mu), the momentum, gives every weight a velocity: each step keeps μ of the last step's "
                "velocity and adds −η times the slope, v ← μv − η∇C, then moves the weight by it, w ← w + v. "
                "Steps that agree build up speed along a long valley; steps that disagree cancel. 0 is plain "
                "gradient descent (the derivation's); 0.9 is usual.",
    "batch": "A mini-batch is a handful of training examples, taken in turn from the shuffled training set; "
             "the gradient is averaged over them and the weights take one step per mini-batch. Larger "
             "mini-batches give steadier but fewer steps per epoch; a mini-batch of 1 is the derivation's "
             "algorithm, one step after every example.",
}


class SettingsPanel(QWidget):
    """Collects a :class:`TrainingConfig`; ``configChanged(config or None)`` after every edit.

    None means some field cannot run; each such field shows what it accepts beside it.
    """

    configChanged = Signal(object)
    learningRateChanged = Signal(float)

    def __init__(self, config=None, parent=None):
        super().__init__(parent)
        config = config or TrainingConfig()
        self._syncing = False
        self._messages = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self._network_box(config))
        layout.addWidget(self._training_box(config))
        layout.addStretch(1)
        self.apply_config(config)

    # ---- building ------------------------------------------------------------------------
    def _network_box(self, cfg):
        box = QGroupBox("Network")
        form = QFormLayout(box)
        form.addRow("Input", QLabel(f"{N_INPUTS} ({IMAGE_SIDE} × {IMAGE_SIDE} pixels, fixed by the data)"))
        self.hidden = HiddenLayersEditor(cfg.hidden)
        self.hidden.changed.connect(self._edited)
        form.addRow("Hidden", self.hidden)
        form.addRow("", self._message("hidden"))
        form.addRow("Output", QLabel(f"{N_CLASSES} (one neuron per digit)"))
        self.summary = QLabel()
        bold(self.summary)   # by its font: a style sheet would freeze its colour at polish time
        self.summary.setWordWrap(True)
        form.addRow("Sizes", self.summary)
        self.cost = _explained_choices({name: name for name in COSTS})
        self.cost.currentIndexChanged.connect(self._edited)
        form.addRow("Cost", self.cost)
        self.init = _explained_choices({name: INIT_LABELS[name] for name in INITS})
        self.init.currentIndexChanged.connect(self._edited)
        form.addRow("Initialisation", self.init)
        self.seed = IntField(cfg.seed, tooltip="Random seed for the initial weights and the shuffling")
        self.seed.edited.connect(self._edited)
        form.addRow("Seed", self.seed)
        form.addRow("", self._message("seed"))
        return box

    def _training_box(self, cfg):
        box = QGroupBox("Training")
        form = QFormLayout(box)
        self.eta = FloatField(cfg.learning_rate, decimals=4,
                              tooltip=f"{MEANINGS['eta']}\nThe step W ← W − η ∂C/∂W "
                                      f"({LEARNING_RATE.text()}). Can change while training.")
        self.eta.edited.connect(self._eta_typed)
        form.addRow(_explained_label("Learning rate η", MEANINGS["eta"]), self.eta)
        self.eta_slider = QSlider(Qt.Horizontal)
        self.eta_slider.setRange(0, SLIDER_STEPS)
        self.eta_slider.setToolTip(f"η on a logarithmic scale from {SLIDER_ETA.text()}")
        self.eta_slider.valueChanged.connect(self._eta_slid)
        form.addRow("", self.eta_slider)
        form.addRow("", self._message("learning_rate"))
        self.epochs = IntField(cfg.epochs, tooltip=f"Passes over the training set ({EPOCHS.text()})")
        self.batch = IntField(cfg.batch_size, tooltip=MEANINGS["batch"])
        self.train_size = IntField(cfg.train_size, step=1000,
                                   tooltip=f"Training examples used ({TRAIN_SIZE.text()}), for quick experiments")
        for label, field, key in (("Epochs", self.epochs, "epochs"),
                                  (_explained_label("Mini-batch size", MEANINGS["batch"]), self.batch, "batch_size"),
                                  ("Training examples", self.train_size, "train_size")):
            field.edited.connect(self._edited)
            form.addRow(label, field)
            form.addRow("", self._message(key))
        self.distort = QCheckBox("Distort training images")
        self.distort.setToolTip("Change each training image every time it is used: 7s with a crossbar, "
                                "1s with a flag, closed 4s, hooked 9s, and random slant, size, width, "
                                "elastic bends and stroke weight. Slower, but reads hand-drawn digits "
                                "better")
        self.distort.toggled.connect(self._edited)
        form.addRow("", self.distort)
        self._regularisation_rows(form, cfg)
        return box

    def _regularisation_rows(self, form, cfg):
        """λ, early stopping and η halving, each with its message row."""
        self.l2 = FloatField(cfg.l2, decimals=4,
                             tooltip=f"{MEANINGS['l2']}\n({L2.text()}): C = C₀ + λ/(2n) Σ w² over the "
                                     "weights, n the training examples; each step shrinks the weights "
                                     "by (1 − ηλ/n).")
        self.patience = IntField(cfg.patience, tooltip="Early stopping: stop after this many epochs without a "
                                 "better validation accuracy and keep the best epoch's network "
                                 f"({EPOCHS_OR_OFF.text()}; 0 is off)")
        self.momentum = FloatField(cfg.momentum, decimals=3,
                                   tooltip=f"{MEANINGS['momentum']}\n({MOMENTUM.text()})")
        self.halve_eta = IntField(cfg.halve_eta, tooltip="Halve η after this many epochs without a better "
                                  "validation accuracy; stop once η is 1/128 of its start "
                                  f"({EPOCHS_OR_OFF.text()}; 0 is off)")
        for label, field, key in ((_explained_label("L2 regularisation λ", MEANINGS["l2"]), self.l2, "l2"),
                                  ("Stop after no gain for (epochs)", self.patience, "patience"),
                                  ("Halve η after no gain for (epochs)", self.halve_eta, "halve_eta"),
                                  (_explained_label("Momentum μ", MEANINGS["momentum"]), self.momentum, "momentum")):
            field.edited.connect(self._edited)
            form.addRow(label, field)
            form.addRow("", self._message(key))

    def _message(self, key):
        label = MessageLabel()
        self._messages[key] = label
        return label

    # ---- reading and writing -------------------------------------------------------------
    def read(self):
        """(config, problems): the config from the fields, and {field: message} for bad ones."""
        hidden = self.hidden.sizes()
        typed = {"hidden": hidden, "learning_rate": self.eta.current(), "epochs": self.epochs.current(),
                 "batch_size": self.batch.current(), "train_size": self.train_size.current(),
                 "seed": self.seed.current(), "l2": self.l2.current(), "patience": self.patience.current(),
                 "halve_eta": self.halve_eta.current(), "momentum": self.momentum.current()}
        bad = {k: "enter a number" for k, v in typed.items() if v is None}
        if any(h is None for h in hidden):
            bad["hidden"] = f"each hidden layer needs a whole number of neurons ({LAYER_SIZE.text()})"
        clean = {k: (tuple(v) if k == "hidden" else v) for k, v in typed.items() if k not in bad}
        cfg = replace(TrainingConfig(), **clean, cost=self.cost.currentData(),
                      init=self.init.currentData(), distort=self.distort.isChecked())
        for key, message in problems(cfg).items():
            bad.setdefault(key, message)
        return cfg, bad

    def config(self):
        """The current config, or None if a field cannot run."""
        cfg, bad = self.read()
        return None if bad else cfg

    def apply_config(self, cfg):
        """Show ``cfg`` in every field."""
        self._syncing = True
        try:
            self.hidden.set_sizes(cfg.hidden)
            self.eta.setValue(cfg.learning_rate)
            self._set_slider(cfg.learning_rate)
            self.epochs.setValue(cfg.epochs)
            self.batch.setValue(cfg.batch_size)
            self.train_size.setValue(cfg.train_size)
            self.seed.setValue(cfg.seed)
            self.cost.setCurrentIndex(self.cost.findData(cfg.cost))
            self.init.setCurrentIndex(self.init.findData(cfg.init))
            self.distort.setChecked(cfg.distort)
            self.l2.setValue(cfg.l2)
            self.patience.setValue(cfg.patience)
            self.halve_eta.setValue(cfg.halve_eta)
            self.momentum.setValue(cfg.momentum)
        finally:
            self._syncing = False
        self._edited()

    # ---- reacting ------------------------------------------------------------------------
    def _edited(self, *_):
        if self._syncing:
            return
        cfg, bad = self.read()
        for key, label in self._messages.items():
            label.show_message(bad.get(key, ""))
        sizes = sizes_text([N_INPUTS, *self.hidden.sizes(), N_CLASSES])
        self.summary.setText(f"{sizes}\n{cfg.num_weights():,} weights and biases"
                             if "hidden" not in bad else sizes)
        self.configChanged.emit(None if bad else cfg)

    def _eta_typed(self, value):
        if self._syncing:
            return
        if value is not None and value in LEARNING_RATE:
            self._set_slider(value)
            self.learningRateChanged.emit(value)
        self._edited()

    def _eta_slid(self, position):
        if self._syncing:
            return
        eta = float(f"{10 ** (_LOG_LO + (_LOG_HI - _LOG_LO) * position / SLIDER_STEPS):.2g}")
        self._syncing = True
        self.eta.setValue(eta)
        self._syncing = False
        self.learningRateChanged.emit(eta)
        self._edited()

    def _set_slider(self, eta):
        was, self._syncing = self._syncing, True
        frac = (math.log10(max(eta, SLIDER_ETA.low)) - _LOG_LO) / (_LOG_HI - _LOG_LO)
        self.eta_slider.setValue(round(min(max(frac, 0.0), 1.0) * SLIDER_STEPS))
        self._syncing = was


def _explained_choices(labels):
    """A combo box of ``{name: label}``; hovering over an item, or over the box, shows what the item
    means (:data:`MEANINGS` of its name)."""
    combo = QComboBox()
    for i, (name, label) in enumerate(labels.items()):
        combo.addItem(label, name)
        combo.setItemData(i, MEANINGS[name], Qt.ToolTipRole)
    combo.currentIndexChanged.connect(lambda _: combo.setToolTip(MEANINGS[combo.currentData()]))
    combo.setToolTip(MEANINGS[combo.currentData()])
    return combo


def _explained_label(text, meaning):
    """A form label ``text`` whose tooltip is ``meaning``."""
    label = QLabel(text)
    label.setToolTip(meaning)
    return label
