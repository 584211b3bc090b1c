"""The one place that says which network every view reads: "Looking at: [network ▾]  ☐ Follow training"."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QWidget

FOLLOW_TIP = ("When ticked, every view switches to the run that is training once it has finished its first "
              "epoch, and follows it as it learns. An untrained network (Step from new weights, Reset) never "
              "takes over by itself.")


class FocusBar(QWidget):
    """A chooser of the networks on the shelf and the "follow the training run" switch.

    ``chosen(key)`` when the user picks a network; ``followChanged(bool)`` when they flip the switch.
    The bar only shows; the NetworksController decides what is in focus.
    """

    chosen = Signal(str)
    followChanged = Signal(bool)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName("Network in focus")
        self.combo.setToolTip("The network every view reads: the pad, the inspector, the diagram, the weights, "
                              "the mistakes and what it looks at. The pre-trained default, each kept run's "
                              "latest network, opened files, and new weights from Reset.")
        self.combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(22)
        self.combo.activated.connect(lambda i: self.chosen.emit(self.combo.itemData(i)))
        self.follow = QCheckBox("Follow training")
        self.follow.setToolTip(FOLLOW_TIP)
        self.follow.toggled.connect(self.followChanged)
        label = QLabel("Looking at:")
        label.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 4, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.follow)

    def set_choices(self, choices, current_key, current_label):
        """Offer ``choices`` [(key, label)] with ``current_key`` selected. A network in focus that is not
        on the list (edited by an inspector step, say) is shown under its own ``current_label``: the
        chooser is never blank."""
        self.combo.blockSignals(True)
        self.combo.clear()
        for key, label in choices:
            self.combo.addItem(label, key)
            self.combo.setItemData(self.combo.count() - 1, label, 3)    # Qt.ToolTipRole: the whole label
        index = self.combo.findData(current_key)
        if index >= 0 and current_label and current_label != self.combo.itemText(index):
            self.combo.setItemText(index, current_label)
        if index < 0 and current_label:
            self.combo.addItem(current_label, current_key)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)

    def set_follow(self, on):
        """Show the switch as ``on`` without emitting followChanged."""
        self.follow.blockSignals(True)
        self.follow.setChecked(on)
        self.follow.blockSignals(False)

    def current_text(self):
        """What the chooser shows."""
        return self.combo.currentText()
