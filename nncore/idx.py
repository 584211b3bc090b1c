"""The IDX file format of MNIST (raw or gzip-compressed), read with every length checked.

Layout: a big-endian int32 magic 0x000008DD where DD is the number of dimensions (3 for images,
1 for labels) and 0x08 the unsigned-byte type, then one big-endian int32 per dimension, then the
bytes. A truncated, mislabelled or wrongly shaped file raises :class:`DataFileError`.
"""

import gzip
import zlib
from pathlib import Path

import numpy as np

from .errors import DataFileError
from .limits import IMAGE_SHAPE, IMAGE_SIDE, N_CLASSES

MAX_ITEMS = 10_000_000


def read_bytes(path):
    """The file's bytes, decompressed when it is gzip (by content, not by name)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"{path}: no such file") from None
    except OSError as e:
        raise DataFileError(f"{path}: cannot be read ({e.strerror or e})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise DataFileError(f"{path}: damaged or truncated gzip file ({e})") from None
    return raw


def parse_idx(data, ndim, name="IDX data"):
    """Parse IDX bytes holding unsigned bytes in ``ndim`` dimensions → uint8 array of that shape."""
    if len(data) < 4:
        raise DataFileError(f"{name}: too short to be an IDX file ({len(data)} bytes)")
    zero, dtype_code, dims = data[0:2], data[2], data[3]
    if zero != b"\x00\x00" or dtype_code != 0x08:
        raise DataFileError(f"{name}: not an IDX file of unsigned bytes (magic {data[:4].hex()})")
    if dims != ndim:
        what = "images" if ndim == 3 else "labels"
        raise DataFileError(f"{name}: has {dims} dimensions; IDX {what} have {ndim}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataFileError(f"{name}: truncated in its header")
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    if shape[0] > MAX_ITEMS:
        raise DataFileError(f"{name}: claims {shape[0]:,} items; at most {MAX_ITEMS:,} are accepted")
    expected = int(np.prod(shape, dtype=np.int64))
    actual = len(data) - header
    if actual != expected:
        raise DataFileError(f"{name}: header says {'×'.join(map(str, shape))} = {expected:,} bytes "
                            f"of data but the file holds {actual:,} (truncated or mislabelled)")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def read_images(path):
    """28×28 uint8 images from an IDX3 file → ``(n, 28, 28)``."""
    images = parse_idx(read_bytes(path), 3, name=str(path))
    if images.shape[1:] != IMAGE_SHAPE:
        raise DataFileError(f"{path}: images are {images.shape[1]}×{images.shape[2]}; "
                            f"only {IMAGE_SIDE}×{IMAGE_SIDE} images are accepted")
    return images


def read_labels(path):
    """Digit labels 0–9 from an IDX1 file → ``(n,)`` uint8."""
    labels = parse_idx(read_bytes(path), 1, name=str(path))
    if labels.size and labels.max() >= N_CLASSES:
        raise DataFileError(f"{path}: holds label {int(labels.max())}; only labels 0–{N_CLASSES - 1} "
                            "are accepted")
    return labels
