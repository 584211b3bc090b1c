"""The drawing pad: mouse strokes become digits the default network reads; Clear, Undo, the store."""

import numpy as np
import pytest
from digit_strokes import BASE, smooth, variants
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

import nncore
from app.pad.drawing_pad import DrawingPad
from app.pad.handwriting_store import HandwritingStore
from nncore.data import resources_dir
from nncore.strokes import render

SIDE = 300


@pytest.fixture(scope="module")
def default_network():
    """The shipped pre-trained network."""
    return nncore.load(resources_dir() / "default-network.npz")


@pytest.fixture
def pad(qtbot):
    """A shown 300 × 300 pad."""
    p = DrawingPad()
    qtbot.addWidget(p)
    p.resize(SIDE, SIDE)
    p.show()
    qtbot.waitExposed(p)
    return p


def mouse_draw(pad, strokes):
    """Replay strokes (canvas fractions) as real mouse presses, moves and releases."""
    for stroke in strokes:
        points = [QPoint(round(x * SIDE), round(y * SIDE)) for x, y in stroke]
        QTest.mousePress(pad, Qt.LeftButton, Qt.NoModifier, points[0])
        for p in points[1:]:
            QTest.mouseMove(pad, p)
        QTest.mouseRelease(pad, Qt.LeftButton, Qt.NoModifier, points[-1])


def test_mouse_drawn_digits_are_read_correctly(pad, default_network):
    """All 40 authored drawings (10 digits × 4 styles), drawn with the mouse: at least 38 read right,
    and every plain one."""
    wrong = []
    for digit, style, strokes in variants():
        pad.clear()
        mouse_draw(pad, strokes)
        guess = int(np.argmax(default_network.feedforward(pad.to_network_input())))
        if guess != digit:
            wrong.append((digit, style, guess))
    assert len(wrong) <= 2, wrong
    assert not [w for w in wrong if w[1] == "plain"], wrong


def test_nncore_renders_strokes_as_the_pad_paints_them(pad, default_network):
    """nncore.strokes.render, which scores drawings without a window, paints what the pad paints: the
    canvases within 0.2% mean difference, and the same reading of all 40."""
    pads, ours = [], []
    for _, _, strokes in variants():
        pad.clear()
        pad.draw_strokes(strokes)
        canvas = pad.canvas_array()
        assert np.abs(canvas - render(strokes)).mean() < 0.002
        pads.append(pad.to_network_input())
        ours.append(nncore.preprocess.to_mnist(render(strokes)))
    assert np.array_equal(default_network.predict(np.array(pads)), default_network.predict(np.array(ours)))


def test_clear_and_undo(pad, qtbot):
    """Undo removes the last stroke only; Escape and right-click clear everything."""
    mouse_draw(pad, smooth(BASE[4]))
    assert pad.stroke_count() == 2
    one_stroke = None
    pad.undo()
    assert pad.stroke_count() == 1
    one_stroke = pad.canvas_array().copy()
    mouse_draw(pad, smooth(BASE[4])[1:])
    QTest.keyClick(pad, Qt.Key_Z, Qt.ControlModifier)
    assert np.array_equal(pad.canvas_array(), one_stroke)
    QTest.keyClick(pad, Qt.Key_Escape)
    assert pad.is_empty() and pad.canvas_array().max() == 0
    QTest.keyClick(pad, Qt.Key_Z, Qt.ControlModifier)    # a clear is not undone
    assert pad.is_empty() and not pad.undo_stack.canUndo()
    mouse_draw(pad, smooth(BASE[1]))
    QTest.mouseClick(pad, Qt.RightButton, Qt.NoModifier, QPoint(10, 10))
    assert pad.is_empty()


def test_empty_pad_gives_no_prediction(window):
    """With nothing drawn, the panel shows a hint and no guess; drawing brings a guess."""
    panel = window.pad_panel
    panel.classify()
    assert panel.view.outputs is None and panel.view.guess.text() == "–"
    assert not panel.pad.to_network_input().any()
    panel.pad.draw_strokes(smooth(BASE[7]))
    panel.classify()
    assert panel.view.guess.text() == "7"
    assert panel.view.outputs.shape == (10,)
    assert f"{panel.view.outputs.sum():.3f}" in panel.view.detail.text()


def test_digit_key_keeps_the_drawing_as_my_handwriting(window, qtbot):
    """Key 3 on the pad stores the drawing labelled 3, clears the pad, and updates the accuracy line."""
    panel = window.pad_panel
    panel.pad.draw_strokes(smooth(BASE[3]))
    expected = panel.pad.to_network_input()
    QTest.keyClick(panel.pad, Qt.Key_3)
    store = panel.handwriting.store
    assert [s.label for s in store.samples] == [3] and panel.pad.is_empty()
    assert np.abs(store.samples[0].x() - expected).max() <= 1 / 255
    qtbot.waitUntil(lambda: "1 of 1 read correctly" in panel.handwriting.summary.text(), timeout=5000)


def test_many_drawings_are_read_and_scored_off_the_gui_thread(window, qtbot, tmp_path, mnist):
    """5,000 drawings: the panel is scored in the background and a FIFO named like a drawing is skipped."""
    import os

    from app.pad.handwriting_panel import HandwritingPanel
    from app.pad.handwriting_store import MAGIC, SUFFIX, HandwritingStore

    folder = tmp_path / "many"
    folder.mkdir()
    pixels = (mnist.test.x[:5000] * 255).round().astype(np.uint8)
    for k in range(5000):
        (folder / f"{k:05d}{SUFFIX}").write_bytes(MAGIC + bytes([int(mnist.test.labels[k])]) + pixels[k].tobytes())
    os.mkfifo(folder / f"x{SUFFIX}")
    panel = HandwritingPanel(HandwritingStore(folder, load=False))
    qtbot.addWidget(panel)
    panel.show()                                       # a hidden panel scores when it is shown
    assert "reading" in panel.summary.text()          # the constructor returned before reading
    panel.set_network(window.current.network)
    qtbot.waitUntil(lambda: "of 5000 read correctly" in panel.summary.text().replace(",", ""), timeout=20_000)
    correct, total = panel.store.accuracy(window.current.network)
    assert total == 5000 and f"{correct:,} of 5,000" in panel.summary.text()
    assert any(w.startswith(f"x{SUFFIX}") and "FIFO" in w for w in panel.store.warnings)
    panel.shutdown()


def test_store_survives_restart_and_skips_a_corrupt_file(tmp_path):
    """Drawings come back after reopening; a damaged file is skipped with a warning, others kept."""
    store = HandwritingStore(tmp_path)
    rng = np.random.default_rng(0)
    for label in (1, 2, 3):
        store.add(rng.uniform(0, 1, 784), label)
    (tmp_path / "0000-broken-5.digit").write_bytes(b"BLH\x05" + b"\x00" * 100)
    again = HandwritingStore(tmp_path)
    assert sorted(s.label for s in again.samples) == [1, 2, 3]
    assert len(again.warnings) == 1 and "0000-broken-5.digit" in again.warnings[0]
    again.delete(again.samples[0])
    assert len(HandwritingStore(tmp_path).samples) == 2
    with pytest.raises(ValueError, match="0–9"):
        again.add(np.zeros(784), 12)


def test_an_image_put_on_the_pad_is_read_as_it_is(pad, mnist):
    """show_input: the network reads exactly the given image; a stroke on it starts from that image;
    Clear empties the pad."""
    x = mnist.test.x[4]
    pad.show_input(x)
    assert not pad.is_empty()
    np.testing.assert_array_equal(pad.to_network_input(), x)
    assert pad.canvas_array().max() > 0.9
    pad.draw_strokes([[(0.05, 0.05), (0.1, 0.1)]])
    assert not np.array_equal(pad.to_network_input(), x)      # now read from the canvas, stroke included
    pad.clear()
    assert pad.is_empty() and not np.any(pad.to_network_input())
