"""How the window looks: zoom (for a lecture hall), full screen, and a light or dark theme.

The theme follows the system unless the user chose one; the plots follow the theme. Both choices
are kept in the settings.
"""

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ZOOMS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
THEMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
PLOT_COLORS = {False: ("w", "#333333", "#999999"), True: ("#1e1e1e", "#dddddd", "#888888")}


class ViewOptions(QObject):
    """Applies zoom and theme to the application and to the given pyqtgraph ``plots``."""

    def __init__(self, window, settings, actions, plots, parent=None):
        super().__init__(parent or window)
        self.window, self.settings, self.plots = window, settings, plots
        app = QApplication.instance()
        self._base_point_size = app.font().pointSizeF()
        self._base_palette = QPalette(app.palette())
        zoom = settings.get_json("zoom", 1.0)
        self.zoom = zoom if zoom in ZOOMS else 1.0
        theme = settings.get_json("theme", "system")
        self.theme = theme if theme in THEMES else "system"
        actions["zoom_in"].triggered.connect(lambda: self.set_zoom(+1))
        actions["zoom_out"].triggered.connect(lambda: self.set_zoom(-1))
        actions["zoom_reset"].triggered.connect(lambda: self.set_zoom(0))
        actions["full_screen"].toggled.connect(self.set_full_screen)
        self.theme_actions = QActionGroup(self)
        for key, text in THEMES.items():
            action = self.theme_actions.addAction(text)
            action.setCheckable(True)
            action.setChecked(key == self.theme)
            action.triggered.connect(lambda _=False, key=key: self.set_theme(key))
        self.apply()

    @property
    def dark(self):
        """True when the dark theme is in use (chosen, or the system's)."""
        if self.theme == "system":
            return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
        return self.theme == "dark"

    def set_zoom(self, step):
        """One step larger (+1) or smaller (−1), or back to 100% (0)."""
        i = ZOOMS.index(self.zoom)
        self.zoom = 1.0 if step == 0 else ZOOMS[min(max(i + step, 0), len(ZOOMS) - 1)]
        self.settings.set_json("zoom", self.zoom)
        self.apply()

    def set_theme(self, theme):
        """'system', 'light' or 'dark'."""
        self.theme = theme
        self.settings.set_json("theme", theme)
        self.apply()

    def set_full_screen(self, on):
        """Full screen on or off."""
        self.window.showFullScreen() if on else self.window.showNormal()

    def apply(self):
        """Font size, palette and plot colours as chosen."""
        app = QApplication.instance()
        font = app.font()
        font.setPointSizeF(self._base_point_size * self.zoom)
        app.setFont(font)
        app.setPalette(dark_palette() if self.dark else self._base_palette)
        background, text, axis = PLOT_COLORS[self.dark]
        tick_font = app.font()
        for plot in self.plots:
            plot.setBackground(background)
            item = plot.getPlotItem()
            item.titleLabel.setAttr("color", text)
            item.titleLabel.setText(item.titleLabel.text)
            for name in ("left", "bottom"):
                ax = item.getAxis(name)
                ax.setPen(axis)
                ax.setTextPen(text)
                ax.setTickFont(tick_font)


def dark_palette():
    """A dark QPalette for the widgets (Qt's own dark scheme is not on every platform)."""
    p = QPalette()
    colors = {QPalette.Window: "#2b2b2b", QPalette.WindowText: "#e6e6e6", QPalette.Base: "#1f1f1f",
              QPalette.AlternateBase: "#2f2f2f", QPalette.ToolTipBase: "#3a3a3a", QPalette.ToolTipText: "#f0f0f0",
              QPalette.Text: "#e6e6e6", QPalette.Button: "#353535", QPalette.ButtonText: "#e6e6e6",
              QPalette.BrightText: "#ff6b6b", QPalette.Highlight: "#3d7bd9", QPalette.HighlightedText: "#ffffff",
              QPalette.Link: "#7fb2ff", QPalette.PlaceholderText: "#9a9a9a"}
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor("#7a7a7a"))
    return p
