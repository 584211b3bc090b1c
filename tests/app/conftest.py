"""Fixtures of the window's tests."""

import gc

import pytest


@pytest.fixture(scope="session")
def gui_thread_garbage_collector(qapp):
    """The app's collector of cyclic garbage on the GUI thread (app.threads); automatic collection is
    off only while a window test runs (see below)."""
    from app.threads import collect_garbage_on_the_gui_thread

    collector = collect_garbage_on_the_gui_thread()
    gc.enable()
    yield collector
    collector.timer.stop()


@pytest.fixture(autouse=True)
def garbage_collected_on_the_gui_thread(gui_thread_garbage_collector):
    """As in the app, no collection starts on a worker thread during a window test (one there could free
    an earlier test's window and deadlock with the GUI thread); after it, what the generation counts ask
    for is collected here, on the GUI thread, and automatic collection is back for the core's tests."""
    gc.disable()
    yield
    gui_thread_garbage_collector.check()
    gc.enable()


@pytest.fixture
def errors(window):
    """The ``(title, text)`` of every error the window shows from now on, oldest first."""
    shown = []
    window.status.errorShown.connect(lambda title, text: shown.append((title, text)))
    return shown


@pytest.fixture
def curves_by_tooltip():
    """A function: a pyqtgraph plot's data items that have a tooltip, by that tooltip read as Qt reads
    one (plain text)."""
    from PySide6.QtGui import QTextDocument

    def curves(plot):
        found, tip = {}, QTextDocument()
        for item in plot.listDataItems():
            if item.toolTip():
                tip.setHtml(item.toolTip())
                found[tip.toPlainText()] = item
        return found

    return curves


@pytest.fixture(scope="session")
def default_net():
    """The shipped pre-trained network (resources/default-network.npz)."""
    import nncore
    from nncore.data import resources_dir

    return nncore.load(resources_dir() / "default-network.npz")


@pytest.fixture
def pad_with_a_4(qtbot):
    """A 280 × 280 drawing pad holding a drawn 4."""
    from digit_strokes import BASE, smooth

    from app.pad.drawing_pad import DrawingPad

    pad = DrawingPad()
    qtbot.addWidget(pad)
    pad.resize(280, 280)
    pad.draw_strokes(smooth(BASE[4]))
    return pad


@pytest.fixture
def diagram_net():
    """A fixed float32 784-20-15-10 network (three layers of weights) for the diagram's tests."""
    import nncore

    return nncore.Network([784, 20, 15, 10], init="scaled", rng=2)


@pytest.fixture
def open_diagram(qtbot, mnist):
    """A function: a DiagramTab of ``width`` × ``height`` on ``net`` and MNIST, following test image 0 from
    the start; its threads are ended after the test."""
    from app.diagram.diagram_tab import DiagramTab
    from app.diagram.example_picker import TEST

    tabs = []

    def open_tab(net, width, height):
        t = DiagramTab(lambda: None)
        qtbot.addWidget(t)
        t.resize(width, height)
        t.set_network(net, "test network")
        t.set_dataset(mnist)
        t.picker.source.setCurrentIndex(TEST)
        t.picker.index.setValue(0)
        assert t.picker.choose()
        tabs.append(t)
        return t

    yield open_tab
    for t in tabs:
        t.shutdown()
