"""Float32 elementwise kernels (ADD / SUB / MUL with clamp, PRELU, RELU clamps)
and MAX_POOL_2D of every path against the portable reference twin, bit for bit.

These kernels do one IEEE operation per output and no FMA, and their SIMD
min / max take operands in std::min / std::max's order, so every path must
give the reference's exact bits, NaN, infinities and signed zeros included.
Sizes cover the 32- and 8-float steps and every tail width.
"""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T

ISAS = [i for i in T.available_isas() if i != "reference"]
SIZES = [1, 3, 7, 8, 9, 15, 16, 31, 32, 33, 63, 100, 1027]
CLAMPS = [(-np.inf, np.inf), (0.0, 6.0), (-1.0, 1.0), (0.0, 0.0)]


def special_values(rng, shape):
    """Normal draws with zeros of both signs, infinities, NaN and exact ties sprinkled in."""
    x = rng.standard_normal(shape).astype(np.float32) * 4
    flat = x.reshape(-1)
    picks = rng.integers(0, flat.size, size=max(1, flat.size // 6))
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 6.0, -1.0, 1.0], np.float32)
    flat[picks] = specials[rng.integers(0, specials.size, size=picks.size)]
    return x


def same_bits(ours, ref, what):
    assert ours.shape == ref.shape and np.array_equal(ours.view(np.uint32), ref.view(np.uint32)), (
        f"{what}: {np.count_nonzero(ours.view(np.uint32) != ref.view(np.uint32))} of {ours.size} differ")


def test_paths_name_their_elementwise_kernels():
    assert T.f32_vops_kernel("reference") == "f32_vops_reference"
    if "avx2" in ISAS:
        assert T.f32_vops_kernel("avx2") == "f32_vops_avx2"


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("op", ["add", "sub", "mul"])
@pytest.mark.parametrize("n", SIZES)
def test_binary_is_the_reference(isa, op, n):
    rng = np.random.default_rng(n * 7 + len(op))
    x, y = special_values(rng, n), special_values(rng, n)
    for lo, hi in CLAMPS:
        ref = T.f32_vop(op, x, y, lo, hi, "reference")
        same_bits(T.f32_vop(op, x, y, lo, hi, isa), ref, f"{isa} {op} n={n} [{lo}, {hi}]")


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("n", SIZES)
def test_clamp_is_the_reference(isa, n):
    rng = np.random.default_rng(n)
    x = special_values(rng, n)
    for lo, hi in CLAMPS + [(0.0, np.inf)]:
        ref = T.f32_vop("clamp", x, x, lo, hi, "reference")
        same_bits(T.f32_vop("clamp", x, x, lo, hi, isa), ref, f"{isa} clamp n={n} [{lo}, {hi}]")


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("rows,n", [(1, 1), (5, 3), (7, 8), (9, 16), (4, 24), (3, 32), (6, 64),
                                    (2, 72), (3, 13), (11, 128), (1, 1000)])
def test_prelu_is_the_reference(isa, rows, n):
    rng = np.random.default_rng(rows * 1000 + n)
    x, alpha = special_values(rng, (rows, n)), special_values(rng, n)
    same_bits(T.f32_vop("prelu", x, alpha, 0.0, 0.0, isa),
              T.f32_vop("prelu", x, alpha, 0.0, 0.0, "reference"), f"{isa} prelu {rows}x{n}")


POOL_CASES = [  # (B, H, W, C, filter, stride, pad, out_hw)
    (1, 8, 8, 16, (2, 2), (2, 2), (0, 0), (4, 4)),
    (1, 9, 7, 28, (2, 2), (2, 2), (0, 0), (5, 4)),      # SAME on odd sizes: clipped windows
    (2, 6, 6, 42, (3, 3), (2, 2), (1, 1), (3, 3)),      # padding, 32 + 8 + 2 channels
    (1, 5, 11, 3, (3, 2), (1, 2), (1, 0), (5, 5)),      # masked tail channels only
    (1, 4, 4, 128, (4, 4), (1, 1), (0, 0), (1, 1)),     # global window
    (1, 3, 3, 9, (2, 2), (2, 2), (2, 2), (3, 3)),       # windows wholly in the padding
]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("case", POOL_CASES)
def test_max_pool_is_the_reference(isa, case):
    b, h, w, c, filt, stride, pad, out_hw = case
    rng = np.random.default_rng(h * 100 + w * 10 + c)
    x = special_values(rng, (b, h, w, c))
    for lo, hi in CLAMPS:
        ref = T.max_pool_f32(x, filt, stride, pad, out_hw, lo, hi, "reference")
        same_bits(T.max_pool_f32(x, filt, stride, pad, out_hw, lo, hi, isa), ref,
                  f"{isa} {case} [{lo}, {hi}]")


RESIZE_CASES = [  # (B, H, W, C, out_h, out_w, align_corners, half_pixel_centers)
    (1, 4, 4, 8, 8, 8, False, True),       # 2x upsampling as in segmentation decoders
    (1, 5, 3, 48, 10, 6, False, False),
    (2, 3, 5, 13, 7, 11, True, False),     # 8 + 5 channels
    (1, 6, 6, 3, 3, 4, False, True),       # downsampling, scalar channels only
    (1, 1, 1, 16, 4, 4, True, False),
]


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("case", RESIZE_CASES)
def test_resize_bilinear_is_the_reference(isa, case):
    b, h, w, c, oh, ow, align, half = case
    rng = np.random.default_rng(h * 100 + w * 10 + c)
    x = special_values(rng, (b, h, w, c))
    ref = T.resize_bilinear_f32(x, (oh, ow), align, half, "reference")
    same_bits(T.resize_bilinear_f32(x, (oh, ow), align, half, isa), ref, f"{isa} {case}")
