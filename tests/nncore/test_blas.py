"""Gemm, C ← αAB + βC in one call of NumPy's OpenBLAS, equals NumPy's product: on column slices,
transposed operands and the weight update's bits; what BLAS cannot take is refused, changing nothing."""

import numpy as np
import pytest

from nncore.fast.blas import Gemm


def test_gemm_takes_column_slices_without_copying_them(rng):
    """C ← αAB + βC on column slices of larger arrays (rows spaced wider than they are long), either
    side transposed, equals NumPy's product; a layout BLAS cannot take is refused and C left alone."""
    gemm = Gemm.for_dtype(np.float64)
    if gemm is None:
        pytest.skip("NumPy's BLAS is not an OpenBLAS")
    w, x = rng.standard_normal((30, 50)), rng.standard_normal((7, 50))
    c = rng.standard_normal((30, 7))
    expected = 2.0 * w[:, 10:40] @ x[:, 10:40].T + 0.5 * c
    assert gemm(c, w[:, 10:40], x[:, 10:40].T, 2.0, 0.5) is True
    np.testing.assert_allclose(c, expected, rtol=1e-12)
    out = np.zeros((7, 30)).T                      # an F-ordered C is computed as Cᵀ = Bᵀ Aᵀ
    assert gemm(out, w[:, 10:40], x[:, 10:40].T, 1.0, 0.0) is True
    np.testing.assert_allclose(out, w[:, 10:40] @ x[:, 10:40].T, rtol=1e-12)
    before = c.copy()
    spaced = np.repeat(w, 2, axis=1)[:, ::2][:, 10:40]     # w's values, elements 2 apart both ways
    assert gemm(c, spaced, x[:, 10:40].T, 1.0, 0.0) is False
    assert gemm(c, w[:, 10:40], x[:, 10:40].T.astype(np.float32), 1.0, 0.0) is False
    assert gemm(w[:, :7], w[:, 10:40], x[:, 10:40].T, 1.0, 0.0) is False        # C overlaps A
    assert c.tobytes() == before.tobytes()
    with pytest.raises(ValueError, match="do not fit"):
        gemm(c, w[:, 10:40], x[:6, 10:40].T, 1.0, 0.0)


@pytest.mark.parametrize("order", ["rows", "columns"])
def test_blas_update_is_a_product_and_a_subtraction_bit_for_bit(order, rng):
    """W ← W − δᵀa′ in one OpenBLAS call gives the bytes of np.dot then np.subtract (float32, m = 100)."""
    gemm = Gemm.for_dtype(np.float32)
    if gemm is None:
        pytest.skip("NumPy's BLAS is not an OpenBLAS")
    update = gemm.update
    w = rng.standard_normal((300, 784)).astype(np.float32)
    delta = (rng.standard_normal((100, 300)) * 1e-3).astype(np.float32)
    a = rng.uniform(0, 1, (100, 784)).astype(np.float32)
    if order == "columns":
        delta = np.ascontiguousarray(delta.T).T
    expected = w - np.dot(delta.T, a)
    assert update(w, delta, a) is True
    assert w.tobytes() == expected.tobytes()
    strided = np.repeat(a, 2, axis=1)[:, ::2]          # the same values, neither C- nor F-contiguous
    assert update(w, delta, strided) is False and w.tobytes() == expected.tobytes()


