"""Network files: ``.npz`` with a format version, the sizes, cost, init and every weight and bias.

Files are read with ``allow_pickle=False``: opening a file never runs code from it. Anything wrong
with a file (missing, empty, truncated, another format, a newer version, shapes that do not fit)
raises :class:`ModelFileError` with a message saying what is wrong.
"""

import io

import numpy as np

from .costs import COSTS
from .errors import ModelFileError, NNCoreError
from .fileio import atomic_write
from .network import INITS, Network, validate_sizes

FORMAT_KIND = "backprop-lab-network"
FORMAT_VERSION = 1


def save(network, path):
    """Write ``network`` to ``path`` atomically. Raises OSError (the old file intact) on failure."""
    arrays = {
        "kind": np.array(FORMAT_KIND),
        "format_version": np.array(FORMAT_VERSION),
        "sizes": np.array(network.sizes, dtype=np.int64),
        "cost": np.array(network.cost.name),
        "init": np.array(network.init),
    }
    for l, (w, b) in enumerate(zip(network.weights, network.biases)):
        arrays[f"w{l}"], arrays[f"b{l}"] = w, b
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    atomic_write(path, lambda f: f.write(buf.getvalue()))


def load(path):
    """Read a network saved by :func:`save`. Raises ModelFileError if the file cannot be used."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such file") from None
    except OSError as e:
        raise ModelFileError(f"{path}: cannot be read ({e.strerror or e})") from None
    return loads(data, name=str(path))


def loads(data, name="network file"):
    """Parse the bytes of a network file; see :func:`load`."""
    if not data:
        raise ModelFileError(f"{name}: the file is empty; expected a Backprop Lab network (.npz)")
    if not data.startswith(b"PK"):
        raise ModelFileError(f"{name}: not a Backprop Lab network (.npz); it is another kind of file")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            fields = {k: npz[k] for k in npz.files}
    except ValueError as e:
        if "pickle" in str(e):
            raise ModelFileError(f"{name}: contains pickled Python objects, which are refused "
                                 "(they could run code); expected plain arrays") from None
        raise ModelFileError(f"{name}: damaged or truncated .npz ({e})") from None
    except Exception as e:  # noqa: BLE001 - a damaged file can fail anywhere in NumPy's parser
        # (zip errors, OSError, EOFError, SyntaxError or tokenize errors from a mangled .npy header,
        # MemoryError from a header claiming a huge shape, ...): all mean the same to the user.
        raise ModelFileError(f"{name}: damaged or truncated .npz ({type(e).__name__})") from None
    return _network_from_fields(fields, name)


def _scalar(fields, key, name, kind):
    """fields[key] as a Python scalar of ``kind`` (str or int), or ModelFileError."""
    if key not in fields:
        raise ModelFileError(f"{name}: not a Backprop Lab network (no {key!r} entry)")
    arr = fields[key]
    ok = arr.shape == () and (arr.dtype.kind == "U" if kind is str else arr.dtype.kind in "iu")
    if not ok:
        raise ModelFileError(f"{name}: the {key!r} entry is malformed")
    return kind(arr[()])


def _network_from_fields(fields, name):
    """Build a Network from the arrays of a file, checking every promise the format makes."""
    if _scalar(fields, "kind", name, str) != FORMAT_KIND:
        raise ModelFileError(f"{name}: not a Backprop Lab network file")
    version = _scalar(fields, "format_version", name, int)
    if version > FORMAT_VERSION:
        raise ModelFileError(f"{name}: made by a newer Backprop Lab (format {version}); "
                             f"this version reads format {FORMAT_VERSION} and older")
    if version < 1:
        raise ModelFileError(f"{name}: unknown format version {version}")
    cost, init = _scalar(fields, "cost", name, str), _scalar(fields, "init", name, str)
    if cost not in COSTS or init not in INITS:
        raise ModelFileError(f"{name}: unknown cost {cost!r} or initialisation {init!r}")
    sizes_arr = fields.get("sizes")
    if sizes_arr is None or sizes_arr.ndim != 1 or sizes_arr.dtype.kind not in "iu":
        raise ModelFileError(f"{name}: the 'sizes' entry is missing or malformed")
    try:
        sizes = validate_sizes(sizes_arr.tolist())
    except NNCoreError as e:
        raise ModelFileError(f"{name}: {e}") from None
    weights, biases = [], []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        w, b = fields.get(f"w{l}"), fields.get(f"b{l}")
        if w is None or b is None:
            raise ModelFileError(f"{name}: layer {l + 1} is missing (sizes say {sizes})")
        if w.shape != (n_out, n_in) or b.shape != (n_out,):
            raise ModelFileError(f"{name}: layer {l + 1} has weights {w.shape} and biases {b.shape}; "
                                 f"sizes {sizes} need {(n_out, n_in)} and {(n_out,)}")
        if w.dtype not in (np.float32, np.float64) or b.dtype != w.dtype:
            raise ModelFileError(f"{name}: layer {l + 1} is not float32/float64 numbers")
        if not (np.isfinite(w).all() and np.isfinite(b).all()):
            raise ModelFileError(f"{name}: layer {l + 1} contains NaN or infinite numbers")
        weights.append(w)
        biases.append(b)
    return Network.from_parameters(sizes, COSTS[cost], init,
                                   [np.ascontiguousarray(w) for w in weights],
                                   [np.ascontiguousarray(b) for b in biases])
