"""The dark theme is whole whichever way it is reached: every visible text, link, plot and bar of every
page keeps a WCAG AA contrast (4.5:1) with what it is drawn on, in the dark theme and back in the light.

Text colours are read as Qt will paint them: a rich-text label's own fragments (a link or a span carries
its colour, fixed when the text was set), else the widget's palette role (a style sheet's colour lands
there when it is polished). The background is the nearest ancestor that fills itself.
"""

import re

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QToolButton,
    QWidget,
)

from app.widgets.light_grid import GridLines
from app.widgets.output_bars import OutputBars

AA = 4.5          # WCAG AA for text
# Text this check leaves to the owner of its module, with why: a fixed colour in an inline span.
NOT_YET = {}     # text: why it is not yet held to AA (none now)
FAINT = 1.5       # an empty bar's track, a grid line: barely off the background
SAME_KIND = 1.5   # a plot's background against the window's: of the same theme


# ---- WCAG, written out (independent of the app's own helpers) --------------------------------------
def luminance(c):
    """WCAG relative luminance of an opaque QColor: 0 (black) … 1 (white)."""
    def linear(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(c.red()) + 0.7152 * linear(c.green()) + 0.0722 * linear(c.blue())


def contrast(a, b):
    """WCAG contrast ratio of two opaque colours: 1 (the same) … 21 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def over(c, background):
    """``c`` as painted on ``background``: its alpha blended in."""
    a = c.alphaF()
    return QColor.fromRgbF(*(a * x + (1 - a) * y for x, y in zip(c.getRgbF()[:3], background.getRgbF()[:3])))


def test_the_helpers_give_wcag_numbers():
    """Black on white is 21:1, a colour on itself 1:1, and #767676 on white just passes AA (4.54:1)."""
    white, black = QColor("white"), QColor("black")
    assert contrast(black, white) == pytest.approx(21.0)
    assert contrast(QColor("#2b2b2b"), QColor("#2b2b2b")) == 1.0
    assert contrast(QColor("#767676"), white) == pytest.approx(4.54, abs=0.01)
    assert over(QColor(0, 0, 0, 128), white).name() == "#7f7f7f"


# ---- what each widget paints, and on what ----------------------------------------------------------
_SHEET_COLOR = re.compile(r"(?<![-\w])color\s*:\s*([^;}]+)")
_SHEET_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;}]+)")


def _sheet_colour(widget, pattern):
    match = pattern.search(widget.styleSheet())
    colour = QColor(match.group(1).strip()) if match else None
    return colour if colour is not None and colour.isValid() else None


def background_of(widget):
    """The colour ``widget`` is drawn on: the nearest of it and its ancestors that fills its background
    (a style sheet's background, autofill, a scroll area's viewport, the window)."""
    w = widget
    while w is not None:
        sheet = _sheet_colour(w, _SHEET_BACKGROUND)
        if sheet is not None:
            return sheet
        if w.autoFillBackground() or w.isWindow():
            return w.palette().color(w.backgroundRole())
        w = w.parentWidget()
    raise AssertionError(f"{widget!r} is on no window")


def _button_face(button):
    """A push button's face, a raised tool button's; None for one drawn on its parent (a check box)."""
    if isinstance(button, (QCheckBox, QRadioButton)):
        return None
    if isinstance(button, QPushButton) and button.isFlat():
        return None
    if isinstance(button, QToolButton) and button.autoRaise() and not button.isChecked():
        return None
    return _sheet_colour(button, _SHEET_BACKGROUND) or button.palette().color(QPalette.Button)


def _fragments(doc, default):
    """``(text, colour)`` of each run of a document's text: its own colour, else ``default``."""
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            brush = frag.charFormat().foreground()
            if frag.text().strip():
                yield frag.text(), brush.color() if brush.style() != Qt.NoBrush else default
            it += 1
        block = block.next()


def text_runs(widget):
    """``(text, colour, background)`` for each run of text ``widget`` paints in one colour."""
    if isinstance(widget, QTextBrowser):
        viewport = widget.viewport()
        yield from ((t, c, viewport.palette().color(QPalette.Base))
                    for t, c in _fragments(widget.document(), widget.palette().color(QPalette.Text)))
        return
    role = widget.foregroundRole()
    default = _sheet_colour(widget, _SHEET_COLOR) or widget.palette().color(QPalette.Active, role)
    background = (_button_face(widget) if isinstance(widget, QAbstractButton) else None) or background_of(widget)
    docs = widget.findChildren(QTextDocument) if isinstance(widget, QLabel) else []
    if docs:                       # rich text: each fragment's own colour (links, spans)
        yield from ((t, c, background) for t, c in _fragments(docs[0], default))
    else:
        yield (widget.title() if isinstance(widget, QGroupBox) else widget.text()), default, background


def texts_to_check(window):
    """Every visible, enabled label with text, button, group box title and text browser in ``window``
    (a disabled control is exempt from WCAG's contrast rule)."""
    kinds = (QLabel, QAbstractButton, QGroupBox, QTextBrowser)
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.isVisible() or not widget.isEnabled():
            continue
        if isinstance(widget, QLabel) and not widget.text().strip():
            continue
        if isinstance(widget, QGroupBox) and not widget.title():
            continue
        yield widget


def contrast_failures(window):
    """'text: ratio' for each run of text under the AA ratio."""
    failures = []
    for widget in texts_to_check(window):
        for text, colour, background in text_runs(widget):
            if text.strip() in NOT_YET:
                continue
            ratio = contrast(over(colour, background), background)
            if ratio < AA:
                failures.append(f"{type(widget).__name__} {text[:50]!r}: {colour.name()} on "
                                f"{background.name()} = {ratio:.2f}")
                break                              # one line a widget is enough
    return failures


# ---- plots and bars ----------------------------------------------------------------------------------
def plot_failures(window):
    """For each visible pyqtgraph plot: its background of the window's kind, its title, axis text, axis
    labels and legend readable on it, its grid lines faint."""
    failures, window_bg = [], window.palette().color(QPalette.Window)
    plots = [p for p in window.findChildren(pg.PlotWidget) if p.isVisible()]
    for plot in plots:
        name = plot.getPlotItem().titleLabel.text or type(plot).__name__
        bg = plot.backgroundBrush().color()
        if contrast(bg, window_bg) > SAME_KIND:
            failures.append(f"{name}: background {bg.name()} on a {window_bg.name()} window")
        item = plot.getPlotItem()
        texts = {"title": QColor(item.titleLabel.opts.get("color") or pg.getConfigOption("foreground"))}
        for side, axis in ((s, a["item"]) for s, a in item.axes.items()):
            if axis.isVisible():
                texts[f"{side} ticks"] = axis.textPen().color()
                if axis.label.isVisible() and axis.labelText:
                    texts[f"{side} label"] = QColor(axis.labelStyle.get("color"))
        if item.legend is not None:
            texts["legend"] = item.legend.labelTextColor() or QColor(pg.getConfigOption("foreground"))
        for what, colour in texts.items():
            if contrast(colour, bg) < AA:
                failures.append(f"{name}: {what} {colour.name()} on {bg.name()} = {contrast(colour, bg):.2f}")
        for grid in (i for i in item.items if isinstance(i, GridLines)):
            line = over(grid.opts["pen"].color(), bg)
            if contrast(line, bg) >= FAINT:
                failures.append(f"{name}: grid lines {line.name()} on {bg.name()} = {contrast(line, bg):.2f}")
    return failures, len(plots)


def bar_failures(window, screen):
    """For each visible empty OutputBars, the colours that cover a fifth or more of it on ``screen`` (the
    window's grab): the background and the empty tracks, both faint against the background."""
    failures, checked = [], 0
    for bars in window.findChildren(OutputBars):
        if not bars.isVisible() or bars.values is not None:
            continue
        background = background_of(bars)
        shown = bars.visibleRegion().boundingRect() & QRect(0, 0, bars.width(), bars.height() - 20)  # not the digits
        image = screen.copy(shown.translated(bars.mapTo(window, QPoint(0, 0))) & screen.rect())
        if image.width() * image.height() < 400:
            continue                # scrolled out of sight
        checked += 1
        counts = {}
        for y in range(0, image.height(), 2):
            for x in range(0, image.width(), 2):
                name = image.pixelColor(x, y).name()
                counts[name] = counts.get(name, 0) + 1
        total = sum(counts.values())
        for name, n in counts.items():
            if n >= total / 5 and contrast(QColor(name), background) >= FAINT:
                failures.append(f"bars: {name} over {n / total:.0%} on {background.name()}")
    return failures, checked


# ---- the walk -----------------------------------------------------------------------------------------
@pytest.fixture
def restore_look():
    """Give back the application's palette and font after the test (the theme is process-wide)."""
    app = QApplication.instance()
    palette, font = QPalette(app.palette()), app.font()
    yield
    app.setPalette(palette)
    app.setFont(font)


def walk_pages(window, qtbot, theme, folder):
    """Every page with both side rooms shown: the failures of each, and a screenshot in ``folder``."""
    failures, bars_checked, plots_checked = [], 0, 0
    for i in range(window.pages.count()):
        window.pages.setCurrentIndex(i)
        window.settings_dock.show()
        window.pad_dock.show()
        qtbot.waitUntil(lambda: window.pages.currentWidget().isVisible())
        QApplication.processEvents()        # layouts and the pages' first paints
        screen = window.grab()
        screen.save(str(folder / f"{theme}-{i}-{window.pages.pages[i].title}.png"))
        bars, n_bars = bar_failures(window, screen.toImage())
        plots, n_plots = plot_failures(window)
        page = window.pages.pages[i].title
        failures += [f"{theme}, {page}: {f}" for f in contrast_failures(window) + plots + bars]
        bars_checked, plots_checked = bars_checked + n_bars, plots_checked + n_plots
    assert bars_checked >= window.pages.count() and plots_checked >= 5, "the pad's bars or the plots were not seen"
    return failures


def test_every_text_plot_and_bar_is_readable_after_switching_theme_at_run_time(window, qtbot, tmp_path,
                                                                              restore_look):
    """Every page seen in the light theme, then View → Theme → Dark, then → Light again: on every page
    each visible label, link, button and plot text keeps 4.5:1 with its background, plots take the
    theme's background, and the empty output bars' tracks stay faint."""
    window.show()
    qtbot.waitExposed(window)
    themes = {a.text(): a for a in window.view.theme_actions.actions()}
    window.inspector.show_test_image(0)    # the fact panels' headings and links, built in the light theme
    failures = walk_pages(window, qtbot, "light-first", tmp_path)     # everything built and polished light
    for theme in ("Dark", "Light"):
        themes[theme].trigger()
        QApplication.processEvents()        # the palette change reaches the widgets
        assert (window.palette().color(QPalette.Window).lightness() < 100) == (theme == "Dark")
        failures += walk_pages(window, qtbot, theme.lower(), tmp_path)
    assert not failures, "\n".join(failures)


def test_a_window_launched_dark_from_the_settings_is_whole(qtbot, settings, mnist, tmp_path, restore_look):
    """With "dark" in the settings, the window opens dark and every page passes the same checks."""
    from app.window.main_window import MainWindow

    settings.set_json("options", {"welcome": False})
    settings.set_json("theme", "dark")
    window = MainWindow(settings, dataset=mnist, data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.inspector.show_test_image(0)
    QApplication.processEvents()
    try:
        assert window.palette().color(QPalette.Window).lightness() < 100
        failures = walk_pages(window, qtbot, "launched-dark", tmp_path)
        assert not failures, "\n".join(failures)
    finally:
        window.close()


def test_following_the_system_switches_when_the_system_does(window, monkeypatch, restore_look):
    """Theme "Follow the system": the window turns dark when the system's colour scheme does, and its
    plots with it."""
    hints = QGuiApplication.styleHints()
    window.view.set_theme("system")
    monkeypatch.setattr(type(window.view), "system_is_dark", staticmethod(lambda: True))
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.palette().color(QPalette.Window).lightness() < 100
    speed = window.training_tab.plots.speed_plot
    assert contrast(speed.backgroundBrush().color(), window.palette().color(QPalette.Window)) < SAME_KIND
    monkeypatch.setattr(type(window.view), "system_is_dark", staticmethod(lambda: False))
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window.palette().color(QPalette.Window).lightness() > 150
    assert speed.backgroundBrush().color().lightness() > 150

