"""How the window looks: zoom (for a lecture hall), full screen, and a light or dark theme.

The theme follows the system unless the user chose one; it is the application's palette, and everything
reads its colours from the palette: labels and links through their palette roles, painted widgets at
paint time, plots through :func:`app.widgets.plot_theme.style_plot`. A switch at run time re-polishes the
widgets that have a style sheet (Qt resolves a sheet's colours once, when it polishes) and restyles every
pyqtgraph plot in the window. Both choices are kept in the settings.
"""

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ..widgets.plot_theme import follow_theme
from ..widgets.theme import AA, contrast, dim_text, mix

ZOOMS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
THEMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


class ViewOptions(QObject):
    """Applies zoom and theme to the application, to every pyqtgraph plot in ``window`` and to the
    ``plots`` given (plots kept outside the window's widgets)."""

    def __init__(self, window, settings, actions, plots=(), parent=None):
        super().__init__(parent or window)
        self.window, self.settings, self.plots = window, settings, list(plots)
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
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self.apply()

    @staticmethod
    def system_is_dark():
        """True when the system says its colour scheme is dark."""
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark

    @property
    def dark(self):
        """True when the dark theme is in use (chosen, or the system's)."""
        return self.system_is_dark() if self.theme == "system" else self.theme == "dark"

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

    def _system_scheme_changed(self, _scheme):
        if self.theme == "system":
            self.apply()

    def apply(self):
        """Font size, palette and plot colours as chosen; a palette that changed re-styles what is built."""
        app = QApplication.instance()
        font = app.font()
        font.setPointSizeF(self._base_point_size * self.zoom)
        app.setFont(font)
        palette = with_readable_dim_text(dark_palette() if self.dark else QPalette(self._base_palette))
        if palette != app.palette():
            app.setPalette(palette)
            # Qt posts the change to the widgets: deliver it now, so what follows sees the new palette
            QCoreApplication.sendPostedEvents(None, QEvent.ApplicationPaletteChange)
            for widget in [self.window, *self.window.findChildren(QWidget)]:   # this window's, dialogs included
                if widget.styleSheet():
                    widget.setStyleSheet(widget.styleSheet())   # re-resolve its colours in the new palette
        for plot in [*self.window.findChildren(pg.PlotWidget), *self.plots]:
            follow_theme(plot)         # its colours from the palette, now and at every change
            for name in ("left", "bottom"):
                plot.getPlotItem().getAxis(name).setTickFont(font)


def with_readable_dim_text(palette):
    """``palette`` with a PlaceholderText (the dim text of notes and captions) that keeps AA contrast on
    its window: Fusion's light one is half-transparent black, 4.1:1 on its grey window."""
    window = palette.color(QPalette.Window)
    dim = palette.color(QPalette.PlaceholderText)
    if contrast(mix(window, dim, dim.alphaF()), window) < AA:
        palette.setColor(QPalette.PlaceholderText, dim_text(palette))
    return palette


def dark_palette():
    """A dark QPalette for the widgets (Qt's own dark scheme is not on every platform)."""
    p = QPalette(QColor("#353535"), QColor("#2b2b2b"))     # the bevel shades from the button and window
    colors = {QPalette.Window: "#2b2b2b", QPalette.WindowText: "#e6e6e6", QPalette.Base: "#1f1f1f",
              QPalette.AlternateBase: "#2f2f2f", QPalette.ToolTipBase: "#3a3a3a", QPalette.ToolTipText: "#f0f0f0",
              QPalette.Text: "#e6e6e6", QPalette.Button: "#353535", QPalette.ButtonText: "#e6e6e6",
              QPalette.BrightText: "#ff6b6b", QPalette.Highlight: "#3d7bd9", QPalette.HighlightedText: "#ffffff",
              QPalette.Link: "#7fb2ff", QPalette.LinkVisited: "#c39bff", QPalette.PlaceholderText: "#9a9a9a"}
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor("#7a7a7a"))
    return p
