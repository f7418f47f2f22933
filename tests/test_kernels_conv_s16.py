"""The threaded 16x8 CONV_2D / DEPTHWISE_CONV_2D kernels (portable, and the
AVX2 CONV_2D sums where the CPU has AVX2) against their twins, the reference
kernels: bit for bit over random geometries, extreme values (sums past the
int32 blocks the fast kernels add exactly) and 1-11 threads."""

import numpy as np
import pytest

from pyruntime import _testing as T


def out_hw(h, w, fh, fw, stride, dilation, pad):
    oh = (h + 2 * pad[0] - (fh - 1) * dilation[0] - 1) // stride[0] + 1
    ow = (w + 2 * pad[1] - (fw - 1) * dilation[1] - 1) // stride[1] + 1
    return max(oh, 1), max(ow, 1)


def requant(rng, n, extreme):
    multiplier = rng.integers(2**30, 2**31 - 1, n).astype(np.int32)
    lo, hi = (-31, 14) if extreme else (-20, -8)
    return multiplier, rng.integers(lo, hi + 1, n).astype(np.int32)


# "reference" runs the portable threaded kernels; the others their SIMD parts.
PATHS = T.available_isas()


def run_both(op, x, f, bias, mult, shift, lo, hi, stride, dilation, pad, threads, isa="reference"):
    fh, fw = f.shape[1:3]
    hw = out_hw(x.shape[1], x.shape[2], fh, fw, stride, dilation, pad)
    args = (op, x, f, bias, mult, shift, lo, hi, stride, dilation, pad, hw)
    return (T.conv_s16(*args, threaded=True, isa=isa, num_threads=threads),
            T.conv_s16(*args, threaded=False))


def data(rng, shape, extreme, dtype, lo, hi):
    if extreme and rng.random() < 0.5:
        return rng.choice(np.array([lo, hi], dtype), shape)
    return rng.integers(lo, hi + 1, shape).astype(dtype)


@pytest.mark.parametrize("isa", PATHS)
@pytest.mark.parametrize("op", ["conv", "depthwise"])
def test_threaded_16x8_matches_reference(op, isa):
    rng = np.random.default_rng({"conv": 21, "depthwise": 22}[op])
    for case in range(60):
        extreme = case % 3 == 0
        batch, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 12)), int(rng.integers(1, 12))
        c = int(rng.choice([1, 3, 8, 17, 40, 300] if op == "conv" else [1, 5, 16, 33, 260]))
        fh, fw = (int(v) for v in rng.integers(1, 6, 2))
        stride = tuple(int(v) for v in rng.integers(1, 4, 2))
        dilation = tuple(int(v) for v in rng.integers(1, 3, 2))
        pad = tuple(int(v) for v in rng.integers(0, 3, 2))
        n = int(rng.choice([1, 7, 16, 70, 300])) if op == "conv" else c
        x = data(rng, (batch, h, w, c), extreme, np.int16, -32768, 32767)
        fshape = (n, fh, fw, c) if op == "conv" else (1, fh, fw, c)
        f = data(rng, fshape, extreme, np.int8, -128, 127)
        bias = rng.integers(-2**40, 2**40, n).astype(np.int64)
        mult, shift = requant(rng, n, extreme)
        lo, hi = (-32768, 32767) if case % 2 else (-1000, 20000)
        ours, ref = run_both(op, x, f, bias, mult, shift, lo, hi, stride, dilation, pad,
                             threads=1 + case % 11, isa=isa)
        assert ours.shape == ref.shape and np.array_equal(ours, ref), (
            f"{op} {isa} x{x.shape} f{f.shape} s{stride} d{dilation} p{pad}: "
            f"{np.count_nonzero(ours != ref)} of {ref.size} differ")


@pytest.mark.parametrize("isa", PATHS)
def test_long_sums_cross_the_int32_blocks(isa):
    """Every product at its largest (-32768 * -128 = 2^22) over 4 * 5 * 5 * 300
    terms: the int32 block sums are flushed before they could overflow, and the
    output (shift 14 lets big sums through) is the reference's."""
    x = np.full((1, 5, 5, 300), -32768, np.int16)
    f = np.full((4, 5, 5, 300), -128, np.int8)
    mult = np.full(4, 2**30, np.int32)
    shift = np.array([-31, -20, -16, -14], np.int32)
    bias = np.array([0, -2**40, 2**35, 7], np.int64)
    ours, ref = run_both("conv", x, f, bias, mult, shift, -32768, 32767, (1, 1), (1, 1),
                         (2, 2), threads=3, isa=isa)
    assert np.array_equal(ours, ref)
    assert len(np.unique(ref)) > 1  # not everything clamped to one value


def test_threaded_depthwise_refuses_other_multipliers():
    x = np.zeros((1, 3, 3, 2), np.int16)
    f = np.zeros((1, 3, 3, 4), np.int8)
    args = ("depthwise", x, f, np.zeros(4, np.int64), np.full(4, 2**30, np.int32),
            np.zeros(4, np.int32), -32768, 32767, (1, 1), (1, 1), (1, 1), (3, 3))
    with pytest.raises(Exception, match="does not take this geometry"):
        T.conv_s16(*args, threaded=True)
    assert T.conv_s16(*args, threaded=False).shape == (1, 3, 3, 4)


def test_threaded_fully_connected_16x8_matches_reference():
    """16x8 FULLY_CONNECTED: the threaded kernel's int32 block sums against the
    reference's int64 ones, int32 (wrapping) and int64 bias types, depths
    around the 256-term block, extreme values (sums far past int32), 1-11
    threads."""
    rng = np.random.default_rng(31)
    for case in range(40):
        extreme = case % 3 == 0
        batches = int(rng.choice([1, 2, 5]))
        depth = int(rng.choice([1, 7, 255, 256, 257, 1280, 3000]))
        units = int(rng.choice([1, 31, 32, 33, 100]))
        x = data(rng, (batches, depth), extreme, np.int16, -32768, 32767)
        f = data(rng, (units, depth), extreme, np.int8, -128, 127)
        int32_acc = case % 2 == 1
        bias = (rng.integers(-2**31, 2**31, units) if int32_acc
                else rng.integers(-2**40, 2**40, units)).astype(np.int64)
        scale = rng.uniform(1e-9, 1e-3, units) / (1 if not extreme else 1e4)
        lo, hi = (-32768, 32767) if case % 4 else (-300, 30000)
        ref = T.fully_connected_s16(x, f, bias, scale, int32_acc, lo, hi, threaded=False)
        ours = T.fully_connected_s16(x, f, bias, scale, int32_acc, lo, hi, threaded=True,
                                     num_threads=1 + case % 11)
        assert np.array_equal(ours, ref), (case, batches, depth, units, int32_acc,
                                           np.count_nonzero(ours != ref))
        if extreme and depth >= 1280 and units > 1:
            assert len(np.unique(ref)) > 1
