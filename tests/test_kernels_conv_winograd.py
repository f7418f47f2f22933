"""The exact int8 Winograd F(2x2, 3x3) convolution (AVX2: 3x3, stride 1,
dilation 1, maps with enough 2x2 tiles for their transformed filter, kept
from load on or transformed per run) against the reference, bit for bit.

Winograd sums 16 products of transformed values per 2x2 outputs instead of
36 products of the inputs; it is exact because every step is integer ring
arithmetic (int32 sums may wrap, 4 * acc modulo 2^32 is recovered by >> 2
while |acc| < 2^29). These cases cover odd map sizes (partial tiles),
'valid' and 'same' and wider padding, channel counts off the 16-lane groups
and the 16-column panels, batches, extreme zero points, weights and
requantization, 1-11 threads, and filters at the |acc| bound (the int32
sums wrap there) and past it (the GEMM path takes those).
"""

from __future__ import annotations

import numpy as np
import pytest

from pyruntime import _testing as T
from test_kernels_gemm import assert_same, conv, requant_params

ISAS = [i for i in T.available_isas() if i == "avx2"]
needs_avx2 = pytest.mark.skipif(not ISAS, reason="the Winograd path is avx2's (CPU lacks AVX2)")


def _case(rng, batch, h, w, c, o, pad, extreme):
    if extreme:
        x = rng.choice(np.array([-128, 127], np.int8), (batch, h, w, c))
        f = rng.choice(np.array([-128, 127], np.int8), (o, 3, 3, c))
    else:
        x = rng.integers(-128, 128, (batch, h, w, c), dtype=np.int8)
        f = rng.integers(-128, 128, (o, 3, 3, c), dtype=np.int8)
    bias = rng.integers(-2**20, 2**20, o).astype(np.int32)
    mult, shift = requant_params(rng, o, extreme=extreme)
    zi, zo = (int(v) for v in rng.choice([-128, 127, -3, 0], 2))
    lo, hi = (-128, 127) if rng.random() < 0.7 else (int(zo), 127)
    return (x, f, bias, mult, shift, zi, zo, lo, hi, (1, 1), (1, 1), pad)


@needs_avx2
def test_winograd_random_geometries():
    rng = np.random.default_rng(29)
    for case in range(60):
        batch = int(rng.integers(1, 3))
        h, w = (int(v) for v in rng.integers(16, 33, 2))  # outputs of 14x14 or more
        c = int(rng.choice([16, 17, 24, 31, 40, 64, 65]))
        o = int(rng.choice([16, 17, 24, 33, 40, 64]))
        pad = tuple(int(v) for v in rng.choice([0, 1, 2], 2))
        args = _case(rng, batch, h, w, c, o, pad, case % 4 == 3)
        assert T.conv_s8_winograd(args[1], h, w, pad, "avx2") == "at_load", (h, w, c, o, pad)
        ref = conv(*args, "reference")
        assert_same(conv(*args, "avx2", threads=1 + case % 11), ref,
                    f"case {case}: x{args[0].shape} f{args[1].shape} p{pad}")


@needs_avx2
def test_winograd_at_the_accumulator_bound():
    """Extreme weights over 3600 channels: |acc| reaches 128 * 9 * 3600 * 128,
    just under 2^29 (Winograd; its int32 sums wrap); over 3700 the bound
    fails and the GEMM path runs. Both equal the reference."""
    rng = np.random.default_rng(31)
    for c, takes in ((3600, True), (3700, False)):
        x = rng.choice(np.array([-128, 127], np.int8), (1, 44, 46, c))  # 506 tiles
        f = rng.choice(np.array([-128, 127], np.int8), (16, 3, 3, c))
        x[..., : c // 2] = -128
        f[..., : c // 2] = -128  # long runs of one sign: sums near the bound
        bias = np.zeros(16, np.int32)
        mult, shift = requant_params(rng, 16, extreme=False)
        args = (x, f, bias, mult, shift, 0, 0, -128, 127, (1, 1), (1, 1), (1, 1))
        assert (T.conv_s8_winograd(f, 44, 46, (1, 1), "avx2") is not None) == takes, c
        assert_same(conv(*args, "avx2", threads=2), conv(*args, "reference"), f"c={c}")


@needs_avx2
def test_winograd_filter_transformed_per_run_random_geometries():
    """Maps of 16 tiles or more whose transformed filter is over 4 KB per
    tile: V of every tile first, then the output panels, each transforming
    its part of the filter (1-11 threads, more threads than panels); maps of
    fewer tiles run on the GEMM."""
    rng = np.random.default_rng(37)
    seen = set()
    for case in range(30):
        h, w = (int(v) for v in rng.integers(5, 17, 2))
        pad = tuple(int(v) for v in rng.choice([0, 1, 2], 2))
        oh, ow = h + 2 * pad[0] - 2, w + 2 * pad[1] - 2
        tiles = ((oh + 1) // 2) * ((ow + 1) // 2)
        c = int(rng.choice([96, 97, 130, 160]))
        o = int(rng.choice([96, 113, 144, 200]))
        args = _case(rng, 1, h, w, c, o, pad, case % 4 == 3)
        want = "per_run" if tiles >= 16 else None
        seen.add(want)
        assert T.conv_s8_winograd(args[1], h, w, pad, "avx2") == want, (h, w, c, o, pad, tiles)
        ref = conv(*args, "reference")
        assert_same(conv(*args, "avx2", threads=1 + case % 11), ref,
                    f"case {case}: x{args[0].shape} f{args[1].shape} p{pad}")
    assert seen == {"per_run", None}, seen


@needs_avx2
@pytest.mark.parametrize("shape", [(56, 56, 64, 64), (28, 28, 128, 128), (20, 20, 96, 80),
                                   (14, 14, 256, 256), (7, 7, 512, 512), (13, 15, 48, 40),
                                   (14, 13, 200, 120)])
def test_winograd_resnet_layers_any_thread_count(shape):
    h, w, c, o = shape
    rng = np.random.default_rng(h + c)
    args = _case(rng, 1, h, w, c, o, (1, 1), False)
    assert T.conv_s8_winograd(args[1], h, w, (1, 1), "avx2") is not None, shape
    ref = conv(*args, "reference")
    for threads in (1, 2, 3, 11):
        assert_same(conv(*args, "avx2", threads=threads), ref, f"{shape} {threads} threads")


@needs_avx2
def test_winograd_not_taken_where_it_does_not_apply():
    f = np.ones((16, 3, 3, 16), np.int8)
    assert T.conv_s8_winograd(f, 13, 13, (1, 1), "avx2") == "at_load"
    # ResNet50's stages: 56x56 x 64 and 28x28 x 128 keep the transformed
    # filter; 14x14 x 256 (2 MB of it for 49 tiles) and 7x7 x 512 (16
    # tiles) transform it per run; a 6x6 map (9 tiles) runs on the GEMM
    stages = ((56, 64, "at_load"), (28, 128, "at_load"), (14, 256, "per_run"), (7, 512, "per_run"),
              (6, 512, None))
    for hw, c, how in stages:
        f = np.ones((c, 3, 3, c), np.int8)
        assert T.conv_s8_winograd(f, hw, hw, (1, 1), "avx2") == how, (hw, c)
    # 100 tiles x 1024 channels: every tile's transformed input (3.3 MB)
    # would not stay in cache for the panels
    assert T.conv_s8_winograd(np.ones((256, 3, 3, 1024), np.int8), 20, 20, (1, 1), "avx2") is None
    assert T.conv_s8_winograd(np.ones((16, 3, 3, 8), np.int8), 30, 30, (1, 1), "avx2") is None
    assert T.conv_s8_winograd(np.ones((16, 5, 5, 16), np.int8), 30, 30, (2, 2), "avx2") is None
    assert T.conv_s8_winograd(f, 30, 30, (1, 1), "reference") is None
