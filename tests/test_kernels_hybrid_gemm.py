"""Hybrid (dynamic-range) GEMM kernels of every path, bit for bit against
first principles.

out[m][n] = clamp(float32(acc) * float32(col_scale[n] * batch_scale[i]) + bias[n])
with acc = sum_k (q[m][k] - zp[i]) * w[n][k] over the taps that are not
padding (padding stands for q = zp), wrapped to int32 as LiteRT's sums, and
every float operation rounded on its own (numpy float32 arithmetic). The
avx512vnni path feeds q + 128 to vpdpbusd and subtracts (128 + zp) * sum(w)
afterwards, the neondot path feeds q to sdot and subtracts zp * sum(w); the
avx2, neon and portable paths multiply q - zp in int16: all must
give the same bits for odd M, N, K (K not a multiple of 4), per-channel
scales, every zero point, padding taps and 1-11 threads.
"""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T

ISAS = T.available_isas()


def expected(q, pad, zp, rows_per_batch, w, col_scale, bias, batch_scale, lo, hi):
    m = q.shape[0]
    batch = np.arange(m) // rows_per_batch
    a = np.where(pad != 0, 0, q.astype(np.int64) - zp[batch][:, None])
    acc = (a @ w.astype(np.int64).T).astype(np.uint64).astype(np.uint32).view(np.int32)  # wraps
    scale = col_scale[None, :] * batch_scale[batch][:, None]  # float32 product
    y = acc.astype(np.float32) * scale + bias[None, :]
    return np.maximum(np.minimum(y, np.float32(hi)), np.float32(lo)).astype(np.float32)


def case_arrays(rng, m, n, k, rows_per_batch, pad_fraction):
    batches = (m + rows_per_batch - 1) // rows_per_batch
    q = rng.integers(-128, 128, size=(m, k), dtype=np.int8)
    pad = (rng.random((m, k)) < pad_fraction).astype(np.int8)
    zp = rng.integers(-128, 128, size=batches).astype(np.int32)
    zp[0] = 0  # symmetric rows too
    if batches > 1:
        zp[-1] = -128
    w = rng.integers(-127, 128, size=(n, k), dtype=np.int8)
    col_scale = (rng.random(n) * 0.02 + 1e-4).astype(np.float32)  # per-channel scales
    bias = rng.standard_normal(n).astype(np.float32)
    batch_scale = (rng.random(batches) * 0.1 + 1e-3).astype(np.float32)
    return q, pad, zp, w, col_scale, bias, batch_scale


SHAPES = [  # (M, N, K, rows_per_batch)
    (1, 1, 1, 1), (1, 7, 3, 1), (2, 16, 4, 1), (3, 17, 5, 1), (5, 31, 7, 5),
    (6, 32, 8, 6), (7, 33, 9, 3), (8, 64, 27, 4), (9, 48, 30, 9), (13, 100, 33, 13),
    (17, 24, 96, 17), (49, 96, 144, 7), (100, 40, 99, 25), (200, 65, 288, 50),
    (97, 144, 24, 97), (4, 1001, 1280, 1), (300, 8, 13, 300),
]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("shape", SHAPES)
def test_hybrid_gemm_bit_exact(isa, shape):
    m, n, k, rpb = shape
    rng = np.random.default_rng(m * 7919 + n * 104729 + k * 31 + rpb)
    q, pad, zp, w, cs, bias, bscale = case_arrays(rng, m, n, k, rpb, pad_fraction=0.15)
    for lo, hi in [(-np.inf, np.inf), (0.0, 6.0), (-0.5, 0.25)]:
        want = expected(q, pad, zp, rpb, w, cs, bias, bscale, lo, hi)
        for threads in (1, 2, 5, 11):
            got = T.hybrid_gemm(q, pad, zp, rpb, w, cs, bias, bscale, lo, hi, isa,
                                num_threads=threads)
            assert got.shape == want.shape
            bad = got.view(np.uint32) != want.view(np.uint32)
            assert not bad.any(), (f"{isa} {shape} [{lo}, {hi}] {threads}t: {np.count_nonzero(bad)} of "
                                   f"{got.size} differ, first at {np.argwhere(bad)[0].tolist()}")


@pytest.mark.parametrize("isa", [i for i in ISAS if T.hybrid_gemm_kernel(i).endswith("c2_" + i)
                                 or i == "reference"])
@pytest.mark.parametrize("shape", [s for s in SHAPES if s[2] % 2 == 0])
def test_hybrid_gemm_on_whole_a(isa, shape):
    """RunPacked: A handed over whole in int16 (pointwise convolutions
    quantize straight into it), no packing: the same bits."""
    m, n, k, rpb = shape
    rng = np.random.default_rng(m * 31 + n * 7 + k)
    q, pad, zp, w, cs, bias, bscale = case_arrays(rng, m, n, k, rpb, pad_fraction=0.0)
    want = expected(q, pad, zp, rpb, w, cs, bias, bscale, 0.0, 6.0)
    for threads in (1, 3, 11):
        got = T.hybrid_gemm(q, pad, zp, rpb, w, cs, bias, bscale, 0.0, 6.0, isa,
                            num_threads=threads, whole_a=True)
        assert np.array_equal(got.view(np.uint32), want.view(np.uint32)), f"{isa} {shape} {threads}t"


@pytest.mark.parametrize("isa", ISAS)
def test_hybrid_gemm_extreme_values_and_wrapping_sums(isa):
    """q - zp = +-255 against w = +-127 / -128: the largest products, and a K
    long enough (70000) that the int32 sums wrap as LiteRT's do."""
    for k in (4, 13, 70000):
        q = np.array([[127] * k, [-128] * k, [127, -128] * (k // 2) + [127] * (k % 2)], np.int8)
        pad = np.zeros_like(q)
        zp = np.array([-128, 127, 0], np.int32)
        w = np.array([[127] * k, [-128] * k, [-127] * k, [1] * k, [0] * k], np.int8)
        cs = np.full(5, 0.01, np.float32)
        bias = np.zeros(5, np.float32)
        bscale = np.array([0.5, 0.25, 1.0], np.float32)
        want = expected(q, pad, zp, 1, w, cs, bias, bscale, -np.inf, np.inf)
        got = T.hybrid_gemm(q, pad, zp, 1, w, cs, bias, bscale, -np.inf, np.inf, isa)
        assert np.array_equal(got.view(np.uint32), want.view(np.uint32)), f"{isa} K={k}"
    assert want[0, 0] < 0  # 255 * 127 * 70000 wrapped: the test does reach the wrap


@pytest.mark.parametrize("isa", ISAS)
def test_all_padding_rows(isa):
    """Rows made only of padding taps (any zero point) sum to 0: out = clamp(bias)."""
    rng = np.random.default_rng(3)
    q, pad, zp, w, cs, bias, bscale = case_arrays(rng, 10, 40, 37, 2, pad_fraction=0.0)
    pad[:] = 1
    got = T.hybrid_gemm(q, pad, zp, 2, w, cs, bias, bscale, -1.0, 1.0, isa, num_threads=3)
    assert np.array_equal(got, np.broadcast_to(np.clip(bias, -1.0, 1.0), got.shape))


def test_paths_name_their_hybrid_kernels():
    assert T.hybrid_gemm_kernel("reference") == "hybrid_gemm_6x16c2_portable"
    if "avx2" in ISAS:
        assert T.hybrid_gemm_kernel("avx2") == "hybrid_gemm_6x16c2_avx2"
    if "avx512vnni" in ISAS:
        assert T.hybrid_gemm_kernel("avx512vnni") == "hybrid_gemm_8x32c4_avx512vnni"
    if "neon" in ISAS:
        assert T.hybrid_gemm_kernel("neon") == "hybrid_gemm_4x16c2_neon"
    for isa in ("neondot", "neoni8mm"):  # i8mm CPUs run the sdot kernel
        if isa in ISAS:
            assert T.hybrid_gemm_kernel(isa) == "hybrid_gemm_4x16c4_neondot"
