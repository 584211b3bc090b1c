"""The IDX file format of MNIST (raw or gzip-compressed), read with every size checked before it is used.

Layout: a big-endian int32 magic 0x000008DD where DD is the number of dimensions (3 for images,
1 for labels) and 0x08 the unsigned-byte type, then one big-endian int32 per dimension, then the
bytes. The dimensions are multiplied as Python integers; their product must be at least 1 and at
most :data:`MAX_DATA_BYTES`, a memory limit. A raw file's size must agree with its header before
its data is read; a gzip stream (known by its content, not its name) is inflated only as far as its
header promises, and one byte more is refused without inflating the rest. Only regular files are
read (:func:`nncore.fileio.open_regular`). Anything wrong raises :class:`DataFileError`.
"""

import gzip
import math
import os
import zlib
from contextlib import contextmanager

import numpy as np

from .errors import DataFileError
from .fileio import open_regular
from .limits import IMAGE_SHAPE, IMAGE_SIDE, MAX_DATA_BYTES, N_CLASSES, N_INPUTS

# A dataset's pixels (MAX_DATA_BYTES) may take an eighth of the memory budget (125 MB, about 159,000
# images of 28×28; MNIST's 70,000 take 55 MB). They are held once, as these bytes, and converted to
# float inputs a mini-batch or an evaluation piece at a time, which leaves the rest of the budget to a
# network and its mini-batches.
GZIP_MAGIC = b"\x1f\x8b"
WHAT = "an IDX file (raw or .gz)"
_CHUNK = 1 << 20


def header_size(ndim):
    """Bytes of the header of an IDX file of ``ndim`` dimensions: the magic and one int32 per dimension."""
    return 4 + 4 * ndim


def parse_header(head, ndim, name="IDX data"):
    """The shape (a tuple of Python ints) that the header at the start of ``head`` (bytes) promises.

    Raises DataFileError if the magic is not IDX unsigned bytes in ``ndim`` dimensions, the header
    is cut short, or the data would hold no bytes or more than :data:`MAX_DATA_BYTES`.
    """
    if len(head) < 4:
        raise DataFileError(f"{name}: too short to be an IDX file ({len(head)} bytes)")
    zero, dtype_code, dims = head[0:2], head[2], head[3]
    if zero != b"\x00\x00" or dtype_code != 0x08:
        raise DataFileError(f"{name}: not an IDX file of unsigned bytes (magic {head[:4].hex()})")
    if dims != ndim:
        what = "images" if ndim == 3 else "labels"
        raise DataFileError(f"{name}: has {dims} dimensions; IDX {what} have {ndim}")
    if len(head) < header_size(ndim):
        raise DataFileError(f"{name}: truncated in its header")
    shape = tuple(int.from_bytes(head[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    n = math.prod(shape)
    if n == 0:
        raise DataFileError(f"{name}: its header says {_dims(shape)}, which holds nothing; an IDX file "
                            "holds at least one item")
    if n > MAX_DATA_BYTES:
        raise DataFileError(f"{name}: its header says {_dims(shape)} = {n:,} bytes; at most "
                            f"{MAX_DATA_BYTES:,} bytes are accepted (about {MAX_DATA_BYTES // N_INPUTS:,} "
                            f"images of {IMAGE_SIDE}×{IMAGE_SIDE}), a limit on the memory training needs")
    return shape


def parse_idx(data, ndim, name="IDX data"):
    """Parse IDX bytes holding unsigned bytes in ``ndim`` dimensions → uint8 array of that shape."""
    shape = parse_header(data, ndim, name)
    _check_length(name, shape, len(data) - header_size(ndim), "the file")
    return np.frombuffer(data, dtype=np.uint8, offset=header_size(ndim)).reshape(shape)


def read_shape(path, ndim):
    """The shape the header of the IDX file ``path`` promises (reads the header only)."""
    with _idx_stream(path) as (stream, _, _):
        return parse_header(_read(stream, header_size(ndim), path), ndim, str(path))


def read_idx(path, ndim, check_shape=None):
    """The uint8 array of the IDX file ``path`` in ``ndim`` dimensions, every size checked first.

    ``check_shape(shape, name)``, if given, may refuse the header's shape before any data is read.
    """
    name = str(path)
    with _idx_stream(path) as (stream, compressed, file_size):
        shape = parse_header(_read(stream, header_size(ndim), path), ndim, name)
        if check_shape is not None:
            check_shape(shape, name)
        n = math.prod(shape)
        where = "the decompressed file" if compressed else "the file"
        if not compressed:
            _check_length(name, shape, file_size - header_size(ndim), where)
        data = np.empty(n, dtype=np.uint8)
        _check_length(name, shape, _read_into(stream, data, path), where)
        if _read(stream, 1, path):
            raise DataFileError(f"{name}: {where} holds more data than its header says ({_dims(shape)} = "
                                f"{n:,} bytes); refused without reading the rest")
    return data.reshape(shape)


def read_images(path):
    """28×28 uint8 images from an IDX3 file → ``(n, 28, 28)``."""
    return read_idx(path, 3, check_shape=check_image_shape)


def check_image_shape(shape, name):
    """Refuse an images header whose images are not 28×28 (before any pixel is read)."""
    if shape[1:] != IMAGE_SHAPE:
        raise DataFileError(f"{name}: images are {shape[1]}×{shape[2]}; "
                            f"only {IMAGE_SIDE}×{IMAGE_SIDE} images are accepted")


def read_labels(path):
    """Digit labels 0–9 from an IDX1 file → ``(n,)`` uint8."""
    labels = read_idx(path, 1)
    if labels.max() >= N_CLASSES:
        raise DataFileError(f"{path}: holds label {int(labels.max())}; only labels 0–{N_CLASSES - 1} "
                            "are accepted")
    return labels


def _dims(shape):
    return "×".join(f"{d:,}" for d in shape)


def _check_length(name, shape, actual, where):
    expected = math.prod(shape)
    if actual != expected:
        raise DataFileError(f"{name}: its header says {_dims(shape)} = {expected:,} bytes of data but "
                            f"{where} holds {actual:,} (truncated or mislabelled)")


@contextmanager
def _idx_stream(path):
    """``(stream, compressed, file_size)``: the regular file ``path``, through gzip when it is gzip."""
    with open_regular(path, WHAT, DataFileError) as f:
        try:
            file_size = os.fstat(f.fileno()).st_size
            compressed = f.read(2) == GZIP_MAGIC
            f.seek(0)
        except OSError as e:
            raise DataFileError(f"{path}: cannot be read ({e.strerror or e})") from None
        if not compressed:
            yield f, False, file_size
            return
        with gzip.GzipFile(fileobj=f, mode="rb") as gz:
            yield gz, True, file_size


def _read(stream, n, path):
    """At most ``n`` bytes of ``stream`` (fewer only at its end); read errors become DataFileError."""
    try:
        return stream.read(n)
    except (OSError, EOFError, zlib.error) as e:
        raise _read_error(stream, path, e) from None


def _read_into(stream, array, path):
    """Fill the uint8 ``array`` from ``stream`` in chunks (no second copy); returns the bytes read."""
    view, pos = memoryview(array), 0
    try:
        while pos < len(array):
            got = stream.readinto(view[pos:pos + _CHUNK])
            if not got:
                break
            pos += got
    except (OSError, EOFError, zlib.error) as e:
        raise _read_error(stream, path, e) from None
    return pos


def _read_error(stream, path, e):
    if isinstance(stream, gzip.GzipFile):
        return DataFileError(f"{path}: damaged or truncated gzip file ({e})")
    return DataFileError(f"{path}: cannot be read ({getattr(e, 'strerror', None) or e})")
