"""One lesson on one screen: the explanation, what to watch, the runs' buttons, and the book's result
beside the learner's own."""

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..widgets.theme import bold, follow_palette, link_colour, readable, set_role_colour
from .comparison_plot import ComparisonPlot, run_color

TAB_SCHEME = "tab"     # a link [the tab](tab:What%20it%20looks%20at) in a lesson's text opens that tab


def knob_name(key):
    """How a setting the window lacks is named on a button: 'l2' → 'L2', 'halve_eta' → 'halve eta'."""
    return key.upper() if len(key) <= 3 else key.replace("_", " ")


def describe_settings(config):
    """'784-30-10, η 3, mini-batch 10, 30 epochs, quadratic cost, normal init, seed 1' from a run's dict."""
    words = {"hidden": lambda v: "-".join(map(str, [784, *v, 10])) if isinstance(v, list) else f"hidden {v}",
             "learning_rate": lambda v: f"η {v:g}" if isinstance(v, (int, float)) else f"η {v}",
             "batch_size": "mini-batch {}".format, "epochs": "{} epochs".format,
             "train_size": lambda v: f"{v:,} training images" if isinstance(v, int) else f"train size {v}",
             "cost": "{} cost".format, "init": "{} initialisation".format, "seed": "seed {}".format,
             "distort": lambda v: "distorted images" if v else "undistorted images"}
    return ", ".join(words[k](v) if k in words else f"{knob_name(k)} {v}" for k, v in config.items())


class LessonPage(QWidget):
    """The open lesson. ``runClicked(index)`` when a run's button is pressed; ``showTabClicked(name)``
    for the lesson's tab button or a ``tab:`` link in its text."""

    runClicked = Signal(int)
    showTabClicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lesson, self.run_buttons, self._curves = None, [], []
        self.title = bold(QLabel(), scale=1.4)
        self.citation = QLabel()
        self.citation.setOpenExternalLinks(True)
        self.citation.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._link)
        self.watch = QLabel()
        self.watch.setWordWrap(True)
        self.watch.setTextInteractionFlags(Qt.TextSelectableByMouse)
        watch_box = QGroupBox("What to watch")
        QVBoxLayout(watch_box).addWidget(self.watch)
        self.buttons = QVBoxLayout()
        self.show_tab = QPushButton()
        self.show_tab.clicked.connect(lambda: self.showTabClicked.emit(self.lesson.show))
        self.plot = ComparisonPlot()
        self.key = QLabel("Solid line: your run · ◇ the book's reported accuracy · dashed: the book's final "
                          "accuracy. Colours follow the buttons.")
        self.key.setWordWrap(True)
        small = self.key.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.key.setFont(small)
        self.reported = self._note_label()
        book_box = QGroupBox("What the book reports")
        QVBoxLayout(book_box).addWidget(self.reported)
        self.results = self._note_label()
        self.no_run = self._note_label()
        self._lay_out(watch_box, book_box)
        # Rich text keeps the colours it was given (a link's is the palette's when its text was set):
        # the lesson's texts are set again in the new colours when the theme changes.
        follow_palette(self, self._recolour)

    def _recolour(self):
        if self.lesson is not None:
            self._cite()
            scroll = self.text.verticalScrollBar().value()
            self.text.setMarkdown(self.lesson.body)
            self.text.verticalScrollBar().setValue(scroll)
            self.set_curves(self._curves)

    def _cite(self):
        link = link_colour(self.palette()).name()
        self.citation.setText(f"{self.lesson.citation()} — <a href=\"{self.lesson.url()}\" "
                              f"style='color: {link}'>read the chapter</a>")

    def _run_colour(self, index, role=QPalette.Window, palette=None):
        """Run ``index``'s colour, made readable on the ``role`` colour of ``palette`` (default: the page's)."""
        return readable(run_color(index), (palette or self.palette()).color(role))

    @staticmethod
    def _note_label():
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.RichText)
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        return label

    def _lay_out(self, watch_box, book_box):
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 4, 0)
        column.addWidget(self.text, 1)
        column.addWidget(watch_box)
        column.addWidget(book_box)
        right = QWidget()
        runs = QVBoxLayout(right)
        runs.setContentsMargins(4, 0, 0, 0)
        runs.setSpacing(4)
        runs.addLayout(self.buttons)
        runs.addWidget(self.show_tab)
        runs.addWidget(self.no_run)
        runs.addWidget(self.plot, 1)
        runs.addWidget(self.key)
        runs.addWidget(self.results)
        runs.addStretch(0)                # takes the room when a lesson has no plot
        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        split.setSizes([1000, 1000])      # half and half, whatever the width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.citation)
        layout.addWidget(split, 1)

    # ---- showing a lesson ----------------------------------------------------------------------
    def show_lesson(self, lesson, known_settings):
        """Show ``lesson``; a run needing a setting outside ``known_settings`` gets a disabled button."""
        self.lesson = lesson
        self.title.setText(lesson.title)
        self._cite()
        self.text.setMarkdown(lesson.body)
        self.watch.setText(lesson.watch or "—")
        self.watch.parentWidget().setVisible(bool(lesson.watch))
        self._make_buttons(lesson, known_settings)
        self.show_tab.setVisible(bool(lesson.show))
        self.show_tab.setText(f"Open the “{lesson.show}” tab" if lesson.show else "")
        self.plot.show_lesson(lesson)
        self.key.setVisible(bool(lesson.runs))
        self.no_run.setVisible(not lesson.runs)
        self.no_run.setText("Nothing to train here, and no number from the book to compare with: this lesson "
                            + (f"happens in the “{lesson.show}” tab." if lesson.show else "is for reading."))
        self.reported.setText(lesson.reported)
        self.reported.parentWidget().setVisible(bool(lesson.reported))
        self.set_curves([None] * len(lesson.runs))

    def _make_buttons(self, lesson, known):
        for button in self.run_buttons:
            self.buttons.removeWidget(button)
            button.hide()                 # at once: deleteLater waits for the event loop
            button.deleteLater()
        self.run_buttons = []
        for index, run in enumerate(lesson.runs):
            missing = run.unknown_settings(known)
            name = f"Train {run.label}" if run.label else "Set up and train"
            button = QPushButton(f"■ {name}" + (f": needs {', '.join(map(knob_name, missing))} (coming)"
                                                if missing else ""))
            bold(button)     # in its run's colour, readable on the button in either theme; no style sheet
            set_role_colour(button, QPalette.ButtonText,
                            lambda palette, i=index: self._run_colour(i, QPalette.Button, palette))
            button.setEnabled(not missing)
            button.setToolTip(self._why(missing) if missing else
                              f"Sets {describe_settings(run.config())}, then presses Train.")
            button.clicked.connect(lambda _=False, i=index: self.runClicked.emit(i))
            self.buttons.addWidget(button)
            self.run_buttons.append(button)

    @staticmethod
    def _why(missing):
        names = ", ".join(f"“{m}”" for m in missing)
        return (f"This run needs the setting {names}, which this version of Backprop Lab does not have yet; "
                "it is coming. The other runs of the lesson work now.")

    # ---- the learner's runs ----------------------------------------------------------------------
    def set_curves(self, curves):
        """Draw the learner's :class:`LearnerCurve` of each run (None: not run yet) and say how each went."""
        if self.lesson is None:
            return
        self._curves, lines = curves, []
        for index, (run, curve) in enumerate(zip(self.lesson.runs, curves)):
            epochs, values = curve.accuracy(self.lesson.accuracy) if curve else ([], [])
            self.plot.set_curve(index, epochs, values)
            lines.append(self._result_line(index, run, curve, epochs, values))
        which = f"Your {self.lesson.accuracy} accuracy" if lines else ""
        self.results.setText("<br>".join([f"<b>{which}</b>", *lines]) if lines else "")
        self.results.setVisible(bool(lines))

    def _result_line(self, index, run, curve, epochs, values):
        head = f"<span style='color:{self._run_colour(index).name()}'>■</span> {run.label or 'this run'}"
        epochs_asked = run.config().get("epochs", "?")
        if curve is None:
            you = "not run yet"
        elif not values:
            you = "starting…" if not curve.end_text else curve.end_text
        else:
            best = max(range(len(values)), key=values.__getitem__)
            you = (f"{values[-1]:.2f}% at epoch {epochs[-1]}/{epochs_asked} "
                   f"(best {values[best]:.2f}%, epoch {epochs[best]})")
            you += f", {curve.end_text}" if curve.end_text else ""
        book = f" · book: {run.book.text()}" if run.book else ""
        return f"{head}: {you}{book}"

    def _link(self, url):
        if url.scheme() == TAB_SCHEME:
            self.showTabClicked.emit(url.path())
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(QUrl(url))
