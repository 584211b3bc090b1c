"""The sweep's choices: which parameter, its values (a list or a range), how many runs at once (at most
what the cores and the memory hold, with the reason beside the field), and, optionally, the Dask
scheduler to run them on instead."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from ..widgets.fields import MessageLabel
from .parameters import MAX_VALUES, PARAMETERS, parameter
from .sweep_plan import default_jobs

FIELD_WIDTH = 64


class SweepForm(QWidget):
    """Parameter, values and jobs. ``changed()`` fires on every edit; :meth:`values` reads them (or
    raises ValueError saying what is wrong), and the note under the fields shows the values or the
    problem. :meth:`set_job_limit` bounds the jobs field."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.hidden_layers = 1   # a range of hidden sizes gives this many layers the width
        self.choice = QComboBox()
        for p in PARAMETERS:
            self.choice.addItem(p.label, p.key)
        self.as_list, self.as_range = QRadioButton("List"), QRadioButton("Range")
        modes = QButtonGroup(self)
        modes.addButton(self.as_list)
        modes.addButton(self.as_range)
        self.list_text = QLineEdit()
        self.start, self.stop = QLineEdit(), QLineEdit()
        for field in (self.start, self.stop):
            field.setFixedWidth(FIELD_WIDTH)
        self.count = QSpinBox(minimum=1, maximum=MAX_VALUES, value=5)
        self.log = QCheckBox("log-spaced")
        self.jobs = QSpinBox(minimum=1, maximum=default_jobs(), value=default_jobs())
        self.jobs.setToolTip("runs trained at once, each in a process of its own (default: the number of cores; "
                             "never more than the cores, nor than the memory available holds)")
        self.jobs_note = QLabel(f"of {default_jobs()} cores", wordWrap=True)
        self.scheduler = QLineEdit(placeholderText="tcp://HOST:PORT")
        self.scheduler.setToolTip("A Dask scheduler to run the sweep on the lab's machines (needs "
                                  "backprop-lab[cluster] there); empty: this machine's cores")
        self._wanted_jobs, self._limiting = default_jobs(), False
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("color: #555;")
        self.message = MessageLabel()
        self._lay_out()
        self.as_range.setChecked(True)
        self.set_parameter(PARAMETERS[0].key)
        self.choice.currentIndexChanged.connect(lambda _: self.set_parameter(self.choice.currentData()))
        for signal in (self.list_text.textEdited, self.start.textEdited, self.stop.textEdited,
                       self.count.valueChanged, self.log.toggled, self.as_list.toggled,
                       self.scheduler.textEdited):
            signal.connect(self._edited)
        self.jobs.valueChanged.connect(self._jobs_edited)

    def _lay_out(self):
        range_row = QHBoxLayout()
        for w in (self.as_range, QLabel("from"), self.start, QLabel("to"), self.stop, QLabel("values"),
                  self.count, self.log):
            range_row.addWidget(w)
        range_row.addStretch(1)
        list_row = QHBoxLayout()
        list_row.addWidget(self.as_list)
        list_row.addWidget(self.list_text, 1)
        jobs_row = QHBoxLayout()
        jobs_row.addWidget(self.jobs)
        jobs_row.addWidget(self.jobs_note, 1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Sweep", self.choice)
        form.addRow("Values", range_row)
        form.addRow("", list_row)
        form.addRow("", self.preview)
        form.addRow("", self.message)
        form.addRow("Runs at once", jobs_row)
        form.addRow("Scheduler (optional)", self.scheduler)

    def parameter(self):
        """The chosen Parameter."""
        return parameter(self.choice.currentData())

    def set_parameter(self, key):
        """Choose the parameter ``key`` and fill its example list and range."""
        p = parameter(key)
        if self.choice.currentData() != key:
            self.choice.setCurrentIndex(self.choice.findData(key))   # comes back here through the signal
            return
        self.list_text.setText(p.default_list)
        self.list_text.setPlaceholderText(f"e.g. {p.default_list}")
        start, stop, count = p.default_range
        self.set_range(start, stop, count, p.log, switch=False)
        self._edited()

    def set_range(self, start, stop, count, log, *, switch=True):
        """Fill the range fields (texts or numbers); ``switch`` also selects Range."""
        self.start.setText(f"{start:g}" if isinstance(start, float) else str(start))
        self.stop.setText(f"{stop:g}" if isinstance(stop, float) else str(stop))
        self.count.setValue(int(count))
        self.log.setChecked(bool(log))
        if switch:
            self.as_range.setChecked(True)
        self._edited()

    def set_list(self, text):
        """Type ``text`` in the list field and select List."""
        self.list_text.setText(text)
        self.as_list.setChecked(True)
        self._edited()

    def set_job_limit(self, limit):
        """Allow at most ``limit.most`` runs at once (a :class:`nncore.memory.JobLimit`) and say why beside
        the field; the number the user chose comes back when the bound rises again. Returns the jobs now
        chosen."""
        self._limiting = True
        try:
            self.jobs.setMaximum(limit.most)
            self.jobs.setValue(min(self._wanted_jobs, limit.most))
        finally:
            self._limiting = False
        self.jobs_note.setText(f"at most {limit.most}, as {limit.why}")
        return self.jobs.value()

    def where(self):
        """(runs at once, the scheduler's address or '' for this machine)."""
        return self.jobs.value(), self.scheduler.text().strip()

    def _jobs_edited(self, value):
        if not self._limiting:
            self._wanted_jobs = value
            self.changed.emit()

    def values(self):
        """The values to sweep, in the sweep's form; ValueError saying what is wrong."""
        p = self.parameter()
        if self.as_list.isChecked():
            return p.parse_list(self.list_text.text())
        return p.values_in_range(self.start.text(), self.stop.text(), self.count.value(), self.log.isChecked(),
                                 self.hidden_layers)

    def _edited(self, *_):
        range_on = self.as_range.isChecked()
        for w in (self.start, self.stop, self.count, self.log):
            w.setEnabled(range_on)
        self.list_text.setEnabled(not range_on)
        try:
            values = self.values()
        except ValueError as e:
            self.preview.setText("")
            self.message.show_message(str(e))
        else:
            p = self.parameter()
            self.message.show_message("")
            self.preview.setText(f"{len(values)} run{'s' * (len(values) != 1)}: "
                                 + ", ".join(p.text(v) for v in values))
        self.changed.emit()
