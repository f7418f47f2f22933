"""The AVX2 indirect convolution (no im2col: the microkernel reads filter rows
as runs of a widened, padded input copy) against the reference, bit for bit.

ConvS8Kernel takes that path for dilation_w == 1, non-pointwise filters and
at most 64 output channels; these cases sit on both sides of each of those
limits and of the 6 x 16 tile, with odd runs (filter_w * in_c odd: the run is
rounded up to a k pair), strides, dilation_h, padding wider than the filter,
extreme zero points and requantization, narrowed activation ranges and 1-11
threads. (test_kernels_gemm.py's conv tests cover it too, among others.)
"""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T
from test_kernels_gemm import GEMM_ISAS, assert_same, conv, needs_simd, requant_params


def _case(rng, batch, h, w, c, o, fh, fw, stride, dilation, pad, extreme):
    x = rng.integers(-128, 128, (batch, h, w, c), dtype=np.int8)
    f = rng.integers(-128, 128, (o, fh, fw, c), dtype=np.int8)
    bias = rng.integers(-2**18, 2**18, o).astype(np.int32)
    mult, shift = requant_params(rng, o, extreme=extreme)
    zi, zo = (int(v) for v in rng.choice([-128, 127, -3, 0], 2))
    lo, hi = (-128, 127) if rng.random() < 0.7 else (int(zo), 127)
    return (x, f, bias, mult, shift, zi, zo, lo, hi, stride, dilation, pad)


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
def test_indirect_conv_random_geometries(isa):
    rng = np.random.default_rng(13)
    for case in range(150):
        batch = int(rng.integers(1, 4))
        h, w = (int(v) for v in rng.integers(1, 20, 2))
        c = int(rng.choice([1, 2, 3, 5, 8, 13, 40, 88]))
        o = int(rng.choice([1, 4, 7, 8, 9, 16, 17, 24, 32, 63, 64, 65]))
        fh, fw = (int(v) for v in rng.integers(1, 6, 2))
        stride = tuple(int(v) for v in rng.integers(1, 4, 2))
        dilation = (int(rng.integers(1, 4)), 1 if rng.random() < 0.8 else 2)
        pad = tuple(int(v) for v in rng.integers(0, 7, 2))
        args = _case(rng, batch, h, w, c, o, fh, fw, stride, dilation, pad, case % 3 == 0)
        ref = conv(*args, "reference")
        assert_same(conv(*args, isa, threads=1 + case % 11), ref,
                    f"case {case}: x{args[0].shape} f{args[1].shape} s{stride} d{dilation} p{pad}")


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
@pytest.mark.parametrize("shape", [
    # (h, w, c, o): the U-Net's 3x3 'same' layers
    (32, 32, 3, 8), (16, 16, 8, 16), (8, 8, 16, 24), (4, 4, 24, 32), (8, 8, 80, 24),
    (16, 16, 88, 16), (32, 32, 40, 8)])
def test_indirect_conv_unet_layers_any_thread_count(isa, shape):
    h, w, c, o = shape
    rng = np.random.default_rng(h * 1000 + c * 10 + o)
    args = _case(rng, 1, h, w, c, o, 3, 3, (1, 1), (1, 1), (1, 1), False)
    ref = conv(*args, "reference")
    for threads in (1, 2, 3, 5, 11):
        assert_same(conv(*args, isa, threads=threads), ref, f"{shape} {threads} threads")


def tconv(args, stride, pad, out_hw, isa, threads=1):
    return T.transpose_conv_s8(*args[:9], stride, pad, out_hw, isa, num_threads=threads)


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
def test_transpose_conv_as_convolution_random_geometries(isa):
    """TRANSPOSE_CONV as one stride-1 convolution with a channel block per
    output phase (the sub-pixel form, TransposeConvS8Kernel) on every GEMM
    path, against the gathering reference kernel. Output sizes
    and pads are drawn freely (not only the ones SAME/VALID give): inputs that
    reach no output and outputs no input reaches both occur."""
    rng = np.random.default_rng(17)
    for case in range(150):
        batch = int(rng.integers(1, 3))
        h, w = (int(v) for v in rng.integers(1, 9, 2))
        c = int(rng.choice([1, 3, 5, 8, 16, 32, 33]))
        o = int(rng.choice([1, 5, 8, 16, 24, 40, 70]))
        fh, fw = (int(v) for v in rng.integers(1, 6, 2))
        stride = tuple(int(v) for v in rng.integers(1, 4, 2))
        pad = (int(rng.integers(0, fh + 1)), int(rng.integers(0, fw + 1)))
        out_hw = (int(rng.integers(1, h * stride[0] + fh + 2)), int(rng.integers(1, w * stride[1] + fw + 2)))
        args = _case(rng, batch, h, w, c, o, fh, fw, stride, (1, 1), pad, case % 3 == 0)
        ref = tconv(args, stride, pad, out_hw, "reference")
        assert_same(tconv(args, stride, pad, out_hw, isa, threads=1 + case % 11), ref,
                    f"case {case}: x{args[0].shape} f{args[1].shape} s{stride} p{pad} out{out_hw}")


@needs_simd
@pytest.mark.parametrize("isa", GEMM_ISAS)
@pytest.mark.parametrize("layer", [
    # (h, w, c, o, kernel, stride, pad): decoder upsamplings, large enough that
    # threads share the phases' spreading out
    (16, 16, 64, 32, (3, 3), (2, 2), (0, 0)), (32, 32, 16, 16, (4, 4), (2, 2), (1, 1)),
    (9, 11, 24, 40, (5, 3), (3, 2), (1, 1)), (12, 12, 8, 8, (2, 2), (2, 2), (0, 0))])
def test_transpose_conv_upsampling_layers_any_thread_count(isa, layer):
    h, w, c, o, (fh, fw), stride, pad = layer
    rng = np.random.default_rng(h * 100 + c)
    args = _case(rng, 1, h, w, c, o, fh, fw, stride, (1, 1), pad, False)
    out_hw = ((h - 1) * stride[0] + fh - 2 * pad[0], (w - 1) * stride[1] + fw - 2 * pad[1])
    ref = tconv(args, stride, pad, out_hw, "reference")
    for threads in (1, 2, 3, 5):
        assert_same(tconv(args, stride, pad, out_hw, isa, threads=threads), ref, f"{layer} {threads} threads")
