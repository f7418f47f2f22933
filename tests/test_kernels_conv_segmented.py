"""The segmented convolution (no im2col: the GEMM reads each filter row as
one run of a padded copy of the image in place) against the reference, bit
for bit. On AMX the copy is int8 and the GEMM's rows are the pixels of the
copy, dropping those that fall on its padding columns; on avx512vnni and
avxvnni it is x + 128 as uint8 and the GEMM's rows are the output pixels
(a tile's rows found by pointer, so tiles span output rows).

ConvS8Kernel takes that path for dilation_w 1, non-pointwise filters whose
filter rows (filter_w * in_c bytes) are whole 64-byte tile rows (AMX, stride
1) or whole k quads (avx512vnni, avxvnni, any stride), or short rows (under
64 bytes, as a 3-channel stem's) padded with zero weights to k quads (on AMX
CPUs by the avx512vnni kernels); these cases sit on both sides of each of
those limits (the others run on im2col), of the tiles (32 x 32, 8 x 32,
6 x 16), with strides, dilation_h, padding wider than the filter,
asymmetric padding, several images, extreme zero points and
requantization, narrowed activation ranges and 1-11 threads. On CPUs
without AMX the same kernel source runs on the tile model ("amx-emulated").
Short filter rows of 8 bytes or more with k >= 100 and 64 or more output
channels (a 7x7 stem's) go on AMX CPUs to AMX over im2col instead, each
filter row copied as one 16/32/64-byte block.
"""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T
from test_kernels_gemm import GEMM_ISAS, assert_same, needs_simd, requant_params

SEGMENTED_ISAS = ("amx", "amx-emulated", "avx512vnni", "avxvnni")
SEGMENTED_PATHS = [isa for isa in GEMM_ISAS if isa in SEGMENTED_ISAS]


def _conv(x, f, bias, mult, shift, zi, zo, lo, hi, stride, dilation, pad, out_hw, isa, threads):
    return T.conv_s8(x, f, bias, mult, shift, zi, zo, lo, hi, stride, dilation, pad, out_hw, isa,
                     num_threads=threads)


def _random_case(rng, case):
    # filter_w * c a multiple of 64 most of the time (AMX's segmented path),
    # else often of 4 (avx512vnni's), odd channel counts among them.
    fw = int(rng.integers(1, 5))
    c = int(rng.choice([64 // fw * 2, 64, 128, 16 * (4 // fw or 1), 40, 192, 4, 12, 20, 3, 17]))
    fh = int(rng.integers(1, 6))
    batch = int(rng.integers(1, 3))
    h, w = (int(v) for v in rng.integers(1, 19, 2))
    o = int(rng.choice([1, 16, 17, 31, 32, 33, 64, 70]))
    stride = (1, 1) if rng.random() < 0.7 else tuple(int(v) for v in rng.integers(1, 4, 2))
    dilation = (int(rng.integers(1, 4)), 1 if rng.random() < 0.9 else 2)
    pad = tuple(int(v) for v in rng.integers(0, 6, 2))
    oh = (h + 2 * pad[0] - (fh - 1) * dilation[0] - 1) // stride[0] + 1
    ow = (w + 2 * pad[1] - (fw - 1) * dilation[1] - 1) // stride[1] + 1
    if rng.random() < 0.3:  # one less row / column: an asymmetric (smaller) bottom / right pad
        oh, ow = oh - 1, ow - 1
    x, f, bias, mult, shift, zi, zo = _operands(rng, (batch, h, w, c), (o, fh, fw, c),
                                                largest=case % 9 == 4, extreme=case % 4 == 0)
    lo, hi = (-128, 127) if rng.random() < 0.7 else (int(zo), 127)
    return (x, f, bias, mult, shift, zi, zo, lo, hi, stride, dilation, pad, (max(oh, 1), max(ow, 1)))


def _operands(rng, x_shape, f_shape, largest, extreme):
    """Input, filter, bias, requantization and zero points of a random conv;
    `largest`: all -128, the largest sums."""
    x = rng.integers(-128, 128, x_shape, dtype=np.int8)
    f = rng.integers(-128, 128, f_shape, dtype=np.int8)
    if largest:
        x[:] = -128
        f[:] = -128
    o = f_shape[0]
    bias = rng.integers(-2**18, 2**18, o).astype(np.int32)
    mult, shift = requant_params(rng, o, extreme=extreme)
    zi, zo = (int(v) for v in rng.choice([-128, 127, -3, 0], 2))
    return x, f, bias, mult, shift, zi, zo


def _check_random_cases(isa, make_case, seed, cases):
    """make_case(rng, case) convs on `isa` (1-11 threads) against the reference."""
    if isa not in GEMM_ISAS:
        pytest.skip(f"no {isa} path here, native or emulated")
    rng = np.random.default_rng(seed)
    for case in range(cases):
        args = make_case(rng, case)
        if min(args[-1]) < 1:
            continue
        ref = _conv(*args, "reference", 1)
        ours = _conv(*args, isa, 1 + case % 11)
        assert_same(ours, ref, f"case {case}: x{args[0].shape} f{args[1].shape} s{args[9]} "
                               f"d{args[10]} p{args[11]} out{args[12]}")


@needs_simd
@pytest.mark.parametrize("isa", SEGMENTED_ISAS)
def test_segmented_conv_random_geometries(isa):
    _check_random_cases(isa, _random_case, 64, 160)


@needs_simd
@pytest.mark.parametrize("isa", SEGMENTED_ISAS)
@pytest.mark.parametrize("stem", [
    # (h, w, filter, out_c, stride, pad, out_hw): MobileNet / EfficientNet's
    # 3x3 stride-2 stem (TF's SAME: one pad at the bottom and right),
    # ResNet50's 7x7 one on its PAD op's output, and a 3x3 stride-1 conv
    (224, 224, 3, 32, (2, 2), (0, 0), (112, 112)), (230, 230, 7, 64, (2, 2), (0, 0), (112, 112)),
    (37, 45, 3, 16, (1, 1), (1, 1), (37, 45))])
def test_segmented_conv_three_channel_stems(isa, stem):
    if isa not in GEMM_ISAS:
        pytest.skip(f"no {isa} path here, native or emulated")
    h, w, k, o, stride, pad, out_hw = stem
    rng = np.random.default_rng(h * 7 + k)
    x = rng.integers(-128, 128, (1, h, w, 3), dtype=np.int8)
    f = rng.integers(-128, 128, (o, k, k, 3), dtype=np.int8)
    bias = rng.integers(-2**18, 2**18, o).astype(np.int32)
    mult, shift = requant_params(rng, o)
    args = (x, f, bias, mult, shift, -1, -128, -128, 127, stride, (1, 1), pad, out_hw)
    ref = _conv(*args, "reference", 1)
    for threads in (1, 2, 5):
        assert_same(_conv(*args, isa, threads), ref, f"{stem} {threads} threads")


@needs_simd
@pytest.mark.parametrize("isa", SEGMENTED_ISAS)
@pytest.mark.parametrize("shape", [
    # (h, w, c, o): ResNet50's 3x3 layers, and a 7x7 map with many channels
    (56, 56, 64, 64), (28, 28, 128, 128), (14, 14, 256, 256), (7, 7, 512, 96)])
def test_segmented_conv_resnet_layers_any_thread_count(isa, shape):
    if isa not in GEMM_ISAS:
        pytest.skip(f"no {isa} path here, native or emulated")
    h, w, c, o = shape
    rng = np.random.default_rng(h * 1000 + o)
    x = rng.integers(-128, 128, (1, h, w, c), dtype=np.int8)
    f = rng.integers(-128, 128, (o, 3, 3, c), dtype=np.int8)
    bias = rng.integers(-2**18, 2**18, o).astype(np.int32)
    mult, shift = requant_params(rng, o)
    args = (x, f, bias, mult, shift, -128, 5, -128, 127, (1, 1), (1, 1), (1, 1), (h, w))
    ref = _conv(*args, "reference", 1)
    for threads in (1, 2, 3, 11):
        assert_same(_conv(*args, isa, threads), ref, f"{shape} {threads} threads")


def _short_run_case(rng, case):
    # Filter rows of 1-8 channels, mostly with k = filter_h * filter_w * c
    # of 100 or more (AMX CPUs take those of 8 bytes or more and 64 or more
    # output channels to AMX over im2col, each filter row copied as one
    # 16/32/64-byte block), the rest to the segmented path.
    while True:
        c, fh, fw = int(rng.integers(1, 9)), int(rng.integers(1, 8)), int(rng.integers(1, 8))
        if (fh * fw * c >= 100) != (case % 5 == 4) and fh * fw > 1:
            break
    batch = int(rng.integers(1, 3))
    stride = tuple(int(v) for v in rng.integers(1, 4, 2))
    pad = (0, 0) if case % 3 == 0 else tuple(int(v) for v in rng.integers(0, 4, 2))
    h, w = (int(v) + fh for v in rng.integers(0, 17, 2))
    w = max(w, fw)
    o = int(rng.choice([16, 64, 65, 96]))
    oh = (h + 2 * pad[0] - fh) // stride[0] + 1
    ow = (w + 2 * pad[1] - fw) // stride[1] + 1
    x, f, bias, mult, shift, zi, zo = _operands(rng, (batch, h, w, c), (o, fh, fw, c),
                                                largest=case % 7 == 3, extreme=case % 4 == 0)
    return (x, f, bias, mult, shift, zi, zo, -128, 127, stride, (1, 1), pad, (oh, ow))


@needs_simd
@pytest.mark.parametrize("isa", SEGMENTED_ISAS)
def test_short_filter_rows_random_geometries(isa):
    _check_random_cases(isa, _short_run_case, 21, 120)
