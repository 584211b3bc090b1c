"""The drawing pad: draw a digit with the mouse or a pen, white ink on black as in MNIST.

Strokes are kept as point lists, each one drawn a command on the pad's undo stack, and painted, anti-aliased, into a
square greyscale image at a fixed resolution; :meth:`DrawingPad.to_network_input` runs that image
through :func:`nncore.preprocess.to_mnist`, the same preparation MNIST's digits had.
"""

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QShortcut,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from nncore.limits import IMAGE_SIDE, N_INPUTS
from nncore.preprocess import to_mnist
from nncore.strokes import CANVAS, PEN_FRACTION  # the pad's resolution and pen, shared with nncore.strokes.render


class DrawingPad(QWidget):
    """A square canvas; ``drawingChanged`` after every change of the ink.

    Clear: the Escape key, a right-click or :meth:`clear`. Undo the last stroke: Ctrl+Z or
    :meth:`undo` (``undo_stack`` holds the strokes drawn since the pad was last cleared).
    :meth:`to_network_input` gives the ``(784,)`` vector the network sees.
    """

    drawingChanged = Signal()
    digitKeyPressed = Signal(int)   # the user pressed 0–9 on the pad: "this drawing is that digit"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setCursor(Qt.CrossCursor)
        self.setToolTip("Draw a digit. Right-click or Esc clears, Ctrl+Z undoes the last stroke.")
        self.setAttribute(Qt.WA_TabletTracking, True)
        self._strokes = []          # list of lists of QPointF in canvas coordinates
        self.undo_stack = QUndoStack(self)     # one command per stroke
        self._image = QImage(CANVAS, CANVAS, QImage.Format_Grayscale8)
        self._image.fill(0)
        self._drawing = False
        self._stroke_square = None   # where the pad was when the stroke began: a resize cannot bend it
        self._input = self._base = None   # an image shown with show_input: read as it is, drawn beneath
        for keys, slot in ((QKeySequence.Undo, self.undo), (QKeySequence(Qt.Key_Escape), self.clear)):
            shortcut = QShortcut(keys, self, slot)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)

    # ---- the public face -----------------------------------------------------------------
    def clear(self):
        """Remove all ink."""
        if self._strokes or self._base is not None:
            self._strokes.clear()
            self.undo_stack.clear()
            self._input = self._base = None
            self._repaint_image()

    def undo(self):
        """Remove the last stroke."""
        self.undo_stack.undo()

    def is_empty(self):
        """True when there is no ink."""
        return not self._strokes and self._base is None

    def stroke_count(self):
        """Number of strokes drawn."""
        return len(self._strokes)

    def strokes(self):
        """The strokes drawn, as :meth:`draw_strokes` takes them: lists of (x, y) in [0, 1] canvas fractions."""
        return [[(p.x() / CANVAS, p.y() / CANVAS) for p in stroke] for stroke in self._strokes]

    def canvas_array(self):
        """The canvas as float ``(280, 280)`` in [0, 1], ink = 1."""
        ptr = self._image.constBits()
        raw = np.frombuffer(ptr, dtype=np.uint8).reshape(CANVAS, self._image.bytesPerLine())
        return raw[:, :CANVAS].astype(np.float32) / 255.0

    def to_network_input(self):
        """The ``(784,)`` float32 vector the network sees; all zeros when the pad is empty."""
        if self._input is not None and not self._strokes:
            return self._input.copy()
        x = None if self.is_empty() else to_mnist(self.canvas_array())
        return np.zeros(N_INPUTS, np.float32) if x is None else x

    def show_input(self, x):
        """Show a network input ``x (784,)`` (an image made elsewhere, e.g. a nudged drawing) as the
        pad's content; the network then reads exactly ``x``. Drawing on it starts from that image."""
        self._strokes.clear()
        self.undo_stack.clear()
        self._input = np.asarray(x, dtype=np.float32).reshape(-1).copy()
        small = np.ascontiguousarray((np.clip(self._input, 0, 1).reshape(IMAGE_SIDE, IMAGE_SIDE) * 255)
                                     .astype(np.uint8))
        image = QImage(small.data, IMAGE_SIDE, IMAGE_SIDE, IMAGE_SIDE, QImage.Format_Grayscale8)
        self._base = image.scaled(CANVAS, CANVAS).convertToFormat(QImage.Format_Grayscale8)
        self._repaint_image()

    def draw_strokes(self, strokes):
        """Add strokes given as lists of (x, y) in [0, 1] canvas fractions (for scripts and tests)."""
        for points in strokes:
            self.undo_stack.push(_Stroke(self, [QPointF(x * CANVAS, y * CANVAS) for x, y in points]))
        self._repaint_image()

    # ---- painting ------------------------------------------------------------------------
    def _pen(self):
        pen = QPen(QColor(255, 255, 255), PEN_FRACTION * CANVAS)
        pen.setCapStyle(Qt.RoundCap)
        pen.setJoinStyle(Qt.RoundJoin)
        return pen

    def _repaint_image(self):
        self._image.fill(0)
        if self._base is not None:                          # an image shown with show_input, beneath
            p = QPainter(self._image)
            p.drawImage(0, 0, self._base)
            p.end()
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(self._pen())
        for stroke in self._strokes:
            self._paint_stroke(painter, stroke)
        painter.end()
        self.update()
        self.drawingChanged.emit()

    @staticmethod
    def _paint_stroke(painter, stroke):
        if len(stroke) == 1:
            painter.drawPoint(stroke[0])
            return
        path = QPainterPath(stroke[0])
        for p in stroke[1:]:
            path.lineTo(p)
        painter.drawPath(path)

    def _paint_segment(self, a, b, whole=False):
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(self._pen())
        if a == b:
            painter.drawPoint(a)
        else:
            painter.drawLine(a, b)
        painter.end()
        if whole:
            self.update()
        else:   # at every pen move only the segment's box on screen is repainted, not the whole pad
            self.update(self._on_screen(a, b))
        self.drawingChanged.emit()

    def _on_screen(self, a, b):
        """The widget's rectangle (a QRect) that the segment from canvas point ``a`` to ``b`` inked."""
        r, ink = self._square(), PEN_FRACTION * CANVAS / 2 + 2
        scale = r.width() / CANVAS
        canvas = QRectF(a, b).normalized().adjusted(-ink, -ink, ink, ink)
        return QRectF(r.x() + canvas.x() * scale, r.y() + canvas.y() * scale, canvas.width() * scale,
                      canvas.height() * scale).toAlignedRect().adjusted(-1, -1, 1, 1)

    def _square(self):
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def _to_canvas(self, pos):
        r = self._stroke_square if self._drawing and self._stroke_square is not None else self._square()
        return QPointF((pos.x() - r.x()) * CANVAS / r.width(), (pos.y() - r.y()) * CANVAS / r.height())

    def paintEvent(self, _event):
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        r = self._square()
        painter.setRenderHint(QPainter.SmoothPixmapTransform)
        painter.drawImage(r, self._image)
        painter.setPen(QPen(QColor(90, 90, 90), 1))
        painter.drawRect(r.adjusted(0, 0, -1, -1))
        if self.is_empty():
            painter.setPen(QColor(150, 150, 150))
            painter.drawText(r, Qt.AlignCenter, "Draw a digit here")
        painter.end()

    # ---- input ---------------------------------------------------------------------------
    def _begin(self, pos):
        self._stroke_square = self._square()
        p = self._to_canvas(pos)
        whole = self.is_empty()          # the first ink takes away the "Draw a digit here"
        self.undo_stack.push(_Stroke(self, [p]))
        self._drawing = True
        self._paint_segment(p, p, whole=whole)

    def _extend(self, pos):
        if self._drawing:
            p = self._to_canvas(pos)
            stroke = self._strokes[-1]
            self._paint_segment(stroke[-1], p)
            stroke.append(p)

    def mousePressEvent(self, event):
        if event.button() == Qt.RightButton:
            self.clear()
        elif event.button() == Qt.LeftButton:
            self.setFocus()
            self._begin(event.position())

    def mouseMoveEvent(self, event):
        self._extend(event.position())

    def mouseReleaseEvent(self, event):
        if event.button() == Qt.LeftButton:
            self._drawing = False

    def keyPressEvent(self, event):
        text = event.text()
        if len(text) == 1 and text.isdigit():
            self.digitKeyPressed.emit(int(text))
        else:
            super().keyPressEvent(event)

    def tabletEvent(self, event):
        kind = event.type()
        if kind == event.Type.TabletPress:
            self._begin(event.position())
        elif kind == event.Type.TabletMove:
            self._extend(event.position())
        elif kind == event.Type.TabletRelease:
            self._drawing = False
        event.accept()


class _Stroke(QUndoCommand):
    """One stroke, a list of QPointF that grows while it is drawn. Pushing it adds it to the pad without
    painting (the pen paints it as it goes); undo takes it away and redo puts it back, both repainting."""

    def __init__(self, pad, points):
        super().__init__("Draw a stroke")
        self.pad, self.points, self.painted = pad, points, False

    def redo(self):
        self.pad._strokes.append(self.points)
        if self.painted:
            self.pad._repaint_image()
        self.painted = True

    def undo(self):
        self.pad._strokes.pop()             # the last stroke: the stack undoes in order
        self.pad._repaint_image()
