"""C ← αAB + βC in one call of NumPy's own OpenBLAS, for the training step's in-place weight updates.

NumPy has no product that accumulates into its output, so W ← W − δᵀa′ would need a nabla_w and a
pass over W; ``cblas_?gemm`` with β = 1 does it in one call, also on column slices such as W[:, lo:hi].
NumPy does not expose it, so it is called through ctypes, in the library threadpoolctl finds
(:func:`nncore.fast.threads.numpy_openblas`).
"""

import ctypes

import numpy as np

from .threads import numpy_openblas


class Gemm:
    """C ← α A B + β C in one call of NumPy's own OpenBLAS ``cblas_?gemm``, through ctypes.

    A ``(M, K)``, B ``(K, N)`` and C ``(M, N)`` are 2-D views whose elements are evenly spaced along one
    axis, one apart along the other: C- or F-ordered arrays, and also column slices of them such as
    W[:, lo:hi]. W ← W − δᵀa′ (:meth:`update`) saves writing a nabla_w and a pass over W, with the same
    bits as ``np.dot`` then ``np.subtract`` (each weight gets the float sum of its k products subtracted
    once) as long as OpenBLAS does not split that sum, which it does not for k up to a few hundred.

    :meth:`for_dtype` returns None where there is no OpenBLAS to call.
    """

    ROW_MAJOR, NO_TRANS, TRANS = 101, 111, 112

    def __init__(self, gemm, integer, scalar):
        self.gemm = gemm
        gemm.argtypes = [ctypes.c_int] * 3 + [integer] * 3 + [scalar, ctypes.c_void_p, integer,
                                                             ctypes.c_void_p, integer, scalar,
                                                             ctypes.c_void_p, integer]
        gemm.restype = None

    @classmethod
    def for_dtype(cls, dtype):
        """The product for float32 or float64 arrays, or None without a usable OpenBLAS."""
        dtype = np.dtype(dtype)
        name, scalar = {np.float32: ("cblas_sgemm", ctypes.c_float),
                        np.float64: ("cblas_dgemm", ctypes.c_double)}.get(dtype.type, (None, None))
        found = openblas_function(name) if name else None
        return None if found is None else cls(found[0], found[1], scalar)

    def update(self, w, a, b):
        """W ← W − aᵀ b in place (a ``(k, n_out)`` is δ × η/m, b ``(k, n_in)`` is a′); False, changing
        nothing, if it cannot."""
        return self(w, a.T, b, -1.0, 1.0)

    def __call__(self, c, a, b, alpha, beta):
        """C ← α A B + β C in place; False, changing nothing, when the dtypes differ, C is read-only or
        may share memory with A or B, or an array's layout is none of those BLAS takes. Shapes that do not
        fit raise ValueError (BLAS itself would read or write outside the arrays)."""
        if not (a.ndim == b.ndim == c.ndim == 2 and a.shape[1] == b.shape[0]
                and c.shape == (a.shape[0], b.shape[1])):
            raise ValueError(f"C {c.shape} = A {a.shape} B {b.shape}: the shapes do not fit")
        if not (a.dtype == b.dtype == c.dtype and c.flags.writeable):
            return False
        if np.may_share_memory(c, a) or np.may_share_memory(c, b):   # (bounds only: cheap)
            return False
        c_layout = _layout(c)
        if c_layout is not None and c_layout[0] == self.TRANS:   # C must be row-major: Cᵀ = Bᵀ Aᵀ is
            c, a, b = c.T, b.T, a.T
            c_layout = _layout(c)
        layouts = _layout(a), _layout(b)
        if c_layout is None or None in layouts:
            return False
        (a_trans, lda), (b_trans, ldb), ldc = *layouts, c_layout[1]
        (m, k), n = a.shape, b.shape[1]
        self.gemm(self.ROW_MAJOR, a_trans, b_trans, m, n, k, alpha, a.ctypes.data, lda,
                  b.ctypes.data, ldb, beta, c.ctypes.data, ldc)
        return True


def _layout(x):
    """(transposition, leading dimension) of a 2-D view ``x`` for a row-major BLAS call, or None.

    Rows one element apart within and evenly spaced: NO_TRANS with the row spacing; columns so: TRANS
    with the column spacing. A single row or column may have any spacing along the other axis.
    """
    rows, cols = x.shape
    item, (s0, s1) = x.itemsize, x.strides
    if (s1 == item or cols == 1) and (rows == 1 or (s0 % item == 0 and s0 // item >= cols)):
        return Gemm.NO_TRANS, max(s0 // item if rows > 1 else cols, 1)
    if (s0 == item or rows == 1) and (cols == 1 or (s1 % item == 0 and s1 // item >= rows)):
        return Gemm.TRANS, max(s1 // item if cols > 1 else rows, 1)
    return None


_handle = None   # NumPy's OpenBLAS as a ctypes.CDLL, once found


def openblas_function(name):
    """The C function ``name`` of NumPy's OpenBLAS (e.g. 'cblas_sgemm') and its BLAS integer type, or None.

    scipy-openblas, which NumPy's wheels bundle, names it ``scipy_<name>64_`` and its BLAS integers
    (sizes, strides) are 64-bit; a plain OpenBLAS names it ``name`` and they are C ints.
    """
    global _handle
    if _handle is None:
        library = numpy_openblas()
        if library is None:
            return None
        _handle = ctypes.CDLL(str(library.filepath))   # the library NumPy loaded (dlopen finds it loaded)
    for symbol, integer in ((f"scipy_{name}64_", ctypes.c_int64), (f"{name}64_", ctypes.c_int64),
                            (f"scipy_{name}", ctypes.c_int), (name, ctypes.c_int)):
        function = getattr(_handle, symbol, None)
        if function is not None:
            return function, integer
    return None
