"""An image folder is read into the right pixels, labels and class names, and bad folders are refused in one line."""

import os
import struct
import threading
import zlib

import numpy as np
import pytest
from PIL import Image

from nncore import image_decode, image_folder
from nncore.data_sources import open_data
from nncore.errors import DataFileError, LoadStopped
from nncore.image_folder import list_folder, read_images
from nncore.preprocess import to_mnist


def write(path, array, mode="L"):
    """Save a uint8 array (h, w) or (h, w, 3) as the image file ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(array, np.uint8), mode=None if mode == "L" else mode).save(path)
    return path


def blob(h, w, value=200, at=(2, 2), size=(4, 3)):
    """A black h×w image with a bright rectangle."""
    a = np.zeros((h, w), np.uint8)
    a[at[0]:at[0] + size[0], at[1]:at[1] + size[1]] = value
    return a


def two_classes(root, shape=(6, 5), n=3):
    for c, name in enumerate(("cat", "dog")):
        for i in range(n):
            write(root / name / f"{i}.png", blob(*shape, value=50 + 100 * c + i))
    return root


def test_classes_come_from_folder_names_in_natural_order(tmp_path):
    """'class2' sorts before 'class10'; files beside the class folders, hidden files and other suffixes: passed over."""
    for name in ("class10", "class2", "class1"):
        write(tmp_path / name / "a.png", blob(6, 6))
    (tmp_path / "README.txt").write_text("not a class")
    (tmp_path / "class1" / "notes.txt").write_text("not an image")
    write(tmp_path / "class1" / ".hidden.png", blob(6, 6))
    listing = list_folder(tmp_path)
    assert listing.classes == ("class1", "class2", "class10")
    assert [label for _, label in listing.train] == [0, 1, 2] and listing.test is None


def test_own_size_keeps_every_pixel_and_colour_becomes_grey(tmp_path):
    """'auto' keeps images that share a size as they are; an RGB pixel becomes its luma (ITU-R 601-2)."""
    rgb = np.zeros((4, 5, 3), np.uint8)
    rgb[1, 2] = (255, 0, 0)
    paths = [write(tmp_path / "a.png", blob(4, 5, value=77)), write(tmp_path / "b.bmp", rgb, "RGB")]
    pixels = read_images(paths)
    assert pixels.fit == "own" and pixels.image_shape == (4, 5) and pixels.rows.shape == (2, 20)
    assert np.array_equal(pixels.rows[0], blob(4, 5, value=77).reshape(-1))
    assert pixels.rows[1].reshape(4, 5)[1, 2] == round(0.299 * 255) and pixels.rows[1].sum() == 76


def test_mixed_sizes_are_centred_like_the_pads_drawings(tmp_path):
    """Of mixed sizes, 'auto' centres every image (those read before the change too) exactly as preprocess.to_mnist."""
    small, large = blob(10, 10, value=255), blob(40, 30, value=255, at=(5, 3), size=(20, 9))
    pixels = read_images([write(tmp_path / "s.png", small), write(tmp_path / "l.png", large)])
    assert pixels.fit == "centre" and pixels.image_shape == (28, 28)
    for row, image in zip(pixels.rows, (small, large)):
        expected = np.rint(to_mnist(image / 255.0, normalise_stroke=False) * 255).astype(np.uint8)
        assert np.array_equal(row, expected)


def test_dark_ink_on_light_paper_is_turned_round_before_centring(tmp_path):
    """A black mark on white paper reads as the same white mark on black."""
    mark = blob(20, 20, value=255, at=(4, 6), size=(9, 3))
    light = write(tmp_path / "light.png", 255 - mark)
    dark = write(tmp_path / "dark.png", mark)
    rows = read_images([light, dark], "centre").rows
    assert np.array_equal(rows[0], rows[1]) and rows[0].max() == 255


def test_resize_scales_to_28_by_28_without_keeping_the_aspect(tmp_path):
    """A 56×14 image of one grey value stays that value at 28×28."""
    pixels = read_images([write(tmp_path / "wide.png", np.full((14, 56), 90))], "resize")
    assert pixels.rows.shape == (1, 784) and set(pixels.rows[0].tolist()) == {90}


def test_own_refuses_images_of_mixed_sizes_naming_both(tmp_path):
    """One line naming the two sizes and what to use instead."""
    paths = [write(tmp_path / "a.png", blob(6, 5)), write(tmp_path / "b.png", blob(7, 5))]
    with pytest.raises(DataFileError, match=r"b.png: is 5×7 but .*a.png is 5×6; images of mixed sizes .* "
                                            r"use --images centre or resize"):
        read_images(paths, "own")


def test_own_refuses_images_larger_than_an_input_layer(tmp_path):
    """65×65 = 4,225 pixels cannot be a network's inputs (at most 4,096)."""
    with pytest.raises(DataFileError, match="is 65×65 = 4,225 pixels; an image kept at its own size is at most 4,096"):
        read_images([write(tmp_path / "big.png", blob(65, 65))], "own")


def test_progress_is_reported_and_a_set_event_stops_the_reading(tmp_path, monkeypatch):
    """progress(done, total) every PROGRESS_EVERY images and at the end; a set stop event raises LoadStopped."""
    monkeypatch.setattr(image_folder, "PROGRESS_EVERY", 2)
    paths = [write(tmp_path / f"{i}.png", blob(6, 5)) for i in range(5)]
    seen = []
    read_images(paths, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    stop = threading.Event()
    stop.set()
    with pytest.raises(LoadStopped, match="stopped after 0 of 5 images"):
        read_images(paths, stop=stop)


def test_train_and_test_folders_are_the_splits(tmp_path):
    """train/ and test/ give the splits; the test classes keep the training classes' labels."""
    two_classes(tmp_path / "train", n=7)
    write(tmp_path / "test" / "dog" / "x.png", blob(6, 5, value=9))
    data = open_data(tmp_path)
    assert data.shape.classes == ("cat", "dog") and data.shape.image_shape == (6, 5)
    assert len(data.train) + len(data.validation) == 14 and len(data.validation) == 14 // 6
    assert data.test.labels.tolist() == [1] and data.test.pixels[0].max() == 9


def test_without_test_folder_a_seeded_split_is_made(tmp_path):
    """Every image lands in exactly one split, the same way for the same split seed."""
    two_classes(tmp_path, n=14)
    a, b = open_data(tmp_path), open_data(tmp_path)
    assert (len(a.train), len(a.validation), len(a.test)) == (20, 4, 4)
    assert np.array_equal(a.test.pixels, b.test.pixels)
    every = np.concatenate([a.train.pixels, a.validation.pixels, a.test.pixels])
    assert sorted(every[:, 12].tolist()) == sorted([50 + 100 * c + i for c in (0, 1) for i in range(14)])


@pytest.mark.parametrize("make, words", [
    (lambda root: write(root / "cats" / "a.png", blob(6, 6)), "has only one class ('cats')"),
    (lambda root: root.mkdir(), "holds no class folders"),
    (lambda root: (two_classes(root), (root / "cow").mkdir()), "cow: holds no images"),
    (lambda root: (two_classes(root), (root / "dog" / "bad.png").write_bytes(b"not a png")),
     "bad.png: cannot be read as an image"),
    (lambda root: (two_classes(root), (root / "dog" / "cut.png").write_bytes(
        write(root / "noise.png", np.random.default_rng(1).integers(0, 256, (40, 40))).read_bytes()[:900])),
     "cut.png: damaged or truncated image"),
])
def test_bad_folders_are_refused_in_one_line(tmp_path, make, words):
    """One class, no class folders, an empty class, an unreadable or truncated image: a message naming it."""
    make(tmp_path / "d")
    with pytest.raises(DataFileError, match=words.replace("(", r"\(").replace(")", r"\)")):
        open_data(tmp_path / "d")


def _png_header_only(width, height):
    """A PNG whose header promises width × height pixels, and no pixels: a decompression bomb's front."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [7_500, 20_000])   # above the limit, and above twice it (Pillow's own error)
def test_decompression_bombs_are_refused_from_their_header(tmp_path, side):
    """56 or 400 megapixels promised: refused before any pixel is inflated, the limit named."""
    two_classes(tmp_path)
    (tmp_path / "dog" / "bomb.png").write_bytes(_png_header_only(side, side))
    with pytest.raises(DataFileError, match=f"bomb.png: is .*; at most {image_decode.MAX_IMAGE_PIXELS:,}"):
        open_data(tmp_path)


def test_special_files_named_as_images_are_refused_without_hanging(tmp_path):
    """A FIFO, a link to /dev/zero and a loop of links, each named .png: one line each, nothing read from them."""
    for name, make in (("fifo.png", os.mkfifo),
                       ("zero.png", lambda p: os.symlink("/dev/zero", p)),
                       ("loop.png", lambda p: (os.symlink(p + ".b", p), os.symlink(p, p + ".b")))):
        root = two_classes(tmp_path / name)
        make(str(root / "dog" / name))
        with pytest.raises(DataFileError, match=f"{name}: is (a named pipe|a device|a loop of symbolic links)"):
            open_data(root)


def test_a_folder_of_more_images_than_the_limit_is_refused_naming_it(tmp_path, monkeypatch):
    """Past MAX_IMAGES the listing stops and says the limit."""
    monkeypatch.setattr(image_folder, "MAX_IMAGES", 5)
    two_classes(tmp_path, n=3)
    with pytest.raises(DataFileError, match="holds more than 5 images; at most 5 are accepted"):
        open_data(tmp_path)
