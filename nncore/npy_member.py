"""One member of a network file (.npz): its ``.npy`` header read and checked before its data.

:func:`npy_header` reads the header only (pickled objects refused); :func:`npy_data` reads exactly the
bytes the header promises into a new array, so a member can never make the reader allocate more.
"""

import math

import numpy as np

from .errors import ModelFileError

NPY_HEADER_BYTES = 4096         # room for a member's .npy header (NumPy writes 128 bytes)
_CHUNK = 1 << 20


def npy_header(zf, info, name, key):
    """``(shape, fortran_order, dtype, header_bytes)`` of a member's .npy header; no data is read."""
    with zf.open(info) as fp:
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp, max_header_size=NPY_HEADER_BYTES)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp, max_header_size=NPY_HEADER_BYTES)
        else:
            raise ModelFileError(f"{name}: the {key!r} entry has an unknown .npy version {version}")
        header = fp.tell()
    if dtype.hasobject:
        raise ModelFileError(f"{name}: the {key!r} entry holds pickled Python objects, which are refused "
                             "(they could run code); expected plain numbers")
    return shape, fortran, dtype, header


def npy_data(zf, info, name, key, shape, fortran, dtype, header):
    """The member's array, read into a new writable array; its size must be what its header says."""
    count = math.prod(shape)
    if info.file_size != header + count * dtype.itemsize:
        raise ModelFileError(f"{name}: the {key!r} entry is {info.file_size:,} bytes but its header "
                             f"({shape} {dtype}) needs {header + count * dtype.itemsize:,}; damaged or altered")
    flat = np.empty(count, dtype)
    raw = memoryview(flat.view(np.uint8))
    with zf.open(info) as fp:
        fp.read(header)
        pos = 0
        while pos < len(raw):
            got = fp.readinto(raw[pos:pos + _CHUNK])
            if not got:
                raise ModelFileError(f"{name}: the {key!r} entry is truncated")
            pos += got
        fp.read(1)   # reach the member's end, where zipfile checks its CRC
    arr = flat.reshape(shape, order="F" if fortran else "C")
    return arr if dtype.isnative else arr.astype(dtype.newbyteorder("="))
