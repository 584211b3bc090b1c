"""The Lessons tab: the list of guided experiments from Nielsen's book, and the open lesson's page."""

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from nncore.data import resources_dir

from ..widgets.fields import MessageLabel
from .learner_runs import LearnerRuns, kept_curve
from .lesson_file import load_lessons
from .lesson_page import LessonPage

# The settings a run can ask for when the window does not say (``TrainingConfig().to_dict()``'s keys today);
# the window passes its own with ``known_settings`` so that a new knob enables its lessons by itself.
DEFAULT_KNOWN_SETTINGS = frozenset({"hidden", "learning_rate", "epochs", "batch_size", "train_size", "cost",
                                    "init", "seed", "distort"})
REFRESH_MS = 200   # the learner's curves are redrawn at most five times a second
LIST_WIDTH = 220


def lessons_folder():
    """The bundled lessons: ``resources/lessons`` beside the packages (never the working directory)."""
    return resources_dir() / "lessons"


class LessonsTab(QWidget):
    """Guided experiments, one screen each, with the book's reported accuracy beside the learner's.

    Signals: ``runRequested(dict)``, a run's settings (the keys of ``TrainingConfig.to_dict()``) to apply
    and train at once; ``showTabRequested(str)``, the title of a tab to bring forward. Slots, to be
    connected to the training session: :meth:`run_started`, :meth:`epoch`, :meth:`run_ended`. Only the
    run that starts next after a ``runRequested`` with those settings is drawn; other runs are ignored.
    ``known_settings`` (default :data:`DEFAULT_KNOWN_SETTINGS`) are the setting names the window knows: a
    lesson run asking for any other has its button disabled, saying what it needs.
    """

    runRequested = Signal(dict)
    showTabRequested = Signal(str)

    def __init__(self, parent=None, *, known_settings=None, folder=None):
        super().__init__(parent)
        self.known_settings = frozenset(DEFAULT_KNOWN_SETTINGS if known_settings is None else known_settings)
        self.lessons, self.notes = load_lessons(lessons_folder() if folder is None else folder)
        self.runs = LearnerRuns()
        self.history = None     # the window's run history (use_history): lesson runs are marked and found there
        self.list = QListWidget()
        self.list.setFixedWidth(LIST_WIDTH)
        self.list.setAccessibleName("Lessons")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        for lesson in self.lessons:
            item = QListWidgetItem(f"{lesson.title}\nchapter {lesson.chapter}")
            item.setToolTip(lesson.watch)
            self.list.addItem(item)
        self.note = MessageLabel()
        self.note.setFixedWidth(LIST_WIDTH)
        self.note.show_message("\n".join(self.notes))
        self.page = LessonPage()
        self.empty = QLabel("No lessons could be read." if not self.lessons else "")
        self.empty.setAlignment(Qt.AlignCenter)
        self._timer = QTimer(self, singleShot=True, interval=REFRESH_MS, timeout=self.refresh)
        self.page.runClicked.connect(self._run_clicked)
        self.page.showTabClicked.connect(self.showTabRequested)
        self.list.currentRowChanged.connect(self.open_lesson)
        self._lay_out()
        if self.lessons:
            self.list.setCurrentRow(0)
        self.page.setVisible(bool(self.lessons))
        self.empty.setVisible(not self.lessons)

    def _lay_out(self):
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("<b>Lessons</b> from Michael Nielsen’s <i>Neural Networks and Deep Learning</i>")
        heading.setWordWrap(True)
        heading.setFixedWidth(LIST_WIDTH)
        side.addWidget(heading)
        side.addWidget(self.list, 1)
        side.addWidget(self.note)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(side)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.empty, 1)

    def current_lesson(self):
        """The open :class:`Lesson`, or None."""
        row = self.list.currentRow()
        return self.lessons[row] if 0 <= row < len(self.lessons) else None

    def open_lesson(self, row):
        """Show lesson ``row`` (its index in the list) with the learner's runs of it so far."""
        if 0 <= row < len(self.lessons):
            if self.list.currentRow() != row:
                self.list.setCurrentRow(row)      # comes back here through currentRowChanged
                return
            self.page.show_lesson(self.lessons[row], self.known_settings)
            self.refresh()

    def set_known_settings(self, names):
        """The setting names the window knows (``TrainingConfig().to_dict()``'s keys); buttons follow."""
        self.known_settings = frozenset(names)
        self.open_lesson(self.list.currentRow())

    # ---- runs --------------------------------------------------------------------------------
    def _run_clicked(self, index):
        lesson = self.current_lesson()
        run = lesson.runs[index]
        if run.unknown_settings(self.known_settings):
            return                                # the button is disabled; never send a knob the window lacks
        config = run.config()
        self.runs.requested((lesson.key, index), config)
        self.runRequested.emit(config)

    def use_history(self, history):
        """Mark lesson runs in ``history`` (the Training tab's RunHistory, kept across launches) and show the
        runs found there for buttons not run in this session: a restart keeps the lessons' runs."""
        self.history = history
        self._changed()

    def run_started(self, run_id, setup):
        """A run began (``setup.config`` its TrainingConfig): if it is the one a lesson asked for, follow it
        (and mark its record in the history with the lesson's button, so that it is found after a restart)."""
        slot = self.runs.started(run_id, _settings_of(setup))
        if slot is not None:
            record = None if self.history is None else self.history.get(run_id)
            if record is not None:
                record.lesson = slot
            self._changed()

    def epoch(self, run_id, report):
        """An EpochReport of run ``run_id``: a point on the learner's curve if the run is a lesson's."""
        if self.runs.epoch(run_id, report.epoch, report.validation_accuracy, report.test_accuracy) is not None:
            self._changed()

    def run_ended(self, run_id, end):
        """Run ``run_id`` ended (a RunEnd): the lesson's result line says how."""
        reason = str(getattr(end, "reason", "ended"))
        text = reason if reason == "finished" else f"{reason}: {getattr(end, 'message', '')}".rstrip(": ")
        if self.runs.ended(run_id, text) is not None:
            self._changed()

    def _changed(self):
        if not self._timer.isActive():
            self._timer.start()

    def showEvent(self, event):
        """Coming into view: the open lesson with its runs as they are now (a restored history included)."""
        super().showEvent(event)
        self.refresh()

    def refresh(self):
        """Redraw the open lesson's learner curves and result lines now: this session's run of each button,
        else the one kept in the run history."""
        lesson = self.current_lesson()
        if lesson is not None:
            kept = list(self.history or ())
            self.page.set_curves([self.runs.curve((lesson.key, i)) or kept_curve(kept, (lesson.key, i), run.config())
                                  for i, run in enumerate(lesson.runs)])


def _settings_of(setup):
    """The settings dict of a RunSetup (its config's ``to_dict()``), or None when it has none."""
    config = getattr(setup, "config", None)
    try:
        return config.to_dict() if config is not None else None
    except (AttributeError, TypeError):
        return None
