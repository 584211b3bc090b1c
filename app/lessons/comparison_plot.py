"""The book's reported accuracy beside the learner's own, per run of a lesson, against epochs."""

import pyqtgraph as pg

from ..widgets.pens import pen

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"]   # one per run of a lesson


def run_color(index):
    """The colour of a lesson's run ``index``: its curve, its button's mark and the book's reference."""
    return COLORS[index % len(COLORS)]


class ComparisonPlot(pg.PlotWidget):
    """Accuracy (%) against epoch: each run's learner curve solid, the book's points as hollow diamonds,
    a final number the book gives as a dashed line across the epochs. Curves are made once per lesson
    and updated with ``setData``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setLabel("left", "accuracy", units="%")
        self.setLabel("bottom", "epoch")
        self.showGrid(x=True, y=True, alpha=0.2)
        self.setMenuEnabled(False)
        self.setMinimumSize(260, 180)
        self.curves, self.references = [], []   # no legend: it would cover data; the page's key says it

    def show_lesson(self, lesson):
        """Forget the previous lesson's items and draw ``lesson``'s book references, with empty learner
        curves ready for :meth:`set_curve`."""
        self.clear()
        self.curves, self.references = [], []
        self.setVisible(bool(lesson.runs))
        epochs = max(lesson.epochs(), 1)
        for index, run in enumerate(lesson.runs):
            color = run_color(index)
            self.curves.append(self.plot([], [], pen=pen(color, width=2)))
            if run.book is not None:
                self.references.append(self._reference(run.book, color, epochs))
        self.setXRange(0, epochs + (1 if epochs < 50 else epochs // 50), padding=0)
        self.enableAutoRange(y=True)

    def _reference(self, book, color, epochs):
        if book.final is not None:
            return self.plot([0, epochs], [book.final, book.final], pen=pen(color, width=1.5, dash=True))
        xs, ys = zip(*book.points)
        return self.plot(list(xs), list(ys), pen=None, symbol="d", symbolSize=9, symbolPen=pen(color, width=1.5),
                         symbolBrush=None)

    def set_curve(self, index, epochs, accuracies):
        """The learner's curve of run ``index``: accuracies (%) at the given epochs."""
        if 0 <= index < len(self.curves):
            self.curves[index].setData(list(epochs), list(accuracies))

    def curve_data(self, index):
        """(epochs, accuracies) drawn for run ``index``, as lists."""
        x, y = self.curves[index].getData()
        return ([] if x is None else [float(v) for v in x]), ([] if y is None else [float(v) for v in y])
