"""One image file → grey pixels: decoded by Pillow within stated limits, then fitted to the network's input.

Only regular files are read (:func:`nncore.fileio.read_regular_bytes`: FIFOs, devices and loops of links
are refused before anything is opened), at most :data:`MAX_IMAGE_FILE_BYTES` of them; only PNG, JPEG and
BMP are decoded; an image of more than :data:`MAX_IMAGE_PIXELS` pixels is refused from its header, before
its pixels are inflated (a decompression bomb). Colour becomes grey by Pillow's ``L`` conversion (ITU-R
601-2 luma); transparency is dropped.

Fitting (:data:`FITS`): ``own`` keeps the image as it is; ``resize`` scales it to 28×28 by area averaging,
its aspect not kept; ``centre`` prepares it as the pad's drawings are, by :func:`nncore.preprocess.to_mnist`
(cropped to the ink, fitted to a 20×20 box keeping its aspect, centred by mass in 28×28), after turning a
light background dark (ink is bright in MNIST) and, for a large image, shrinking it first by area averaging.
"""

import io
import warnings
from functools import lru_cache

import numpy as np

from .errors import DataFileError
from .fileio import read_regular_bytes
from .limits import IMAGE_SHAPE, IMAGE_SIDE
from .preprocess import BOX, to_mnist

FORMATS = ("PNG", "JPEG", "BMP")
SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
FITS = ("centre", "resize", "own")
WHAT = "an image (PNG, JPEG or BMP)"
MAX_IMAGE_FILE_BYTES = 64 << 20     # one image file: 64 MiB
MAX_IMAGE_PIXELS = 50_000_000       # one image: 50 megapixels (a phone's photo), Pillow's bomb limit too
SHRINK_SIDE = 4 * BOX               # a large image is shrunk to at most this side before it is centred
LIGHT_BACKGROUND = 0.5              # a border brighter than this on average is background, turned dark


def pillow():
    """Pillow's ``Image`` module, its decompression-bomb limit set to :data:`MAX_IMAGE_PIXELS` (Pillow warns
    above it and raises above twice it) and its warning made an error, raised here and never printed
    (set again at each call: a ``warnings.catch_warnings`` elsewhere may have put the filters back)."""
    Image = _image_module()
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
    return Image


@lru_cache(maxsize=1)
def _image_module():
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    return Image


def read_grey(path, shrink_above=0):
    """The image file ``path`` as a grey Pillow image (mode 'L'); raises DataFileError saying why not.

    An image of more than ``shrink_above`` pixels may be decoded at a smaller scale (JPEG), for a fit that
    shrinks it anyway; pass ``math.inf`` to keep every pixel."""
    data = read_regular_bytes(path, MAX_IMAGE_FILE_BYTES, WHAT, DataFileError)
    Image = pillow()
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise DataFileError(_too_large(path, width, height))
            if width * height > shrink_above:
                img.draft("L", (SHRINK_SIDE, SHRINK_SIDE))   # JPEG: decoded at a smaller scale where it can
            return img.convert("L")
    except DataFileError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DataFileError(f"{path}: is larger than {MAX_IMAGE_PIXELS:,} pixels (a decompression bomb?); "
                            f"at most {MAX_IMAGE_PIXELS:,} are accepted") from None
    except Image.UnidentifiedImageError:
        raise DataFileError(f"{path}: cannot be read as {WHAT}") from None
    except Exception as e:  # noqa: BLE001 - a damaged file can fail anywhere in a decoder
        raise DataFileError(f"{path}: damaged or truncated image ({type(e).__name__}: {e})") from None


def _too_large(path, width, height):
    return (f"{path}: is {width:,}×{height:,} = {width * height:,} pixels; at most {MAX_IMAGE_PIXELS:,} "
            "are accepted")


def fitted(grey, fit):
    """uint8 ``(h·w,)`` pixels of the grey Pillow image ``grey`` fitted by ``fit`` (one of :data:`FITS`):
    ``(784,)`` for 'centre' and 'resize', the image's own ``(h·w,)`` for 'own'."""
    if fit == "own":
        return np.asarray(grey, dtype=np.uint8).reshape(-1)
    if fit == "resize":
        small = grey.resize(IMAGE_SHAPE[::-1], pillow().Resampling.BOX)
        return np.asarray(small, dtype=np.uint8).reshape(-1)
    return centred(shrunk(grey))


def shrunk(grey):
    """``grey`` scaled down (area averaging, aspect kept) so its longer side is at most SHRINK_SIDE."""
    width, height = grey.size
    if max(width, height) <= SHRINK_SIDE:
        return grey
    scale = SHRINK_SIDE / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return grey.resize(size, pillow().Resampling.BOX)


def centred(grey):
    """uint8 ``(784,)``: the grey image (a Pillow image or a uint8 ``(h, w)`` array) with bright ink on a
    dark background, prepared as the pad's drawings are (:func:`nncore.preprocess.to_mnist`, strokes
    left as they are); all zeros for an image without ink."""
    image = np.asarray(grey, dtype=np.float64) / 255.0
    if _border_mean(image) > LIGHT_BACKGROUND:
        image = 1.0 - image     # dark ink on light paper: turn it round, as MNIST's ink is bright
    digit = to_mnist(image, normalise_stroke=False)
    if digit is None:
        return np.zeros(IMAGE_SIDE * IMAGE_SIDE, np.uint8)
    return np.rint(digit * 255.0).astype(np.uint8)


def _border_mean(image):
    """The mean value of the outermost pixels of ``image (h, w)``."""
    edges = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    return float(edges.mean())
