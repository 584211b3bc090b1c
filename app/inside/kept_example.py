"""The inspector's example kept between launches: where it comes from, which image and the target y.

Part of :class:`~app.inside.inspector_tab.InspectorTab` (a mixin: it uses the tab's ``example``, ``x``,
``network`` and ``load_selected``). The window keeps :meth:`KeptExample.state` in its options and gives it
back with :meth:`KeptExample.restore_state` at the next launch; the example is inspected again as soon as
the data and a network are there. The pixels are not kept: an example sent from another view comes back as
the pad's drawing.
"""

from nncore.limits import N_CLASSES

from .example_box import PAD, SOURCES

MAX_INDEX = 10_000_000   # an image's index as stored; the picker holds it to the split's size


class KeptExample:
    """:meth:`state` and :meth:`restore_state` of the inspector's example, and :meth:`set_dataset`, which
    also inspects a kept example once the data has come."""

    _kept = None     # a state restored and not yet applied: it waits for the data and a network

    def state(self):
        """{'source': 0 pad, 1 test, 2 training image, 'index': the image, 'target': y, 'inspected': bool}."""
        box = self.example
        return {"source": box.source.currentIndex(), "index": box.index.value(), "target": box.target.value(),
                "inspected": self.x is not None or self.showing_pad}

    def restore_state(self, state):
        """Pick the example :meth:`state` described (a state that is not one is ignored): at once the source,
        and once the data and a network are there the image, inspected again if it was, with its target."""
        if not isinstance(state, dict):
            return
        source, index, target = (state.get(k) for k in ("source", "index", "target"))
        if not all(type(v) is int for v in (source, index, target)) or not (
                0 <= source < len(SOURCES) and 0 <= index <= MAX_INDEX and 0 <= target < N_CLASSES):
            return
        self.example.source.setCurrentIndex(source)
        self._kept = {"source": source, "index": index, "target": target, "inspected": state.get("inspected") is True}
        self._apply_kept()

    def set_dataset(self, dataset):
        """Pick MNIST images from ``dataset`` (an nncore.Dataset) from now on."""
        self.example.set_dataset(dataset)
        self._apply_kept()

    def _apply_kept(self):
        """Apply the kept example once it can be: the data (for an MNIST image) and a network are there."""
        kept, box = self._kept, self.example
        if kept is None or self.network is None or (kept["source"] != PAD and box.dataset is None):
            return
        self._kept = None
        box.source.setCurrentIndex(kept["source"])
        box.index.setValue(kept["index"])
        if kept["inspected"]:
            self.load_selected()
            if kept["source"] != PAD and box.target.value() != kept["target"]:
                box.target.setValue(kept["target"])      # a 'what if' target: as the user picked it
