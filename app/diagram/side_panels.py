"""The diagram's side panels as the pages of one tab widget: numbers, slope, neuron lab, layer map.

They follow the example on show (:meth:`SidePanels.follow`). The lab is tall: it scrolls vertically in
its page, so that on a laptop the diagram keeps its height and the playback bar stays in view. None
scrolls sideways: the panels are narrow enough.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget

from nncore.diagram_model import costs_along_weight, edge_numbers, neuron_numbers, weight_slice


def _scrolled(widget):
    """``widget`` in a frameless area that scrolls vertically only, as wide as the widget needs."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    area.setMinimumWidth(widget.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width())
    return area


class SidePanels(QTabWidget):
    """``SidePanels(numbers, slope, lab, layer_map)``; :meth:`show_panel` brings one to the front."""

    def __init__(self, numbers, slope, lab, layer_map, parent=None):
        super().__init__(parent)
        self.numbers, self.slope, self.lab, self._pages = numbers, slope, lab, {}
        pages = ((numbers, "Numbers", numbers), (slope, "Slope", slope), (lab, "Neuron lab", _scrolled(lab)),
                 (layer_map, "Layer map", layer_map))
        for widget, title, page in pages:
            self._pages[widget] = page
            self.addTab(page, title)

    def show_panel(self, widget):
        """Bring the page holding ``widget`` to the front."""
        self.setCurrentWidget(self._pages[widget])

    def showing(self, widget):
        """True when ``widget``'s page is in front."""
        return self.currentWidget() is self._pages[widget]

    def follow(self, network, tr, x, label, selection, eta):
        """Show example ``x (n_0,)`` with target ``label`` and trace ``tr`` of ``network``: the lab's
        outputs, the numbers of ``selection`` (``('neuron', layer, j)``, ``('edge', layer, j, i)`` or
        None) with η ``eta``, and for an edge the cost along its weight. Returns the selection, or None
        when it does not exist in ``network`` (the panels are then cleared)."""
        self.lab.set_context(network, x, label)
        if selection is not None and not _exists(network.sizes, selection):
            selection = None
        if selection is None:
            self.numbers.clear()
        elif selection[0] == "neuron":
            self.numbers.show_neuron(neuron_numbers(network, tr, *selection[1:]), eta)
        else:
            where = selection[1:]
            self.numbers.show_edge(edge_numbers(network, tr, *where, eta))
            cost_at = lambda w: costs_along_weight(network, x, label, *where, [w])[0]  # noqa: E731
            self.slope.show_slice(weight_slice(network, tr, x, *where), cost_at)
            return selection
        self.slope.clear()
        return selection


def _exists(sizes, selection):
    """True when neuron ``(kind, layer, j)`` or weight ``(kind, layer, j, i)`` is one of the network's."""
    kind, layer, j, *i = selection
    return 1 <= layer < len(sizes) and 0 <= j < sizes[layer] and all(0 <= k < sizes[layer - 1] for k in i)
