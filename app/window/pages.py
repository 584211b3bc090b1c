"""The window's pages: a rail of named buttons down the left edge and the page in use beside it.

A rail instead of a tab strip: every page's name stays readable at any width (a laptop's tab strip hid
two of seven behind scroll arrows), and the page gets the whole height. Each page says which side rooms
(the settings panel, the drawing pad) it uses; the window shows those with it.
"""

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QStackedWidget, QToolBar, QToolButton, QVBoxLayout, QWidget


@dataclass(frozen=True)
class Page:
    """One page: its ``widget``, its ``title`` on the rail, what it is for (``tip``), and the side rooms
    it uses: ``settings`` (the network settings) and ``pad`` (the drawing pad)."""

    widget: object
    title: str
    tip: str
    settings: bool = False
    pad: bool = False


class _HolderLayout(QVBoxLayout):
    """A page's holder in its scroll area. It reports no height-for-width: a scroll area takes a page's
    height-for-width (its preferred height, with wrapped captions) as the least it may have, and would
    scroll a page that fits in its minimum height."""

    def hasHeightForWidth(self):
        return False


class Pages(QStackedWidget):
    """The pages, one on show; ``rail`` is the toolbar that picks one (Ctrl+1 … Ctrl+9 too).

    ``currentChanged(index)`` when another page is shown.
    """

    pageShown = Signal(object)    # the Page now on show

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pages = []
        self.rail = QToolBar("Pages")
        self.rail.setObjectName("pages_rail")
        self.rail.setOrientation(Qt.Vertical)
        self.rail.setMovable(False)
        self.rail.setFloatable(False)
        self.rail.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.rail.toggleViewAction().setEnabled(False)    # the only way between pages: never hidden
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self.currentChanged.connect(self._shown)

    def add_page(self, page):
        """Add ``page`` (a Page) at the end of the rail; its widget scrolls (vertically, when the window is
        short) rather than forcing the window larger than the screen."""
        self.pages.append(page)
        holder = QWidget()
        layout = _HolderLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page.widget)
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        index = self.addWidget(scroll)
        action = QAction(page.title, self)
        action.setCheckable(True)
        action.setChecked(index == self.currentIndex())
        number = len(self.pages)
        if number <= 9:
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            page_tip = f"{page.tip} (Ctrl+{number})"
        else:
            page_tip = page.tip
        action.setToolTip(page_tip)
        action.setStatusTip(page.tip)
        action.triggered.connect(lambda _=False, i=index: self.setCurrentIndex(i))
        self._group.addAction(action)
        self.rail.addAction(action)
        button = self.rail.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            button.setMinimumHeight(button.sizeHint().height() + 8)      # an easy target
            button.setAccessibleName(page.title)
            bold = QFont(button.font())
            bold.setBold(True)          # the page on show is in bold: the rail is as wide as that, always
            self.rail.setMinimumWidth(max(self.rail.minimumWidth(),
                                          QFontMetrics(bold).horizontalAdvance(page.title) + 40))
        return action

    def add_room_toggles(self, actions):
        """Show/hide buttons for the side rooms, at the foot of the rail."""
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)
        self.rail.addWidget(spacer)
        for action in actions:
            self.rail.addAction(action)
            button = self.rail.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def page(self, index=None):
        """The Page at ``index`` (the one on show by default)."""
        return self.pages[self.currentIndex() if index is None else index]

    def show_page(self, which):
        """Show the page whose title or widget is ``which``; False when there is none."""
        index = next((i for i, p in enumerate(self.pages) if which in (p.title, p.widget)), -1)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0

    def current_room(self):
        """The widget of the page on show."""
        return self.pages[self.currentIndex()].widget if self.pages else None

    def titles(self):
        """Every page's title, in rail order."""
        return [p.title for p in self.pages]

    def actions_for_pages(self):
        """The rail's checkable actions, one per page."""
        return self._group.actions()

    def _shown(self, index):
        actions = self._group.actions()
        if 0 <= index < len(actions):
            actions[index].setChecked(True)
            for i, action in enumerate(actions):      # the page on show in bold (a style sheet would fix
                button = self.rail.widgetForAction(action)    # the colours of the theme it was made in)
                if button is not None:
                    font = button.font()
                    font.setBold(i == index)
                    button.setFont(font)
            self.pageShown.emit(self.pages[index])
