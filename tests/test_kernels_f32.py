"""Float32 GEMM / conv / depthwise / FC kernels of every path against float64.

The SIMD paths (kernels/f32_gemm/) use FMA and start sums from the bias, so
they are not bit-identical to the portable reference twin; every path is held
to the classic bound of a float32 dot product evaluated in any order, with or
without FMA (Higham, Accuracy and Stability, 3.1):

    |ours - exact| <= gamma_(K+1) * (sum_k |x_k w_k| + |bias|),  gamma_n = n u / (1 - n u), u = 2^-24

computed per output element with the exact value in float64, K taps per
output. Shapes go below/at/above the microkernel tiles (6x16, 8x32), channel
tails of every width, odd geometry, activation clamps and 1-11 threads; the
result must not depend on the thread count (each output is computed whole).
"""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T

ISAS = T.available_isas()
U = 2.0 ** -24


def gamma(n):
    return n * U / (1 - n * U)


def im2col(x, fh, fw, stride, dilation, pad, out_hw):
    """[B, OH, OW, FH*FW*C] in float64 with zero padding (taps fy, fx, c)."""
    b, h, w, c = x.shape
    oh, ow = out_hw
    xp = np.zeros((b, h + 2 * pad[0] + fh * dilation[0], w + 2 * pad[1] + fw * dilation[1], c))
    xp[:, pad[0]:pad[0] + h, pad[1]:pad[1] + w] = x
    cols = []
    for fy in range(fh):
        for fx in range(fw):
            y0, x0 = fy * dilation[0], fx * dilation[1]
            cols.append(xp[:, y0:y0 + stride[0] * oh:stride[0], x0:x0 + stride[1] * ow:stride[1]][:, :oh, :ow])
    return np.concatenate(cols, axis=-1)


def out_size(n, f, s, d, p):
    return max((n + 2 * p - (f - 1) * d - 1) // s + 1, 1)


def assert_within(ours, exact, magnitude, k, lo, hi, what):
    """ours vs clamp(exact) within gamma_(k+1) * magnitude (clamping only shrinks errors)."""
    expected = np.clip(exact, lo, hi)
    bound = gamma(k + 1) * magnitude
    err = np.abs(ours.astype(np.float64) - expected)
    bad = err > bound
    assert ours.shape == expected.shape and not bad.any(), (
        f"{what}: {np.count_nonzero(bad)} of {ours.size} outside the bound, worst "
        f"{np.max(err - bound):.3g} over at {np.argwhere(bad)[:1].tolist()}")


def random_case(rng, shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


CONV_CASES = [  # (B, H, W, C, O, FH, FW, stride, dilation, pad)
    (1, 7, 9, 3, 32, 3, 3, (2, 2), (1, 1), (1, 1)),      # MobileNet stem
    (1, 6, 6, 16, 96, 1, 1, (1, 1), (1, 1), (0, 0)),     # pointwise, direct rows
    (2, 5, 7, 24, 17, 1, 1, (1, 1), (1, 1), (0, 0)),     # odd N: panel tail
    (1, 9, 5, 13, 33, 3, 3, (1, 1), (1, 1), (1, 1)),     # 2 panels + 1 column
    (1, 11, 13, 7, 49, 3, 2, (2, 1), (2, 1), (2, 0)),    # dilation, asymmetric
    (3, 4, 4, 40, 8, 2, 2, (1, 2), (1, 1), (0, 1)),      # N below a panel, batch 3
    (1, 3, 3, 160, 65, 1, 1, (2, 2), (1, 1), (0, 0)),    # strided 1x1 (im2col), long K
    (1, 7, 7, 320, 213, 1, 1, (1, 1), (1, 1), (0, 0)),   # weights > 256 KB, few rows: split by panels
    (1, 9, 11, 8, 1, 3, 3, (1, 1), (1, 1), (1, 1)),      # 1 output channel: dot products, K = 72
    (2, 6, 7, 5, 3, 3, 3, (2, 1), (1, 1), (1, 0)),       # 3 channels, K = 45: masked k tail
    (1, 5, 5, 41, 4, 1, 1, (1, 1), (1, 1), (0, 0)),      # 4 channels, pointwise, K = 41
    (1, 13, 12, 3, 24, 5, 5, (2, 2), (1, 1), (2, 2)),    # 5x5 stem: 25 taps of 3, 16 + 8 columns
    (2, 9, 8, 1, 7, 3, 3, (1, 1), (1, 1), (1, 1)),       # one input channel per tap
    (1, 8, 10, 16, 20, 2, 2, (2, 2), (1, 1), (0, 0)),    # 2x2 stride 2, no padding
    (1, 7, 6, 13, 2, 3, 3, (1, 1), (1, 1), (1, 1)),      # 2 outputs: 8 + masked 5 per tap, 4-row blocks + 2
    (1, 400, 400, 1, 5, 3, 3, (1, 1), (1, 1), (1, 1)),   # indirection table > 8 MB: built per block
    (2, 2, 2, 32, 70, 2, 2, (1, 1), (1, 1), (0, 0)),     # 1x1 output, 2 rows: 4 panels a step + 6 columns
    (1, 3, 3, 8, 77, 3, 3, (1, 1), (1, 1), (0, 0)),      # 1 row: 4 panels, then 1 + 13 columns
    (1, 2, 2, 192, 1145, 1, 1, (1, 1), (1, 1), (0, 0)),  # weights streaming, short panels: one at a time
    (1, 4, 4, 112, 670, 1, 1, (1, 1), (1, 1), (0, 0)),   # the same at 16 rows
]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("case", CONV_CASES)
def test_conv_f32_within_bound(isa, case):
    b, h, w, c, o, fh, fw, stride, dil, pad = case
    rng = np.random.default_rng(hash(case) % 2**32)
    x, f, bias = random_case(rng, (b, h, w, c)), random_case(rng, (o, fh, fw, c)), random_case(rng, o)
    out_hw = (out_size(h, fh, stride[0], dil[0], pad[0]), out_size(w, fw, stride[1], dil[1], pad[1]))
    cols = im2col(x.astype(np.float64), fh, fw, stride, dil, pad, out_hw)
    wm = f.reshape(o, -1).astype(np.float64)
    exact = cols @ wm.T + bias
    magnitude = np.abs(cols) @ np.abs(wm).T + np.abs(bias)
    for lo, hi in [(-np.inf, np.inf), (0.0, 6.0), (-1.0, 1.0)]:
        for threads in (1, 3, 11):
            ours = T.conv_f32(x, f, bias, lo, hi, stride, dil, pad, out_hw, isa, num_threads=threads)
            assert_within(ours, exact, magnitude, fh * fw * c, lo, hi, f"{isa} {case} {threads}t")
            if threads == 1:
                single = ours
            else:
                assert np.array_equal(ours, single), f"{isa} {case}: {threads} threads differ from 1"


TCONV_CASES = [  # (B, H, W, C, O, FH, FW, stride, pad, out_hw)
    (1, 8, 8, 16, 24, 3, 3, (2, 2), (0, 0), (16, 16)),    # SAME, stride 2: 4 phases of 2x2, 2x1, 1x2, 1x1 taps
    (1, 16, 16, 32, 16, 4, 4, (2, 2), (1, 1), (32, 32)),  # 4x4 stride 2: every phase 2x2
    (2, 5, 7, 3, 5, 2, 3, (3, 2), (0, 1), (15, 13)),      # filter below the stride: empty phases
    (1, 4, 6, 5, 40, 5, 5, (1, 1), (2, 2), (4, 6)),       # stride 1: the flipped filter, no spreading
    (1, 3, 3, 2, 9, 5, 5, (1, 1), (0, 0), (7, 7)),        # stride 1, VALID: output above the input
    (1, 6, 5, 8, 7, 3, 3, (2, 3), (3, 3), (9, 10)),       # pads past the phase taps: leading rows dropped
    (1, 9, 9, 12, 33, 1, 1, (2, 2), (0, 0), (17, 17)),    # 1x1 stride 2: 3 of 4 phases bias only
]


def tconv_exact(x, f, bias, stride, pad, out_hw):
    """TRANSPOSE_CONV in float64 by scattering (the reference's order of
    taps), with the sum of magnitudes for the bound."""
    b, h, w, _ = x.shape
    o, fh, fw, _ = f.shape
    oh, ow = out_hw
    big = np.zeros((2, b, (h - 1) * stride[0] + fh, (w - 1) * stride[1] + fw, o))
    for fy in range(fh):
        for fx in range(fw):
            contrib = x.astype(np.float64) @ f[:, fy, fx, :].astype(np.float64).T
            rows = slice(fy, fy + (h - 1) * stride[0] + 1, stride[0])
            cols = slice(fx, fx + (w - 1) * stride[1] + 1, stride[1])
            big[0, :, rows, cols] += contrib
            big[1, :, rows, cols] += np.abs(x.astype(np.float64)) @ np.abs(f[:, fy, fx, :].astype(np.float64)).T
    crop = np.zeros((2, b, oh, ow, o))
    hh, ww = min(oh, big.shape[2] - pad[0]), min(ow, big.shape[3] - pad[1])
    crop[:, :, :hh, :ww] = big[:, :, pad[0]:pad[0] + hh, pad[1]:pad[1] + ww]
    return crop[0] + bias, crop[1] + np.abs(bias)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("case", TCONV_CASES)
def test_transpose_conv_f32_within_bound(isa, case):
    """The sub-pixel form (one convolution, a channel block per output phase)
    on every SIMD path, the gathering kernel on the reference path."""
    b, h, w, c, o, fh, fw, stride, pad, out_hw = case
    rng = np.random.default_rng(hash(case) % 2**32)
    x, f, bias = random_case(rng, (b, h, w, c)), random_case(rng, (o, fh, fw, c)), random_case(rng, o)
    exact, magnitude = tconv_exact(x, f, bias, stride, pad, out_hw)
    for lo, hi in [(-np.inf, np.inf), (0.0, 6.0)]:
        for threads in (1, 2, 5):
            ours = T.transpose_conv_f32(x, f, bias, lo, hi, stride, pad, out_hw, isa, num_threads=threads)
            assert_within(ours, exact, magnitude, fh * fw * c, lo, hi, f"{isa} {case} {threads}t")
            if threads == 1:
                single = ours
            else:
                assert np.array_equal(ours, single), f"{isa} {case}: {threads} threads differ from 1"


DW_CASES = [  # (B, H, W, C, mult, FH, FW, stride, dilation, pad)
    (1, 12, 12, 32, 1, 3, 3, (1, 1), (1, 1), (1, 1)),
    (1, 13, 11, 96, 1, 3, 3, (2, 2), (1, 1), (1, 1)),    # stride 2, odd size
    (1, 7, 7, 144, 1, 3, 3, (1, 1), (1, 1), (1, 1)),     # 2 x 64 + 16 channels
    (2, 6, 9, 5, 1, 3, 3, (1, 1), (1, 1), (1, 1)),       # masked tail only
    (1, 9, 9, 83, 1, 5, 5, (1, 2), (2, 1), (4, 2)),      # every block width + tail, dilation
    (1, 5, 5, 8, 3, 3, 3, (1, 1), (1, 1), (1, 1)),       # multiplier 3: input channels repeated
    (2, 9, 11, 13, 2, 3, 3, (2, 1), (1, 1), (1, 1)),     # multiplier 2, 26 channels: 16 + masked 10
    (1, 12, 10, 1, 8, 3, 5, (1, 2), (1, 1), (1, 2)),     # one input channel, multiplier 8
    (1, 9, 17, 24, 1, 9, 9, (1, 1), (1, 1), (4, 4)),     # 81 taps (portable fallback)
    (1, 1, 1, 1283, 1, 1, 1, (1, 1), (1, 1), (0, 0)),
    (1, 8, 14, 55, 1, 3, 3, (2, 1), (1, 1), (0, 1)),     # stride (2, 1): 4-pixel blocks of 32 + 16 + 7 channels
    (1, 4, 17, 16, 1, 3, 3, (1, 1), (1, 1), (1, 1)),     # 15 interior columns: 8, 4, 2, 1 pixels
    (1, 3, 15, 24, 1, 3, 3, (1, 1), (1, 1), (1, 1)),     # 13 interior: 8, 4, 1 pixels, masked 8
    (1, 3, 9, 64, 1, 3, 3, (1, 1), (1, 1), (1, 1)),      # 7 interior: 4, 2, 1 pixels
    (1, 5, 21, 20, 1, 5, 5, (1, 1), (1, 1), (2, 2)),     # 5x5: 17 interior columns; 16 + 4 channels
    (1, 6, 23, 37, 1, 5, 5, (1, 2), (1, 1), (2, 2)),     # 5x5 stride 2: 10 interior; 32 + 5 channels
    (2, 7, 30, 13, 1, 3, 3, (2, 2), (2, 1), (1, 1)),     # 3x3 stride 2, dilation 2 rows; 8 + 5 channels
    # Maps of <= 8 columns take the pixel groups (every tap, zeros outside;
    # groups of 8 or 4 pixels across row ends and images, the last repeated):
    (1, 25, 5, 32, 1, 3, 3, (1, 1), (1, 1), (1, 1)),     # keyword spotter: 125 pixels, groups of 8
    (3, 4, 3, 48, 1, 3, 3, (1, 1), (1, 1), (1, 1)),      # groups across images; 32 + 16 channels
    (2, 5, 8, 100, 1, 3, 3, (1, 1), (1, 1), (1, 1)),     # 8 columns; 64 + 32 + masked 4
    (1, 6, 6, 7, 1, 3, 3, (2, 2), (1, 1), (0, 1)),       # stride 2, masked tail only, 3 pixels a row
    (2, 9, 4, 17, 1, 5, 3, (1, 1), (2, 1), (4, 1)),      # 5x3 dilated rows, taps outside at both ends
    (1, 2, 1, 16, 1, 3, 3, (1, 1), (1, 1), (1, 1)),      # one column: 6 of 9 taps read zeros
]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("case", DW_CASES)
def test_depthwise_conv_f32_within_bound(isa, case):
    b, h, w, c, mult, fh, fw, stride, dil, pad = case
    rng = np.random.default_rng(hash(case) % 2**32)
    x, f, bias = random_case(rng, (b, h, w, c)), random_case(rng, (1, fh, fw, c * mult)), random_case(rng, c * mult)
    out_hw = (out_size(h, fh, stride[0], dil[0], pad[0]), out_size(w, fw, stride[1], dil[1], pad[1]))
    cols = im2col(x.astype(np.float64), fh, fw, stride, dil, pad, out_hw)  # [..., taps * c]
    taps = cols.reshape(cols.shape[:3] + (fh * fw, c, 1))
    wt = f.astype(np.float64).reshape(fh * fw, c, mult)
    exact = (taps * wt).sum(axis=3).reshape(cols.shape[:3] + (c * mult,)) + bias
    magnitude = (np.abs(taps) * np.abs(wt)).sum(axis=3).reshape(exact.shape) + np.abs(bias)
    for lo, hi in [(-np.inf, np.inf), (0.0, 6.0)]:
        for threads in (1, 2, 7):
            ours = T.depthwise_conv_f32(x, f, bias, lo, hi, stride, dil, pad, out_hw, isa,
                                        num_threads=threads)
            assert_within(ours, exact, magnitude, fh * fw, lo, hi, f"{isa} {case} {threads}t")
            if threads == 1:
                single = ours
            else:
                assert np.array_equal(ours, single), f"{isa} {case}: {threads} threads differ from 1"


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("m,n,k", [(1, 1, 1), (1, 1000, 1280), (5, 17, 3), (6, 16, 16), (7, 31, 33),
                                   (8, 32, 8), (9, 33, 64), (13, 48, 5), (50, 7, 100),
                                   (3, 250, 300),   # weights > 256 KB: split by panels
                                   (2, 300, 400),   # the same at 2 rows: one panel at a time
                                   (7, 2, 37), (4, 4, 16), (2, 1, 70000),  # dot products
                                   (2, 100, 40), (1, 130, 9)])  # 4 panels a step, 2 and 1 rows
def test_fully_connected_f32_within_bound(isa, m, n, k):
    rng = np.random.default_rng(m * 10007 + n * 101 + k)
    a, b, bias = random_case(rng, (m, k)), random_case(rng, (n, k)), random_case(rng, n, 10.0)
    exact = a.astype(np.float64) @ b.astype(np.float64).T + bias
    magnitude = np.abs(a).astype(np.float64) @ np.abs(b).astype(np.float64).T + np.abs(bias)
    for threads in (1, 4, 11):
        ours = T.fully_connected_f32(a, b, bias, -np.inf, np.inf, isa, num_threads=threads)
        assert_within(ours, exact, magnitude, k, -np.inf, np.inf, f"{isa} {m}x{n}x{k} {threads}t")
        if threads == 1:
            single = ours
        else:
            assert np.array_equal(ours, single), f"{isa} {m}x{n}x{k}: {threads} threads differ from 1"


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("shape", [(1, 25, 5, 32), (2, 6, 12, 20)])  # pixel groups; row runs
def test_depthwise_f32_infinite_weights_skip_taps_outside(isa, shape):
    """Taps outside the input are skipped, as in the reference: an inf weight
    there must not turn a border output into NaN (0 * inf) on any path."""
    b, h, w, c = shape
    rng = np.random.default_rng(h * w + c)
    x, f, bias = random_case(rng, shape), random_case(rng, (1, 3, 3, c)), random_case(rng, c)
    f[0, 0, 0, 3] = np.inf   # top-left tap: outside for the first row and column
    f[0, 2, 1, 5] = -np.inf  # bottom-centre tap: outside for the last row
    f[0, 1, 2, 9] = np.nan   # middle-right tap: outside for the last column
    args = (-np.inf, np.inf, (1, 1), (1, 1), (1, 1), (h, w))
    ref = T.depthwise_conv_f32(x, f, bias, *args, "reference")
    finite = np.isfinite(ref)
    assert finite[:, 0, :, 3].all() and finite[:, :, 0, 3].all() and finite[:, -1, :, 5].all()
    assert finite[:, :, -1, 9].all() and np.isnan(ref[:, :, :-1, 9]).all()
    assert not finite[:, 1:, 1:, 3].any()
    f_finite = np.where(np.isfinite(f), f, 0).astype(np.float32)
    exact = T.depthwise_conv_f32(x.astype(np.float32), f_finite, bias, *args, "reference")
    for threads in (1, 3):
        ours = T.depthwise_conv_f32(x, f, bias, *args, isa, num_threads=threads)
        for test in (np.isnan, np.isposinf, np.isneginf):
            assert np.array_equal(test(ours), test(ref)), f"{isa} {shape} {threads}t: {test.__name__}"
        # The finite outputs never met a non-finite weight: within a float sum's rounding of the
        # same sums with those weights zeroed.
        assert np.allclose(ours[finite], exact[finite], rtol=1e-5, atol=1e-5), f"{isa} {shape}"


@pytest.mark.parametrize("isa", ISAS)
def test_nan_and_inf_propagate_through_clamp(isa):
    """A NaN sum stays NaN through the fused clamp, as in the reference kernels."""
    a = np.ones((7, 3), np.float32)
    a[2, 1] = np.nan
    a[4, 0] = np.inf
    b = np.ones((20, 3), np.float32)
    ours = T.fully_connected_f32(a, b, np.zeros(20, np.float32), 0.0, 6.0, isa)
    ref = T.fully_connected_f32(a, b, np.zeros(20, np.float32), 0.0, 6.0, "reference")
    assert np.isnan(ours[2]).all() and np.array_equal(np.isnan(ours), np.isnan(ref))
    assert (ours[4] == 6.0).all() and (ours[[0, 1, 3, 5, 6]] == 3.0).all()


def test_paths_name_their_float_kernels():
    names = [T.f32_gemm_kernel(i) for i in ISAS]
    assert names[0] == "f32_gemm_6x16_reference"
    if "avx2" in ISAS:
        assert T.f32_gemm_kernel("avx2") == "f32_gemm_6x16_fma_avx2"
    if "avx512vnni" in ISAS:
        assert T.f32_gemm_kernel("avx512vnni") == "f32_gemm_8x32_avx512"
    for arm in ("neon", "neondot", "neoni8mm"):
        if arm in ISAS:
            assert T.f32_gemm_kernel(arm) == "f32_gemm_6x16_fma_neon"


# Builtin-rounding kernels (float ops of models with hybrid ops): on every
# path, bit for bit the reference twin's outputs (multiply then add, k in
# order, bias last), which the tests above hold to the float64 bound. An FMA
# (or a reordered sum) anywhere changes last bits of these random sums.
def _same_bits(ours, ref, what):
    assert ours.shape == ref.shape and np.array_equal(ours.view(np.uint32), ref.view(np.uint32)), (
        f"{what}: {np.count_nonzero(ours.view(np.uint32) != ref.view(np.uint32))} of {ours.size} "
        "outputs differ from the reference twin")


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("case", CONV_CASES)
def test_conv_f32_builtin_rounding_is_the_reference(isa, case):
    b, h, w, c, o, fh, fw, stride, dil, pad = case
    rng = np.random.default_rng(hash(case) % 2**32 + 1)
    x, f, bias = random_case(rng, (b, h, w, c)), random_case(rng, (o, fh, fw, c)), random_case(rng, o)
    out_hw = (out_size(h, fh, stride[0], dil[0], pad[0]), out_size(w, fw, stride[1], dil[1], pad[1]))
    for lo, hi in [(-np.inf, np.inf), (0.0, 6.0)]:
        ref = T.conv_f32(x, f, bias, lo, hi, stride, dil, pad, out_hw, "reference")
        for threads in (1, 4, 11):
            ours = T.conv_f32(x, f, bias, lo, hi, stride, dil, pad, out_hw, isa,
                              num_threads=threads, builtin_rounding=True)
            _same_bits(ours, ref, f"{isa} {case} {threads}t")


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("case", DW_CASES)
def test_depthwise_conv_f32_builtin_rounding_is_the_reference(isa, case):
    b, h, w, c, mult, fh, fw, stride, dil, pad = case
    rng = np.random.default_rng(hash(case) % 2**32 + 1)
    x, f, bias = random_case(rng, (b, h, w, c)), random_case(rng, (1, fh, fw, c * mult)), random_case(rng, c * mult)
    out_hw = (out_size(h, fh, stride[0], dil[0], pad[0]), out_size(w, fw, stride[1], dil[1], pad[1]))
    ref = T.depthwise_conv_f32(x, f, bias, 0.0, 6.0, stride, dil, pad, out_hw, "reference")
    for threads in (1, 5):
        ours = T.depthwise_conv_f32(x, f, bias, 0.0, 6.0, stride, dil, pad, out_hw, isa,
                                    num_threads=threads, builtin_rounding=True)
        _same_bits(ours, ref, f"{isa} {case} {threads}t")


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("m,n,k", [(1, 1000, 1280), (5, 17, 3), (7, 31, 33), (13, 48, 5), (50, 7, 100),
                                   (3, 250, 300)])
def test_fully_connected_f32_builtin_rounding_is_the_reference(isa, m, n, k):
    rng = np.random.default_rng(m * 10007 + n * 101 + k + 1)
    a, b, bias = random_case(rng, (m, k)), random_case(rng, (n, k)), random_case(rng, n)
    ref = T.fully_connected_f32(a, b, bias, -np.inf, np.inf, "reference")
    for threads in (1, 3):
        ours = T.fully_connected_f32(a, b, bias, -np.inf, np.inf, isa, num_threads=threads,
                                     builtin_rounding=True)
        _same_bits(ours, ref, f"{isa} {m}x{n}x{k} {threads}t")


def test_fma_kernels_do_differ_from_the_reference():
    """The twin tests above can fail: the FMA path's bits differ on such sums."""
    if ISAS[-1] == "reference":
        pytest.fail("no SIMD path on this CPU: the FMA kernels cannot be compared")
    rng = np.random.default_rng(7)
    a, b, bias = random_case(rng, (50, 100)), random_case(rng, (7, 100)), random_case(rng, 7)
    fma = T.fully_connected_f32(a, b, bias, -np.inf, np.inf, ISAS[-1])
    ref = T.fully_connected_f32(a, b, bias, -np.inf, np.inf, "reference")
    assert not np.array_equal(fma, ref)


def test_paths_name_their_builtin_rounding_kernels():
    assert T.f32_gemm_kernel("reference", builtin_rounding=True) == "f32_gemm_6x16_reference"
    if "avx2" in ISAS:
        assert T.f32_gemm_kernel("avx2", builtin_rounding=True) == "f32_gemm_6x16_builtin_rounding_avx2"
    if "avx512vnni" in ISAS:
        assert T.f32_gemm_kernel("avx512vnni", builtin_rounding=True) == "f32_builtin_rounding_avx512"


@pytest.mark.parametrize("isa", ISAS)
def test_builtin_rounding_keeps_nan_and_inf_as_the_reference(isa):
    rng = np.random.default_rng(11)
    a = random_case(rng, (9, 20))
    a[2, 3] = np.nan
    a[5, 0] = np.inf
    b, bias = random_case(rng, (37, 20)), random_case(rng, 37)
    for lo, hi in [(-np.inf, np.inf), (0.0, 6.0)]:
        ref = T.fully_connected_f32(a, b, bias, lo, hi, "reference")
        ours = T.fully_connected_f32(a, b, bias, lo, hi, isa, builtin_rounding=True)
        assert np.isnan(ref[2]).all()
        _same_bits(ours, ref, f"{isa} fc [{lo}, {hi}]")
    x = random_case(rng, (1, 6, 6, 20))
    x[0, 2, 2, 4] = np.nan
    x[0, 4, 1, 7] = -np.inf
    f, bias = random_case(rng, (1, 3, 3, 20)), random_case(rng, 20)
    ref = T.depthwise_conv_f32(x, f, bias, 0.0, 6.0, (1, 1), (1, 1), (1, 1), (6, 6), "reference")
    ours = T.depthwise_conv_f32(x, f, bias, 0.0, 6.0, (1, 1), (1, 1), (1, 1), (6, 6), isa,
                                builtin_rounding=True)
    assert np.isnan(ref).any()
    _same_bits(ours, ref, f"{isa} depthwise")


def _half_bits_to_float_bits(h: np.ndarray) -> np.ndarray:
    """IEEE binary16 -> binary32 bit patterns, written out field by field
    (NaN payloads kept, subnormals normalized), independent of the C++."""
    h = h.astype(np.uint32)
    sign, exp, mant = (h & 0x8000) << 16, (h >> 10) & 0x1F, h & 0x3FF
    normal = sign | ((exp + 112) << 23) | (mant << 13)
    special = sign | 0x7F800000 | (mant << 13)
    # A subnormal m * 2^-24: m's top bit at position p gives exponent p - 24.
    m = np.maximum(mant, 1)
    p = np.floor(np.log2(m)).astype(np.uint32)
    sub = sign | ((p + 103) << 23) | (((mant << (23 - p)) & 0x7FFFFF))
    sub = np.where(mant == 0, sign, sub)
    return np.where(exp == 0x1F, special, np.where(exp == 0, sub, normal)).astype(np.uint32)


@pytest.mark.parametrize("offset", [0, 3])
def test_half_to_float_every_value(offset):
    """All 65536 float16 patterns (and an unaligned start, for the tail)."""
    h = np.arange(65536, dtype=np.uint16)[offset:]
    got = np.asarray(T.half_to_float(h)).view(np.uint32)
    np.testing.assert_array_equal(got, _half_bits_to_float_bits(h))
