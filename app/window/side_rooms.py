"""The side rooms (the settings panel, the drawing pad) shown with the pages that use them.

Each page says which rooms it uses (the Training page: both; the inspector and "What it looks at": the
pad; the rest: neither), so a laptop's width goes to the page in use. Showing or hiding a room by hand
(the rail's buttons, the View menu, a dock's close button) is remembered for that page.
"""

from PySide6.QtCore import QObject

MAX_PAGES = 64    # page choices read back from the settings, at most
ROOMS = ("settings", "pad")


def _bounded_choices(stored, pages):
    """{page title: {room: bool}} from what the settings held (anything else is dropped)."""
    if not isinstance(stored, dict):
        return {}
    titles = set(pages.titles())
    return {title: {room: value for room, value in rooms.items() if room in ROOMS and isinstance(value, bool)}
            for title, rooms in list(stored.items())[:MAX_PAGES]
            if isinstance(title, str) and title in titles and isinstance(rooms, dict)}


class SideRooms(QObject):
    """Shows ``docks`` ({room: QDockWidget}) as the page on show in ``pages`` (Pages) asks, unless the
    user chose otherwise for that page (``stored``: the choices kept in the settings)."""

    def __init__(self, pages, docks, stored=None, parent=None):
        super().__init__(parent)
        self.pages, self.docks = pages, docks
        self._choices = _bounded_choices(stored, pages)
        self._applying = False
        pages.pageShown.connect(lambda _page: self.apply())
        for room, dock in docks.items():
            dock.toggleViewAction().toggled.connect(lambda on, room=room: self._toggled(room, on))

    def wants(self, room, page=None):
        """Whether ``room`` shows with ``page`` (the page on show by default)."""
        page = page or self.pages.page()
        return self._choices.get(page.title, {}).get(room, getattr(page, room))

    def apply(self):
        """Show and hide the rooms for the page on show."""
        if not self.pages.pages:
            return
        self._applying = True
        try:
            for room, dock in self.docks.items():
                dock.setVisible(self.wants(room))
        finally:
            self._applying = False

    def choices(self):
        """The user's own choices, {page title: {room: shown}}, to keep in the settings."""
        return {title: dict(rooms) for title, rooms in self._choices.items() if rooms}

    def toggle_actions(self):
        """The docks' show/hide actions (for the View menu and the rail)."""
        return [dock.toggleViewAction() for dock in self.docks.values()]

    def _toggled(self, room, on):
        """The user showed or hid ``room``: remember it for the page on show (not while the window itself is
        hidden or minimised, which hides nothing by choice)."""
        window = self.parent()
        if self._applying or not self.pages.pages or (window is not None and not window.isVisible()):
            return
        page = self.pages.page()
        rooms = self._choices.setdefault(page.title, {})
        if on == getattr(page, room):
            rooms.pop(room, None)
        else:
            rooms[room] = on
