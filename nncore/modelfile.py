"""Network files: ``.npz`` with a format version, the sizes, cost, init and every weight and bias, and (format
2) the :class:`~nncore.data_shape.DataShape` of the data it was trained on, when it knows it.

Reading never runs code from a file and never inflates more than the network's sizes allow. The zip
directory is read first (with :mod:`zipfile`, no member inflated): a member that is not one of
``kind``, ``format_version``, ``sizes``, ``cost``, ``init``, ``w0``…, ``b0``… or ``data`` (the
data's shape, as a JSON text read with its size bounded) is refused. Each
member's ``.npy`` header (its dtype and shape) and its declared size are checked, against the
network's sizes for the layers, before its data is read; object arrays (pickles) are refused. Only
regular files are read (:func:`nncore.fileio.open_regular`). Anything wrong with a file (missing,
empty, truncated, another format, a newer version, shapes that do not fit, numbers that are not
finite, or finite weights so large that the forward pass would overflow: :func:`check_forward_bound`)
raises :class:`ModelFileError` with a message saying what is wrong and what is accepted.
"""

import io
import json
import math
import os
import re
import struct
import zipfile

import numpy as np

from .costs import COSTS
from .data_shape import DataShape
from .errors import ModelFileError, NNCoreError
from .fileio import atomic_write, open_regular
from .limits import HIDDEN_LAYERS, PARAMETERS
from .network import INITS, Network, validate_sizes
from .npy_member import NPY_HEADER_BYTES
from .npy_member import npy_data as _npy_data
from .npy_member import npy_header as _npy_header

FORMAT_KIND = "backprop-lab-network"
FORMAT_VERSION = 2   # 2: the data's shape may be recorded; a network without one is still written as 1
WHAT = "a Backprop Lab network (.npz)"
SCALARS = ("kind", "format_version", "sizes", "cost", "init")
LAYER_MEMBER = re.compile(r"([wb])(0|[1-9][0-9]{0,2})")
DATA_MEMBER = "data"            # the DataShape, as JSON text in a unicode scalar
DATA_MEMBER_BYTES = 8 << 20     # 4,096 column names and 4,096 means and deviations, with room
MAX_MEMBERS = len(SCALARS) + 1 + 2 * (HIDDEN_LAYERS.high + 1)
SMALL_MEMBER_BYTES = 4096       # a scalar entry or the sizes, .npy header included
# The largest network in float64, its data's shape, and room for the rest.
MAX_FILE_BYTES = 8 * PARAMETERS.high + DATA_MEMBER_BYTES + (1 << 20)


def save(network, path, *, force=False):
    """Write ``network`` to ``path`` atomically (see :func:`nncore.fileio.atomic_write`), with its
    ``data_shape`` when it has one (format 2; format 1 otherwise, as older versions read).

    Raises SaveError / ReadOnlyFileError (nothing written) for a target that cannot or may not be
    replaced, OSError (the old file intact) if writing fails.
    """
    shape = getattr(network, "data_shape", None)
    arrays = {
        "kind": np.array(FORMAT_KIND),
        "format_version": np.array(FORMAT_VERSION if shape is not None else 1),
        "sizes": np.array(network.sizes, dtype=np.int64),
        "cost": np.array(network.cost.name),
        "init": np.array(network.init),
    }
    for l, (w, b) in enumerate(zip(network.weights, network.biases)):
        arrays[f"w{l}"], arrays[f"b{l}"] = w, b
    if shape is not None:
        arrays[DATA_MEMBER] = np.array(json.dumps(shape.to_dict(), ensure_ascii=False))
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write(path, lambda f: f.write(buf.getvalue()), force=force)


def load(path):
    """Read a network saved by :func:`save`; its ``data_shape`` is the recorded DataShape, or None for a
    file that records none (format 1). Raises ModelFileError if the file cannot be used."""
    with open_regular(path, WHAT, ModelFileError) as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise ModelFileError(f"{path}: is {size:,} bytes; a network file is at most {MAX_FILE_BYTES:,} "
                                 f"bytes (the largest network, {PARAMETERS.high:,} float64 parameters)")
        return _read(f, size, str(path))


def loads(data, name="network file"):
    """Parse the bytes of a network file; see :func:`load`."""
    return _read(io.BytesIO(data), len(data), name)


def _read(f, size, name):
    """The network in the seekable binary file ``f`` of ``size`` bytes."""
    if size == 0:
        raise ModelFileError(f"{name}: the file is empty; expected {WHAT}")
    try:
        start = f.read(2)
        if start != b"PK":
            raise ModelFileError(f"{name}: not {WHAT}; it is another kind of file")
        _check_directory(f, size, name)
        with zipfile.ZipFile(f) as zf:
            return _network_from_zip(zf, name)
    except NNCoreError:
        raise
    except Exception as e:  # noqa: BLE001 - a damaged file can fail anywhere in zipfile or NumPy's
        # header parser (zip errors, OSError, EOFError, struct errors, SyntaxError from a mangled
        # .npy header, ...): all mean the same to the user.
        raise ModelFileError(f"{name}: damaged or truncated .npz ({type(e).__name__})") from None


def _check_directory(f, size, name):
    """Refuse a zip whose directory lists more members than a network has, before zipfile reads it.

    The end-of-directory record (found as zipfile finds it, in the last 64 KiB) gives the count
    and size of the directory, which zipfile would otherwise read whole, however large.
    """
    tail_size = min(size, (1 << 16) + 22)
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise ModelFileError(f"{name}: starts like a zip archive (.npz) but is not a readable one; "
                             "damaged or truncated")
    entries, directory_size = struct.unpack("<HI", tail[at + 10:at + 16])
    if entries > MAX_MEMBERS or directory_size > MAX_MEMBERS * 1024:
        raise ModelFileError(f"{name}: not {WHAT}: it lists {entries:,} entries; a network file has "
                             f"at most {MAX_MEMBERS}")
    f.seek(0)


def _network_from_zip(zf, name):
    """Check the members' names, then read the scalars, then each layer checked before it is read."""
    members = _members(zf, name)
    fields = {key: _read_small(zf, members[key], name, key) for key in SCALARS if key in members}
    sizes = _header_fields(fields, name)
    n_layers = len(sizes) - 1
    extra = sorted(key for key in members if LAYER_MEMBER.fullmatch(key) and int(key[1:]) >= n_layers)
    if extra:
        raise ModelFileError(f"{name}: holds {extra[0]!r} but its sizes {sizes} have {n_layers} layers")
    weights, biases = [], []
    for l in range(n_layers):
        w, b = _read_layer(zf, members, name, l, sizes)
        if weights and w.dtype != weights[0].dtype:
            raise ModelFileError(f"{name}: layer {l + 1} is {w.dtype} but layer 1 is {weights[0].dtype}; "
                                 "all the layers of a network are float32 or all float64")
        weights.append(w)
        biases.append(b)
    check_forward_bound(weights, biases, name)
    net = Network.from_parameters(sizes, COSTS[fields["cost"]], fields["init"],
                                  [np.ascontiguousarray(w) for w in weights],
                                  [np.ascontiguousarray(b) for b in biases])
    net.data_shape = _data_shape(zf, members, name, sizes)
    return net


def _data_shape(zf, members, name, sizes):
    """The recorded DataShape (None when the file has none), checked against the network's ``sizes``."""
    info = members.get(DATA_MEMBER)
    if info is None:
        return None
    if info.file_size > DATA_MEMBER_BYTES:
        raise ModelFileError(f"{name}: the 'data' entry is {info.file_size:,} bytes; at most "
                             f"{DATA_MEMBER_BYTES:,} are accepted")
    shape, fortran, dtype, header = _npy_header(zf, info, name, DATA_MEMBER)
    if shape != () or dtype.kind != "U":
        raise ModelFileError(f"{name}: the 'data' entry is malformed")
    text = str(_npy_data(zf, info, name, DATA_MEMBER, shape, fortran, dtype, header)[()])
    try:
        data_shape = DataShape.from_dict(json.loads(text))
    except (ValueError, TypeError, RecursionError) as e:
        raise ModelFileError(f"{name}: its record of the data's shape is unusable ({e})") from None
    if (data_shape.inputs, data_shape.n_classes) != (sizes[0], sizes[-1]):
        raise ModelFileError(f"{name}: records data of {data_shape.inputs} inputs and {data_shape.n_classes} "
                             f"classes for a network of sizes {sizes}; damaged or altered")
    return data_shape


def _members(zf, name):
    """``{key: ZipInfo}`` of the members, every name checked (nothing is inflated here)."""
    members = {}
    for info in zf.infolist():
        key = info.filename.removesuffix(".npy")
        expected = info.filename.endswith(".npy") and (key in SCALARS or key == DATA_MEMBER
                                                       or LAYER_MEMBER.fullmatch(key))
        if not expected:
            raise ModelFileError(f"{name}: not a Backprop Lab network: it holds {info.filename[:80]!r}; a "
                                 "network file holds only kind, format_version, sizes, cost, init, w0…, b0… "
                                 "and data")
        if key in members:
            raise ModelFileError(f"{name}: holds {info.filename!r} twice; damaged or altered")
        members[key] = info
    return members


def _read_small(zf, info, name, key):
    """A scalar entry (str or int) or the sizes (a list of int), its header checked before its data."""
    if info.file_size > SMALL_MEMBER_BYTES:
        raise ModelFileError(f"{name}: the {key!r} entry is {info.file_size:,} bytes; "
                             f"at most {SMALL_MEMBER_BYTES:,} are accepted")
    shape, fortran, dtype, header = _npy_header(zf, info, name, key)
    is_int = dtype.kind in "iu" and dtype.itemsize <= 8
    if key == "sizes":
        if len(shape) != 1 or not is_int:
            raise ModelFileError(f"{name}: the 'sizes' entry is missing or malformed")
        return _npy_data(zf, info, name, key, shape, fortran, dtype, header).tolist()
    text = key != "format_version"
    if shape != () or not (dtype.kind == "U" if text else is_int):
        raise ModelFileError(f"{name}: the {key!r} entry is malformed")
    value = _npy_data(zf, info, name, key, shape, fortran, dtype, header)[()]
    return str(value) if text else int(value)


def _header_fields(fields, name):
    """Check kind, version, cost and init; return the validated sizes."""
    for key in SCALARS:
        if key not in fields:
            if key == "sizes":
                raise ModelFileError(f"{name}: the 'sizes' entry is missing or malformed")
            raise ModelFileError(f"{name}: not a Backprop Lab network (no {key!r} entry)")
    if fields["kind"] != FORMAT_KIND:
        raise ModelFileError(f"{name}: not a Backprop Lab network file")
    version = fields["format_version"]
    if version > FORMAT_VERSION:
        raise ModelFileError(f"{name}: made by a newer Backprop Lab (format {version}); "
                             f"this version reads format {FORMAT_VERSION} and older")
    if version < 1:
        raise ModelFileError(f"{name}: unknown format version {version}")
    cost, init = fields["cost"], fields["init"]
    if cost not in COSTS or init not in INITS:
        raise ModelFileError(f"{name}: unknown cost {cost!r} or initialisation {init!r}")
    try:
        return validate_sizes(fields["sizes"])
    except NNCoreError as e:
        raise ModelFileError(f"{name}: {e}") from None


def _read_layer(zf, members, name, l, sizes):
    """Layer ``l``'s weights ``(n_out, n_in)`` and biases ``(n_out,)``, checked before they are read."""
    w_info, b_info = members.get(f"w{l}"), members.get(f"b{l}")
    if w_info is None or b_info is None:
        raise ModelFileError(f"{name}: layer {l + 1} is missing (sizes say {sizes})")
    n_in, n_out = sizes[l], sizes[l + 1]
    want_w, want_b = (n_out, n_in), (n_out,)
    for info, shape in ((w_info, want_w), (b_info, want_b)):
        if info.file_size > NPY_HEADER_BYTES + 8 * math.prod(shape):
            raise ModelFileError(f"{name}: layer {l + 1}'s {info.filename!r} is {info.file_size:,} bytes; "
                                 f"{shape} float64 numbers take at most {8 * math.prod(shape):,}")
    w_head, b_head = _npy_header(zf, w_info, name, f"w{l}"), _npy_header(zf, b_info, name, f"b{l}")
    if w_head[0] != want_w or b_head[0] != want_b:
        raise ModelFileError(f"{name}: layer {l + 1} has weights {w_head[0]} and biases {b_head[0]}; "
                             f"sizes {sizes} need {want_w} and {want_b}")
    dtypes = w_head[2], b_head[2]
    if any(d.kind != "f" or d.itemsize not in (4, 8) for d in dtypes):
        raise ModelFileError(f"{name}: layer {l + 1} is not float32/float64 numbers")
    if dtypes[0].itemsize != dtypes[1].itemsize:
        raise ModelFileError(f"{name}: layer {l + 1} mixes float32 and float64; all the layers of a "
                             "network are float32 or all float64")
    w = _npy_data(zf, w_info, name, f"w{l}", *w_head)
    b = _npy_data(zf, b_info, name, f"b{l}", *b_head)
    if not (np.isfinite(w).all() and np.isfinite(b).all()):
        raise ModelFileError(f"{name}: layer {l + 1} contains NaN or infinite numbers")
    return w, b


def check_forward_bound(weights, biases, name="the network"):
    """Refuse weights so large that a neuron's input z = W a′ + b could overflow in their dtype.

    ``weights[l]`` is ``(n_out, n_in)``, ``biases[l]`` ``(n_out,)``. The inputs (pixels) and every
    activation (σ, softmax) lie in [0, 1], so |z_j| ≤ Σ_k |w_jk| + |b_j|, summed here in float64; that
    bound must be at most half the dtype's largest number (room for the rounding of the product), so
    that z, a and every view of the network stay finite. Raises :class:`ModelFileError` naming the
    layer, the bound and what is accepted.
    """
    for l, (w, b) in enumerate(zip(weights, biases)):
        largest = float(np.finfo(w.dtype).max)
        with np.errstate(over="ignore"):
            reach = float((np.abs(w).sum(axis=1, dtype=np.float64) + np.abs(b.astype(np.float64))).max())
        if not reach <= largest / 2:
            raise ModelFileError(f"{name}: layer {l + 1}'s weights and biases are too large to compute with: a "
                                 f"neuron's input z = Σ w·a + b could reach {reach:.3g}, and {w.dtype} numbers "
                                 f"end at {largest:.3g}; accepted are networks whose Σ|w| + |b| is at most "
                                 f"{largest / 2:.3g} for every neuron")
